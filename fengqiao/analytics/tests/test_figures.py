"""Every figure the dashboard shows equals the same figure computed directly from the
cases (``direct``), for every level from the province to a village, for single months
and longer periods, with and without a type filter — after the cases were built
through the real actions and the rollup job has run."""

from typing import Any

import pytest

from fengqiao.analytics import periods, presenters, queries, rollups
from fengqiao.analytics.indicators import Figures
from fengqiao.analytics.tests import direct
from fengqiao.analytics.tests.scenarios import SECOND_TOWNSHIP, TODAY, build, on
from fengqiao.cases.choices import Channel, DisputeType, Status, Tier
from fengqiao.cases.models import Dispute
from fengqiao.core.testing import (
    CITY,
    COUNTY,
    OTHER_COUNTY,
    PROVINCE,
    TOWNSHIP,
    VILLAGE,
    Personas,
)
from fengqiao.geography.models import AdminUnit

pytestmark = pytest.mark.django_db

PERIODS = [
    periods.Period(202610, 202610),
    periods.Period(202601, 202612),
    periods.Period(202510, 202510),
]
TYPES = ["", "contract"]


@pytest.fixture
def world(personas: Personas) -> dict[str, Dispute]:
    second = AdminUnit.objects.filter(parent_id=SECOND_TOWNSHIP, level=5).order_by("code").first()
    assert second is not None
    cases = build(personas, second.code)
    with on(TODAY):
        rollups.catch_up()
    return cases


def _check_figures(got: Figures, want: direct.Direct, where: str) -> None:
    for name, value in want.counts.items():
        have = got.mediated_end if name == "mediated_end" else got[name]
        assert have == value, f"{where}: {name} {have} != {value}"
    for key, value in want.rates.items():
        assert got.value(key) == value, f"{where}: {key} {got.value(key)} != {value}"
    p90 = "none" if got.p90_bucket is None else got.p90_days
    assert p90 == want.p90, f"{where}: p90 {p90} != {want.p90}"


def _dashboard(actor: Any, code: int, period: periods.Period, kind: str) -> dict[str, Any]:
    scope = queries.scope_for(actor, code)
    return presenters.dashboard(scope, presenters.Filters(period, kind), today=TODAY)


def test_the_scenario_covers_every_path(world: dict[str, Dispute]) -> None:
    outcomes = {d.outcome for d in world.values()}
    assert {"resolved", "failed", "transferred", "withdrawn", "declined", ""} <= outcomes
    assert {d.tier for d in world.values() if d.outcome == "resolved"} == {"village", "township"}
    assert world["upward"].tier == Tier.COUNTY and world["reclassified"].dispute_type == "labour"


def test_every_dashboard_figure_equals_the_direct_computation(
    personas: Personas, world: dict[str, Dispute]
) -> None:
    p = personas
    scopes = [
        (p.province_analyst, PROVINCE),
        (p.city_analyst, CITY),
        (p.county_officer, COUNTY),
        (p.township_officer, TOWNSHIP),
        (p.village_mediator, VILLAGE),
        (p.county_officer, SECOND_TOWNSHIP),
        (p.other_county_officer, OTHER_COUNTY),
    ]
    checked = 0
    for actor, code in scopes:
        for period in PERIODS:
            for kind in TYPES:
                where = f"{code} {period} {kind or 'all'}"
                ctx = _dashboard(actor, code, period, kind)
                qs = direct.disputes(code, kind)
                want = direct.compute(qs, period, TODAY)
                _check_figures(ctx["total"], want, where)
                # the cards and the counts table read the same figures
                cards = {i["key"]: i["value"] for i in ctx["indicators"]}
                assert cards == {**want.rates, "p90_days": ctx["total"].p90_days}, where
                assert {c["key"]: c["value"] for c in ctx["counts"]} == {
                    k: want.counts[k] for k in ("registered", "accepted", "agreed", "closed", "resolved")
                }, where
                assert {r["key"]: r["value"] for r in ctx["status_rows"]} == {
                    s: n for s, n in want.open_by_status.items() if s != Status.CLOSED
                }, where
                assert ctx["open_total"] == sum(want.open_by_status.values()), where
                # the same months a year earlier
                prior = direct.compute(qs, period.year_earlier(), TODAY, with_stock=False)
                assert {c["key"]: c["prior"] for c in ctx["counts"]} == {
                    k: prior.counts[k] for k in ("registered", "accepted", "agreed", "closed", "resolved")
                }, where
                if not kind and period != PERIODS[2]:
                    _check_breakdowns(ctx, qs, period, where)
                checked += 1
    assert checked == len(scopes) * len(PERIODS) * len(TYPES)


def _check_breakdowns(ctx: dict[str, Any], qs: Any, period: periods.Period, where: str) -> None:
    for key, field, choices in (
        ("by_type", "dispute_type", DisputeType),
        ("by_tier", "tier", Tier),
        ("by_channel", "channel", Channel),
    ):
        rows = {r["key"]: r for r in ctx[key]}
        assert set(rows) == set(choices.values), where
        for value in choices.values:
            want = direct.compute(qs.filter(**{field: value}), period, TODAY, with_stock=False)
            got = rows[value]
            assert (got["registered"], got["accepted"], got["resolved"]) == (
                want.counts["registered"],
                want.counts["accepted"],
                want.counts["resolved"],
            ), f"{where} {key}={value}"
            rate = want.rates["success_rate"]
            assert got["success"] == ("—" if rate is None else f"{rate * 100:.1f}%"), f"{where} {key}={value}"


def test_children_side_by_side_add_up_and_equal_the_direct_figures(
    personas: Personas, world: dict[str, Dispute]
) -> None:
    p = personas
    for actor, code in (
        (p.province_analyst, PROVINCE),
        (p.city_analyst, CITY),
        (p.county_officer, COUNTY),
        (p.township_officer, TOWNSHIP),
    ):
        for period in PERIODS[:2]:
            for kind in TYPES:
                scope = queries.scope_for(actor, code)
                kids = queries.children(scope, period, kind, TODAY)
                parent = direct.compute(direct.disputes(code, kind), period, TODAY)
                for child in kids:
                    qs = (
                        direct.disputes(child.unit.code, kind)
                        if child.unit
                        else direct.disputes(code, kind, exact=True)
                    )
                    if not qs.exists():
                        assert not any(child.figures.sums.values()) and not child.figures.overdue
                        continue
                    want = direct.compute(qs, period, TODAY)
                    _check_figures(child.figures, want, f"{code}>{child.code} {period} {kind}")
                    assert child.figures.overdue == want.rates["overdue"]
                total = Figures.total(c.figures for c in kids)
                for name in ("registered", "accepted", "closed", "resolved", "upward", "agreed"):
                    assert total[name] == parent.counts[name], f"{code} {period} {name}"
                assert sum(c.figures.overdue or 0 for c in kids) == parent.rates["overdue"]
    # the county sees what was recorded at the county itself as its own row
    scope = queries.scope_for(p.county_officer, COUNTY)
    own = [c for c in queries.children(scope, PERIODS[1], "", TODAY) if c.unit is None]
    assert len(own) == 1 and own[0].figures["registered"] == 1


def test_trend_months_and_month_end_stock_equal_the_direct_figures(
    personas: Personas, world: dict[str, Dispute]
) -> None:
    for actor, code in ((personas.province_analyst, PROVINCE), (personas.township_officer, TOWNSHIP)):
        for kind in ("", "contract"):
            scope = queries.scope_for(actor, code)
            qs = direct.disputes(code, kind)
            for month, f in queries.trend(scope, 202611, kind, months=15):
                want = direct.compute(qs, periods.Period(month, month), TODAY, with_stock=False)
                for name in ("registered", "accepted", "resolved", "closed"):
                    assert f[name] == want.counts[name], f"{code} {month} {name}"
                assert f.open_total == direct.open_at_end(qs, month), f"{code} {month} open"


def test_the_rebuild_gives_the_same_dashboard(personas: Personas, world: dict[str, Dispute]) -> None:
    incremental = rollups.rows_by_cell()
    rollups.rebuild()
    assert rollups.rows_by_cell() == incremental
