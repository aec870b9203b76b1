"""Give the default roles the action of recording activities (roles are data: edit them in the
admin)."""

from django.db import migrations

GRANTS = {
    "system_admin": ["activities.manage"],
    "federation_admin": ["activities.manage"],
    "data_entry": ["activities.manage"],
}


def forwards(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, actions in GRANTS.items():
        for role in Role.objects.filter(code=code):
            role.permissions = [*role.permissions, *(a for a in actions if a not in role.permissions)]
            role.save(update_fields=["permissions"])


def backwards(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.all():
        role.permissions = [p for p in role.permissions if p != "activities.manage"]
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial"), ("accounts", "0005_api_token_otp_verified")]
    operations = [migrations.RunPython(forwards, backwards)]
