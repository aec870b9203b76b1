"""On PostgreSQL, compare tree paths bytewise (COLLATE "C").

Scoping and subtree queries filter `path >= p AND path < next(p)`; under a linguistic collation
that range is not the set of paths starting with p. SQLite already compares bytewise.
"""

from django.db import migrations

TABLES = [
    ("organisation_unit", "path"),
    ("organisation_unitversion", "path"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TABLES:
        schema_editor.execute(
            f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(255) COLLATE "C"'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TABLES:
        schema_editor.execute(
            f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(255) COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
