"""The API fuzzed from its own OpenAPI schema with schemathesis, for each kind of caller (issue 16).

The schema is the one the app serves at /api/schema/. Every request goes in-process to the
project's WSGI application (real middleware, real token authentication) on the test database,
SQLite or PostgreSQL, inside a savepoint rolled back after it. Before the requests, the standard
world gets an object of every kind in district A's subtree (what the scoping cases of
`test_url_scoping` make), so detail endpoints have something to find and officer B's lists have
something to leak. Bounded and reproducible: a few derandomized examples per operation, drawn
from schemathesis's valid and invalid requests and from valid requests that name real objects.

- Without credentials, every operation under /api/v1/, of every method, answers 401.
- With an API token, neither the national officer nor a district officer (officer B) gets a 5xx
  from any operation, reads and writes (every write is rolled back with its savepoint).
- Officer B receives nothing of district A (names holding MARKER_A, A's codes, A's member's card,
  A's officer) from any GET, random or naming A's objects (their ids in the path, A's units and
  member in the filters), nor from writes naming A's objects, which never succeed. The national
  officer, with the same probes and the same check, does find A's data.
"""

from __future__ import annotations

import io
import json
import os
import re
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core import NotSet

from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A, MARKER_B

SCHEMA_URL = "/api/schema/"
# A deeper, random run on a developer's machine: CONGDOAN_API_FUZZ_SCALE=20 (CI runs 1).
SCALE = int(os.environ.get("CONGDOAN_API_FUZZ_SCALE", "1"))
GET_EXAMPLES = 4 * SCALE  # per GET operation and signed-in caller
WRITE_EXAMPLES = 2 * SCALE  # per write operation, officer B
WRITES = ("POST", "PUT", "PATCH", "DELETE")

# ---------------------------------------------------------------------------------------------
# The application in-process, on the test's database connection

_handler: WSGIHandler | None = None
_errors: list[str] = []  # tracebacks of the exceptions Django answered with a 500


def _record_exception(sender: Any, request: Any = None, **kwargs: Any) -> None:
    _errors.append(traceback.format_exc())


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Django's WSGI application, each request in a savepoint rolled back after it: no request
    sees another's writes, and a database error in one (a 500) does not abort the test's
    transaction on PostgreSQL."""
    global _handler
    if _handler is None:
        _handler = WSGIHandler()
    with transaction.atomic():
        try:
            result = _handler(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                result.close()
        finally:
            transaction.set_rollback(True)
    return [body]


@pytest.fixture
def wsgi_app(world) -> Iterator[Callable[..., Any]]:
    """`app`, with what Django's test client does too: the signals that close the database
    connection at the start and end of a request are off (the test's transaction lives on it),
    and the exceptions behind a 500 are kept to show in the failure."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(_record_exception)
    _errors.clear()
    try:
        yield app
    finally:
        signals.got_request_exception.disconnect(_record_exception)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def token_of(user: Any) -> str:
    from congdoan.accounts.services import token_create

    _, key = token_create(actor=user, name="fuzz", otp_verified=True)
    return f"Token {key}"


_schema: Any = None


def api_schema(authorization: str) -> Any:
    """The schema the app serves, loaded once per process (it changes only with the code)."""
    global _schema
    if _schema is None:
        _schema = schemathesis.openapi.from_wsgi(
            SCHEMA_URL,
            app,
            headers={"Authorization": authorization, "Accept": "application/vnd.oai.openapi+json"},
        )
    return _schema


def operations(schema: Any, methods: tuple[str, ...] | None = None) -> list[Any]:
    found = [result.ok() for result in schema.get_all_operations()]
    if methods:
        found = [op for op in found if op.method.upper() in methods]
    assert found, "the schema has no such operation"
    return found


# ---------------------------------------------------------------------------------------------
# Real objects: an object of every kind in A's subtree, and the values that name them


@dataclass
class Known:
    """Path parameters of real objects per operation path (all in A's subtree), and values of
    query parameters that name real objects."""

    paths: dict[str, list[dict[str, Any]]]
    query: dict[str, list[Any]]


# A query parameter that names an object: the list whose objects it names.
REFERENCES = {
    "cluster": "/api/v1/clusters/{id}/",
    "meeting": "/api/v1/meetings/{id}/",
    "campaign": "/api/v1/care-campaigns/{id}/",
    "contest": "/api/v1/contests/{id}/",
    "inspection": "/api/v1/inspections/{id}/",
    "term": "/api/v1/terms/{id}/",
    "movement": "/api/v1/emulation-movements/{id}/",
    "programme": "/api/v1/initiative-programmes/{id}/",
    "user": "/api/v1/users/{id}/",
    "member": "/api/v1/members/{id}/",
}
UNIT_PARAMETERS = ("unit", "under", "root", "parent", "organiser")


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


def _seed_a(world: Any) -> list[str]:
    """What the scoping cases of the API make in A's subtree; the URLs of its objects. Cases
    whose objects cannot live next to another case's are left out (a register kept from a year
    and figures already entered for it)."""
    from congdoan.core.tests.test_url_scoping import CASES

    reads = {n: c for n, c in CASES.items() if n.startswith("api:") and c.method == "get"}
    urls = []
    for name in sorted(reads, key=lambda n: (not n.startswith("api:sheet"), n)):
        case = reads[name]
        try:
            with transaction.atomic():
                if case.setup:
                    case.setup(world)
                if case.kind == "object" and case.kwargs:
                    urls.append(reverse(name, kwargs=case.kwargs(world)))
        except RuleViolation:
            continue
    return urls


@pytest.fixture
def known(world, wsgi_app) -> Known:
    """The world with an object of every kind in A's subtree, and the values naming them."""
    from congdoan.indicators.models import Period

    a_paths = _seed_a(world)
    assert len(a_paths) >= 50, a_paths
    templates = [op.path for op in operations(api_schema(token_of(world.national)), ("GET",))]
    patterns = [(t, _template_pattern(t)) for t in templates if "{" in t]
    paths: dict[str, list[dict[str, Any]]] = {}
    for url in a_paths:
        for template, pattern in patterns:
            if match := pattern.match(url):
                values = {k: int(v) if v.isdigit() else v for k, v in match.groupdict().items()}
                paths.setdefault(template, []).append(values)
    units = [
        world.root, world.province, world.unit_a, world.unit_b, world.grass_a1,
        world.grass_a2, world.group_a1, world.grass_b1,
    ]  # fmt: skip
    query: dict[str, list[Any]] = {name: [u.pk for u in units] for name in UNIT_PARAMETERS}
    query["unit_code"] = [u.code for u in units]
    for name, template in REFERENCES.items():
        query[name] = sorted({p["id"] for p in paths.get(template, [])})
    query["member"] = sorted({*query["member"], world.member_a.pk, world.member_b.pk})
    query["period"] = list(Period.objects.order_by("-pk").values_list("pk", flat=True)[:4])
    query["year"] = [2024, 2025]
    return Known(paths=paths, query={k: v for k, v in query.items() if v})


# ---------------------------------------------------------------------------------------------
# Cases and their strategies


def _kind(parameter: Any) -> Any:
    return parameter.definition.get("schema", {}).get("type")


def _query_values(operation: Any, known: Known) -> dict[str, list[Any]]:
    """For each query parameter of `operation` that names an object, real values for it."""
    values = {}
    for parameter in operation.query:
        name = parameter.name
        if name in UNIT_PARAMETERS and _kind(parameter) == "string":
            values[name] = known.query["unit_code"]
        elif name in known.query:
            values[name] = known.query[name]
    return values


def _path_values(operation: Any, known: Known) -> list[dict[str, Any]]:
    """Path parameters of A's objects for `operation`: its own path's, else those of the object
    it acts on (`/members/{id}/suspend/` acts on `/members/{id}/`)."""
    if operation.path in known.paths:
        return known.paths[operation.path]
    head, found, _ = operation.path.partition("{id}/")
    return known.paths.get(head + found, []) if found else []


def strategy_for(operation: Any, known: Known) -> Any:
    """Valid and invalid requests from the schema, and valid ones naming real objects."""
    branches = [
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    paths = _path_values(operation, known)
    has_path = bool(list(operation.path_parameters))
    if paths or not has_path:
        query = st.fixed_dictionaries(
            {name: st.sampled_from(v) for name, v in _query_values(operation, known).items()}
        )
        path = st.sampled_from(paths) if paths else st.just(None)
        branches.append(
            st.tuples(path, query).flatmap(
                lambda pq: operation.as_strategy(
                    generation_mode=GenerationMode.POSITIVE,
                    path_parameters=pq[0],
                    query=pq[1] or None,
                )
            )
        )
    return st.one_of(*branches)


def fuzz(operation: Any, known: Known, examples: int, check: Callable[[Any], None]) -> None:
    """`check` on `examples` derandomized cases of `operation` (no shrinking: `check` records
    what fails and the run goes on)."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=SCALE == 1,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy_for(operation, known))
    def run(case: Any) -> None:
        check(case)

    run()


def probes_of_a(world: Any, operation: Any, known: Known) -> list[Any]:
    """Cases of `operation` that name A's objects: each of A's objects of its kind in the path
    (for a read without one, the ids of A's units, member and officer), A's units and member in
    the filters. A write is probed only on A's objects of its kind."""
    units = [world.unit_a, world.grass_a1, world.group_a1]
    path_parameters = list(operation.path_parameters)
    others = {  # path parameters besides the id (a file's kind, a seat): a valid value
        p.name: (p.definition.get("schema", {}).get("enum") or [1])[0]
        for p in path_parameters
        if p.name != "id"
    }
    paths = [{**others, **p} for p in _path_values(operation, known)]
    is_get = operation.method.upper() == "GET"
    if not paths and is_get and any(p.name == "id" for p in path_parameters):
        ids = sorted({u.pk for u in units} | {world.member_a.pk, world.officer_a.pk})
        paths = [{**others, "id": pk} for pk in ids]
    if path_parameters and not paths:
        return []
    cases = [operation.Case(path_parameters=p) for p in paths]
    filters = [p for p in operation.query if p.name in (*UNIT_PARAMETERS, "member")]

    def value(parameter: Any, unit: Any) -> Any:
        if parameter.name == "member":
            return world.member_a.pk
        return unit.code if _kind(parameter) == "string" else unit.pk

    for unit in units if filters else []:
        query = {p.name: value(p, unit) for p in filters}
        cases.append(operation.Case(path_parameters=paths[0] if paths else None, query=query))
    return cases


# ---------------------------------------------------------------------------------------------
# Sending them, and what is checked


@dataclass
class Seen:
    """What a run met: the first failure of each operation, and how often each status."""

    failures: dict[str, str] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)

    def fail(self, case: Any, message: str) -> None:
        key = f"{case.method} {case.operation.path}"
        self.failures.setdefault(key, f"{message}\n    {_describe(case)}")

    def assert_none(self) -> None:
        report = "\n".join(f"- {key}: {text}" for key, text in sorted(self.failures.items()))
        assert not self.failures, f"{len(self.failures)} operations fail:\n{report}"


def _describe(case: Any) -> str:
    body = None if isinstance(case.body, NotSet) else case.body
    return f"path={case.formatted_path} query={case.query!r} body={body!r:.300}"


def send(case: Any, authorization: str | None, seen: Seen) -> Any:
    """Send `case` as the caller of `authorization` (None: without credentials); a 5xx fails."""
    if case.headers:
        case.headers.pop("Authorization", None)
    _errors.clear()
    response = case.call(
        app=app, headers={"Authorization": authorization} if authorization else None
    )
    seen.statuses[response.status_code] = seen.statuses.get(response.status_code, 0) + 1
    if response.status_code >= 500:
        seen.fail(case, f"{response.status_code}\n{''.join(_errors[-1:])}")
    return response


XML_TAG = re.compile(r"<[^>]*>")


def _texts(response: Any) -> list[str]:
    """The texts a response carries: each JSON string (keys too), the text of each part of a
    zip (xlsx, docx) without its XML tags, of each page of a PDF, or else the text."""
    content = response.content or b""
    if zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        return [XML_TAG.sub(" ", part) for part in parts]
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
        except PyPdfError:
            pass  # not a PDF after all: its bytes as text
    text = content.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        return [text]
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                found.append(str(key))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return found


@dataclass
class Secrets:
    """What only district A's side may read: any text that holds `marker`, and exact values."""

    marker: str
    exact: set[str]

    def found_in(self, response: Any) -> list[str]:
        marker = self.marker.casefold()
        return [t[:120] for t in _texts(response) if marker in t.casefold() or t in self.exact]

    def sent_in(self, case: Any) -> bool:
        """Whether the request itself holds one (an answer may quote what it was sent)."""
        body = None if isinstance(case.body, NotSet) else case.body
        sent = json.dumps(
            [case.path_parameters, case.query, body], default=str, ensure_ascii=False
        ).casefold()
        return any(s.casefold() in sent for s in (self.marker, *self.exact))


def secrets_of_a(world: Any) -> Secrets:
    units = [world.unit_a, world.grass_a1, world.grass_a2, world.group_a1]
    exact = {u.code for u in units} | {world.member_a.card_number}
    exact |= {world.officer_a.username, world.officer_a.full_name}
    return Secrets(marker=MARKER_A, exact=exact)


def leaks(case: Any, response: Any, secrets: Secrets) -> list[str]:
    """The secrets in an answer, unless the request itself named them (it may quote them)."""
    if response.status_code >= 500 or secrets.sent_in(case):
        return []
    return secrets.found_in(response)


# ---------------------------------------------------------------------------------------------
# The tests


def test_without_credentials_every_operation_answers_401(world, known):
    seen = Seen()

    def check(case: Any) -> None:
        response = send(case, None, seen)
        if response.status_code != 401:
            seen.fail(case, f"{response.status_code} without credentials")

    for operation in operations(api_schema(token_of(world.national))):
        fuzz(operation, known, 1, check)
        for case in probes_of_a(world, operation, known)[:1]:  # a real object
            check(case)
    seen.assert_none()
    assert set(seen.statuses) == {401}


def test_national_officer_gets_no_server_error_and_sees_both_districts(world, known):
    authorization = token_of(world.national)
    secrets = secrets_of_a(world)
    seen = Seen()
    with_a: set[str] = set()
    with_b: set[str] = set()

    def check(case: Any) -> None:
        response = send(case, authorization, seen)
        if response.status_code == 200 and leaks(case, response, secrets):
            with_a.add(case.operation.path)
        if response.status_code == 200 and any(MARKER_B in t for t in _texts(response)):
            with_b.add(case.operation.path)

    for operation in operations(api_schema(authorization), ("GET",)):
        fuzz(operation, known, GET_EXAMPLES, check)
        for case in probes_of_a(world, operation, known):
            check(case)
    seen.assert_none()
    # The check that officer B gets nothing of A does find A's data where it may be read: in
    # the answers of most reads (lists, objects, files).
    assert len(with_a) >= 60, sorted(with_a)
    assert {"/api/v1/units/", "/api/v1/members/", "/api/v1/members/{id}/"} <= with_a
    assert {"/api/v1/units/", "/api/v1/tree/", "/api/v1/members/"} <= with_b
    assert seen.statuses.get(200, 0) > sum(seen.statuses.values()) // 3, seen.statuses


def test_national_officer_writes_get_no_server_error(world, known):
    """Every write by the national officer (each rolled back), whose scope lets them reach the
    services: no 5xx."""
    authorization = token_of(world.national)
    seen = Seen()
    for operation in operations(api_schema(authorization), WRITES):
        fuzz(operation, known, WRITE_EXAMPLES, lambda case: send(case, authorization, seen))
    seen.assert_none()
    assert sum(n for status, n in seen.statuses.items() if status < 300) > 0, seen.statuses


def test_district_officer_gets_no_server_error_and_nothing_of_the_other_district(world, known):
    authorization = token_of(world.officer_b)
    secrets = secrets_of_a(world)
    seen = Seen()

    def check(case: Any) -> None:
        response = send(case, authorization, seen)
        if found := leaks(case, response, secrets):
            seen.fail(case, f"{response.status_code}: officer B received {found[:3]}")

    for operation in operations(api_schema(authorization), ("GET",)):
        fuzz(operation, known, GET_EXAMPLES, check)
        for case in probes_of_a(world, operation, known):
            check(case)
    seen.assert_none()
    assert seen.statuses.get(200, 0) > sum(seen.statuses.values()) // 4, seen.statuses


def test_district_officer_writes_get_no_server_error_and_never_reach_the_other_district(
    world, known
):
    """Every write by officer B (each rolled back): no 5xx, nothing of A in the answers, and
    none naming one of A's objects in its path succeeds."""
    authorization = token_of(world.officer_b)
    secrets = secrets_of_a(world)
    seen = Seen()

    def check(case: Any, on_a: bool = False) -> None:
        response = send(case, authorization, seen)
        if on_a and 200 <= response.status_code < 300:
            seen.fail(case, f"{response.status_code}: officer B changed one of A's objects")
        if found := leaks(case, response, secrets):
            seen.fail(case, f"{response.status_code}: officer B received {found[:3]}")

    for operation in operations(api_schema(authorization), WRITES):
        fuzz(operation, known, WRITE_EXAMPLES, check)
        for case in probes_of_a(world, operation, known):
            check(case, on_a=True)
    seen.assert_none()
    assert seen.statuses.get(404, 0) > 0, seen.statuses


# ---------------------------------------------------------------------------------------------
# What the fuzzing found


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        # A unit by its code (organisation's UnitField): terms, care records, scorecards, report
        # templates.
        ("/api/v1/terms/", {"unit": "B1\x00", "number": 1, "start_year": 2023}, "unit"),
        # A unit by its code (reorganisation's UnitCodeField), in a list.
        (
            "/api/v1/reorganisation/merge/",
            {"effective_date": "2025-07-01", "sources": ["B1", "B1\x00"], "target": "HB"},
            "sources",
        ),
        # A catalogue entry by its code (DRF's SlugRelatedField), in a nested list.
        (
            "/api/v1/reorganisation/split/",
            {
                "effective_date": "2025-07-01",
                "source": "B1",
                "new_targets": [{"code": "B2", "name": "CĐCS B2", "unit_type": "cdcs\x00"}],
            },
            "new_targets.unit_type",
        ),
        # In a key, at the top: no field to name.
        ("/api/v1/terms/", {"unit\x00": "B1"}, None),
    ],
)
def test_a_nul_character_in_a_body_answers_400_naming_the_field(world, url, body, field):
    """On PostgreSQL these answered 500 (its driver cannot send a NUL; the look-up of the unit
    or catalogue entry by that text failed); on SQLite 400 "not found". Now 400 on both, with
    the message DRF's CharField gives for a NUL in its own fields."""
    from django.core.validators import ProhibitNullCharactersValidator
    from django.test import Client

    response = Client().post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=token_of(world.officer_b)
    )
    assert response.status_code == 400, response.content
    expected = {"detail": str(ProhibitNullCharactersValidator.message)}
    assert response.json() == (expected if field is None else {**expected, "field": field})


def test_a_nul_character_in_a_form_field_answers_400(world):
    """The same in a multipart form: the owner unit of an uploaded plan, by its code."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    upload = SimpleUploadedFile("plan.csv", b"a,b\n", content_type="text/csv")
    response = Client().post(
        "/api/v1/reorganisation/plans/",
        {"file": upload, "unit": "HB\x00"},
        HTTP_AUTHORIZATION=token_of(world.officer_b),
    )
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "unit"
