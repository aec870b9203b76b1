"""Sort keys again: the end of a name now sorts below the space between its words, so that
"Thị" comes before "Thị Hồng" (core.text.sort_string)."""

from django.db import migrations

SORT_COLUMNS = ["given_sort", "family_sort", "middle_sort"]


def recompute(apps, schema_editor):
    from congdoan.core.text import sort_string

    Member = apps.get_model("members", "Member")
    batch = []
    rows = Member.objects.only("id", "given_name", "family_name", "middle_name", *SORT_COLUMNS)
    for m in rows.iterator(chunk_size=5000):
        m.given_sort = sort_string(m.given_name)
        m.family_sort = sort_string(m.family_name)
        m.middle_sort = sort_string(m.middle_name)
        batch.append(m)
        if len(batch) >= 5000:
            Member.objects.bulk_update(batch, SORT_COLUMNS)
            batch = []
    if batch:
        Member.objects.bulk_update(batch, SORT_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("members", "0006_leaner_indexes")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
