"""The news item of a report (`NewsItem`) for the unit's website: an HTML fragment or plain text.

The HTML is escaped ("&", "<" and quotes of the data never become markup); the plain text is the
title, a blank line and the paragraphs separated by blank lines.
"""

from __future__ import annotations

from django.utils.html import escape

from congdoan.reports.document import NewsItem


def render_news_html(news: NewsItem) -> str:
    """<h2>title</h2> then one <p> per paragraph, every text escaped."""
    parts = [f"<h2>{escape(news.title)}</h2>"]
    parts += [f"<p>{escape(p)}</p>" for p in news.paragraphs if p.strip()]
    return "\n".join(parts)


def render_news_text(news: NewsItem) -> str:
    return "\n\n".join([news.title, *(p for p in news.paragraphs if p.strip())])
