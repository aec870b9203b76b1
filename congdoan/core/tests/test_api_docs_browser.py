"""Swagger UI at /api/docs/ in real Chromium, under the site's Content Security Policy.

The split view loads its start-up script from a URL of its own, so scripts need no
'unsafe-inline'. drf-spectacular's page template still carries a small inline <style> block
(box-sizing, background), which the CSP blocks: the page works, slightly less polished. Blocked
inline styles are tolerated here; anything else the CSP blocks fails the test.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_under_the_csp(live_server, page, artifacts_dir):
    violations: list[str] = []
    remote: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on(
        "request",
        lambda req: remote.append(req.url) if not req.url.startswith(live_server.url) else None,
    )
    from congdoan.accounts.models import User
    from congdoan.core.tests.support import PASSWORD

    User.objects.create_superuser("docs", password=PASSWORD)
    page.goto(f"{live_server.url}/api/docs/")  # signed-in users only: the login page first
    page.fill("input[name=username]", "docs")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector(".opblock-tag", timeout=20_000)
    page.screenshot(path=str(artifacts_dir / "api-docs.png"), full_page=False)
    # Swagger UI draws the tags as they scroll into view (paths in order: meetings' first).
    tags: list[str] = []
    for _step in range(40):
        tags = page.locator(".opblock-tag").all_inner_texts()
        if any("organisation" in t for t in tags):
            break
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(250)
    assert any("organisation" in t for t in tags), tags
    assert remote == [], f"the docs page fetched other hosts: {remote}"
    page.locator(".opblock-tag").first.click()
    page.wait_for_selector(".opblock", timeout=5_000)
    other = [v for v in violations if "inline style" not in v or "style-src" not in v]
    assert other == [], other
