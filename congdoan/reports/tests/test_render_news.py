"""The news item of a report, as an HTML fragment and as plain text."""

from __future__ import annotations

from congdoan.reports.document import NewsItem
from congdoan.reports.render import render_news_html, render_news_text
from congdoan.reports.tests import samples

NEWS = samples.sample_document().news


def test_html_is_escaped():
    html = render_news_html(NEWS)
    assert html.split("\n") == [
        "<h2>Hội nghị BCH LĐLĐ thị xã Sa Pa lần thứ II &amp; tổng kết &lt;năm học&gt;</h2>",
        "<p>Sáng ngày 22/6, BCH đã họp; kết nạp 546 đoàn viên, đạt 110% chỉ tiêu.</p>",
        "<p>Dự án “Mái ấm Công đoàn” &amp; “Sa Pa”.</p>",
    ]


def test_html_escapes_markup_and_quotes():
    html = render_news_html(NewsItem('<script>alert("x")</script>', ["a 'b' <i>c</i>"]))
    assert "<script>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "a &#x27;b&#x27; &lt;i&gt;c&lt;/i&gt;" in html


def test_text_is_title_blank_line_paragraphs():
    assert render_news_text(NEWS) == (
        "Hội nghị BCH LĐLĐ thị xã Sa Pa lần thứ II & tổng kết <năm học>\n\n"
        "Sáng ngày 22/6, BCH đã họp; kết nạp 546 đoàn viên, đạt 110% chỉ tiêu.\n\n"
        "Dự án “Mái ấm Công đoàn” & “Sa Pa”."
    )


def test_blank_paragraphs_are_left_out():
    news = NewsItem("Tin", ["Một", "  ", "Hai"])
    assert render_news_text(news) == "Tin\n\nMột\n\nHai"
    assert render_news_html(news).count("<p>") == 2
