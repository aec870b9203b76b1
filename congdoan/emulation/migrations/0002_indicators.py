"""The indicators the emulation registers give (written here, not imported from the app, so
that this migration keeps meaning the same whatever the code becomes): grassroots unions
registered for emulation and their share of the grassroots unions at the period's end, and the
pledges signed in the clusters a unit organises. Idempotent (conftest's `_seed_catalogues`
runs `forwards` again after transactional tests)."""

from django.db import migrations

# code, after (placed after this indicator), group, name, unit of measure, value type,
# aggregation, source, derivation or formula, over time
NEW = [
    ("cdcs_dang_ky_thi_dua", "cong_trinh_thi_dua", "thi_dua",
     "CĐCS đăng ký thi đua (theo sổ thi đua)", "đơn vị", "count", "sum", "derived",
     "emulation_registered_grassroots", "last"),
    ("ty_le_cdcs_dang_ky_thi_dua", "cdcs_dang_ky_thi_dua", "thi_dua",
     "Tỷ lệ CĐCS đăng ký thi đua (theo sổ thi đua)", "%", "percent", "formula", "formula",
     "100 * cdcs_dang_ky_thi_dua / cdcs_cuoi_ky", "last"),
    ("giao_uoc_thi_dua", "ty_le_cdcs_dang_ky_thi_dua", "thi_dua",
     "Cụm, khối thi đua ký giao ước (theo sổ thi đua)", "cụm", "count", "sum", "derived",
     "emulation_pledges", "sum"),
]  # fmt: skip


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Group = apps.get_model("indicators", "IndicatorGroup")
    for code, after, group, name, uom, vtype, agg, source, expr, over_time in NEW:
        group_row = Group.objects.filter(code=group).first()
        before = Indicator.objects.filter(code=after).first()
        if group_row is None or Indicator.objects.filter(code=code).exists():
            continue
        Indicator.objects.create(
            code=code,
            group=group_row,
            name=name,
            unit_of_measure=uom,
            value_type=vtype,
            aggregation=agg,
            source=source,
            formula=expr if source == "formula" else "",
            derivation=expr if source == "derived" else "",
            over_time=over_time,
            order=(before.order + 5) if before is not None else 9000,
        )


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in NEW]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("emulation", "0001_initial"),
        ("indicators", "0004_remarks_and_default_data_sets"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
