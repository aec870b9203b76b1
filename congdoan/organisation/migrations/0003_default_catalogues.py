"""Default catalogues under the 2023 Charter (Điều lệ Công đoàn Việt Nam khóa XIII) and the
1/7/2025 reorganisation. All of them are data: edit them in the admin when the Charter changes."""

import datetime as dt

from django.db import migrations

LEVELS = [
    ("central", "Trung ương", 0),
    ("provincial", "Cấp tỉnh, ngành trung ương và tương đương", 1),
    ("above_grassroots", "Cấp trên trực tiếp cơ sở", 2),
    ("grassroots", "Cơ sở", 3),
    ("member_grassroots", "Công đoàn cơ sở thành viên", 4),
    ("department", "Công đoàn bộ phận", 5),
    ("union_group", "Tổ công đoàn", 6),
]

REFORM = dt.date(2025, 7, 1)
BEFORE_REFORM = dt.date(2025, 6, 30)

# code, name, short name, level, grassroots, valid_from, valid_to, order
UNIT_TYPES = [
    ("tld", "Tổng Liên đoàn Lao động Việt Nam", "Tổng LĐLĐ", "central", False, None, None, 1),
    ("ldld_tinh", "Liên đoàn Lao động tỉnh, thành phố", "LĐLĐ tỉnh", "provincial", False, None, None, 1),
    ("cd_nganh_tw", "Công đoàn ngành Trung ương", "CĐ ngành TW", "provincial", False, None, None, 2),
    ("cd_tct_tw", "Công đoàn Tổng công ty trực thuộc Tổng Liên đoàn", "CĐ TCT", "provincial", False, None, None, 3),
    ("ldld_huyen", "Liên đoàn Lao động huyện, thị xã, thành phố thuộc tỉnh", "LĐLĐ huyện", "above_grassroots", False, None, BEFORE_REFORM, 1),
    ("cd_xa", "Công đoàn xã, phường, đặc khu", "CĐ xã", "above_grassroots", False, REFORM, None, 2),
    ("cd_nganh_dp", "Công đoàn ngành địa phương", "CĐ ngành", "above_grassroots", False, None, None, 3),
    ("cd_kcn", "Công đoàn các Khu công nghiệp, Khu kinh tế", "CĐ KCN", "above_grassroots", False, None, None, 4),
    ("cd_tct", "Công đoàn tổng công ty", "CĐ TCT", "above_grassroots", False, None, None, 5),
    ("cd_tren_cs_khac", "Công đoàn cấp trên trực tiếp cơ sở khác", "CĐ cấp trên", "above_grassroots", False, None, None, 6),
    ("cdcs", "Công đoàn cơ sở", "CĐCS", "grassroots", True, None, None, 1),
    ("nghiep_doan", "Nghiệp đoàn cơ sở", "NĐCS", "grassroots", True, None, None, 2),
    ("cdcs_tv", "Công đoàn cơ sở thành viên", "CĐCS TV", "member_grassroots", False, None, None, 1),
    ("cd_bo_phan", "Công đoàn bộ phận", "CĐBP", "department", False, None, None, 1),
    ("to_cd", "Tổ công đoàn", "Tổ CĐ", "union_group", False, None, None, 1),
]

SECTORS = [
    ("giao_duc", "Giáo dục"),
    ("y_te", "Y tế"),
    ("hanh_chinh", "Hành chính, sự nghiệp (viên chức)"),
    ("cong_nghiep", "Công nghiệp"),
    ("nong_lam", "Nông, lâm, thủy sản"),
    ("xay_dung", "Xây dựng"),
    ("giao_thong", "Giao thông vận tải"),
    ("thuong_mai", "Thương mại, dịch vụ"),
    ("tai_chinh", "Tài chính, ngân hàng"),
    ("nang_luong", "Điện, năng lượng"),
    ("khai_khoang", "Khai khoáng"),
    ("van_hoa", "Văn hóa, thể thao, du lịch"),
    ("khac", "Khác"),
]

# code, name, enterprise, state, order
OWNERSHIP = [
    ("dnnn", "Doanh nghiệp nhà nước", True, True, 1),
    ("dn_ngoai_nn", "Doanh nghiệp ngoài nhà nước", True, False, 2),
    ("dn_fdi", "Doanh nghiệp có vốn đầu tư nước ngoài", True, False, 3),
    ("htx", "Hợp tác xã", True, False, 4),
    ("dvsn", "Đơn vị sự nghiệp công lập", False, True, 5),
    ("cq_hcnn", "Cơ quan hành chính nhà nước", False, True, 6),
    ("dvsn_ngoai", "Đơn vị sự nghiệp ngoài công lập", False, False, 7),
    ("khac", "Loại hình khác", False, False, 8),
]

# code, name, committee, order
POSITIONS = [
    ("chu_tich", "Chủ tịch", "bch", 1),
    ("pho_chu_tich", "Phó Chủ tịch", "bch", 2),
    ("uv_btv", "Ủy viên Ban Thường vụ", "btv", 3),
    ("uv_bch", "Ủy viên Ban Chấp hành", "bch", 4),
    ("to_truong", "Tổ trưởng công đoàn", "bch", 10),
    ("to_pho", "Tổ phó công đoàn", "bch", 11),
    ("chu_nhiem_ubkt", "Chủ nhiệm Ủy ban Kiểm tra", "ubkt", 1),
    ("pho_chu_nhiem_ubkt", "Phó Chủ nhiệm Ủy ban Kiểm tra", "ubkt", 2),
    ("uv_ubkt", "Ủy viên Ủy ban Kiểm tra", "ubkt", 3),
]


def forwards(apps, schema_editor):
    Level = apps.get_model("organisation", "Level")
    UnitType = apps.get_model("organisation", "UnitType")
    Sector = apps.get_model("organisation", "Sector")
    OwnershipType = apps.get_model("organisation", "OwnershipType")
    Position = apps.get_model("organisation", "Position")
    levels = {}
    for code, name, rank in LEVELS:
        levels[code], _ = Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    for code, name, short, level, grassroots, start, end, order in UNIT_TYPES:
        UnitType.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "short_name": short, "level": levels[level], "is_grassroots": grassroots,
                "valid_from": start, "valid_to": end, "order": order,
            },
        )
    for code, name in SECTORS:
        Sector.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, enterprise, state, order in OWNERSHIP:
        OwnershipType.objects.get_or_create(
            code=code, defaults={"name": name, "is_enterprise": enterprise, "is_state": state, "order": order}
        )
    for code, name, committee, order in POSITIONS:
        Position.objects.get_or_create(code=code, defaults={"name": name, "committee": committee, "order": order})


class Migration(migrations.Migration):
    dependencies = [("organisation", "0002_path_collation_c")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
