"""The indicators the register of movements and models gives (written here, not imported from
the app, so that this migration keeps meaning the same whatever the code becomes).

- Entered indicators of the catalogue the register can produce name its definitions: they stay
  "entered" (units that do not keep the register go on entering them) and the engine adds the
  records of the units that keep it. `dn_co_tu` (enterprises with a collective agreement) is a
  stock: derived from the agreements in force on the period's last day — every agreement has a
  term (one to three years, Labour Code 2019 art. 78), so "in force on a day" is known from its
  dates.
- New indicators no one types today but reports state: works dedicated to a congress,
  "Dân vận khéo" models, grassroots unions that propagated a resolution (each counts once),
  derived from the records; and the share of grassroots unions that did so, a formula over the
  grassroots unions at the period's end (`cdcs_cuoi_ky`).

The entered `ty_le_cdcs_tuyen_truyen` (a percent a body states for its own area, not added up)
is left as it is, beside the new formula `ty_le_cdcs_tuyen_truyen_so`: the formula is the true
share only where every grassroots union of the subtree keeps the register, so it cannot replace
what bodies whose unions keep no records state. Reports tell both, like the other pairs of an
entered figure and its count from a register ("… (theo sổ đoàn viên)"); a share counted from no
records (0) is left out of them.
"""

from django.db import migrations

# Entered indicators of the catalogue → the register's definition.
ENTERED = {
    "cong_trinh_thi_dua": "movements_works",
    "mo_hinh": "movements_models",
    "hd_vhtt": "movements_culture",
    "lop_tap_huan": "movements_classes",
    "luot_tap_huan": "movements_trainees",
    "doi_thoai": "movements_dialogues",
    "tu_ky_moi": "movements_new_agreements",
    "dn_co_tu": "movements_enterprises_with_agreement",
    "hn_nld": "movements_workers_conferences",
    "hn_cbccvc": "movements_civil_conferences",
}
# code, after (placed after this indicator), group, name, unit of measure, value type,
# aggregation, source, derivation or formula, over time
NEW = [
    ("cong_trinh_dai_hoi", "cong_trinh_thi_dua", "thi_dua",
     "Công trình, phần việc chào mừng Đại hội (theo sổ phong trào)", "công trình", "count",
     "sum", "derived", "movements_congress_works", "sum"),
    ("mo_hinh_dvk", "mo_hinh", "thi_dua", "Mô hình “Dân vận khéo” (theo sổ phong trào)",
     "mô hình", "count", "sum", "derived", "movements_dvk_models", "sum"),
    ("cdcs_tuyen_truyen", "ty_le_cdcs_tuyen_truyen", "tuyen_truyen",
     "CĐCS tuyên truyền nghị quyết (theo sổ phong trào)", "đơn vị", "count", "sum", "derived",
     "movements_propaganda_grassroots", "sum"),
    ("ty_le_cdcs_tuyen_truyen_so", "cdcs_tuyen_truyen", "tuyen_truyen",
     "Tỷ lệ CĐCS tuyên truyền nghị quyết (theo sổ phong trào)", "%", "percent", "formula",
     "formula", "100 * cdcs_tuyen_truyen / cdcs_cuoi_ky", "last"),
]  # fmt: skip


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Group = apps.get_model("indicators", "IndicatorGroup")
    for code, name in ENTERED.items():
        Indicator.objects.filter(code=code, source="entered", derivation="").update(
            derivation=name
        )
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
    for code, name in ENTERED.items():
        Indicator.objects.filter(code=code, derivation=name).update(derivation="")
    Indicator.objects.filter(code__in=[row[0] for row in NEW]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0001_initial"),
        ("indicators", "0004_remarks_and_default_data_sets"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
