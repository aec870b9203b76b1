"""API infrastructure: health check, OpenAPI schema, Swagger UI page, error shape, pagination."""

from __future__ import annotations

import json
import re

from django.test import Client
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from congdoan.core.tests.support import MARKER_A

# ---------------------------------------------------------------------------------------------
# /healthz


def test_healthz_answers_ok_without_login(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies, "the health check must not start a session"


def test_healthz_reveals_nothing_about_the_caller_or_the_system(world, client_of):
    body = client_of("national").get("/healthz").content.decode()
    assert json.loads(body)["status"] == "ok"
    for secret in (
        "national",
        "Quản trị",
        MARKER_A,
        "congdoan",
        "sqlite3",
        "/",
        "version",
        "debug",
    ):
        assert secret.lower() not in body.lower(), f"/healthz reveals {secret!r}: {body}"


def test_healthz_body_is_only_the_status(db):
    assert Client().get("/healthz").json() == {"status": "ok"}


# ---------------------------------------------------------------------------------------------
# OpenAPI schema

ORGANISATION_PATHS = {
    "/api/v1/units/",
    "/api/v1/units/{id}/",
    "/api/v1/units/{id}/children/",
    "/api/v1/units/{id}/ancestors/",
    "/api/v1/units/{id}/history/",
    "/api/v1/units/{id}/lineage/",
    "/api/v1/units/{id}/subtree/",
    "/api/v1/tree/",
    "/api/v1/clusters/",
    "/api/v1/clusters/{id}/",
    "/api/v1/clusters/{id}/members/",
    "/api/v1/clusters/{id}/members/{membership}/",
    "/api/v1/clusters/{id}/members/{membership}/head/",
    "/api/v1/clusters/{id}/copy-year/",
    "/api/v1/terms/",
    "/api/v1/terms/{id}/",
    "/api/v1/terms/{id}/seats/",
    "/api/v1/terms/{id}/seats/{seat}/end/",
    "/api/v1/levels/",
    "/api/v1/levels/{id}/",
    "/api/v1/unit-types/",
    "/api/v1/unit-types/{id}/",
    "/api/v1/sectors/",
    "/api/v1/sectors/{id}/",
    "/api/v1/ownership-types/",
    "/api/v1/ownership-types/{id}/",
    "/api/v1/positions/",
    "/api/v1/positions/{id}/",
}


def _generate(patterns=None) -> tuple[dict, list[str]]:
    reset_generator_stats()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    problems = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    reset_generator_stats()
    return schema, problems


ORGANISATION_PATTERNS = [path("api/v1/", include(("congdoan.organisation.api.urls", "api")))]


def test_organisation_api_schema_is_valid_without_warnings():
    schema, problems = _generate(ORGANISATION_PATTERNS)
    assert problems == []
    validate_schema(schema)
    assert set(schema["paths"]) == ORGANISATION_PATHS


def test_full_schema_has_the_organisation_paths_and_no_warning_about_them():
    """With every app's endpoints (enum and component names are global), still no warning that
    concerns the organisation API."""
    own, _ = _generate(ORGANISATION_PATTERNS)
    schema, problems = _generate()
    validate_schema(schema)
    assert set(schema["paths"]) >= ORGANISATION_PATHS
    # Component and enum names are quoted or parenthesised in the warnings; enum collisions name
    # the field.
    names = [f'"{n}"' for n in own["components"]["schemas"]]
    names += [f"({n})" for n in own["components"]["schemas"]]
    names += ['named "kind"', 'named "committee"']
    about_mine = [
        p
        for p in problems
        if "organisation/api" in p or "core/api" in p or any(n in p for n in names)
    ]
    assert about_mine == []


def test_schema_documents_the_tree_parameters_and_errors():
    schema, _ = _generate()
    tree = schema["paths"]["/api/v1/tree/"]["get"]
    params = {p["name"]: p for p in tree["parameters"]}
    assert set(params) == {"as_of", "root", "depth"}
    assert params["as_of"]["schema"] == {"type": "string", "format": "date"}
    assert {"200", "400", "404"} <= set(tree["responses"])
    detail = schema["paths"]["/api/v1/units/{id}/"]["get"]
    assert detail["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiError"
    }
    assert {"knoxApiToken", "cookieAuth"} <= {
        name for entry in detail["security"] for name in entry
    }


def test_schema_and_docs_are_for_signed_in_users(world, client_of):
    """Issue 11: a deployment holding personal data shows strangers nothing of its API."""
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 401
    docs = Client().get("/api/docs/")
    assert docs.status_code == 302 and "/accounts/login" in docs["Location"]
    response = client_of("officer_b").get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    assert set(response.json()["paths"]) >= ORGANISATION_PATHS
    from congdoan.accounts.services import token_create

    _, key = token_create(actor=world.officer_b, name="máy")
    response = Client().get("/api/schema/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


# ---------------------------------------------------------------------------------------------
# Swagger UI page: only local URLs, no inline script, strict CSP

URL_ATTR = re.compile(r"""\b(?:src|href)=["']([^"']+)["']""")
REMOTE = re.compile(r"https?://", re.IGNORECASE)


def test_docs_page_uses_only_local_urls_and_no_inline_script(world, client_of):
    client = client_of("officer_a")
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not REMOTE.search(html), "the docs page references another host"
    urls = URL_ATTR.findall(html)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts), "inline <script> in the docs page"

    # The start-up script comes from the view itself (?script) and points at the local schema.
    [script_url] = [u for u in urls if "script" in u]
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    js = script.content.decode()
    assert not REMOTE.search(js), "the docs script references another host"
    assert 'url: "/api/schema/"' in js

    # Every asset is served by this site.
    for url in urls:
        if url != script_url:
            asset = client.get(url)
            assert asset.status_code == 200, url


def test_docs_page_is_served_under_a_csp_without_unsafe_inline_scripts(world, client_of):
    response = client_of("officer_a").get("/api/docs/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["connect-src"] == "'self'"


# ---------------------------------------------------------------------------------------------
# One error shape for invalid query parameters; pagination cap


def test_invalid_query_parameters_answer_400_with_detail_and_field(world, client_of):
    c = client_of("national")
    for url, params, field in [
        ("/api/v1/units/", {"active_on": "30/06/2025"}, "active_on"),
        ("/api/v1/tree/", {"as_of": "2025-02-30"}, "as_of"),
        ("/api/v1/unit-types/", {"valid_on": "tomorrow"}, "valid_on"),
    ]:
        response = c.get(url, params)
        assert response.status_code == 400, url
        body = response.json()
        assert set(body) == {"detail", "field"} and body["field"] == field, body


def test_page_size_is_capped(world, client_of):
    from congdoan.core.api.base import Pagination

    response = client_of("national").get("/api/v1/units/", {"limit": 100000})
    assert response.status_code == 200
    assert Pagination.max_limit == 500
    assert response.json()["count"] == 8


def test_not_found_body_is_the_same_error_shape(world, client_of):
    response = client_of("national").get("/api/v1/units/987654321/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
