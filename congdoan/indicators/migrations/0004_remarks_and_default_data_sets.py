"""Comments without a figure (`Remark`), and the default data sets: which indicators each type of
unit enters (editable afterwards in the admin).

Before this migration no data set existed, so every unit entered every entered indicator. Now:

- a grassroots union (CĐCS, nghiệp đoàn, CĐCS thành viên) enters what happens at its workplace:
  members admitted and introduced to the Party, care and gifts, houses, welfare used by its
  members, initiatives and emulation works, the collective agreement, the workers' or officials'
  conference and dialogue, the inspections and supervisions of its own inspection committee,
  its classes, culture and contests, dues and union fees;
- a union above the grassroots (commune, sector, industrial-zone, corporation and district unions,
  provincial federations and central sector unions, the national body) enters what it does
  itself: grassroots unions founded and assessed, members admitted where no grassroots union
  exists, the care, houses and funds of its own programmes, welfare agreements, emulation works
  and models, inspections, supervisions (Decision 217) and complaints at its level, the share of
  grassroots unions that spread a resolution, the classes, culture and contests it organises,
  union fees it collects — and not the workplace figures that add up from its grassroots unions;
- departments and union groups (công đoàn bộ phận, tổ công đoàn) enter only the visits and gifts
  they make to members and the cultural and sports activities they hold; everything else is
  reported by their grassroots union.

Each unit enters its *own* figures; the engine adds them up the tree. The data is written here,
not imported from the app, so that this migration keeps meaning the same whatever the code becomes.
"""


import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


GRASSROOTS = ("cdcs", "nghiep_doan", "cdcs_tv")
ABOVE = (
    "tld", "ldld_tinh", "cd_nganh_tw", "cd_tct_tw", "ldld_huyen", "cd_xa", "cd_nganh_dp", "cd_kcn",
    "cd_tct", "cd_tren_cs_khac",
)
PARTS = ("cd_bo_phan", "to_cd")
CARE = (
    "suat_qua", "tien_qua", "suat_qua_cong_dong", "nha_macd", "tien_nha_macd", "nha_chinh_sach",
    "ho_tro_kinh_te", "tien_ho_tro_kinh_te", "quy_van_dong",
)
# code, name, unit types, indicators (in the catalogue's order), description
DATA_SETS = [
    (
        "bieu_co_so",
        "Biểu số liệu công đoàn cơ sở",
        GRASSROOTS,
        (
            "phat_trien_dv", "gioi_thieu_dang", "ket_nap_dang", *CARE, "dv_huong_phuc_loi",
            "gia_tri_phuc_loi", "sang_kien", "gia_tri_lam_loi", "bang_ldst", "cong_trinh_thi_dua",
            "mo_hinh", "dn_co_cd", "dn_co_tu", "tu_ky_moi", "hn_nld", "hn_cbccvc", "doi_thoai",
            "kt_dieu_le_cuoc", "kt_tai_chinh_cuoc", "giam_sat_cuoc", "lop_tap_huan",
            "luot_tap_huan", "hd_vhtt", "cuoc_thi", "luot_du_thi", "thu_doan_phi", "thu_kpcd",
        ),
        "Hoạt động tại cơ sở: kết nạp đoàn viên, giới thiệu cho Đảng, chăm lo, phúc lợi, sáng kiến, "
        "thỏa ước, hội nghị người lao động, đối thoại, kiểm tra của UBKT công đoàn cơ sở, tập huấn, "
        "văn hóa, thể thao, đoàn phí và kinh phí công đoàn.",
    ),
    (
        "bieu_cap_tren",
        "Biểu số liệu công đoàn cấp trên cơ sở",
        ABOVE,
        (
            "phat_trien_dv", "thanh_lap_cdcs", "thanh_lap_cdcs_ngoai_nn", "cdcs_danh_gia",
            "cdcs_tot", *CARE, "thoa_thuan_phuc_loi", "cong_trinh_thi_dua", "mo_hinh",
            "kt_dieu_le_cuoc", "kt_dieu_le_dv", "kt_tai_chinh_cuoc", "kt_tai_chinh_dv",
            "kt_qcdc_cuoc", "kt_qcdc_dv", "giam_sat_cuoc", "giam_sat_dv", "gs_217_cuoc",
            "gs_217_dv", "khieu_nai", "ty_le_cdcs_tuyen_truyen", "lop_tap_huan", "luot_tap_huan",
            "hd_vhtt", "cuoc_thi", "luot_du_thi", "thu_kpcd",
        ),
        "Số liệu của chính đơn vị (không gồm số liệu các CĐCS trực thuộc, hệ thống tự cộng): "
        "thành lập và đánh giá CĐCS, kết nạp đoàn viên nơi chưa có CĐCS, chương trình chăm lo, "
        "thỏa thuận phúc lợi, kiểm tra, giám sát, giải quyết đơn thư của cấp mình, tập huấn, "
        "hoạt động văn hóa, cuộc thi do đơn vị tổ chức, thu kinh phí công đoàn.",
    ),
    (
        "bieu_to_cong_doan",
        "Biểu số liệu công đoàn bộ phận, tổ công đoàn",
        PARTS,
        ("suat_qua", "tien_qua", "hd_vhtt"),
        "Thăm hỏi, tặng quà đoàn viên và hoạt động văn hóa, thể thao do công đoàn bộ phận, tổ công "
        "đoàn tổ chức; các số liệu khác do công đoàn cơ sở nhập.",
    ),
]


def load(apps, schema_editor):
    DataSet = apps.get_model("indicators", "DataSet")
    DataSetItem = apps.get_model("indicators", "DataSetItem")
    Indicator = apps.get_model("indicators", "Indicator")
    UnitType = apps.get_model("organisation", "UnitType")
    indicators = {i.code: i for i in Indicator.objects.all()}
    types = {t.code: t for t in UnitType.objects.all()}
    for code, name, type_codes, indicator_codes, description in DATA_SETS:
        data_set, created = DataSet.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        if not created:
            continue  # already there (edited in the admin, perhaps): leave it as it is
        data_set.unit_types.add(*(types[t] for t in type_codes if t in types))
        DataSetItem.objects.bulk_create(
            DataSetItem(data_set=data_set, indicator=indicators[c], order=n)
            for n, c in enumerate(indicator_codes, start=1)
            if c in indicators
        )


def unload(apps, schema_editor):
    apps.get_model("indicators", "DataSet").objects.filter(code__in=[d[0] for d in DATA_SETS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_totals_without_constraints_and_single_column_indexes'),
        ('organisation', '0005_unit_active_path_index'),
        ('organisation', '0003_default_catalogues'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRemark',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('text', models.CharField(max_length=1000, verbose_name='comment')),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator')),
                ('period', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.period')),
                ('sheet', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.sheet')),
                ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisation.unit')),
            ],
            options={
                'verbose_name': 'historical comment without a figure',
                'verbose_name_plural': 'historical comments without a figure',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Remark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=1000, verbose_name='comment')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='indicators.indicator')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='indicators.period')),
                ('sheet', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='remarks', to='indicators.sheet')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.unit')),
            ],
            options={
                'verbose_name': 'comment without a figure',
                'verbose_name_plural': 'comments without a figure',
                'constraints': [models.UniqueConstraint(fields=('unit', 'period', 'indicator'), name='remark_once'), models.CheckConstraint(condition=models.Q(('text', ''), _negated=True), name='remark_not_empty')],
            },
        ),
        migrations.RunPython(load, unload),
    ]
