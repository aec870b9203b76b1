"""The care register's indicators.

- The entered indicators of the default catalogue that the register can count get their derived
  definition (`derivation`): they stay entered, so that units not keeping the register enter
  them as before, while the figures of the units keeping it are counted from their records
  (docs/architecture.md, "Activity registers").
- New derived indicators for what reports state and nobody types today: distinct members cared
  for, people visited when sick, union meals and the people at them.

Idempotent (a derivation already set to something else is left as it is; an indicator that
exists is not touched) and reversible. The data is written here, not imported from the app.
"""

from django.db import migrations

# code: definition (care/indicator_definitions.py)
ENTERED = {
    "suat_qua": "care_gift_portions",
    "tien_qua": "care_gift_money",
    "suat_qua_cong_dong": "care_community_portions",
    "nha_macd": "care_houses",
    "tien_nha_macd": "care_house_money",
    "ho_tro_kinh_te": "care_economy_people",
    "tien_ho_tro_kinh_te": "care_economy_money",
    "quy_van_dong": "care_mobilised",
}

# code, name, unit of measure, definition, order (after the entered care indicators)
DERIVED = [
    ("dv_duoc_cham_lo", "Đoàn viên được chăm lo (theo sổ chăm lo, mỗi đơn vị tính một lần)", "người", "care_members", 272),
    ("tham_om", "Lượt thăm hỏi đoàn viên ốm đau (theo sổ chăm lo)", "lượt người", "care_visits", 274),
    ("bua_com_cd", "Bữa cơm công đoàn (theo sổ chăm lo)", "bữa", "care_meals", 276),
    ("luot_bua_com", "Lượt đoàn viên, người lao động dự bữa cơm công đoàn (theo sổ chăm lo)", "lượt người", "care_meal_people", 278),
]  # fmt: skip
GROUP = "cham_lo"


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Group = apps.get_model("indicators", "IndicatorGroup")
    for code, name in ENTERED.items():
        Indicator.objects.filter(code=code, derivation="").update(derivation=name)
    group = Group.objects.filter(code=GROUP).first()
    if group is None:
        return
    for code, name, uom, definition, order in DERIVED:
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
                "order": order,
            },
        )


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name in ENTERED.items():
        Indicator.objects.filter(code=code, derivation=name).update(derivation="")
    Indicator.objects.filter(
        code__in=[row[0] for row in DERIVED], source="derived", targets__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_care_register"),
        ("indicators", "0005_sheet_first_submitted_at"),
        ("activities", "0002_role_actions"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
