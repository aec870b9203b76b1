"""`congdoan init` on an empty database: the root unit and the first system administrator, once;
a second run changes nothing; refusals change nothing either."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from congdoan.accounts.models import User
from congdoan.core.permissions import Action
from congdoan.core.scoping import has_any_scope
from congdoan.core.tests.support import unit_type
from congdoan.organisation import services as org
from congdoan.organisation.models import Position, Unit, UnitVersion

PASSWORD = "Mot-mat-khau-rat-dai-2025"
NAME = "Tổng Liên đoàn Lao động Việt Nam"

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "admin-password"
    path.write_text(f"{PASSWORD}\n", encoding="utf-8")
    return str(path)


def init(*extra, code="tld", admin="quantri", language="en"):
    """Run the command; its output."""
    out = io.StringIO()
    args = ["--root-code", code, "--root-name", NAME, "--admin", admin, *extra]
    if language:
        args += ["--language", language]
    call_command("init", *args, stdout=out)
    return out.getvalue()


def nothing_created():
    return not Unit.objects.exists() and not User.objects.exists()


def test_a_fresh_install_gets_its_root_and_administrator(password_file):
    assert nothing_created()
    out = init(
        "--root-short-name",
        "Tổng LĐLĐ",
        "--admin-name",
        "Quản trị",
        "--password-file",
        password_file,
    )
    root = Unit.objects.get()
    assert (root.code, root.name, root.short_name, root.depth) == ("TLD", NAME, "Tổng LĐLĐ", 1)
    assert root.unit_type.code == "tld" and root.founded_on == dt.date(1929, 7, 28)
    version = UnitVersion.objects.get(unit=root)
    assert version.valid_from == dt.date(1929, 7, 28) and version.valid_to is None
    assert root.history.get().history_change_reason == "unit_create"
    admin = User.objects.get()
    assert (admin.username, admin.full_name) == ("quantri", "Quản trị")
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.check_password(PASSWORD)
    assert admin.history.get().history_change_reason == "user_create"
    assert "Root unit Tổng Liên đoàn Lao động Việt Nam (TLD, Tổng LĐLĐ) created" in out
    assert "founded on 28/07/1929" in out
    assert "System administrator quantri created." in out
    assert "Catalogues present: levels (7), unit types (" in out
    assert "Next: sign in" in out


def test_the_administrator_can_build_the_tree_below_the_root(password_file):
    init("--password-file", password_file)
    admin, root = User.objects.get(), Unit.objects.get()
    assert has_any_scope(admin, Action.ORGANISATION_REORGANISE)
    province = org.unit_create(
        actor=admin,
        parent=root,
        code="LC",
        name="Liên đoàn Lao động tỉnh Lai Châu",
        unit_type=unit_type("ldld_tinh"),
        day=dt.date(2004, 1, 1),  # a real founding date, long after the root's
    )
    assert province.parent_id == root.pk


def test_a_second_run_says_what_exists_and_changes_nothing(password_file):
    init("--password-file", password_file)
    admin = User.objects.get()
    out = init()  # no password given: none is needed, none is asked
    assert "The root unit Tổng Liên đoàn Lao động Việt Nam (TLD) exists already: unchanged." in out
    assert "The system administrator quantri exists already: unchanged (password too)." in out
    assert "Nothing was changed: everything was already set up." in out
    assert Unit.objects.count() == 1 and User.objects.count() == 1
    assert User.objects.get().password == admin.password
    assert UnitVersion.objects.count() == 1


def test_a_root_with_another_code_is_refused(password_file):
    init("--password-file", password_file)
    with pytest.raises(CommandError, match=r"already has a root, .*\(code TLD\), not LDLD"):
        init("--password-file", password_file, code="LDLD", admin="khac")
    assert Unit.objects.count() == 1 and not User.objects.filter(username="khac").exists()


def test_an_account_that_is_not_an_administrator_is_refused(password_file):
    User.objects.create_user(username="QuanTri", password=PASSWORD)
    with pytest.raises(CommandError, match="QuanTri exists but is not a system administrator"):
        init("--password-file", password_file)
    assert not Unit.objects.exists() and not User.objects.get().is_superuser


def test_an_existing_superuser_is_kept_and_the_root_created(password_file):
    """An installation that followed the old instructions (createsuperuser first)."""
    User.objects.create_superuser(username="quantri", password=PASSWORD, email="")
    out = init()
    assert Unit.objects.filter(code="TLD").exists()
    assert "exists already: unchanged (password too)" in out and "created, founded on" in out


def test_missing_catalogues_are_named_and_nothing_is_created(password_file):
    Position.objects.all().delete()
    with pytest.raises(CommandError, match=r"empty: positions\. Run “congdoan migrate”"):
        init("--password-file", password_file)
    assert nothing_created()


def test_an_unmigrated_database_is_refused(password_file, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [object()])
    with pytest.raises(CommandError, match="run “congdoan migrate” first"):
        init("--password-file", password_file)
    assert nothing_created()


def test_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("CONGDOAN_ADMIN_PASSWORD", PASSWORD)
    init()
    assert User.objects.get().check_password(PASSWORD)


def test_a_weak_password_is_refused(tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("12345678\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"The password is refused: .*Nothing was changed"):
        init("--password-file", str(weak))
    assert nothing_created()


def test_no_password_without_a_terminal_is_refused(monkeypatch):
    monkeypatch.delenv("CONGDOAN_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-file or the environment variable"):
        init()
    assert nothing_created()
    with pytest.raises(CommandError, match="cannot be read"):
        init("--password-file", "/nonexistent/congdoan-password")


def test_the_password_asked_twice_at_the_terminal(monkeypatch):
    monkeypatch.delenv("CONGDOAN_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter([PASSWORD, "khac"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="The two passwords differ"):
        init()
    assert nothing_created()
    answers = iter([PASSWORD, PASSWORD])
    init()
    assert User.objects.get().check_password(PASSWORD)


@pytest.mark.parametrize("day", ["31/02/2020", "01/01/2999", "hôm qua"])
def test_a_bad_founding_date_is_refused(password_file, day):
    with pytest.raises(CommandError, match="is not a date in the past"):
        init("--password-file", password_file, "--founded", day)
    assert nothing_created()


def test_the_root_type_and_date_can_be_given(password_file):
    """An installation for one provincial federation: its root is the province."""
    with pytest.raises(CommandError, match="There is no unit type xyz"):
        init("--password-file", password_file, "--root-type", "xyz", code="LC")
    assert nothing_created()
    init(
        "--password-file",
        password_file,
        "--root-type",
        "ldld_tinh",
        "--founded",
        "01/01/2004",
        code="LC",
    )
    root = Unit.objects.get()
    assert (root.code, root.unit_type.code, root.founded_on) == (
        "LC",
        "ldld_tinh",
        dt.date(2004, 1, 1),
    )


def test_refusals_of_the_service_come_in_vietnamese_by_default(password_file):
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Chưa nhập tên chính thức\."):
        call_command(
            "init",
            "--root-code",
            "TLD",
            "--root-name",
            " ",
            "--admin",
            "quantri",
            "--password-file",
            password_file,
            stdout=out,
        )
    assert nothing_created()
