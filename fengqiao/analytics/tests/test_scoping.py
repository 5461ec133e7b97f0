"""Jurisdiction first: an actor sees the figures of his own unit and the units under it,
never a neighbour's or a superior's — the same rule as ``cases.queries.disputes_for``."""

import datetime as dt
import itertools

import pytest
from django.test import Client

from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import User
from fengqiao.analytics import periods, queries, rollups
from fengqiao.analytics.tests.scenarios import on
from fengqiao.core.errors import NotFound
from fengqiao.core.testing import (
    COUNTY,
    OTHER_COUNTY,
    OTHER_COUNTY_VILLAGE,
    OTHER_TOWNSHIP,
    OTHER_VILLAGE,
    SECOND_TOWNSHIP,
    TOWNSHIP,
    VILLAGE,
    Personas,
    register,
    sign_in,
)
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.geography.models import AdminUnit

pytestmark = pytest.mark.django_db
OCTOBER = periods.Period(202610, 202610)
ROLES = {
    Level.PROVINCE: Role.PROVINCE_ANALYST,
    Level.CITY: Role.CITY_ANALYST,
    Level.COUNTY: Role.COUNTY_OFFICER,
    Level.TOWNSHIP: Role.TOWNSHIP_OFFICER,
    Level.VILLAGE: Role.VILLAGE_MEDIATOR,
}


def _sample_units() -> list[AdminUnit]:
    """Every level of two cities: the province, both cities, two counties of each, two
    townships of each county, two villages of each township."""
    picked = [AdminUnit.objects.get(level=Level.PROVINCE)]
    frontier = picked
    for _ in range(4):
        nxt: list[AdminUnit] = []
        for unit in frontier[:4]:
            nxt.extend(AdminUnit.objects.filter(parent_id=unit.code).order_by("code")[:2])
        picked.extend(nxt)
        frontier = nxt
    return picked


def test_scope_is_granted_exactly_within_the_actors_subtree() -> None:
    units = _sample_units()
    assert {u.level for u in units} == set(ROLES)
    for mine, other in itertools.product(units, units):
        actor = User(username="x", role=ROLES[Level(mine.level)], admin_unit_id=mine.code)
        inside = codes.contains(mine.code, other.code)
        try:
            scope = queries.scope_for(actor, other.code)
        except NotFound:
            assert not inside, f"{mine.code} may see {other.code}"
        else:
            assert inside, f"{mine.code} must not see {other.code}"
            assert scope.code == other.code and scope.root.code == mine.code
            assert all(codes.contains(mine.code, u.code) for u in scope.path())  # no crumb above


def test_roles_without_case_reading_or_a_unit_see_nothing() -> None:
    for role in (Role.CITIZEN, Role.PARTNER, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(NotFound):
            queries.scope_for(User(username="x", role=role, admin_unit_id=COUNTY), COUNTY)
    with pytest.raises(NotFound):
        queries.scope_for(User(username="x", role=Role.COUNTY_OFFICER, admin_unit_id=None))
    with pytest.raises(NotFound):
        queries.scope_for(User(username="x", role=Role.COUNTY_OFFICER, admin_unit_id=COUNTY, is_active=False))


def test_a_township_counts_only_its_own_disputes(personas: Personas) -> None:
    p = personas
    second = AdminUnit.objects.filter(parent_id=SECOND_TOWNSHIP, level=Level.VILLAGE).order_by("code")[0]
    with on(dt.date(2026, 10, 5)):
        register(p.village_mediator)
        register(p.township_officer, admin_unit=OTHER_VILLAGE)
        register(p.county_officer, admin_unit=second.code)
        register(p.other_township_officer, admin_unit=OTHER_COUNTY_VILLAGE)
        register(p.other_township_officer, admin_unit=OTHER_COUNTY_VILLAGE)
    rollups.catch_up()
    own = queries.scope_for(p.township_officer)
    assert queries.figures(own, OCTOBER)["registered"] == 2
    assert {c.code for c in queries.children(own, OCTOBER)} <= set(
        AdminUnit.objects.filter(parent_id=TOWNSHIP).values_list("code", flat=True)
    )
    assert queries.figures(queries.scope_for(p.other_township_officer), OCTOBER)["registered"] == 2
    assert queries.figures(queries.scope_for(p.county_officer), OCTOBER)["registered"] == 3
    assert queries.figures(queries.scope_for(p.village_mediator), OCTOBER)["registered"] == 1

    # through every edge: the own figures, and 404 for the other township and its village
    c = sign_in(Client(), p.township_officer)
    body = c.get("/api/v1/analytics/indicators", {"from": "2026-10", "to": "2026-10"}).json()
    assert body["unit"]["code"] == TOWNSHIP and body["counts"]["registered"] == 2
    kids = c.get("/api/v1/analytics/children", {"from": "2026-10", "to": "2026-10"}).json()["children"]
    assert {k["code"] for k in kids if k["counts"]["registered"]} == {VILLAGE, OTHER_VILLAGE}
    for unit in (OTHER_TOWNSHIP, OTHER_COUNTY_VILLAGE, SECOND_TOWNSHIP, OTHER_COUNTY):
        assert c.get("/analytics/", {"unit": unit}).status_code == 404
        assert c.get("/api/v1/analytics/indicators", {"unit": unit}).status_code == 404
        assert c.get("/analytics/report.xlsx", {"unit": unit, "month": "2026-10"}).status_code == 404
