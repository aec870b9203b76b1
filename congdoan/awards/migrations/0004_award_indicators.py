"""The indicators derived from the awards (awards/indicator_definitions.py): what the units of a
subtree and their members received in the period, by form and by issuer. Added to the group of
emulation, after its last indicator. Idempotent and reversible; the data is written here, not
imported from the app."""

from django.db import migrations

GROUP_AFTER = "mo_hinh"  # the emulation group's last indicator in the default catalogue
# code, name, unit of measure, derivation
NEW = [
    ("kt_co_thi_dua", "Cờ thi đua được tặng", "cờ", "awards_flags"),
    ("kt_bang_khen_tap_the", "Tập thể được tặng Bằng khen", "tập thể", "awards_merit_collective"),
    ("kt_bang_khen_ca_nhan", "Cá nhân được tặng Bằng khen", "cá nhân", "awards_merit_individual"),
    ("kt_giay_khen_tap_the", "Tập thể được tặng Giấy khen", "tập thể", "awards_certificate_collective"),
    ("kt_giay_khen_ca_nhan", "Cá nhân được tặng Giấy khen", "cá nhân", "awards_certificate_individual"),
    (
        "kt_ky_niem_chuong",
        "Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn” được tặng",
        "cá nhân",
        "awards_medals",
    ),
    ("kt_bang_ldst", "Bằng Lao động sáng tạo được tặng", "bằng", "awards_creative_labour"),
    ("kt_tong_ldld", "Khen thưởng của Tổng Liên đoàn Lao động Việt Nam", "lượt", "awards_from_confederation"),
    (
        "kt_ldld_tinh",
        "Khen thưởng của LĐLĐ tỉnh, thành phố, Công đoàn ngành trung ương",
        "lượt",
        "awards_from_province",
    ),
    ("kt_ngoai_cong_doan", "Khen thưởng của cơ quan, tổ chức ngoài Công đoàn", "lượt", "awards_from_outside"),
]
DESCRIPTION = (
    "Theo quyết định khen thưởng ký trong kỳ: khen thưởng tặng đơn vị, đoàn viên của đơn vị "
    "(theo đơn vị hiện nay của đoàn viên) và tập thể, cá nhân ngoài Công đoàn do đơn vị ghi nhận."
)


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    before = Indicator.objects.filter(code=GROUP_AFTER).first()
    if before is None:  # a catalogue without the emulation group: nothing to add to
        return
    for i, (code, name, uom, derivation) in enumerate(NEW, start=1):
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
                "over_time": "sum",
                "order": before.order + i,
                "description": DESCRIPTION,
            },
        )


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(
        code__in=[row[0] for row in NEW], derivation__in=[row[3] for row in NEW]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0003_nominations"),
        ("indicators", "0005_sheet_first_submitted_at"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
