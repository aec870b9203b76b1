"""The welfare register's indicators.

- The entered indicators the register can produce name its definitions: units keeping the
  register have them counted from their records, the others keep entering them (they stay
  "entered"; see activities.registers).
- Two figures no one types but the reports state, derived from the records: the agreements in
  force at the period's end, and the uses (lượt) of the agreements.

Idempotent and reversible; the data is written here, not imported from the app.
"""

from django.db import migrations

# Where a unit keeps the register (what the figure counts, and how a subtree adds it up).
PER_UNIT = (
    "Theo sổ phúc lợi: mỗi đoàn viên có tên được tính một lần trong mỗi đơn vị ký thỏa thuận, "
    "cộng số lượt đối tác báo cáo không kèm tên; số của cấp trên cộng số của từng đơn vị."
)
DESCRIPTIONS = {
    "dv_huong_phuc_loi": PER_UNIT,
    "thoa_thuan_phuc_loi_hieu_luc": (
        "Thỏa thuận của các đơn vị ghi sổ phúc lợi còn hiệu lực vào ngày cuối kỳ."
    ),
    "luot_huong_phuc_loi": (
        "Mỗi lần đoàn viên sử dụng ưu đãi, kể cả số lượt đối tác báo cáo không kèm tên."
    ),
}
DERIVATIONS = {
    "thoa_thuan_phuc_loi": "welfare_agreements_signed",
    "dv_huong_phuc_loi": "welfare_beneficiaries",
    "gia_tri_phuc_loi": "welfare_value",
}
# code, name, unit of measure, derivation, over time, placed after
NEW = [
    (
        "thoa_thuan_phuc_loi_hieu_luc",
        "Thỏa thuận hợp tác phúc lợi đoàn viên còn hiệu lực (theo sổ phúc lợi)",
        "thỏa thuận",
        "welfare_agreements_in_force",
        "last",
        "thoa_thuan_phuc_loi",
    ),
    (
        "luot_huong_phuc_loi",
        "Lượt đoàn viên được hưởng phúc lợi (theo sổ phúc lợi)",
        "lượt",
        "welfare_uses",
        "sum",
        "dv_huong_phuc_loi",
    ),
]


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name in DERIVATIONS.items():
        Indicator.objects.filter(code=code, source="entered", derivation="").update(derivation=name)
    for code, name, uom, derivation, over_time, after in NEW:
        before = Indicator.objects.filter(code=after).first()
        if before is None:  # a catalogue without the welfare group: nothing to add to
            continue
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "group_id": before.group_id,
                "name": name,
                "unit_of_measure": uom,
                "value_type": "count",
                "aggregation": "sum",
                "source": "derived",
                "derivation": derivation,
                "over_time": over_time,
                "order": before.order + 1,
            },
        )
    for code, text in DESCRIPTIONS.items():
        Indicator.objects.filter(code=code, description="").update(description=text)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name in DERIVATIONS.items():
        Indicator.objects.filter(code=code, derivation=name).update(derivation="")
    for code, text in DESCRIPTIONS.items():
        Indicator.objects.filter(code=code, description=text).update(description="")
    Indicator.objects.filter(
        code__in=[row[0] for row in NEW], derivation__in=[row[3] for row in NEW]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("welfare", "0001_initial"),
        ("indicators", "0005_sheet_first_submitted_at"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
