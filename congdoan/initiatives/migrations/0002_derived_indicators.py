"""The indicators the initiatives and contests registers give.

- Entered indicators of the catalogue these registers can produce get the name of their derived
  definition (`derivation`): they stay entered, so units that do not keep the register enter
  them, and the records of the units that keep it are added (indicators/selectors/figures.py).
- Figures nobody types today but reports state are new derived indicators.

Idempotent (run again by the test suite's catalogue seeding) and reversible.
"""

from django.db import migrations

GROUP = ("thi_dua", "Phong trào thi đua, sáng kiến, mô hình", 50)

# code: derived definition (entered indicators of the default catalogue)
ENTERED = {
    "sang_kien": "initiatives_submitted",
    "gia_tri_lam_loi": "initiatives_benefit",
    "cuoc_thi": "quizzes_held",
    "luot_du_thi": "quiz_participants",
}

# code, name, unit of measure, definition, placed after (code), offset in the order
DERIVED = [
    ("sang_kien_hop_le", "Sáng kiến được công nhận hợp lệ", "sáng kiến", "initiatives_valid", "sang_kien", 1),
    ("sang_kien_bi_loai", "Sáng kiến không được công nhận", "sáng kiến", "initiatives_rejected", "sang_kien", 2),
    ("de_tai_du_thi", "Đề tài dự Hội thi sáng tạo kỹ thuật", "đề tài", "contest_entries", "bang_ldst", 1),
    ("giai_nhat", "Đề tài đạt giải nhất Hội thi sáng tạo kỹ thuật", "đề tài", "contest_prizes_first", "bang_ldst", 2),
    ("giai_nhi", "Đề tài đạt giải nhì Hội thi sáng tạo kỹ thuật", "đề tài", "contest_prizes_second", "bang_ldst", 3),
    ("giai_ba", "Đề tài đạt giải ba Hội thi sáng tạo kỹ thuật", "đề tài", "contest_prizes_third", "bang_ldst", 4),
    ("giai_kk", "Đề tài đạt giải khuyến khích Hội thi sáng tạo kỹ thuật", "đề tài", "contest_prizes_consolation", "bang_ldst", 5),
]  # fmt: skip


def forwards(apps, schema_editor):
    Group = apps.get_model("indicators", "IndicatorGroup")
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name in ENTERED.items():
        Indicator.objects.filter(code=code, source="entered", derivation="").update(derivation=name)
    group, _created = Group.objects.get_or_create(
        code=GROUP[0], defaults={"name": GROUP[1], "order": GROUP[2]}
    )
    orders = dict(Indicator.objects.values_list("code", "order"))
    for code, name, uom, definition, after, offset in DERIVED:
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "group": group,
                "name": name,
                "unit_of_measure": uom,
                "value_type": "count",
                "aggregation": "sum",
                "source": "derived",
                "derivation": definition,
                "over_time": "sum",
                "order": orders.get(after, 0) + offset,
            },
        )


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Target = apps.get_model("indicators", "Target")
    for code, name in ENTERED.items():
        Indicator.objects.filter(code=code, derivation=name).update(derivation="")
    codes = [row[0] for row in DERIVED]
    Target.objects.filter(indicator__code__in=codes).delete()
    Indicator.objects.filter(code__in=codes, source="derived").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
        ("indicators", "0005_sheet_first_submitted_at"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
