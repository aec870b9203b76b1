"""Default roles. Roles are data: edit them in the admin."""

from django.db import migrations

ORG = [
    "organisation.view", "organisation.change", "organisation.reorganise",
    "organisation.manage_terms", "organisation.manage_clusters",
]
ALL = [
    *ORG, "accounts.view", "accounts.grant", "members.view", "members.change",
    "members.view_personal", "indicators.view", "indicators.enter", "indicators.approve",
    "inspection.manage", "audit.view",
]

# code, name, description, permissions, requires_otp, system_only, order
ROLES = [
    ("system_admin", "Quản trị hệ thống", "Toàn quyền trên toàn hệ thống.", ALL, True, True, 1),
    (
        "federation_admin", "Quản trị đơn vị",
        "Quản lý tổ chức, tài khoản và số liệu trong phạm vi đơn vị và các đơn vị trực thuộc.",
        [*ORG, "accounts.view", "accounts.grant", "members.view", "members.change",
         "indicators.view", "indicators.enter", "indicators.approve", "inspection.manage", "audit.view"],
        False, False, 2,
    ),
    (
        "data_entry", "Cán bộ nhập liệu", "Nhập đoàn viên và số liệu của đơn vị.",
        ["organisation.view", "members.view", "members.change", "indicators.view", "indicators.enter"],
        False, False, 3,
    ),
    (
        "approver", "Cán bộ phê duyệt", "Duyệt, khóa và mở lại số liệu của đơn vị cấp dưới.",
        ["organisation.view", "members.view", "indicators.view", "indicators.approve"],
        False, False, 4,
    ),
    (
        "viewer", "Người xem", "Xem tổ chức, đoàn viên (đã che dữ liệu cá nhân) và số liệu.",
        ["organisation.view", "members.view", "indicators.view"],
        False, False, 5,
    ),
    (
        "inspector", "Cán bộ kiểm tra", "Ủy ban Kiểm tra: ghi nhận kiểm tra, giám sát; xem lịch sử thay đổi.",
        ["organisation.view", "members.view", "indicators.view", "inspection.manage", "audit.view"],
        False, False, 6,
    ),
    (
        "personal_data_officer", "Cán bộ quản lý dữ liệu cá nhân",
        "Xem đầy đủ dữ liệu cá nhân của đoàn viên (CCCD, dân tộc, tôn giáo, đảng viên); bắt buộc xác thực hai bước.",
        ["organisation.view", "members.view", "members.change", "members.view_personal"],
        True, False, 7,
    ),
]


def forwards(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, description, permissions, otp, system_only, order in ROLES:
        Role.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "description": description, "permissions": permissions,
                "requires_otp": otp, "system_only": system_only, "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_grant_relations")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
