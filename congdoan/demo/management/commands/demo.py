"""`congdoan demo`: load the demo federation, print how to use it, and serve it.

While it serves, a background worker (`congdoan worker`, django-tasks' database queue) runs
next to the web server, so that large member imports are checked and committed; it is stopped
when the server stops.
"""

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import NoReverseMatch, reverse

from congdoan.demo.federation import DEMO_PASSWORD, DemoError, DemoSummary
from congdoan.demo.loading import load_demo


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def _path(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def banner(summary: DemoSummary, host: str, port: int, *, serving: bool = True) -> list[str]:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104
    base = f"http://{shown}:{port}"
    tree = _path("organisation:tree", "/tree/")
    merge = _path("reorganisation:merge", "/reorganisation/merge/")
    members = _path("members:member_list", "/members/")
    imports = _path("members:import_list", "/members/imports/")
    stats = _path("members:stats", "/members/stats/")
    figures = _path("indicators:home", "/indicators/")
    rows = [["Tài khoản", "Vai trò", "Đơn vị", "Mật khẩu"]]
    for login in summary.logins:
        role = f"{login.role} ({login.note})" if login.note else login.role
        rows.append([login.username, role, login.unit, summary.password])
    rule = "=" * 78
    return [
        rule,
        "congdoan — bản demo: Liên đoàn Lao động tỉnh Lai Châu (dữ liệu hư cấu, không có người thật)",
        f"Mở trình duyệt tại: {base}/",
        f"English: open {base}/ and sign in as tinh.quantri with the password {DEMO_PASSWORD}.",
        "",
        "Tài khoản demo (cùng một mật khẩu):",
        *_table(rows),
        "",
        "Gợi ý thử (đăng nhập tinh.quantri):",
        f"  1. Duyệt cây tổ chức hiện nay (công đoàn xã, phường): {base}{tree}",
        f"  2. Cây tổ chức ngày 30/06/2025, trước sắp xếp (còn 8 LĐLĐ huyện, CĐ Viên chức tỉnh): "
        f"{base}{tree}?as_of=2025-06-30",
        f"  3. Chạy thử sáp nhập hai CĐCS (xem trước, không ghi gì): {base}{merge}",
        "  4. Đăng nhập dienbien.quantri: chỉ thấy LĐLĐ tỉnh Điện Biên, không thấy Lai Châu.",
        f"  5. Tìm đoàn viên gõ không dấu (“nguyen thi hoa”): {base}{members}?q=nguyen+thi+hoa",
        f"  6. Nhập đoàn viên từ Excel (tải mẫu, xem trước lỗi theo dòng): {base}{imports}",
        f"  7. Số đoàn viên, nữ, kết nạp, ra khỏi tổ chức tại một ngày bất kỳ: {base}{stats}",
        "  8. Đăng nhập tinh.dulieu (thiết lập OTP): xem đủ số CCCD, có ghi nhật ký truy cập.",
        *figures_tour(summary, f"{base}{figures}"),
        f" 11. Báo cáo tổng kết năm đã ban hành (Word, PDF, phụ lục Excel, tin bài) và dự thảo "
        f"năm nay: {base}{_path('reports:report_list', '/reports/')}; hội nghị BCH, Đại hội, cụm thi đua: "
        f"{base}{_path('meetings:list', '/meetings/')}",
        *(["Dừng máy chủ / stop the server: Ctrl+C."] if serving else []),
        rule,
    ]


def figures_tour(summary: DemoSummary, url: str) -> list[str]:
    """The tour's steps in "Chỉ tiêu và số liệu": the year that has ended, the year running."""
    lines = []
    if summary.figures_year is not None:
        lines.append(
            f"  9. Chỉ tiêu và số liệu năm {summary.figures_year} (giao chỉ tiêu, nhập, gửi, "
            f"duyệt, khóa, mở lại; tổng quan, xếp hạng, Excel): "
            f"{url}?period={summary.figures_period_id}"
        )
    if summary.current_year is not None:
        returned = (
            f"; phiếu bị trả lại để sửa: {', '.join(summary.returned)} (đăng nhập cs.nhaplieu)"
            if summary.returned
            else ""
        )
        lines.append(
            f" 10. Năm {summary.current_year} đang nhập số liệu (kỳ đã mở, chỉ tiêu đã giao): "
            f"{summary.waiting} phiếu chờ duyệt (đăng nhập tinh.pheduyet){returned}: "
            f"{url}?period={summary.current_period_id}"
        )
    return lines


class Command(BaseCommand):
    help = "Load the demo federation if needed, print the demo logins, and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Load and print, do not serve.")
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--reset", action="store_true", help="Rebuild the embedded SQLite database first."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background task worker next to the server.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary, _built = load_demo(
                scale=options["scale"],
                seed=options["seed"],
                reset=options["reset"],
                out=self.stdout,
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
        serving = not options["no_serve"]
        for line in banner(summary, options["host"], options["port"], serving=serving):
            self.stdout.write(line)
        if serving:
            worker = None if options["no_worker"] else self.start_worker()
            # Stopping the demo with SIGTERM (not only Ctrl+C) also stops the worker.
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
            try:
                call_command(
                    "runserver", f"{options['host']}:{options['port']}", use_reloader=False
                )
            finally:
                if worker is not None:
                    self.stop_worker(worker)

    def start_worker(self) -> "subprocess.Popen[bytes] | None":
        """`congdoan worker` in a child process, when tasks go through the database queue."""
        from django.conf import settings

        backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
        if not backend.endswith("DatabaseBackend"):
            return None
        command = [
            sys.executable, "-m", "congdoan.cli", "worker",
            "--no-reload", "--no-startup-delay", "--interval", "1",
        ]  # fmt: skip
        worker = subprocess.Popen(command, env=os.environ.copy())  # noqa: S603 - our own CLI
        self.stdout.write(f"Tiến trình nền (worker) đang chạy, pid {worker.pid}.")
        return worker

    def stop_worker(self, worker: "subprocess.Popen[bytes]") -> None:
        if worker.poll() is not None:
            return
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
