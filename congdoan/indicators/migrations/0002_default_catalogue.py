"""The default indicator catalogue and period rules (editable afterwards in the admin).

The data is written here, not imported from the app, so that this migration keeps meaning the
same catalogue whatever the code becomes.
"""

from django.db import migrations

GROUPS = [
    ("to_chuc", "Phát triển đoàn viên, xây dựng tổ chức", 10),
    ("dang", "Tham gia xây dựng Đảng", 20),
    ("cham_lo", "Chăm lo đời sống đoàn viên, người lao động", 30),
    ("phuc_loi", "Chương trình phúc lợi đoàn viên", 40),
    ("thi_dua", "Phong trào thi đua, sáng kiến, mô hình", 50),
    ("dan_chu", "Thương lượng tập thể, dân chủ ở cơ sở", 60),
    ("kiem_tra", "Kiểm tra, giám sát", 70),
    ("tuyen_truyen", "Tuyên truyền, văn hóa, đào tạo", 80),
    ("tai_chinh", "Tài chính công đoàn", 90),
]

# code, group, name, unit of measure, value type, aggregation, source, formula/derivation,
# over time, better
E, D, F = "entered", "derived", "formula"
INDICATORS = [
    ("dv_cuoi_ky", "to_chuc", "Đoàn viên cuối kỳ (theo sổ đoàn viên)", "người", "count", "sum", D, "members_end", "last"),
    ("dv_nu_cuoi_ky", "to_chuc", "Đoàn viên nữ cuối kỳ (theo sổ đoàn viên)", "người", "count", "sum", D, "women_end", "last"),
    ("ty_le_dv_nu", "to_chuc", "Tỷ lệ đoàn viên nữ", "%", "percent", "formula", F, "100 * dv_nu_cuoi_ky / dv_cuoi_ky", "last"),
    ("ket_nap_so", "to_chuc", "Đoàn viên kết nạp (theo sổ đoàn viên)", "người", "count", "sum", D, "admissions", "sum"),
    ("ra_khoi_so", "to_chuc", "Đoàn viên ra khỏi tổ chức (theo sổ đoàn viên)", "người", "count", "sum", D, "exits", "sum"),
    ("cdcs_cuoi_ky", "to_chuc", "CĐCS cuối kỳ (theo cây tổ chức)", "đơn vị", "count", "sum", D, "grassroots_end", "last"),
    ("cdcs_moi_so", "to_chuc", "CĐCS thành lập mới (theo cây tổ chức)", "đơn vị", "count", "sum", D, "new_grassroots", "sum"),
    ("cdcs_moi_ngoai_nn_so", "to_chuc", "CĐCS DN ngoài nhà nước thành lập mới (theo cây tổ chức)", "đơn vị", "count", "sum", D, "new_grassroots_non_state", "sum"),
    ("phat_trien_dv", "to_chuc", "Kết nạp đoàn viên mới", "người", "count", "sum", E, "", "sum"),
    ("thanh_lap_cdcs", "to_chuc", "Thành lập công đoàn cơ sở mới", "đơn vị", "count", "sum", E, "", "sum"),
    ("thanh_lap_cdcs_ngoai_nn", "to_chuc", "Thành lập CĐCS doanh nghiệp ngoài nhà nước", "đơn vị", "count", "sum", E, "", "sum"),
    ("cdcs_danh_gia", "to_chuc", "CĐCS được đánh giá, xếp loại", "đơn vị", "count", "sum", E, "", "last"),
    ("cdcs_tot", "to_chuc", "CĐCS xếp loại hoàn thành tốt nhiệm vụ trở lên", "đơn vị", "count", "sum", E, "", "last"),
    ("ty_le_cdcs_tot", "to_chuc", "Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên", "%", "percent", "formula", F, "100 * cdcs_tot / cdcs_danh_gia", "last"),
    ("gioi_thieu_dang", "dang", "Đoàn viên ưu tú giới thiệu cho Đảng xem xét kết nạp", "người", "count", "sum", E, "", "sum"),
    ("ket_nap_dang", "dang", "Đoàn viên được kết nạp Đảng", "người", "count", "sum", E, "", "sum"),
    ("gioi_thieu_dang_so", "dang", "Giới thiệu cho Đảng (theo sổ đoàn viên)", "người", "count", "sum", D, "party_referrals", "sum"),
    ("ket_nap_dang_so", "dang", "Kết nạp Đảng (theo sổ đoàn viên)", "người", "count", "sum", D, "party_admissions", "sum"),
    ("suat_qua", "cham_lo", "Suất quà thăm hỏi, hỗ trợ đoàn viên, người lao động", "suất", "count", "sum", E, "", "sum"),
    ("tien_qua", "cham_lo", "Giá trị quà thăm hỏi, hỗ trợ", "đồng", "money", "sum", E, "", "sum"),
    ("suat_qua_cong_dong", "cham_lo", "Suất quà cho trẻ em, nhân dân vùng khó khăn", "suất", "count", "sum", E, "", "sum"),
    ("nha_macd", "cham_lo", "Nhà Mái ấm Công đoàn xây mới, sửa chữa", "căn nhà", "count", "sum", E, "", "sum"),
    ("tien_nha_macd", "cham_lo", "Kinh phí xây dựng, sửa chữa nhà Mái ấm Công đoàn", "đồng", "money", "sum", E, "", "sum"),
    ("nha_chinh_sach", "cham_lo", "Nhà cho hộ gia đình chính sách, khó khăn", "căn nhà", "count", "sum", E, "", "sum"),
    ("ho_tro_kinh_te", "cham_lo", "Đoàn viên được giúp đỡ phát triển kinh tế", "người", "count", "sum", E, "", "sum"),
    ("tien_ho_tro_kinh_te", "cham_lo", "Số tiền giúp đỡ phát triển kinh tế", "đồng", "money", "sum", E, "", "sum"),
    ("quy_van_dong", "cham_lo", "Quỹ vận động, xã hội hóa", "đồng", "money", "sum", E, "", "sum"),
    ("thoa_thuan_phuc_loi", "phuc_loi", "Thỏa thuận hợp tác phúc lợi đoàn viên ký mới", "thỏa thuận", "count", "sum", E, "", "sum"),
    ("dv_huong_phuc_loi", "phuc_loi", "Đoàn viên sử dụng sản phẩm, dịch vụ phúc lợi", "người", "count", "sum", E, "", "sum"),
    ("gia_tri_phuc_loi", "phuc_loi", "Giá trị đoàn viên được hưởng lợi", "đồng", "money", "sum", E, "", "sum"),
    ("sang_kien", "thi_dua", "Sáng kiến tham gia chương trình", "sáng kiến", "count", "sum", E, "", "sum"),
    ("gia_tri_lam_loi", "thi_dua", "Giá trị làm lợi ước tính của sáng kiến", "đồng", "money", "sum", E, "", "sum"),
    ("bang_ldst", "thi_dua", "Sáng kiến được tặng Bằng Lao động sáng tạo", "sáng kiến", "count", "sum", E, "", "sum"),
    ("cong_trinh_thi_dua", "thi_dua", "Công trình, phần việc thi đua", "công trình", "count", "sum", E, "", "sum"),
    ("mo_hinh", "thi_dua", "Mô hình, điển hình tiên tiến được nhân rộng", "mô hình", "count", "sum", E, "", "sum"),
    ("dn_co_cd", "dan_chu", "Doanh nghiệp có tổ chức công đoàn", "đơn vị", "count", "sum", E, "", "last"),
    ("dn_co_tu", "dan_chu", "Doanh nghiệp có thỏa ước lao động tập thể", "đơn vị", "count", "sum", E, "", "last"),
    ("ty_le_dn_co_tu", "dan_chu", "Tỷ lệ doanh nghiệp có thỏa ước lao động tập thể", "%", "percent", "formula", F, "100 * dn_co_tu / dn_co_cd", "last"),
    ("tu_ky_moi", "dan_chu", "Thỏa ước lao động tập thể ký mới", "bản", "count", "sum", E, "", "sum"),
    ("hn_nld", "dan_chu", "Hội nghị người lao động", "cuộc", "count", "sum", E, "", "sum"),
    ("hn_cbccvc", "dan_chu", "Hội nghị cán bộ, công chức, viên chức", "cuộc", "count", "sum", E, "", "sum"),
    ("doi_thoai", "dan_chu", "Đối thoại tại nơi làm việc", "cuộc", "count", "sum", E, "", "sum"),
    ("kt_dieu_le_cuoc", "kiem_tra", "Kiểm tra chấp hành Điều lệ Công đoàn", "cuộc", "count", "sum", E, "", "sum"),
    ("kt_dieu_le_dv", "kiem_tra", "Đơn vị được kiểm tra chấp hành Điều lệ", "đơn vị", "count", "sum", E, "", "sum"),
    ("kt_tai_chinh_cuoc", "kiem_tra", "Kiểm tra quản lý, sử dụng tài chính, tài sản công đoàn", "cuộc", "count", "sum", E, "", "sum"),
    ("kt_tai_chinh_dv", "kiem_tra", "Đơn vị được kiểm tra tài chính, tài sản", "đơn vị", "count", "sum", E, "", "sum"),
    ("kt_qcdc_cuoc", "kiem_tra", "Kiểm tra thực hiện Quy chế dân chủ ở cơ sở", "cuộc", "count", "sum", E, "", "sum"),
    ("kt_qcdc_dv", "kiem_tra", "Đơn vị được kiểm tra thực hiện Quy chế dân chủ", "đơn vị", "count", "sum", E, "", "sum"),
    ("giam_sat_cuoc", "kiem_tra", "Giám sát của công đoàn", "cuộc", "count", "sum", E, "", "sum"),
    ("giam_sat_dv", "kiem_tra", "Đơn vị được giám sát", "đơn vị", "count", "sum", E, "", "sum"),
    ("gs_217_cuoc", "kiem_tra", "Giám sát theo Quyết định 217-QĐ/TW", "cuộc", "count", "sum", E, "", "sum"),
    ("gs_217_dv", "kiem_tra", "Đơn vị được giám sát theo Quyết định 217-QĐ/TW", "đơn vị", "count", "sum", E, "", "sum"),
    ("khieu_nai", "kiem_tra", "Đơn thư khiếu nại, tố cáo được giải quyết", "vụ việc", "count", "sum", E, "", "sum"),
    ("ty_le_cdcs_tuyen_truyen", "tuyen_truyen", "Tỷ lệ CĐCS triển khai tuyên truyền nghị quyết", "%", "percent", "none", E, "", "last"),
    ("lop_tap_huan", "tuyen_truyen", "Lớp tập huấn, bồi dưỡng", "lớp", "count", "sum", E, "", "sum"),
    ("luot_tap_huan", "tuyen_truyen", "Lượt cán bộ, đoàn viên được tập huấn", "lượt người", "count", "sum", E, "", "sum"),
    ("hd_vhtt", "tuyen_truyen", "Hoạt động văn hóa, văn nghệ, thể thao", "hoạt động", "count", "sum", E, "", "sum"),
    ("cuoc_thi", "tuyen_truyen", "Cuộc thi tìm hiểu", "cuộc", "count", "sum", E, "", "sum"),
    ("luot_du_thi", "tuyen_truyen", "Lượt người dự thi tìm hiểu", "lượt", "count", "sum", E, "", "sum"),
    ("thu_doan_phi", "tai_chinh", "Thu đoàn phí công đoàn", "đồng", "money", "sum", E, "", "sum"),
    ("thu_kpcd", "tai_chinh", "Thu kinh phí công đoàn", "đồng", "money", "sum", E, "", "sum"),
]

RULES = [
    # kind, cut-off day, first month, months, days to submit
    ("month", None, 1, 12, 5),
    ("quarter", None, 1, 12, 10),
    ("half", None, 1, 12, 10),
    ("nine", None, 1, 12, 10),
    ("year", None, 1, 12, 15),
    ("school", None, 9, 12, 15),
]


def load(apps, schema_editor):
    Group = apps.get_model("indicators", "IndicatorGroup")
    Indicator = apps.get_model("indicators", "Indicator")
    PeriodRule = apps.get_model("indicators", "PeriodRule")
    groups = {}
    for code, name, order in GROUPS:
        groups[code], _ = Group.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, row in enumerate(INDICATORS, start=1):
        code, group, name, uom, vtype, agg, source, expr, over_time = row
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "group": groups[group],
                "name": name,
                "unit_of_measure": uom,
                "value_type": vtype,
                "aggregation": agg,
                "source": source,
                "formula": expr if source == F else "",
                "derivation": expr if source == D else "",
                "over_time": over_time,
                "order": order * 10,
            },
        )
    for kind, cutoff, first, months, due in RULES:
        PeriodRule.objects.get_or_create(
            kind=kind,
            valid_from_year=2000,
            defaults={"cutoff_day": cutoff, "first_month": first, "months": months, "due_days": due},
        )


def unload(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code__in=[r[0] for r in INDICATORS]).delete()
    apps.get_model("indicators", "IndicatorGroup").objects.filter(code__in=[g[0] for g in GROUPS]).delete()
    apps.get_model("indicators", "PeriodRule").objects.filter(valid_from_year=2000).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_indicators")]
    operations = [migrations.RunPython(load, unload)]
