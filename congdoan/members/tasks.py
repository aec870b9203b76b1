"""Background tasks of the member registry (django-tasks; backend in settings.TASKS, worked by
`congdoan worker`; tests run them at once with the immediate backend).

- `check_import_job`, `commit_import_job`: large member imports (see members/imports/jobs.py),
  which update the job's rows_done / rows_total / status as they go.
- `purge_import_files`: delete uploads kept longer than 7 days.

Arguments are plain JSON values (ids, a language code); each task runs in the language of the
user who started it, so that the messages it stores read in that language.
"""

from __future__ import annotations

from django.utils import translation
from django_tasks import task


@task()
def check_import_job(job_id: int, language: str = "vi") -> str:
    from congdoan.members.imports import jobs

    with translation.override(language):
        return str(jobs.job_check(job_id).status)


@task()
def commit_import_job(job_id: int, actor_id: int | None, language: str = "vi") -> str:
    from congdoan.accounts.models import User
    from congdoan.members.imports import jobs

    actor = User.objects.filter(pk=actor_id, is_active=True).first() if actor_id else None
    with translation.override(language):
        if actor_id and actor is None:  # the account was removed or disabled meanwhile
            jobs.fail_job(job_id)
            return "failed"
        return str(jobs.job_commit(job_id, actor).status)


@task()
def purge_import_files() -> int:
    from congdoan.members.imports import jobs

    return jobs.purge_stale_files()
