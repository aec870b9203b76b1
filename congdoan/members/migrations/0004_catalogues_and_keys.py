"""The 54 official ethnic groups (codes of Decision 121-TCTK/PPCĐ), religions, derived keys of
existing members, and on PostgreSQL: bytewise sort columns and a trigram index for search."""

from django.db import migrations

ETHNICITIES = [
    ("01", "Kinh", "Việt"), ("02", "Tày", ""), ("03", "Thái", ""), ("04", "Hoa", "Hán"),
    ("05", "Khmer", "Khơ-me"), ("06", "Mường", ""), ("07", "Nùng", ""), ("08", "Mông", "H'Mông, Mèo"),
    ("09", "Dao", ""), ("10", "Gia Rai", "Gia-rai, Jrai"), ("11", "Ngái", ""), ("12", "Ê Đê", "Ê-đê"),
    ("13", "Ba Na", "Bahnar"), ("14", "Xơ Đăng", "Xơ-đăng"), ("15", "Sán Chay", "Cao Lan - Sán Chỉ"),
    ("16", "Cơ Ho", "Cơ-ho"), ("17", "Chăm", "Chàm"), ("18", "Sán Dìu", ""), ("19", "Hrê", "H'rê"),
    ("20", "Mnông", "M'Nông"), ("21", "Ra Glai", "Raglai"), ("22", "Xtiêng", "X'tiêng"),
    ("23", "Bru - Vân Kiều", "Bru Vân Kiều"), ("24", "Thổ", ""), ("25", "Giáy", ""),
    ("26", "Cơ Tu", "Cơ-tu"), ("27", "Gié Triêng", "Giẻ Triêng"), ("28", "Mạ", ""),
    ("29", "Khơ Mú", "Khơ-mú"), ("30", "Co", "Cor"), ("31", "Tà Ôi", "Tà-ôi"), ("32", "Chơ Ro", "Chơ-ro"),
    ("33", "Kháng", ""), ("34", "Xinh Mun", "Xinh-mun"), ("35", "Hà Nhì", ""), ("36", "Chu Ru", "Chu-ru"),
    ("37", "Lào", ""), ("38", "La Chí", ""), ("39", "La Ha", ""), ("40", "Phù Lá", ""),
    ("41", "La Hủ", ""), ("42", "Lự", ""), ("43", "Lô Lô", ""), ("44", "Chứt", ""),
    ("45", "Mảng", ""), ("46", "Pà Thẻn", ""), ("47", "Cơ Lao", "Co Lao"), ("48", "Cống", ""),
    ("49", "Bố Y", ""), ("50", "Si La", ""), ("51", "Pu Péo", ""), ("52", "Brâu", ""),
    ("53", "Ơ Đu", ""), ("54", "Rơ Măm", ""),
]  # fmt: skip

RELIGIONS = [
    ("khong", "Không", 0), ("phat_giao", "Phật giáo", 1), ("cong_giao", "Công giáo", 2),
    ("tin_lanh", "Tin Lành", 3), ("cao_dai", "Cao Đài", 4), ("hoa_hao", "Phật giáo Hòa Hảo", 5),
    ("hoi_giao", "Hồi giáo", 6), ("baha_i", "Bahá'í", 7), ("tinh_do_cu_si", "Tịnh độ Cư sĩ Phật hội Việt Nam", 8),
    ("buu_son_ky_huong", "Bửu Sơn Kỳ Hương", 9), ("tu_an_hieu_nghia", "Tứ Ân Hiếu Nghĩa", 10),
    ("minh_su_dao", "Minh Sư đạo", 11), ("minh_ly_dao", "Minh Lý đạo", 12),
    ("ba_la_mon", "Bà-la-môn", 13), ("phat_duong_nam_tong", "Phật đường Nam tông Minh Sư đạo", 14),
    ("mac_mon", "Các Thánh hữu Ngày sau (Mặc Môn)", 15), ("khac", "Tôn giáo khác", 99),
]  # fmt: skip

SORT_COLUMNS = ("given_sort", "family_sort", "middle_sort")


def seed(apps, schema_editor):
    Ethnicity = apps.get_model("members", "Ethnicity")
    Religion = apps.get_model("members", "Religion")
    for code, name, other in ETHNICITIES:
        Ethnicity.objects.get_or_create(code=code, defaults={"name": name, "other_names": other})
    for code, name, order in RELIGIONS:
        Religion.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def derived_keys(apps, schema_editor):
    from congdoan.core.text import fold, sort_string

    Member = apps.get_model("members", "Member")
    batch = []
    for m in Member.objects.all().iterator(chunk_size=2000):
        m.name_fold = fold(m.full_name)
        m.given_sort = sort_string(m.given_name)
        m.family_sort = sort_string(m.family_name)
        m.middle_sort = sort_string(m.middle_name)
        batch.append(m)
        if len(batch) >= 2000:
            Member.objects.bulk_update(batch, ["name_fold", *SORT_COLUMNS])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["name_fold", *SORT_COLUMNS])


def postgresql(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SORT_COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE members_member ALTER COLUMN {column} TYPE varchar(200) COLLATE "C"'
        )
    schema_editor.execute("DROP INDEX IF EXISTS member_vi_order")
    schema_editor.execute(
        "CREATE INDEX member_vi_order ON members_member (given_sort, family_sort, middle_sort)"
    )
    # pg_trgm is a trusted extension (PostgreSQL ≥ 13): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS member_search_trgm ON members_member "
        "USING gin (search_text gin_trgm_ops)"
    )


def postgresql_back(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_member_record_transfers_imports")]
    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(derived_keys, migrations.RunPython.noop),
        migrations.RunPython(postgresql, postgresql_back),
    ]
