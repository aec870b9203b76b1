"""The commemorative medal's membership floor, from the Confederation's guidance.

Hướng dẫn 149/HD-TLĐ (04/02/2015, under the 2014 regulation, and followed since) gives the medal
"Vì sự nghiệp xây dựng tổ chức Công đoàn" to union officers with 20 years of union work (full
time, or as a committee member, the part-time years counting 1.5 — 2 in unions of non-state
enterprises), once per person, never while under discipline. The registry knows a member's
admission, not their years as an officer: what it can check is the necessary floor — 20 years
at the highest coefficient (2) need at least 10 years of membership. The rest of the condition is
the council's, from the dossier. Before this, the seeded default was 15 years of membership, a
placeholder. Idempotent and reversible."""

from django.db import migrations

FLOOR = 10
BEFORE = 15


def _set(apps, years):
    AwardForm = apps.get_model("awards", "AwardForm")
    for form in AwardForm.objects.filter(code="kyniemchuong"):
        rules = dict(form.rules or {})
        if "min_union_years" in rules:
            rules["min_union_years"] = years
            form.rules = rules
            form.save(update_fields=["rules"])


def forwards(apps, schema_editor):
    _set(apps, FLOOR)


def backwards(apps, schema_editor):
    _set(apps, BEFORE)


class Migration(migrations.Migration):
    dependencies = [("awards", "0005_flags_need_good_grading")]
    operations = [migrations.RunPython(forwards, backwards)]
