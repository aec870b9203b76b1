"""`congdoan init`: what a fresh installation needs before anyone can sign in and work.

    congdoan init --root-code TLD --root-name "Tổng Liên đoàn Lao động Việt Nam" --admin quantri
    congdoan init ... --password-file /run/secrets/admin   # or CONGDOAN_ADMIN_PASSWORD=…

Nothing in the interface or the API creates the root of the tree, and nobody can sign in before
an account exists. This command, run once after `congdoan migrate`:

1. checks that the database is migrated and that the catalogues the data migrations seed (levels,
   unit types, positions, roles, ethnicities, indicators…) are there;
2. creates the root unit through the organisation's service (`unit_create_root`), founded on
   `--founded` (default 28/07/1929, the founding of the Vietnamese trade union, so that units
   founded later can be recorded below it with their real dates);
3. creates the first system administrator (a superuser, who must set up two-step verification
   at first sign-in when OTP_REQUIRED_FOR_SUPERUSERS is on, as in production); the password is
   asked twice at the terminal, or read from `--password-file` or CONGDOAN_ADMIN_PASSWORD.

It is idempotent: run again, it says what exists and changes nothing. It refuses, changing
nothing, when a root with another code exists or when the account exists without being a system
administrator. Every check runs before the first write, and the writes are one transaction.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.text import nfc
from congdoan.organisation.models import Unit, UnitType
from congdoan.organisation.services import unit_create_root

PASSWORD_ENV = "CONGDOAN_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable
FOUNDED = dt.date(1929, 7, 28)  # Tổng Công hội Đỏ Bắc Kỳ: the founding day of Công đoàn Việt Nam
# Catalogues that data migrations seed: (app label, model). The app need not be installed.
SEEDED = [
    ("organisation", "Level"),
    ("organisation", "UnitType"),
    ("organisation", "Sector"),
    ("organisation", "OwnershipType"),
    ("organisation", "Position"),
    ("accounts", "Role"),
    ("members", "Ethnicity"),
    ("members", "Religion"),
    ("indicators", "Indicator"),
    ("indicators", "PeriodRule"),
    ("indicators", "DataSet"),
]


@dataclass
class Plan:
    """What the run will do, decided before anything is written."""

    root: Unit | None = None  # the root already there
    root_type: UnitType | None = None  # the type of the root to create …
    founded: dt.date | None = None  # … and its founding date
    admin: User | None = None  # the administrator already there
    password: str = ""  # of the administrator to create
    lines: list[str] = field(default_factory=list)  # what is already there, in words


class Command(BaseCommand):
    help = (
        "First run: check the catalogues, create the root unit and the first system "
        "administrator. Safe to run again: it changes nothing that exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root-code", required=True, help="Code of the root unit, e.g. TLD.")
        parser.add_argument("--root-name", required=True, help="Official name of the root unit.")
        parser.add_argument("--root-short-name", default="", help="Short name, e.g. Tổng LĐLĐ.")
        parser.add_argument(
            "--root-type",
            default="",
            help="Code of the root's unit type (default: the type of the top level, e.g. tld).",
        )
        parser.add_argument(
            "--founded",
            default=FOUNDED.isoformat(),
            help="Founding date of the root, dd/mm/yyyy or yyyy-mm-dd (default 28/07/1929).",
        )
        parser.add_argument("--admin", required=True, help="Username of the first administrator.")
        parser.add_argument("--admin-name", default="", help="Full name of the administrator.")
        parser.add_argument("--email", default="", help="Email of the administrator.")
        parser.add_argument(
            "--password-file",
            default="",
            help=f"File whose first line is the administrator's password (else {PASSWORD_ENV}, "
            "else asked at the terminal).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the messages (default: Vietnamese).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self.run(options)

    # -----------------------------------------------------------------------------------------

    def run(self, options: dict[str, Any]) -> None:
        check_migrated()
        self.stdout.write(check_catalogues())
        plan = Plan()
        plan_root(plan, options)
        plan_admin(plan, options)
        if plan.password:  # asked last: every refusal comes before the question
            validate(plan.password, options)
        for line in plan.lines:
            self.stdout.write(line)
        done = apply(plan, options)
        for line in done:
            self.stdout.write(self.style.SUCCESS(line))
        if not done:
            self.stdout.write(_("Nothing was changed: everything was already set up."))
        self.stdout.write(next_steps(options["admin"]))


# ---------------------------------------------------------------------------------------------
# Checks


def check_migrated() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError(
            _("The database is not up to date: run “congdoan migrate” first. Nothing was changed.")
        )


def check_catalogues() -> str:
    """The seeded catalogues in words; a CommandError naming those that are empty."""
    present: list[str] = []
    missing: list[str] = []
    for app_label, model_name in SEEDED:
        if not apps.is_installed(f"congdoan.{app_label}"):
            continue
        model = apps.get_model(app_label, model_name)
        name = str(model._meta.verbose_name_plural)
        count = model._default_manager.count()
        (present if count else missing).append(f"{name} ({count})" if count else name)
    if missing:
        raise CommandError(
            _(
                "These catalogues, which the migrations seed, are empty: %(names)s. Run "
                "“congdoan migrate” on an empty database, or restore them. Nothing was changed."
            )
            % {"names": ", ".join(missing)}
        )
    return _("Catalogues present: %(names)s.") % {"names": ", ".join(present)}


def plan_root(plan: Plan, options: dict[str, Any]) -> None:
    code = nfc(options["root_code"]).upper()
    root = Unit.objects.filter(depth=1).first()
    if root is None:
        plan.root_type = root_type(options["root_type"])
        plan.founded = founded(options["founded"])
        return
    if root.code != code:
        raise CommandError(
            _(
                "The tree already has a root, %(name)s (code %(code)s), not %(wanted)s: this "
                "installation was set up for another root. Nothing was changed."
            )
            % {"name": root.name, "code": root.code, "wanted": code}
        )
    plan.root = root
    plan.lines.append(
        _("The root unit %(name)s (%(code)s) exists already: unchanged.")
        % {"name": root.name, "code": root.code}
    )


def root_type(code: str) -> UnitType:
    types = UnitType.objects.select_related("level").order_by("level__rank", "order")
    found = types.filter(code=code).first() if code else types.first()
    if found is None:
        raise CommandError(
            _("There is no unit type %(code)s. Nothing was changed.") % {"code": code}
        )
    return found


def plan_admin(plan: Plan, options: dict[str, Any]) -> None:
    username = nfc(options["admin"])
    admin = User.objects.filter(username__iexact=username).first()
    if admin is None:
        plan.password = password(options)
        return
    if not admin.is_superuser:
        raise CommandError(
            _(
                "The account %(username)s exists but is not a system administrator: choose "
                "another username. Nothing was changed."
            )
            % {"username": admin.username}
        )
    plan.admin = admin
    plan.lines.append(
        _("The system administrator %(username)s exists already: unchanged (password too).")
        % {"username": admin.username}
    )


def password(options: dict[str, Any]) -> str:
    """From the file, else the environment, else asked twice at the terminal."""
    if options["password_file"]:
        path = Path(options["password_file"])
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeError) as exc:
            raise CommandError(
                _("The password file %(path)s cannot be read: %(error)s")
                % {"path": path, "error": exc}
            ) from exc
        return lines[0] if lines else ""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise CommandError(
            _(
                "Give the administrator's password with --password-file or the environment "
                "variable %(env)s: there is no terminal to ask it. Nothing was changed."
            )
            % {"env": PASSWORD_ENV}
        )
    first = getpass.getpass(_("Password of %(username)s: ") % {"username": options["admin"]})
    if first != getpass.getpass(_("The same password again: ")):
        raise CommandError(_("The two passwords differ. Nothing was changed."))
    return first


def validate(password: str, options: dict[str, Any]) -> None:
    user = User(username=options["admin"], full_name=options["admin_name"], email=options["email"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise CommandError(
            _("The password is refused: %(reasons)s Nothing was changed.")
            % {"reasons": " ".join(exc.messages)}
        ) from exc


# ---------------------------------------------------------------------------------------------
# Writes


def founded(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
        if day > timezone.localdate():
            break
        return day
    raise CommandError(
        _("The founding date %(text)s is not a date in the past (dd/mm/yyyy). Nothing was changed.")
        % {"text": text}
    )


@transaction.atomic
def apply(plan: Plan, options: dict[str, Any]) -> list[str]:
    """Create what is missing; return what was created, in words."""
    done = []
    if plan.root is None:
        assert plan.root_type is not None and plan.founded is not None
        day = plan.founded
        try:
            root = unit_create_root(
                code=options["root_code"],
                name=nfc(options["root_name"]),
                short_name=nfc(options["root_short_name"]),
                unit_type=plan.root_type,
                day=day,
            )
        except RuleViolation as exc:
            unchanged = _("Nothing was changed.")
            raise CommandError(f"{exc} {unchanged}") from exc
        done.append(
            _("Root unit %(name)s (%(code)s, %(type)s) created, founded on %(day)s.")
            % {
                "name": root.name,
                "code": root.code,
                "type": plan.root_type.short_name or plan.root_type.name,
                "day": short_date(day),
            }
        )
    if plan.admin is None:
        admin = User(
            username=nfc(options["admin"]),
            full_name=nfc(options["admin_name"]),
            email=nfc(options["email"]).lower(),
            is_staff=True,
            is_superuser=True,
            date_joined=timezone.now(),
        )
        admin.set_password(plan.password)
        stamp(admin, None, "user_create")
        admin.save()
        done.append(_("System administrator %(username)s created.") % {"username": admin.username})
    return done


def next_steps(username: str) -> str:
    if getattr(settings, "OTP_REQUIRED_FOR_SUPERUSERS", False):
        otp = _(
            "At the first sign-in, %(username)s must set up two-step verification (required "
            "of system administrators on this installation)."
        )
    else:
        otp = _(
            "Two-step verification is not required of %(username)s on this installation "
            "(OTP_REQUIRED_FOR_SUPERUSERS is off); in production it is."
        )
    return "\n".join(
        [
            otp % {"username": username},
            _(
                "Next: sign in, create the units below the root under “Reorganisation” and "
                "grant roles under “Accounts”."
            ),
        ]
    )
