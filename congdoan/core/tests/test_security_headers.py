"""The Content Security Policy forbids inline scripts and styles; templates must not need them."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)=\"", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_need_no_inline_code(path):
    text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
    assert not INLINE_SCRIPT.search(text), (
        "inline <script> (CSP forbids it): move it to a static file"
    )
    assert not INLINE_STYLE.search(text), "inline style (CSP forbids it): use a class in app.css"
    assert not INLINE_HANDLER.search(text), "inline event handler (CSP forbids it): use app.js"


def test_pages_send_a_strict_csp(client, world):
    client.force_login(world.officer_a)
    response = client.get("/", follow=True)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_settings_are_secure(monkeypatch):
    import importlib

    import congdoan.settings as settings_module

    monkeypatch.setenv("CONGDOAN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "congdoan.example.org")
    try:
        prod = importlib.reload(settings_module)
        assert prod.DEBUG is False
        assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SECURE_SSL_REDIRECT
        assert prod.SECURE_HSTS_SECONDS >= 31536000
        assert prod.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        assert prod.OTP_REQUIRED_FOR_SUPERUSERS is True
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)
