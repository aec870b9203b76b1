"""The indicators the gradings give (written here, not imported from the app, so that this
migration keeps meaning the same whatever the code becomes).

The catalogue's entered `cdcs_danh_gia`, `cdcs_tot` and `ty_le_cdcs_tot` stay as they are: bodies
whose unions are not graded in the system go on stating them. Beside them, the same figures
counted from the confirmed gradings ("theo kết quả xếp loại"), per category, and the share graded
good or better as a formula over the counted ones, recomputed at every level (never summed).
"""

from django.db import migrations

# code, after (placed after this indicator), name, unit of measure, value type, aggregation,
# source, derivation or formula
NEW = [
    ("cdcs_danh_gia_so", "ty_le_cdcs_tot", "CĐCS được đánh giá, xếp loại (theo kết quả xếp loại)",
     "đơn vị", "count", "sum", "derived", "grading_graded"),
    ("cdcs_xuat_sac_so", "cdcs_danh_gia_so",
     "CĐCS hoàn thành xuất sắc nhiệm vụ (vững mạnh) (theo kết quả xếp loại)", "đơn vị", "count",
     "sum", "derived", "grading_excellent"),
    ("cdcs_ht_tot_so", "cdcs_xuat_sac_so",
     "CĐCS hoàn thành tốt nhiệm vụ (khá) (theo kết quả xếp loại)", "đơn vị", "count", "sum",
     "derived", "grading_good"),
    ("cdcs_hoan_thanh_so", "cdcs_ht_tot_so",
     "CĐCS hoàn thành nhiệm vụ (trung bình) (theo kết quả xếp loại)", "đơn vị", "count", "sum",
     "derived", "grading_completed"),
    ("cdcs_khong_ht_so", "cdcs_hoan_thanh_so",
     "CĐCS không hoàn thành nhiệm vụ (yếu) (theo kết quả xếp loại)", "đơn vị", "count", "sum",
     "derived", "grading_not_completed"),
    ("cdcs_tot_so", "cdcs_khong_ht_so",
     "CĐCS hoàn thành tốt nhiệm vụ trở lên (theo kết quả xếp loại)", "đơn vị", "count", "sum",
     "derived", "grading_good_or_better"),
    ("ty_le_cdcs_tot_so", "cdcs_tot_so",
     "Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên (theo kết quả xếp loại)", "%", "percent",
     "formula", "formula", "100 * cdcs_tot_so / cdcs_danh_gia_so"),
]  # fmt: skip
GROUP = "to_chuc"


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Group = apps.get_model("indicators", "IndicatorGroup")
    group = Group.objects.filter(code=GROUP).first()
    if group is None:
        return
    for code, after, name, uom, vtype, agg, source, expr in NEW:
        if Indicator.objects.filter(code=code).exists():
            continue
        before = Indicator.objects.filter(code=after).first()
        Indicator.objects.create(
            code=code,
            group=group,
            name=name,
            unit_of_measure=uom,
            value_type=vtype,
            aggregation=agg,
            source=source,
            formula=expr if source == "formula" else "",
            derivation=expr if source == "derived" else "",
            over_time="last",
            order=(before.order + 1) if before is not None else 9000,
        )


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in NEW]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0002_default_schemes"),
        ("indicators", "0004_remarks_and_default_data_sets"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
