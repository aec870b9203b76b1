"""The default award catalogue: the regulations (Quy chế khen thưởng của tổ chức Công đoàn 2024,
2019, 2017, 2014) and the forms of 2024, with a few of 2019 to show the versioning.

The dates of the regulations and the numbers in `rules` (years of union membership for the
commemorative medal, benefit thresholds for Bằng Lao động sáng tạo, quotas) are configurable
defaults to be checked against the regulations' text, not quotations of it: edit them as data.
Idempotent (`update_or_create` by code) and reversible; the data is written here, not imported
from the app.
"""

import datetime as dt

from django.db import migrations

REGULATIONS = [
    ("2024", "Quy chế khen thưởng của tổ chức Công đoàn (2024)", dt.date(2024, 7, 1), None),
    ("2019", "Quy chế khen thưởng của tổ chức Công đoàn (2019)", dt.date(2020, 1, 1), dt.date(2024, 6, 30)),
    ("2017", "Quy chế khen thưởng của tổ chức Công đoàn (2017)", dt.date(2018, 1, 1), dt.date(2019, 12, 31)),
    ("2014", "Quy chế khen thưởng của tổ chức Công đoàn (2014)", dt.date(2014, 7, 1), dt.date(2017, 12, 31)),
]  # fmt: skip

ALL = ["unit", "member", "outside_body", "outside_person"]
INDIVIDUALS = ["member", "outside_person"]
EXCLUSIVE = ["overall_excludes_thematic"]
MEDAL = "Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn”"

# code, name, kind, issuer level, recipients, scope, rules, checks
FORMS_2024 = [
    ("tld_co", "Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam", "flag", "confederation", ["unit"], "overall", {}, EXCLUSIVE),
    ("tld_co_chuyen_de", "Cờ thi đua chuyên đề của Tổng Liên đoàn Lao động Việt Nam", "flag", "confederation", ["unit"], "thematic", {}, EXCLUSIVE),
    ("tld_bang_khen", "Bằng khen của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam", "certificate_of_merit", "confederation", ALL, "overall", {}, EXCLUSIVE),
    ("tld_bang_khen_chuyen_de", "Bằng khen chuyên đề của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam", "certificate_of_merit", "confederation", ALL, "thematic", {}, EXCLUSIVE),
    ("bang_ldst", "Bằng Lao động sáng tạo của Tổng Liên đoàn Lao động Việt Nam", "creative_labour", "confederation", INDIVIDUALS, "", {"benefit_thresholds": {"worker": 100_000_000, "engineer": 200_000_000}}, []),
    ("kyniemchuong", MEDAL, "medal", "confederation", INDIVIDUALS, "", {"min_union_years": 15, "once_per_person": True}, []),
    ("giai_nguyen_duc_canh", "Giải thưởng Nguyễn Đức Cảnh", "prize", "confederation", ["member"], "", {"quota_per_decision": 100, "once_per_person": True}, []),
    ("tinh_co", "Cờ thi đua của Liên đoàn Lao động tỉnh, thành phố, Công đoàn ngành trung ương", "flag", "province_or_sector", ["unit"], "overall", {}, EXCLUSIVE),
    ("tinh_co_chuyen_de", "Cờ thi đua chuyên đề của Liên đoàn Lao động tỉnh, thành phố, Công đoàn ngành trung ương", "flag", "province_or_sector", ["unit"], "thematic", {}, EXCLUSIVE),
    ("tinh_bang_khen", "Bằng khen của Liên đoàn Lao động tỉnh, thành phố, Công đoàn ngành trung ương", "certificate_of_merit", "province_or_sector", ALL, "overall", {}, EXCLUSIVE),
    ("tinh_bang_khen_chuyen_de", "Bằng khen chuyên đề của Liên đoàn Lao động tỉnh, thành phố, Công đoàn ngành trung ương", "certificate_of_merit", "province_or_sector", ALL, "thematic", {}, EXCLUSIVE),
    ("tren_cs_giay_khen", "Giấy khen của Công đoàn cấp trên trực tiếp cơ sở", "certificate", "above_grassroots", ALL, "overall", {}, EXCLUSIVE),
    ("tren_cs_giay_khen_chuyen_de", "Giấy khen chuyên đề của Công đoàn cấp trên trực tiếp cơ sở", "certificate", "above_grassroots", ALL, "thematic", {}, EXCLUSIVE),
    ("cs_giay_khen", "Giấy khen của Ban Chấp hành Công đoàn cơ sở", "certificate", "grassroots", ALL, "", {}, []),
    ("ttcp_bang_khen", "Bằng khen của Thủ tướng Chính phủ", "certificate_of_merit", "outside", ALL, "", {}, []),
    ("ubnd_bang_khen", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "certificate_of_merit", "outside", ALL, "", {}, []),
    ("ubnd_giay_khen", "Giấy khen của Ủy ban nhân dân", "certificate", "outside", ALL, "", {}, []),
]  # fmt: skip

FORMS_2019 = [
    ("tld_co", "Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam", "flag", "confederation", ["unit"], "overall", {}, EXCLUSIVE),
    ("tld_bang_khen", "Bằng khen của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam", "certificate_of_merit", "confederation", ALL, "overall", {}, EXCLUSIVE),
    ("bang_ldst", "Bằng Lao động sáng tạo của Tổng Liên đoàn Lao động Việt Nam", "creative_labour", "confederation", INDIVIDUALS, "", {"benefit_thresholds": {"worker": 50_000_000, "engineer": 100_000_000}}, []),
    ("kyniemchuong", MEDAL, "medal", "confederation", INDIVIDUALS, "", {"min_union_years": 15, "once_per_person": True}, []),
    ("tinh_bang_khen", "Bằng khen của Liên đoàn Lao động tỉnh, thành phố, Công đoàn ngành trung ương", "certificate_of_merit", "province_or_sector", ALL, "overall", {}, EXCLUSIVE),
    ("tren_cs_giay_khen", "Giấy khen của Công đoàn cấp trên trực tiếp cơ sở", "certificate", "above_grassroots", ALL, "overall", {}, EXCLUSIVE),
]  # fmt: skip

FORMS = {"2024": FORMS_2024, "2019": FORMS_2019}


def forwards(apps, schema_editor):
    Regulation = apps.get_model("awards", "Regulation")
    AwardForm = apps.get_model("awards", "AwardForm")
    for code, name, start, end in REGULATIONS:
        regulation, _ = Regulation.objects.update_or_create(
            code=code, defaults={"name": name, "in_force_from": start, "in_force_until": end}
        )
        for order, row in enumerate(FORMS.get(code, []), start=1):
            form_code, form_name, kind, level, recipients, scope, rules, checks = row
            AwardForm.objects.update_or_create(
                regulation=regulation,
                code=form_code,
                defaults={
                    "name": form_name,
                    "kind": kind,
                    "issuer_level": level,
                    "recipients": recipients,
                    "scope": scope,
                    "rules": rules,
                    "checks": checks,
                    "order": order,
                },
            )


def backwards(apps, schema_editor):
    Regulation = apps.get_model("awards", "Regulation")
    AwardForm = apps.get_model("awards", "AwardForm")
    codes = [code for code, *_ in REGULATIONS]
    AwardForm.objects.filter(regulation__code__in=codes, awards__isnull=True).delete()
    Regulation.objects.filter(code__in=codes, forms__isnull=True, decisions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
