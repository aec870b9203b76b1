"""The demo journey of the foundation, in real Chromium (issue "Must show"):

as the provincial admin of the demo federation, sign in on the Vietnamese login page, browse the
tree, see the tree as of 30/06/2025 with the district federations, run a merge as a dry run
(nothing changes), apply it, and see the lineage from both units.
"""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.organisation.models import LineageLink, Unit

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def demo(transactional_db, settings):
    from congdoan.demo.federation import build_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_demo(scale=0.05)


def _two_grassroots_siblings() -> tuple[Unit, Unit]:
    today = dt.date.today()
    province = Unit.objects.get(code="LC")
    communes = Unit.objects.filter(
        parent=province, unit_type__code="cd_xa", dissolved_on__isnull=True
    )
    for parent in communes.order_by("code"):
        kids = list(
            Unit.objects.filter(
                parent=parent, dissolved_on__isnull=True, unit_type__code="cdcs", numchild=0
            )
            .exclude(founded_on__gt=today)
            .order_by("code")
        )
        if len(kids) >= 2:
            return kids[0], kids[1]
    raise AssertionError("the demo has no commune union with two grassroots unions")


def test_provincial_admin_journey(live_server, page, demo, artifacts_dir):
    from congdoan.demo.federation import DEMO_PASSWORD

    csp_violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"journey-{name}.png"), full_page=True)

    # 1. The Vietnamese login page.
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Đăng nhập" in page.content()
    shot("1-login")
    page.fill("input[name=username]", "tinh.quantri")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # 2. Browse the tree today: the province and its commune unions.
    page.get_by_role("link", name="Cây tổ chức").first.click()
    page.wait_for_url("**/tree/**")
    tree = page.locator("#org-tree")
    tree.get_by_text("Lai Châu").first.wait_for()
    province_node = tree.locator("details").first
    if province_node.get_attribute("open") is None:
        province_node.locator("summary").first.click()
    tree.get_by_text("CĐ phường Tân Phong").first.wait_for(timeout=10_000)
    assert tree.get_by_text("huyện Tam Đường").count() == 0
    shot("2-tree-today")

    # 3. The tree as of 30/06/2025 still has the district federations.
    page.fill("#id_as_of", "30/06/2025")
    page.get_by_role("button", name="Xem").first.click()
    page.wait_for_url("**as_of=**")
    tree = page.locator("#org-tree")
    province_node = tree.locator("details").first
    if province_node.get_attribute("open") is None:
        province_node.locator("summary").first.click()
    tree.get_by_text("huyện Tam Đường").first.wait_for(timeout=10_000)
    assert tree.get_by_text("CĐ phường Tân Phong").count() == 0
    shot("3-tree-as-of-2025-06-30")

    # 4. Merge two grassroots unions: a dry run first, which changes nothing.
    source, target = _two_grassroots_siblings()
    page.goto(f"{live_server.url}/units/{source.pk}/")
    shot("4-unit-page")
    page.get_by_role("link", name="Sáp nhập").first.click()
    page.wait_for_url("**/reorganisation/merge/**")
    page.fill("textarea[name=sources]", source.code)
    page.fill("input[name=target]", target.code)
    page.get_by_role("button", name="Xem trước").click()
    page.locator("#preview-title").wait_for()
    preview = page.locator("section[aria-labelledby=preview-title]").inner_text()
    assert source.code in preview and str(target) in preview
    assert Unit.objects.get(pk=source.pk).dissolved_on is None, "the dry run changed the tree"
    shot("4-merge-preview")

    # 5. Apply it.
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name="Áp dụng").click()
    page.wait_for_url("**/reorganisation/events/**")
    assert Unit.objects.get(pk=source.pk).dissolved_on == dt.date.today()
    assert LineageLink.objects.filter(source=source, target=target).exists()
    shot("5-merge-event")

    # 6. The lineage, from the receiving unit and from the merged one.
    page.goto(f"{live_server.url}/units/{target.pk}/")
    lineage = page.locator("#lineage")
    assert source.name in lineage.inner_text()
    shot("6-lineage-target")
    lineage.get_by_role("link", name=source.name).first.click()
    page.wait_for_url(f"**/units/{source.pk}/")
    assert target.name in page.locator("#lineage").inner_text()
    shot("7-lineage-source")
    assert csp_violations == [], csp_violations
