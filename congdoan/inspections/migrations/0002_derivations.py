"""The catalogue's entered indicators of inspections, supervisions and complaints are counted
from the registers for the units keeping them (they stay `entered`: the others enter them).

The map is written here, not imported from the app, so that this migration keeps meaning the same
whatever the code becomes (a test keeps it equal to `indicator_definitions.DERIVATIONS`)."""

from django.db import migrations

DERIVATIONS = {
    "kt_dieu_le_cuoc": "inspections_charter_events",
    "kt_dieu_le_dv": "inspections_charter_units",
    "kt_tai_chinh_cuoc": "inspections_finance_events",
    "kt_tai_chinh_dv": "inspections_finance_units",
    "kt_qcdc_cuoc": "inspections_democracy_events",
    "kt_qcdc_dv": "inspections_democracy_units",
    "giam_sat_cuoc": "supervisions_policy_events",
    "giam_sat_dv": "supervisions_policy_units",
    "gs_217_cuoc": "supervisions_217_events",
    "gs_217_dv": "supervisions_217_units",
    "khieu_nai": "complaints_resolved",
}


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name in DERIVATIONS.items():
        Indicator.objects.filter(code=code, source="entered", derivation="").update(derivation=name)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name in DERIVATIONS.items():
        Indicator.objects.filter(code=code, derivation=name).update(derivation="")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("indicators", "0002_default_catalogue"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
