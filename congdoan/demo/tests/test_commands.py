"""`congdoan load_demo --reset` never deletes a database it does not own.

The demo itself, built through `congdoan demo --no-serve`, is tested in test_demo.py.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_reset_is_refused_outside_the_var_directory(db):
    # The test database is in memory (SQLite) or PostgreSQL: never deleted.
    with pytest.raises(CommandError):
        call_command("load_demo", "--reset", stdout=StringIO())
