"""A contest's files: its entries and a quiz's participants, imported into the contest of the
URL all or nothing, errors by row and column, a second import creates nothing, the template and
the export read back, and the pages kept to the organiser's officers."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.activities import imports as im
from congdoan.activities.models import ImportUpload
from congdoan.activities.tests.import_helpers import csv_bytes, xlsx_bytes
from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.initiatives import services
from congdoan.initiatives.contest_imports import entries_spec, participants_spec
from congdoan.initiatives.models import Entry, Participant
from congdoan.initiatives.tests.helpers import contest_a, quiz_a

pytestmark = pytest.mark.django_db
ENTRIES = ["Mã đơn vị", "Tên công trình, giải pháp", "Tác giả", "Giải thưởng"]
PARTICIPANTS = ["Mã đơn vị", "Số người tham gia", "Số thẻ đoàn viên", "Họ và tên"]


def _entries(world, contest, data: bytes, name: str = "bai-du-thi.csv") -> im.Result:
    return im.run(entries_spec(contest), name, data, actor=world.officer_a, unit=contest.unit)


def _participants(world, contest, data: bytes, name: str = "nguoi-du-thi.csv") -> im.Result:
    return im.run(participants_spec(contest), name, data, actor=world.officer_a, unit=contest.unit)


def _problems(result: im.Result) -> set[tuple[int | None, str]]:
    return {(p.row, p.column) for p in result.errors}


def _sheet(content: bytes) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def _another_contest(world, kind: str = "innovation"):
    return services.contest_create(
        actor=None, unit=world.unit_a, kind=kind, title="Hội thi lần thứ IV",
        starts_on=contest_a(world).starts_on, ends_on=contest_a(world).ends_on,
    )  # fmt: skip


ENTRY_ROWS = [
    ENTRIES,
    ["A1", "Máy cắt tôn tự động", "Nguyễn Văn An, Trần Thị Bình", "giai nhat"],
    ["a2", "Phần mềm quản lý kho", "", "Giải khuyến khích"],
    ["", "Sổ tay an toàn", "Lò Văn Khách", ""],
    ["A1T1", "Bàn thao tác đa năng", "Hà Thị Lan", "không đạt giải"],
]


def test_entries_are_imported_into_the_contest_once(world):
    contest = contest_a(world)
    before = Entry.objects.count()
    data = csv_bytes(ENTRY_ROWS)
    result = _entries(world, contest, data)
    assert result.ok and result.committed and result.new == 4, result.errors
    rows = {e.title: e for e in Entry.objects.filter(contest=contest)}
    machine = rows["Máy cắt tôn tự động"]
    assert (machine.unit, machine.authors, machine.prize) == (
        world.grass_a1,
        "Nguyễn Văn An, Trần Thị Bình",
        "first",
    )
    assert (rows["Phần mềm quản lý kho"].unit, rows["Phần mềm quản lý kho"].prize) == (
        world.grass_a2,
        "consolation",
    )
    assert (rows["Sổ tay an toàn"].unit, rows["Sổ tay an toàn"].prize) == (world.unit_a, "")
    assert (rows["Bàn thao tác đa năng"].unit, rows["Bàn thao tác đa năng"].prize) == (
        world.group_a1,
        "",
    )
    last = machine.history.get()
    assert (last.history_change_reason, last.history_user) == ("record_import", world.officer_a)
    again = _entries(world, contest, data)
    assert (again.new, again.unchanged) == (0, 4) and Entry.objects.count() == before + 4


def test_the_same_file_goes_into_two_contests(world):
    first, second = contest_a(world), _another_contest(world)
    data = csv_bytes(ENTRY_ROWS)
    assert _entries(world, first, data).new == 4
    result = _entries(world, second, data)
    assert result.committed and (result.new, result.unchanged) == (4, 0), result.errors
    assert second.entries.count() == 4 and first.entries.count() == 2 + 4
    assert _entries(world, second, data).new == 0


def test_entries_with_errors_import_nothing(world):
    contest = contest_a(world)
    before = Entry.objects.count()
    data = xlsx_bytes(
        [
            ENTRIES,
            ["A1", "Đúng", "", "Giải ba"],
            ["B1", "Đơn vị ngoài", "", ""],
            ["A1", "Giải lạ", "", "giải đặc biệt"],
            ["A2", "", "Không tên", "Giải nhì"],
            ["XX9", "Mã lạ", "", ""],
            ["A2", "T" * 501, "", ""],
        ],
        sheet="Bài dự thi",
    )
    result = _entries(world, contest, data, "bai.xlsx")
    assert not result.committed and Entry.objects.count() == before
    problems = _problems(result)
    assert (3, "Mã đơn vị") in problems
    assert (4, "Giải thưởng") in problems
    assert (5, "Tên công trình, giải pháp") in problems
    assert (6, "Mã đơn vị") in problems
    assert (7, "Tên công trình, giải pháp") in problems
    assert not any(r == 2 for r, _c in problems)
    # Officer A does not see unit B: the message does not name it.
    assert "BETA" not in " ".join(p.message for p in result.errors)


def test_participants_by_count_by_member_and_by_name(world):
    quiz = quiz_a(world)
    before = Participant.objects.filter(contest=quiz).count()
    data = csv_bytes(
        [
            PARTICIPANTS,
            ["A1", "85", "", ""],
            ["A2", "1.250", "", ""],
            ["", "", "cda0001", ""],
            ["A2", "1", "", "Lò Văn Khách"],
        ]
    )
    result = _participants(world, quiz, data)
    assert result.ok and result.committed and result.new == 4, result.errors
    new = Participant.objects.filter(contest=quiz).order_by("pk")[before:]
    got = [(p.unit, p.count, p.member, p.full_name) for p in new]
    assert got == [
        (world.grass_a1, 85, None, ""),
        (world.grass_a2, 1250, None, ""),
        (world.grass_a1, 1, world.member_a, world.member_a.full_name),
        (world.grass_a2, 1, None, "Lò Văn Khách"),
    ]
    again = _participants(world, quiz, data)
    assert (again.new, again.unchanged) == (0, 4)
    assert Participant.objects.filter(contest=quiz).count() == before + 4


def test_participants_with_errors_import_nothing(world):
    quiz = quiz_a(world)
    before = Participant.objects.count()
    data = csv_bytes(
        [
            PARTICIPANTS,
            ["A1", "40", "", ""],
            ["A1", "", "CDB0001", ""],
            ["A1", "", "", ""],
            ["A2", "12", "", "Hà Thị Lan"],
            ["A2", "0", "", ""],
            ["B1", "5", "", ""],
        ]
    )
    result = _participants(world, quiz, data)
    assert not result.committed and Participant.objects.count() == before
    problems = _problems(result)
    assert (3, "Số thẻ đoàn viên") in problems
    assert (4, "Số người tham gia") in problems
    assert (5, "Số người tham gia") in problems
    assert (6, "Số người tham gia") in problems
    assert (7, "Mã đơn vị") in problems
    assert not any(r == 2 for r, _c in problems)
    assert "BETA" not in " ".join(p.message for p in result.errors)


def test_a_member_outside_the_organisers_subtree(world):
    """A member the actor may see, of a union outside the organiser's subtree, is refused."""
    quiz = services.contest_create(
        actor=None, unit=world.grass_a2, kind="quiz", title="Thi A2",
        starts_on=quiz_a(world).starts_on, ends_on=quiz_a(world).ends_on,
    )  # fmt: skip
    data = csv_bytes([PARTICIPANTS, ["", "", "CDA0001", ""]])
    result = _participants(world, quiz, data)
    assert not result.committed and _problems(result) == {(2, "Số thẻ đoàn viên")}


def test_only_a_quiz_takes_participants(world):
    contest = contest_a(world)
    result = _participants(world, contest, csv_bytes([PARTICIPANTS, ["A1", "10", "", ""]]))
    assert not result.committed and not contest.participants.exists()
    assert [(p.row, p.column) for p in result.errors] == [(None, "")]


def test_templates_have_the_columns(world, client_of):
    c = client_of("officer_a")
    for name, contest, headers in (
        ("initiatives:entry_import_template", contest_a(world), ENTRIES),
        ("initiatives:participant_import_template", quiz_a(world), PARTICIPANTS),
    ):
        response = c.get(reverse(name, args=[contest.pk]))
        assert response.status_code == 200
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        assert book.get_sheet_by_index(0).to_python()[0][: len(headers)] == headers
        guide = " ".join(
            str(c) for row in book.get_sheet_by_name("Hướng dẫn").to_python() for c in row
        )
        assert contest.title in guide


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_exports_import_back_to_nothing(world, client_of):
    contest, quiz = contest_a(world), quiz_a(world)
    other = _another_contest(world)
    services.entry_add(actor=None, contest=other, unit=world.grass_a1, title="Của hội thi khác")
    c = client_of("officer_a")
    export = c.get(reverse("initiatives:entry_export", args=[contest.pk]))
    assert export.status_code == 200
    rows = _sheet(_content(export))
    assert rows[0] == ["Mã bản ghi", *ENTRIES]
    assert sorted(r[2] for r in rows[1:]) == sorted(["Đề tài số 2", f"Đề tài {MARKER_A} số 1"])
    assert any(r[4] == "Giải nhì" for r in rows[1:])
    before = Entry.objects.count()
    result = _entries(world, contest, _content(export), "xuat.xlsx")
    assert result.committed and (result.new, result.unchanged) == (0, 2), result.errors
    assert Entry.objects.count() == before
    # Into another contest the record numbers are not its own: refused by row, nothing written.
    before = Entry.objects.count()
    result = _entries(world, other, _content(export), "xuat.xlsx")
    assert not result.committed and result.errors_total == 2
    assert Entry.objects.count() == before

    export = c.get(reverse("initiatives:participant_export", args=[quiz.pk]))
    rows = _sheet(_content(export))
    assert rows[0] == ["Mã bản ghi", *PARTICIPANTS] and len(rows) == 3
    assert any(r[3] == "CDA0001" for r in rows[1:])
    result = _participants(world, quiz, _content(export), "xuat.xlsx")
    assert result.committed and (result.new, result.unchanged) == (0, 2), result.errors


def test_the_pages_upload_preview_and_confirm(world, client_of):
    contest = contest_a(world)
    c = client_of("officer_a")
    url = reverse("initiatives:entry_import", args=[contest.pk])
    page = c.get(url)
    assert page.status_code == 200 and contest.title in page.content.decode()
    assert 'name="unit"' not in page.content.decode()
    assert reverse("initiatives:entry_import_template", args=[contest.pk]) in page.content.decode()
    upload = io.BytesIO(csv_bytes(ENTRY_ROWS))
    upload.name = "bai-du-thi.csv"
    response = c.post(url, {"file": upload})
    assert response.status_code == 302
    pk = int(re.search(r"upload=(\d+)", response["Location"]).group(1))
    stored = ImportUpload.objects.get(pk=pk)
    assert (stored.unit, stored.register) == (world.unit_a, f"contest_entries_{contest.pk}")
    preview = c.get(response["Location"])
    assert preview.status_code == 200 and 'id="import-ready"' in preview.content.decode()
    assert not Entry.objects.filter(title="Máy cắt tôn tự động").exists()
    # The upload is the contest's: another contest's page does not find it.
    other = _another_contest(world)
    assert (
        c.get(reverse("initiatives:entry_import", args=[other.pk]), {"upload": pk}).status_code
        == 404
    )
    done = c.post(url, {"upload": pk, "confirm": "1"})
    assert done.status_code == 302
    assert done["Location"] == f"{contest.get_absolute_url()}#entries"
    assert contest.entries.filter(title="Máy cắt tôn tự động", prize="first").exists()
    assert not other.entries.exists()


def test_participants_page_takes_a_file(world, client_of):
    quiz = quiz_a(world)
    c = client_of("officer_a")
    url = reverse("initiatives:participant_import", args=[quiz.pk])
    upload = io.BytesIO(csv_bytes([PARTICIPANTS, ["A2", "30", "", ""]]))
    upload.name = "nguoi.csv"
    response = c.post(url, {"file": upload})
    pk = int(re.search(r"upload=(\d+)", response["Location"]).group(1))
    done = c.post(url, {"upload": pk, "confirm": "1"})
    assert done["Location"] == f"{quiz.get_absolute_url()}#participants"
    assert quiz.participants.filter(unit=world.grass_a2, count=30).exists()


def test_officers_of_another_subtree_and_below_the_organiser(world, client_of):
    contest, quiz = contest_a(world), quiz_a(world)
    names = [
        ("initiatives:entry_import", contest),
        ("initiatives:entry_import_template", contest),
        ("initiatives:entry_export", contest),
        ("initiatives:participant_import", quiz),
        ("initiatives:participant_import_template", quiz),
        ("initiatives:participant_export", quiz),
    ]
    b = client_of("officer_b")
    for name, row in names:
        response = b.get(reverse(name, args=[row.pk]))
        assert response.status_code == 404, name
        assert MARKER_A not in _content(response).decode("utf-8", "replace")
    upload = io.BytesIO(csv_bytes(ENTRY_ROWS))
    upload.name = "x.csv"
    assert (
        b.post(reverse("initiatives:entry_import", args=[contest.pk]), {"file": upload}).status_code
        == 404
    )
    # An officer of A1 sees unit A's contest (its organiser is above), but does not manage it.
    below = make_user("officer_a1", "federation_admin", world.grass_a1)
    c = client_of("officer_a")
    c.force_login(below)
    for name, row in names:
        # They may export what they see, as from every register; not import.
        expected = 200 if name.endswith("_export") else 403
        assert c.get(reverse(name, args=[row.pk])).status_code == expected, name
    page = c.get(contest.get_absolute_url()).content.decode()
    assert 'id="entry-import"' not in page and 'id="entry-export"' in page
    assert Entry.objects.filter(contest=contest).count() == 2


def test_the_contest_page_offers_the_files_to_its_managers(world, client_of):
    contest, quiz = contest_a(world), quiz_a(world)
    c = client_of("officer_a")
    page = c.get(contest.get_absolute_url()).content.decode()
    assert reverse("initiatives:entry_import", args=[contest.pk]) in page
    assert reverse("initiatives:entry_export", args=[contest.pk]) in page
    assert 'id="participant-import"' not in page  # not a quiz
    page = c.get(quiz.get_absolute_url()).content.decode()
    assert reverse("initiatives:participant_import", args=[quiz.pk]) in page
    assert reverse("initiatives:participant_export", args=[quiz.pk]) in page
