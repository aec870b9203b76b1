"""Background tasks of the reports app (django-tasks; see members/tasks.py for the backend).

`generate_report(generation_id)`: read the data, compose and render one generated version; its
progress is on the `Generation` row, which the report page polls.
"""

from __future__ import annotations

from django_tasks import task


@task()
def generate_report(generation_id: int) -> str:
    from congdoan.reports import services

    return str(services.generation_run(generation_id).state)
