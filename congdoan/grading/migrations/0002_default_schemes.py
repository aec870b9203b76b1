"""The default catalogue of grading schemes: CONFIGURABLE DEFAULTS, to be checked against the
guidance the federation applies (the VGCL's instructions on grading grassroots unions and the
provincial federation's own rules) and edited in the admin. Nothing in the code names a
criterion or a threshold; written here, not imported from the app, so that this migration
keeps meaning the same whatever the code becomes.

- `cdcs_2019`: the older scale (Vững mạnh / Khá / Trung bình / Yếu), calendar years up to 2023.
- `cdcs_2024`: the current scale (Hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành
  nhiệm vụ), calendar years from 2024, for every grassroots union without a scheme of its own.
- `cdcs_gd_2024`: the same criteria and scale for education unions, by school year from the
  school year 2024–2025.

Each has four criteria groups and twelve criteria totalling 100 points; a union is graded once
it has operated 12 months. The two best categories need every group at half its points or more.
Idempotent (`get_or_create`): the tests' conftest runs it again after flushing the database.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

GROUPS = [
    ("I", "Đại diện, bảo vệ quyền, lợi ích hợp pháp, chính đáng của đoàn viên, người lao động", [
        ("1.1", "Tổ chức hội nghị người lao động / hội nghị cán bộ, công chức, viên chức; đối thoại tại nơi làm việc", 10),
        ("1.2", "Thương lượng, ký kết và giám sát thực hiện thỏa ước lao động tập thể, quy chế dân chủ", 10),
        ("1.3", "Chăm lo đời sống, việc làm, thu nhập; tham gia giải quyết tranh chấp lao động", 15),
    ]),
    ("II", "Tuyên truyền, giáo dục, vận động đoàn viên; phong trào thi đua", [
        ("2.1", "Tuyên truyền chủ trương của Đảng, chính sách, pháp luật, nghị quyết công đoàn", 10),
        ("2.2", "Tổ chức phong trào thi đua, sáng kiến, cải tiến kỹ thuật", 10),
        ("2.3", "Hoạt động văn hóa, thể thao; giới thiệu đoàn viên ưu tú cho Đảng", 5),
    ]),
    ("III", "Phát triển đoàn viên, xây dựng tổ chức công đoàn", [
        ("3.1", "Phát triển đoàn viên; tỷ lệ đoàn viên trên số người lao động", 10),
        ("3.2", "Hoạt động của Ban Chấp hành, tổ công đoàn; sinh hoạt định kỳ", 10),
        ("3.3", "Công tác kiểm tra, giám sát của Ủy ban Kiểm tra", 5),
    ]),
    ("IV", "Tài chính công đoàn", [
        ("4.1", "Thu, nộp đoàn phí đúng, đủ, kịp thời", 5),
        ("4.2", "Phối hợp thu, nộp kinh phí công đoàn; thu ngân sách vượt kế hoạch", 5),
        ("4.3", "Quản lý, sử dụng tài chính, tài sản; công khai tài chính", 5),
    ]),
]  # fmt: skip

# code, name, rank, from points, every group at least this share, good or better
CURRENT = [
    ("xuat_sac", "Hoàn thành xuất sắc nhiệm vụ", 1, 90, Decimal("0.50"), True),
    ("tot", "Hoàn thành tốt nhiệm vụ", 2, 70, Decimal("0.50"), True),
    ("hoan_thanh", "Hoàn thành nhiệm vụ", 3, 50, None, False),
    ("khong_hoan_thanh", "Không hoàn thành nhiệm vụ", 4, 0, None, False),
]
OLDER = [
    ("vung_manh", "Vững mạnh", 1, 90, Decimal("0.50"), True),
    ("kha", "Khá", 2, 70, Decimal("0.50"), True),
    ("trung_binh", "Trung bình", 3, 50, None, False),
    ("yeu", "Yếu", 4, 0, None, False),
]
BASIS = "Mặc định của hệ thống — đối chiếu với hướng dẫn đánh giá, xếp loại CĐCS hiện hành"

# code, name, applies to, period, in force from, until, categories
SCHEMES = [
    ("cdcs_2019", "Đánh giá, xếp loại CĐCS (thang Vững mạnh – Yếu)", "all", "calendar",
     dt.date(2019, 1, 1), dt.date(2023, 12, 31), OLDER),
    ("cdcs_2024", "Đánh giá, xếp loại chất lượng hoạt động CĐCS", "all", "calendar",
     dt.date(2024, 1, 1), None, CURRENT),
    ("cdcs_gd_2024", "Đánh giá, xếp loại CĐCS ngành Giáo dục (theo năm học)", "education", "school",
     dt.date(2024, 9, 1), None, CURRENT),
]  # fmt: skip


def forwards(apps, schema_editor):
    Scheme = apps.get_model("grading", "Scheme")
    Group = apps.get_model("grading", "CriterionGroup")
    Criterion = apps.get_model("grading", "Criterion")
    Category = apps.get_model("grading", "Category")
    for code, name, applies_to, period, start, until, categories in SCHEMES:
        scheme, created = Scheme.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "applies_to": applies_to, "period_kind": period,
                "in_force_from": start, "in_force_until": until, "min_months": 12, "basis": BASIS,
            },
        )  # fmt: skip
        if not created:
            continue
        for order, (group_code, group_name, criteria) in enumerate(GROUPS, start=1):
            group = Group.objects.create(scheme=scheme, code=group_code, name=group_name, order=order)
            for c_order, (c_code, c_name, points) in enumerate(criteria, start=1):
                Criterion.objects.create(
                    group=group, code=c_code, name=c_name, max_points=Decimal(points), order=c_order
                )
        for c_code, c_name, rank, points, share, good in categories:
            Category.objects.create(
                scheme=scheme, code=c_code, name=c_name, rank=rank, min_points=Decimal(points),
                min_group_share=share, good_or_better=good,
            )  # fmt: skip


def backwards(apps, schema_editor):
    Scheme = apps.get_model("grading", "Scheme")
    Scheme.objects.filter(code__in=[row[0] for row in SCHEMES], gradings__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("grading", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
