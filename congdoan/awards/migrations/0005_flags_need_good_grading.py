"""The overall emulation flags of the 2024 catalogue go to grassroots unions graded good or
better (the check `graded_good_or_better` in awards/rules.py, reading the grading app).
Idempotent and reversible; the data is written here."""

from django.db import migrations

CHECK = "graded_good_or_better"
FORMS = ("tld_co", "tinh_co")


def forwards(apps, schema_editor):
    AwardForm = apps.get_model("awards", "AwardForm")
    for form in AwardForm.objects.filter(regulation__code="2024", code__in=FORMS):
        if CHECK not in form.checks:
            form.checks = [*form.checks, CHECK]
            form.save(update_fields=["checks"])


def backwards(apps, schema_editor):
    AwardForm = apps.get_model("awards", "AwardForm")
    for form in AwardForm.objects.filter(regulation__code="2024", code__in=FORMS):
        if CHECK in form.checks:
            form.checks = [c for c in form.checks if c != CHECK]
            form.save(update_fields=["checks"])


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_award_indicators")]
    operations = [migrations.RunPython(forwards, backwards)]
