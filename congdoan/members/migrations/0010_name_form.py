"""The name as written (`Member.name_form`, copied to `MemberWord`), so that a search typed with
diacritics lists the names written exactly so first (`members.search`), the walk testing it in
its index; labels of the record's own dates."""

from django import db
from django.db import migrations, models

CHUNK = 5000


def fill(apps, schema_editor):
    from congdoan.members.search import name_form

    Member = apps.get_model("members", "Member")
    batch = []
    for m in Member.objects.only("id", "full_name", "name_form").iterator(chunk_size=CHUNK):
        m.name_form = name_form(m.full_name)
        batch.append(m)
        if len(batch) >= CHUNK:
            Member.objects.bulk_update(batch, ["name_form"])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["name_form"])
    connection = schema_editor.connection if schema_editor is not None else db.connection
    if connection.vendor == "postgresql":
        sql = (
            "UPDATE members_memberword w SET name_form = m.name_form "
            "FROM members_member m WHERE m.id = w.member_id"
        )
    else:
        sql = (
            "UPDATE members_memberword SET name_form = (SELECT m.name_form FROM members_member m "
            "WHERE m.id = members_memberword.member_id)"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("members", "0009_identity_lookups")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="name_form",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="memberword",
            name="name_form",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.AlterField(
            model_name="member",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="record created"),
        ),
        migrations.AlterField(
            model_name="member",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="record last changed"),
        ),
        migrations.AlterField(
            model_name="historicalmember",
            name="created_at",
            field=models.DateTimeField(blank=True, editable=False, verbose_name="record created"),
        ),
        migrations.AlterField(
            model_name="historicalmember",
            name="updated_at",
            field=models.DateTimeField(
                blank=True, editable=False, verbose_name="record last changed"
            ),
        ),
        migrations.RemoveIndex(model_name="memberword", name="memberword_walk"),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="memberword",
            index=models.Index(
                fields=["word", "given_sort", "family_sort", "middle_sort", "member"],
                include=("name_fold", "name_form"),
                name="memberword_walk",
            ),
        ),
    ]
