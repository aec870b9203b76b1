"""The Excel round trip of figures through the API: the pages' template and upload
(`indicators.excel`), with the pages' scope; an upload with problems answers 400 with the same
list as the page and saves nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from drf_spectacular.validation import validate_schema
from python_calamine import CalamineWorkbook

from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.core.tests.test_api_base import _generate
from congdoan.indicators import excel
from congdoan.indicators.models import PeriodKind, Value
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.test_excel import Filled, enter, letter, total, upload

TEMPLATE = "/api/v1/figures/template/"
UPLOAD = "/api/v1/figures/upload/"


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def send(client: Any, unit: str, period: Any, data: bytes, name: str = "so-lieu.xlsx", **extra):
    file = SimpleUploadedFile(name, data, content_type=excel.XLSX)
    fields = {"unit": unit, "period": period.pk, "children": "1", "file": file}
    return client.post(UPLOAD, fields | extra)


def value(unit: Any, period: Any, code: str) -> Any:
    row = Value.objects.filter(unit=unit, period=period, indicator__code=code).first()
    return row.value if row else None


# --- template --------------------------------------------------------------------------------


def test_template_of_the_units_below(world, year, client_of):
    enter(world, world.grass_a1, year, phat_trien_dv=5)
    query = {"unit": "HA", "period": year.pk, "children": "1"}
    response = client_of("officer_a").get(TEMPLATE, query, HTTP_ACCEPT=excel.XLSX)
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX
    assert 'filename="so-lieu-truc-thuoc-HA-nam-2024.xlsx"' in response["Content-Disposition"]
    data = body_of(response)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == [excel.DATA_SHEET, excel.TARGET_SHEET, excel.GUIDE_SHEET]
    grid = Filled(data)
    assert world.unit_a.name in grid.rows[0][0]
    assert [r[0] for r in grid.rows[excel.FIRST_ROW :]] == ["A2", "A1"]
    assert grid.get("A1", "phat_trien_dv") == 5
    assert grid.get("A1", excel.CODE_STATUS) == "Đang nhập"


def test_template_of_one_unit(world, year, client_of):
    client = client_of("officer_a")
    for ref in ("a1", world.grass_a1.pk):
        response = client.get(TEMPLATE, {"unit": ref, "period": year.pk})
        assert response.status_code == 200
        assert [r[0] for r in Filled(body_of(response)).rows[excel.FIRST_ROW :]] == ["A1"]
        assert 'filename="so-lieu-A1-nam-2024.xlsx"' in response["Content-Disposition"]


def test_template_needs_the_right_to_enter(world, year, client):
    """A viewer of A sees unit A1 but does not enter its figures; the template of the units
    below holds only those it may enter for: none."""
    client.force_login(make_user("viewer_a", "viewer", world.unit_a))
    response = client.get(TEMPLATE, {"unit": "A1", "period": year.pk})
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    response = client.get(TEMPLATE, {"unit": "HA", "period": year.pk, "children": "1"})
    assert response.status_code == 200
    assert Filled(body_of(response)).rows[excel.FIRST_ROW :] == []


def test_template_refusals(world, year, client_of):
    client = client_of("officer_a")
    response = client.get(TEMPLATE, {"unit": "HA"}, HTTP_ACCEPT=excel.XLSX)
    assert response.status_code == 400 and response.json()["field"] == "period"
    response = client.get(TEMPLATE, {"unit": "HA", "period": 10**6})
    assert response.status_code == 400 and response.json()["field"] == "period"
    assert client.get(TEMPLATE, {"unit": "ZZZ", "period": year.pk}).status_code == 404
    # The province lies above officer A's scope.
    assert client.get(TEMPLATE, {"unit": "TN", "period": year.pk}).status_code == 404
    response = client_of("officer_b").get(TEMPLATE, {"unit": "HA", "period": year.pk})
    assert response.status_code == 404 and MARKER_A not in response.content.decode()


# --- upload ----------------------------------------------------------------------------------


def test_upload_saves_figures_and_rolls_up(world, year, client_of):
    enter(world, world.grass_a1, year, sang_kien=9, phat_trien_dv=1)
    grid = Filled(excel.template_for(world.officer_a, world.unit_a, year, children=True))
    grid.set("A1", "phat_trien_dv", 3)
    grid.set("A1", "sang_kien", "")  # empty: removed
    grid.set("A2", "phat_trien_dv", "4")
    grid.set("A2", "tien_qua", "1.234")
    client = client_of("officer_a")
    response = send(client, "HA", year, grid.xlsx())
    assert response.status_code == 200, response.content
    assert response.json() == {"file": "so-lieu.xlsx", "rows": 2, "units": 2, "figures": 4}
    assert value(world.grass_a1, year, "phat_trien_dv") == 3
    assert value(world.grass_a1, year, "sang_kien") is None
    assert value(world.grass_a2, year, "tien_qua") == 1234
    assert total(world.unit_a, year, "phat_trien_dv") == 7
    saved = Value.objects.get(unit=world.grass_a2, indicator__code="tien_qua").history.first()
    assert saved.history_user == world.officer_a
    # The same file again changes nothing.
    response = send(client, "HA", year, grid.xlsx())
    assert response.json()["figures"] == 0


def test_upload_lists_every_problem_as_the_page_does(world, year, client_of):
    enter(world, world.grass_a1, year, phat_trien_dv=1)
    grid = Filled(excel.template_for(world.officer_a, world.unit_a, year, children=True))
    grid.set("A2", "phat_trien_dv", 8)  # valid, but other cells are wrong
    grid.set("A1", "phat_trien_dv", "12,5")
    grid.set("A1", "suat_qua", -3)
    grid.add_row(["ZZ9", "", "", 1])  # not a unit below A
    client = client_of("officer_a")
    response = send(client, "HA", year, grid.xlsx())
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == (
        "so-lieu.xlsx có 3 lỗi. Chưa lưu số liệu nào: hãy sửa tệp rồi tải lên lại."
    )
    a1, kn = grid.row("A1") + 1, letter(grid.col("phat_trien_dv"))
    first = next(e for e in body["errors"] if (e["row"], e["column"]) == (a1, kn))
    assert (first["file"], first["field"]) == ("so-lieu.xlsx", "Kết nạp đoàn viên mới")
    assert "12,5" in first["message"]
    page = upload(client, world.unit_a, year, grid.xlsx(), "so-lieu.xlsx", True)
    assert page.status_code == 400
    assert body["errors"] == [
        {"file": e.file, "row": e.row, "column": e.column, "field": e.field, "message": e.message}
        for e in page.context["result"].errors
    ]
    assert value(world.grass_a1, year, "phat_trien_dv") == 1
    assert value(world.grass_a2, year, "phat_trien_dv") is None


def test_files_that_are_not_templates(world, year, client_of, monkeypatch):
    client = client_of("officer_a")
    response = send(client, "HA", year, b"ma;ten\n", "so-lieu.csv")
    assert response.status_code == 400
    (problem,) = response.json()["errors"]
    assert (problem["file"], problem["row"], problem["column"]) == ("so-lieu.csv", None, "")
    assert "so-lieu.csv" in problem["message"]
    response = client.post(UPLOAD, {"unit": "HA", "period": year.pk})
    assert response.status_code == 400 and response.json()["field"] == "file"
    monkeypatch.setattr(excel, "MAX_BYTES", 1024 * 1024)
    response = send(client, "HA", year, b"x" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "so-lieu.xlsx lớn hơn 1 MB."


def test_officer_b_uploads_nothing_for_a(world, year, client_of):
    grid = Filled(excel.template_for(world.officer_a, world.unit_a, year, children=True))
    grid.set("A1", "phat_trien_dv", 3)
    client = client_of("officer_b")
    response = send(client, "HA", year, grid.xlsx())
    assert response.status_code == 404 and MARKER_A not in response.content.decode()
    # A's rows sent for unit B: not below B, and their names do not come back.
    response = send(client, "HB", year, grid.xlsx())
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["column"] for e in errors} == {"A"} and len(errors) == 2
    assert MARKER_A not in response.content.decode()
    assert not Value.objects.filter(unit__in=[world.grass_a1, world.grass_a2]).exists()


def test_the_schema_documents_the_round_trip_without_warnings():
    urls = [path("api/v1/", include(("congdoan.indicators.api.urls", "api")))]
    schema, problems = _generate(urls)
    assert problems == []
    validate_schema(schema)
    template = schema["paths"]["/api/v1/figures/template/"]["get"]["responses"]
    assert list(template["200"]["content"]) == [excel.XLSX]
    upload = schema["paths"]["/api/v1/figures/upload/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    errors = schema["components"]["schemas"]["ExcelProblem"]["properties"]
    assert set(errors) == {"file", "row", "column", "field", "message"}
