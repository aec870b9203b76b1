"""The one audit-trail mechanism (congdoan.core.audit): who changed what, when, why, before → after."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congdoan.accounts import services as accounts
from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.audit import CHANGED, CREATED, DELETED, audit_trail
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.tests.support import MARKER_A, make_user, unit_type
from congdoan.organisation import services as org
from congdoan.organisation.models import Cluster, ClusterMembership


def _cluster(world):
    cluster = org.cluster_create(
        actor=world.officer_a, organiser=world.unit_a, code="cum-1", name="Cụm Một"
    )
    org.cluster_member_add(
        actor=world.officer_a, cluster=cluster, unit=world.grass_a1, year=2024, is_head=True
    )
    org.cluster_member_add(actor=world.officer_a, cluster=cluster, unit=world.grass_a2, year=2024)
    return cluster


def _histories(cluster):
    return cluster.history.all(), ClusterMembership.history.filter(cluster_id=cluster.pk)


def test_a_change_names_who_why_and_each_field_before_and_after(world):
    org.unit_update(
        actor=world.officer_a,
        unit=world.grass_a1,
        day=dt.date(2022, 1, 1),
        name=f"CĐCS {MARKER_A} Một Mới",
        unit_type=unit_type("nghiep_doan"),
    )
    newest, created = audit_trail(world.grass_a1.history.all())
    assert newest.kind == CHANGED and created.kind == CREATED
    assert newest.who == "Cán bộ A" and created.who == "hệ thống"  # created with no actor
    assert (newest.reason, newest.reason_label) == ("unit_update", "Đổi tên – cập nhật")
    assert newest.object_label == f"CĐCS {MARKER_A} Một"  # the short name did not change
    assert newest.model_label == "Đơn vị"
    changes = {c.field: (c.old, c.new) for c in newest.changes}
    assert changes["Tên chính thức"] == (f"CĐCS {MARKER_A} Một", f"CĐCS {MARKER_A} Một Mới")
    # A foreign key by the related object's name, not its id.
    assert changes["Loại đơn vị"] == ("Công đoàn cơ sở", "Nghiệp đoàn cơ sở")
    assert "Updated at" not in str(changes) and "updated at" not in str(changes)
    assert timezone.is_aware(newest.when)
    assert str(newest.when.tzinfo) == "Asia/Ho_Chi_Minh"


def test_several_models_merged_newest_first_with_the_object_named(world):
    cluster = _cluster(world)
    a2 = ClusterMembership.objects.get(cluster=cluster, unit=world.grass_a2)
    org.cluster_set_head(actor=world.officer_a, cluster=cluster, unit=world.grass_a2, year=2024)
    org.cluster_update(actor=world.officer_a, cluster=cluster, name="Cụm Một Mới")
    org.cluster_member_remove(actor=world.officer_a, membership=a2)

    entries = audit_trail(*_histories(cluster))
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    assert [(e.reason, e.kind) for e in entries] == [
        ("cluster_member_remove", DELETED),
        ("cluster_update", CHANGED),
        ("cluster_set_head", CHANGED),  # A2 becomes the head …
        ("cluster_set_head", CHANGED),  # … after A1 stops being it
        ("cluster_member_add", CREATED),
        ("cluster_member_add", CREATED),
        ("cluster_create", CREATED),
    ]
    removed, renamed, new_head, old_head = entries[:4]
    assert removed.object_label == f"Cụm Một Mới 2024: CĐCS {MARKER_A} Hai"
    assert removed.model_label == "Thành viên cụm thi đua"
    assert renamed.object_label == "Cụm Một Mới"
    assert [(c.field, c.old, c.new) for c in renamed.changes] == [("Tên", "Cụm Một", "Cụm Một Mới")]
    assert [(c.field, c.old, c.new) for c in new_head.changes] == [("Cụm trưởng", "không", "có")]
    assert [(c.field, c.old, c.new) for c in old_head.changes] == [("Cụm trưởng", "có", "không")]
    assert new_head.object_label.endswith(f"CĐCS {MARKER_A} Hai")
    assert old_head.object_label.endswith(f"CĐCS {MARKER_A} Một")
    assert entries[-1].reason_label == "Thành lập cụm, khối thi đua"


def test_limit_keeps_the_newest_and_still_diffs_against_older_rows(world):
    for i in range(5):
        org.unit_update(
            actor=world.officer_a,
            unit=world.grass_a1,
            day=dt.date(2021, 1, 1 + i),
            name=f"Tên {i}",
        )
    entries = audit_trail(world.grass_a1.history.all(), limit=2)
    assert len(entries) == 2
    # The older entry's previous row lies outside the page: it is fetched to show the diff.
    assert [(c.old, c.new) for c in entries[1].changes] == [("Tên 2", "Tên 3")]
    assert [(c.old, c.new) for c in entries[0].changes] == [("Tên 3", "Tên 4")]


def test_unknown_reasons_are_shown_as_they_are_and_formatters_apply(world):
    unit = world.grass_a1
    unit.province_code = 1
    stamp(unit, None, "nhap_tay")
    unit.save()
    (entry, _created) = audit_trail(
        unit.history.all(), formatters={"province_code": lambda code: f"Tỉnh số {code}"}
    )
    assert (entry.reason, entry.reason_label, entry.who) == ("nhap_tay", "nhap_tay", "hệ thống")
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("Tỉnh, thành phố", "—", "Tỉnh số 1")
    ]


def test_query_count_does_not_grow_with_the_rows(world, django_assert_max_num_queries):
    cluster = _cluster(world)

    def churn(year):
        for unit in (world.grass_a1, world.grass_a2, world.group_a1):
            org.cluster_member_add(actor=world.officer_a, cluster=cluster, unit=unit, year=year)
        org.cluster_set_head(actor=world.officer_a, cluster=cluster, unit=world.grass_a1, year=year)
        org.cluster_set_head(actor=world.officer_a, cluster=cluster, unit=world.grass_a2, year=year)

    churn(2025)
    # One query per history, one for previous rows older than the page, one per related model
    # (Cluster, Unit) and the organiser of clusters (Unit again, already counted).
    with django_assert_max_num_queries(6):
        small = audit_trail(*_histories(cluster), limit=8)
    for year in range(2026, 2036):
        churn(year)
    with django_assert_max_num_queries(6):
        big = audit_trail(*_histories(cluster))
    assert len(small) == 8 and len(big) > 50
    assert all(e.who == "Cán bộ A" for e in big)


def test_the_user_page_shows_the_account_and_its_grants(world, client_of):
    account = accounts.user_create(
        actor=world.officer_a,
        username="thu.ky",
        full_name="Thư Ký",
        password="Mot-mat-khau-dai-2025",
        email="",
        job_title="",
        phone="",
        role=Role.objects.get(code="data_entry"),
        unit=world.grass_a1,
    )
    accounts.user_update(
        actor=world.officer_a,
        user=account,
        full_name="Thư Ký Mới",
        email="",
        job_title="Văn thư",
        phone="",
    )
    url = reverse("accounts:user_detail", args=[account.pk])
    body = client_of("officer_a").get(url).content.decode()
    audit = body.split('id="audit"', 1)[1]
    assert "Cập nhật tài khoản" in audit
    assert "Thư Ký</span> → Thư Ký Mới" in audit  # full name, before → after
    assert "Cấp vai trò" in audit and "Cán bộ A" in audit  # the grant's own history

    # Seeing accounts without "audit.view" shows the page without the audit trail.
    role = Role.objects.create(
        code="accounts_viewer", name="Xem tài khoản", permissions=[Action.ACCOUNTS_VIEW]
    )
    viewer = make_user("xem")
    RoleGrant.objects.create(user=viewer, role=role, unit=world.unit_a)
    client = Client()
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200 and 'id="audit"' not in response.content.decode()


def test_cluster_kind_choices_read_in_words(world):
    cluster = _cluster(world)
    org.cluster_update(actor=None, cluster=cluster, kind="block")
    entry = audit_trail(Cluster.history.filter(id=cluster.pk))[0]
    labels = dict(Cluster._meta.get_field("kind").flatchoices)
    assert [(c.old, c.new) for c in entry.changes] == [
        (str(labels["cluster"]), str(labels["block"]))
    ]
