"""A report from draft to issued, through the services and the pages: the files are generated
from the data, read back, approved, numbered from the unit's register and kept unchanged."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document as Docx
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from congdoan.core.exceptions import RuleViolation
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.figures_world import build_figures
from congdoan.reports import selectors, services
from congdoan.reports.models import GenerationState, OutgoingNumber, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world: Any) -> Any:
    return build_figures(world, period_open(actor=None, kind=PeriodKind.YEAR, year=2024))


def _docx_text(field: Any) -> str:
    with field.open("rb") as f:
        doc = Docx(io.BytesIO(f.read()))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    for section in doc.sections:
        for table in section.header.tables:
            for row in table.rows:
                parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def _pdf_text(field: Any) -> str:
    with field.open("rb") as f:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)


@pytest.fixture
def generate(django_capture_on_commit_callbacks: Any) -> Any:
    """Start a generation and run the task queued on commit (the immediate backend)."""

    def run(actor: Any, report: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            gen = services.generation_start(actor=actor, report=report)
        gen.refresh_from_db()
        return gen

    return run


def _report(world: Any, year: Any, **kw: Any) -> Any:
    services.template_save(actor=world.officer_a, unit=world.unit_a, place="Thử Nghiệm")
    return services.report_create(
        actor=world.officer_a,
        unit=world.unit_a,
        period=year,
        tasks="Tiếp tục phát triển đoàn viên & thành lập CĐCS <mới>\nChăm lo Tết",
        **kw,
    )


def test_generated_files_state_the_figures(world, year, generate):
    report = _report(world, year)
    gen = generate(world.officer_a, report)
    assert gen.state == GenerationState.DONE, gen.error
    assert gen.progress == 100 and gen.data_at is not None
    assert not gen.figures_approved  # A2's sheet is a draft: the report says so
    docx = _docx_text(gen.docx)
    assert "LĐLĐ HUYỆN ALPHA" in docx.upper()
    assert "12" in docx  # 8 + 4 new members over A's subtree
    assert "Tiếp tục phát triển đoàn viên & thành lập CĐCS <mới>" in docx
    assert "Thử Nghiệm, ngày" in docx
    pdf = _pdf_text(gen.pdf)
    assert "CĐCS <mới>" in pdf and "&" in pdf
    book = CalamineWorkbook.from_filelike(io.BytesIO(gen.xlsx.open("rb").read()))
    rows = [r for name in book.sheet_names for r in book.get_sheet_by_name(name).to_python()]
    assert any("CĐCS ALPHA Một" in str(c) for r in rows for c in r)
    assert gen.text and gen.text_hash


def test_the_same_data_gives_the_same_text(world, year, generate):
    report = _report(world, year)
    first = generate(world.officer_a, report)
    second = generate(world.officer_a, report)
    assert (first.version, second.version) == (1, 2)
    assert first.text_hash == second.text_hash


def test_approve_then_issue_numbers_from_the_register(
    world, year, generate, django_capture_on_commit_callbacks
):
    report = _report(world, year)
    with pytest.raises(RuleViolation):
        services.report_approve(actor=world.officer_a, report=report)  # nothing generated yet
    generate(world.officer_a, report)
    services.report_approve(actor=world.officer_a, report=report)
    import datetime as dt

    with django_capture_on_commit_callbacks(execute=True):
        issued = services.report_issue(
            actor=world.officer_a, report=report, issued_on=dt.date(2025, 2, 5)
        )
    assert issued.status == ReportStatus.ISSUED and issued.number == 1
    assert issued.number_text == "01/BC-LĐLĐ"
    final = selectors.latest_generation(issued)
    assert final is not None and final.issued and final.state == GenerationState.DONE
    text = _docx_text(final.docx)
    assert "01/BC-LĐLĐ" in text
    assert "ngày 05 tháng 02 năm 2025" in text
    approved = issued.generations.get(version=1)
    assert final.text == approved.text  # the approved text, numbered
    row = OutgoingNumber.objects.get(unit=world.unit_a, year=2025)
    assert row.report_id == report.pk and row.actor == world.officer_a

    second = _report(world, year)
    generate(world.officer_a, second)
    services.report_approve(actor=world.officer_a, report=second)
    assert (
        services.report_issue(
            actor=world.officer_a, report=second, issued_on=dt.date(2025, 3, 1)
        ).number
        == 2
    )


def test_an_issued_report_does_not_change(world, year, generate):
    report = _report(world, year)
    generate(world.officer_a, report)
    services.report_approve(actor=world.officer_a, report=report)
    services.report_issue(actor=world.officer_a, report=report)
    for call in (
        lambda: services.report_update(actor=world.officer_a, report=report, title="Khác"),
        lambda: services.generation_start(actor=world.officer_a, report=report),
        lambda: services.report_delete(actor=world.officer_a, report=report),
    ):
        with pytest.raises(RuleViolation):
            call()


def test_editing_an_approved_report_sends_it_back_to_draft(world, year, generate):
    report = _report(world, year)
    generate(world.officer_a, report)
    services.report_approve(actor=world.officer_a, report=report)
    report = services.report_update(actor=world.officer_a, report=report, title="Báo cáo mới")
    assert report.status == ReportStatus.DRAFT
    assert report.history.count() >= 3  # created, approved, edited: who and when


def test_officer_b_can_neither_write_nor_see(world, year):
    with pytest.raises(RuleViolation) as refused:
        services.report_create(actor=world.officer_b, unit=world.unit_a, period=year)
    assert "ALPHA" not in str(refused.value)
    report = _report(world, year)
    assert not selectors.reports_visible(world.officer_b).filter(pk=report.pk).exists()
    with pytest.raises(RuleViolation):
        services.generation_start(actor=world.officer_b, report=report)


def test_cluster_report_only_by_its_head(world, year, generate):
    from congdoan.organisation import services as org

    cluster = world.extra["cluster"]
    with pytest.raises(RuleViolation):
        services.report_create(
            actor=world.officer_a, unit=world.unit_a, period=year, cluster=cluster
        )
    org.cluster_set_head(actor=None, cluster=cluster, unit=world.unit_a, year=2024)
    report = services.report_create(
        actor=world.officer_a, unit=world.unit_a, period=year, cluster=cluster
    )
    gen = generate(world.officer_a, report)
    assert gen.state == GenerationState.DONE, gen.error
    assert "Cụm 1" in gen.text


def test_template_versions(world):
    first = services.template_save(actor=world.officer_a, unit=world.unit_a, place="A")
    second = services.template_save(actor=world.officer_a, unit=world.unit_a, signer_name="B")
    assert (first.version, second.version) == (1, 2)
    assert second.place == "A" and second.signer_name == "B"
    with pytest.raises(RuleViolation):
        services.template_save(actor=world.officer_b, unit=world.unit_a, place="X")


def test_pages_walk(world, year, client_of, django_capture_on_commit_callbacks):
    client = client_of("officer_a")
    response = client.post(
        "/reports/new/",
        {
            "unit": world.unit_a.code,
            "period": year.pk,
            "title": "Báo cáo tổng kết năm 2024",
            "tasks": "Phát triển đoàn viên",
            "language": "vi",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    url = response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url + "generate/").status_code == 302
    page = client.get(url).content.decode()
    assert "Báo cáo tổng kết năm 2024" in page and "/docx/" in page
    report = selectors.reports_visible(world.officer_a).get(title="Báo cáo tổng kết năm 2024")
    done = selectors.latest_done(report)
    assert done is not None
    download = client.get(f"/reports/versions/{done.pk}/docx/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert client_of("officer_b").get(url).status_code == 404


def test_word_template_upload_through_the_page(world, year, client_of, generate):
    """The officer uploads the official Word template with a fixed sentence added: a new
    version uses it; a broken one is refused with the paragraph named, and nothing changes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congdoan.reports.render.word_template import default_template

    doc = Docx(io.BytesIO(default_template()))
    body = next(p for p in doc.paragraphs if "{{ body }}" in p.text)
    body.insert_paragraph_before("Thực hiện Kế hoạch số 12/KH-LĐLĐ & <mới> của LĐLĐ tỉnh")
    out = io.BytesIO()
    doc.save(out)
    client = client_of("officer_a")
    url = f"/reports/units/{world.unit_a.pk}/template/"
    form = {
        "place": "Thử Nghiệm",
        "number_symbol": "BC-LĐLĐ",
        "on_behalf": "TM. BAN THƯỜNG VỤ",
        "signer_title": "CHỦ TỊCH",
        "recipients": "Như trên;\nLưu: VT.",
        "rounding": "half_up",
        "percent_decimals": 0,
        "fractions": "on",
    }
    response = client.post(url, {**form, "word": SimpleUploadedFile("mau.docx", out.getvalue())})
    assert response.status_code == 302, response.content.decode()[:3000]
    template = selectors.template_of(world.unit_a)
    assert template is not None and template.word_template

    broken = Docx(io.BytesIO(default_template()))
    broken.add_paragraph("{{ tieu_de_sai }}")
    bad = io.BytesIO()
    broken.save(bad)
    refused = client.post(url, {**form, "word": SimpleUploadedFile("sai.docx", bad.getvalue())})
    assert refused.status_code == 200
    assert "tieu_de_sai" in refused.content.decode() and "chính tả" in refused.content.decode()
    assert selectors.template_of(world.unit_a).version == template.version  # nothing changed

    report = services.report_create(actor=world.officer_a, unit=world.unit_a, period=year)
    gen = generate(world.officer_a, report)
    assert gen.state == GenerationState.DONE, gen.error
    assert "Thực hiện Kế hoạch số 12/KH-LĐLĐ & <mới> của LĐLĐ tỉnh" in _docx_text(gen.docx)
