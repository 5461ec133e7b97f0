"""/api/v1/analytics — indicators of a jurisdiction and of its children, from the rollups.

Parse, call one scoped query, render. A unit outside the actor's jurisdiction is 404
(``queries.scope_for``). Periods are whole months: ``from``/``to`` take 2026-10 or a
date (its month); without them, the year so far.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from fengqiao.analytics import periods, presenters, queries
from fengqiao.analytics.indicators import Figures
from fengqiao.analytics.measures import NAMES
from fengqiao.api.auth import actor_of
from fengqiao.cases.choices import DisputeType
from fengqiao.core import clock
from fengqiao.core.errors import DomainError

router = Router(tags=["统计分析"])


class Params(Schema):
    unit: int | None = Field(default=None, description="12位区划代码；默认为本人管辖区划")
    from_: str = Field(default="", alias="from", description="起始月份，如 2026-01")
    to: str = Field(default="", description="截止月份，如 2026-10")
    dispute_type: DisputeType | None = Field(default=None, description="纠纷类型")


class UnitOut(Schema):
    code: int
    name: str
    level: int


class IndicatorOut(Schema):
    key: str
    label: str
    kind: str
    value: float | None
    text: str
    fraction: str
    definition: str
    source: str


class IndicatorsOut(Schema):
    unit: UnitOut
    period_from: str
    period_to: str
    dispute_type: str
    counts: dict[str, int]
    open_by_status: dict[str, int]
    open_total: int
    overdue: int
    indicators: list[IndicatorOut]


class ChildOut(Schema):
    code: int | None = Field(description="下级区划代码；null 表示登记在本级的纠纷")
    name: str
    counts: dict[str, int]
    overdue: int
    indicators: dict[str, float | None]


class ChildrenOut(Schema):
    unit: UnitOut
    period_from: str
    period_to: str
    dispute_type: str
    children: list[ChildOut]


def _inputs(request: HttpRequest, params: Params) -> tuple[queries.Scope, periods.Period, str]:
    if params.unit is not None and not 10**11 <= params.unit < 10**12:
        raise DomainError("区划代码应为12位数字", field="unit")
    scope = queries.scope_for(actor_of(request), params.unit)
    period = periods.period_from(params.from_, params.to, clock.today())
    return scope, period, params.dispute_type.value if params.dispute_type else ""


def _unit(scope: queries.Scope) -> dict[str, Any]:
    return {"code": scope.code, "name": scope.unit.name, "level": scope.level}


def _counts(f: Figures) -> dict[str, int]:
    return {n: f[n] for n in NAMES if not n.startswith("open_")}


@router.get("/indicators", response=IndicatorsOut, summary="本辖区统计指标")
def indicators(request: HttpRequest, params: Query[Params]) -> dict[str, Any]:
    scope, period, kind = _inputs(request, params)
    f = queries.figures(scope, period, kind)
    f.overdue = queries.overdue_count(scope, clock.today(), kind)
    stock = queries.open_stock(scope, kind)
    return {
        "unit": _unit(scope),
        "period_from": periods.iso(period.first),
        "period_to": periods.iso(period.last),
        "dispute_type": kind,
        "counts": _counts(f),
        "open_by_status": stock.open_by_status,
        "open_total": stock.open_total,
        "overdue": f.overdue,
        "indicators": presenters.indicator_list(f),
    }


@router.get("/children", response=ChildrenOut, summary="下级区划指标对比")
def children(request: HttpRequest, params: Query[Params]) -> dict[str, Any]:
    scope, period, kind = _inputs(request, params)
    rows = []
    for c in queries.children(scope, period, kind, clock.today()):
        rows.append(
            {
                "code": c.code,
                "name": c.unit.name if c.unit else f"{scope.unit.name}本级",
                "counts": _counts(c.figures),
                "overdue": c.figures.overdue or 0,
                "indicators": {i["key"]: i["value"] for i in presenters.indicator_list(c.figures)},
            }
        )
    return {
        "unit": _unit(scope),
        "period_from": periods.iso(period.first),
        "period_to": periods.iso(period.last),
        "dispute_type": kind,
        "children": rows,
    }
