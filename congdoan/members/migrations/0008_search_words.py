"""Search words (`MemberWord`, `SearchWord`) for the ordered walk of name searches
(`members.search.first_matches`), filled from every member."""

import django.db.models.deletion
from django.db import migrations, models


def postgresql(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in ("given_sort", "family_sort", "middle_sort"):
        schema_editor.execute(
            f'ALTER TABLE members_memberword ALTER COLUMN {column} TYPE varchar(200) COLLATE "C"'
        )
    # The walk picks its leading word from the statistics of the most common words.
    schema_editor.execute("ALTER TABLE members_memberword ALTER COLUMN word SET STATISTICS 1000")


def fill(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    MemberWord = apps.get_model("members", "MemberWord")
    SearchWord = apps.get_model("members", "SearchWord")
    fields = ("id", "name_fold", "given_sort", "family_sort", "middle_sort")
    seen: set[str] = set()
    batch = []
    for m in Member.objects.only(*fields).order_by("pk").iterator(chunk_size=5000):
        for w in sorted(set(m.name_fold.split())):
            seen.add(w)
            batch.append(
                MemberWord(
                    member_id=m.pk,
                    word=w,
                    given_sort=m.given_sort,
                    family_sort=m.family_sort,
                    middle_sort=m.middle_sort,
                    name_fold=m.name_fold,
                )
            )
        if len(batch) >= 5000:
            MemberWord.objects.bulk_create(batch)
            batch = []
    MemberWord.objects.bulk_create(batch)
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(seen)], batch_size=5000, ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_sort_keys_end_below_a_space"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=300, primary_key=True, serialize=False)),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.CreateModel(
            name="MemberWord",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "member_id",
                        "word",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("word", models.CharField(max_length=300)),
                ("given_sort", models.CharField(max_length=200)),
                ("family_sort", models.CharField(max_length=200)),
                ("middle_sort", models.CharField(max_length=200)),
                ("name_fold", models.CharField(max_length=200)),
                (
                    "member",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.member",
                    ),
                ),
            ],
            options={
                "verbose_name": "member search word",
                "verbose_name_plural": "member search words",
            },
        ),
        migrations.RunPython(postgresql, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="memberword",
            index=models.Index(
                fields=["word", "given_sort", "family_sort", "middle_sort", "member"],
                include=("name_fold",),
                name="memberword_walk",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
