"""The folded name, short name and code of each version, so that the tree as of a date can be
searched by the names units had then (filled here for the versions already recorded)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from congdoan.core.text import fold

    UnitVersion = apps.get_model("organisation", "UnitVersion")
    batch = []
    for v in UnitVersion.objects.only("id", "name", "short_name", "code").iterator(chunk_size=2000):
        v.search_text = fold(f"{v.name} {v.short_name} {v.code}")
        batch.append(v)
        if len(batch) >= 2000:
            UnitVersion.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        UnitVersion.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("organisation", "0006_unitversion_path_cover")]

    operations = [
        migrations.AddField(
            model_name="unitversion",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=500),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
