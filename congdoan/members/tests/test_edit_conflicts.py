"""Two officers editing the same member at once: no update is lost (core/concurrency.py).

Each edit carries the record as opened (the page's hidden `loaded`, the API's If-Match): what
the officer did not touch is not written, different fields both land, and the same field changed
differently by both is refused with who, when and what, nothing written, the officer's input
kept, and the next save is theirs."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from congdoan.core.concurrency import EditConflict, merge
from congdoan.members import selectors, services
from congdoan.members.models import Member

pytestmark = pytest.mark.django_db
JOB_TITLE = "chức vụ"


def _save(world: Any, who: str, loaded: int | None, **values: Any) -> Member:
    member = Member.objects.get(pk=world.member_a.pk)
    return services.member_update(actor=world.persona(who), member=member, loaded=loaded, **values)


def test_merge_three_ways():
    shown = {"a": 1, "b": 1, "c": 1, "d": 1}
    stored = {"a": 1, "b": 2, "c": 2, "d": 3}
    write, conflicts = merge({"a": 5, "b": 1, "c": 2, "d": 4, "e": 9}, shown, stored)
    assert write == {"a": 5, "c": 2, "e": 9}  # b untouched: B's 2 stays; c: both made the same
    assert conflicts == ["d"]


def test_different_fields_both_land(world):
    opened = selectors.member_state(world.member_a)
    _save(world, "officer_a", opened, phone="0912345678", job_title="")
    # The national officer opened the record before A saved; A's phone is still the old one in
    # their form, and they change the job title only.
    _save(world, "national", opened, phone="", job_title="Kỹ sư xây dựng")
    member = Member.objects.get(pk=world.member_a.pk)
    assert member.phone == "0912345678" and member.job_title == "Kỹ sư xây dựng"


def test_the_same_field_is_refused_with_who_and_what_and_nothing_is_written(world):
    opened = selectors.member_state(world.member_a)
    _save(world, "officer_a", opened, job_title="Kỹ sư", workplace="Công ty A")
    with pytest.raises(EditConflict) as refused:
        _save(world, "national", opened, job_title="Công nhân", note="Ghi chú mới")
    text = str(refused.value)
    assert text.startswith("Cán bộ A đã lưu hồ sơ này lúc "), text
    assert f"{JOB_TITLE} (nay: Kỹ sư)" in text, text
    assert [c.name for c in refused.value.changed] == ["job_title"]
    member = Member.objects.get(pk=world.member_a.pk)
    assert (member.job_title, member.note) == ("Kỹ sư", "")  # nothing of the refused save
    # Saving again on the record as now stored is the officer's decision: it lands.
    _save(world, "national", refused.value.state, job_title="Công nhân", note="Ghi chú mới")
    member.refresh_from_db()
    assert (member.job_title, member.note, member.workplace) == (
        "Công nhân",
        "Ghi chú mới",
        "Công ty A",
    )


def test_personal_data_is_named_not_repeated(world):
    opened = selectors.member_state(world.member_a)
    _save(world, "officer_a", opened, phone="0912345678")
    with pytest.raises(EditConflict) as refused:
        _save(world, "national", opened, phone="0987654321")
    assert "0912345678" not in str(refused.value)
    assert refused.value.changed[0].now is None


def test_an_old_form_of_another_member_is_refused(world):
    other = selectors.member_state(world.member_b)
    with pytest.raises(Exception, match="mở lại hồ sơ"):
        _save(world, "national", other, phone="0912345678")


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def _form(html: str) -> dict[str, str]:
    """The edit form as the browser would send it (inputs with a value, selects' choice)."""
    data = dict(
        re.findall(
            r'<input type="(?:text|hidden|email|number|tel)" name="([^"]+)" value="([^"]*)"', html
        )
    )
    data.update(re.findall(r'<input type="[a-z]+" name="([^"]+)" value="([^"]*)"', html))
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return {k: v.replace("&amp;", "&") for k, v in data.items()}


def test_the_page_keeps_what_the_officer_entered_and_the_next_save_is_theirs(world, client_of):
    client = client_of("officer_a")
    url = f"/members/{world.member_a.pk}/edit/"
    page = client.get(url).content.decode()
    data = {**_form(page), "job_title": "Thợ hàn & <bậc 3>"}
    assert _hidden(page, "loaded") == str(selectors.member_state(world.member_a))
    # Meanwhile the national officer changes the same field.
    _save(world, "national", int(data["loaded"]), job_title="Kỹ sư")

    answer = client.post(url, data)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Quản trị Trung ương" in html and "chưa được lưu" in html
    assert "Thợ hàn &amp; &lt;bậc 3&gt;" in html  # the officer's input is still there
    assert Member.objects.get(pk=world.member_a.pk).job_title == "Kỹ sư"
    assert _hidden(html, "loaded") == str(selectors.member_state(world.member_a))

    again = client.post(url, {**data, "loaded": _hidden(html, "loaded")})
    assert again.status_code == 302
    assert Member.objects.get(pk=world.member_a.pk).job_title == "Thợ hàn & <bậc 3>"


def test_the_api_answers_412_on_a_stale_etag(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.officer_a)
    url = f"/api/v1/members/{world.member_a.pk}/"
    etag = client.get(url)["ETag"]
    assert etag == f'"{selectors.member_state(world.member_a)}"'

    ok = client.patch(url, {"job_title": "Kỹ sư"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag
    stale = client.patch(url, {"job_title": "Công nhân"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["changed"] == ["job_title"] and "Cán bộ A" in stale.json()["detail"]
    assert stale["ETag"] == ok["ETag"]
    assert Member.objects.get(pk=world.member_a.pk).job_title == "Kỹ sư"
    # Another field on the old ETag lands; a malformed If-Match is a 400.
    assert client.patch(url, {"note": "x"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    bad = client.patch(url, {"note": "y"}, format="json", HTTP_IF_MATCH="abc")
    assert bad.status_code == 400 and "If-Match" in bad.json()["detail"]
    # Without If-Match the call writes what it sends, as before.
    assert client.patch(url, {"job_title": "Thợ"}, format="json").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_lands_the_other_is_told(world):
    """Both read the same record; the row lock makes the second wait for the first and then see
    its change."""
    opened = selectors.member_state(world.member_a)
    first_in, go = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                _save(world, "officer_a", opened, job_title="Kỹ sư")
                first_in.set()
                go.wait(10)
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second() -> None:
        try:
            first_in.wait(10)
            _save(world, "national", opened, job_title="Công nhân")
            outcome["second"] = "saved"
        except EditConflict as exc:
            outcome["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_in.wait(10)
    threading.Timer(0.5, go.set).start()  # the second is waiting on the row meanwhile
    for t in threads:
        t.join(20)
    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], EditConflict), outcome
    assert Member.objects.get(pk=world.member_a.pk).job_title == "Kỹ sư"
