"""Security headers, the Content Security Policy, and rate limits on login and the API."""

import pytest
from django.core.cache import cache
from django.test import Client

from fengqiao.core.testing import Personas, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def test_pages_carry_security_headers_and_a_strict_csp(personas: Personas) -> None:
    c = Client()
    sign_in(c, personas.township_officer)
    r = c.get("/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["Cache-Control"] == "no-store"
    assert "camera=()" in r["Permissions-Policy"]
    assert "onclick=" not in r.content.decode() and "<script>" not in r.content.decode()


def test_forms_need_a_csrf_token() -> None:
    c = Client(enforce_csrf_checks=True)
    assert c.post("/login/", {"username": "x", "password": "y"}).status_code == 403


def test_login_attempts_from_one_address_are_rate_limited(personas: Personas) -> None:
    c = Client()
    codes = [c.post("/login/", {"username": f"nobody{i}", "password": "x"}).status_code for i in range(25)]
    assert codes[:20] == [200] * 20 and set(codes[20:]) == {429}


def test_anonymous_api_requests_are_throttled() -> None:
    c = Client()
    codes = [c.get("/api/v1/cases").status_code for _ in range(65)]
    assert codes.count(401) == 60 and codes[-1] == 429


def test_absurd_ids_answer_404_not_a_server_error(personas: Personas) -> None:
    """Found by Schemathesis: ids beyond 64 bits reached the database and failed there."""
    c = sign_in(Client(), personas.township_officer)
    huge = "9" * 30
    assert c.get(f"/cases/{huge}/").status_code == 404
    assert c.get(f"/api/v1/cases/{huge}").status_code == 404
    assert c.get(f"/api/v1/units/{huge}/children").status_code == 404
    assert c.get("/api/v1/cases", {"q": "川调2026-¹"}).status_code == 200  # a superscript is no digit
