"""What the dashboard and the API show, built from the scoped queries.

The view and the API endpoints parse their input and call ``dashboard`` or
``indicator_list``; the numbers, labels and chart series come from here, so the page,
its charts, the tables under them and the JSON can never disagree.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fengqiao.analytics import periods, queries
from fengqiao.analytics.indicators import INDICATORS, Figures, status_label
from fengqiao.analytics.measures import DAY_BUCKETS, STOCK_STATUSES, bucket_label
from fengqiao.analytics.models import RollupState
from fengqiao.analytics.queries import Scope
from fengqiao.cases.choices import Channel, DisputeType, Tier
from fengqiao.core import clock
from fengqiao.geography import queries as geo
from fengqiao.legalaid import queries as legalaid_queries

COUNTS = (
    ("registered", "登记纠纷"),
    ("accepted", "受理调解"),
    ("agreed", "达成协议"),
    ("closed", "结案"),
    ("resolved", "化解"),
)


def indicator_list(f: Figures, prior: Figures | None = None) -> list[dict[str, Any]]:
    """Every indicator with its value, the fraction behind it, the definition and source,
    and the change against ``prior`` (the same months a year earlier)."""
    out = []
    for ind in INDICATORS:
        value = f.value(ind.key)
        before = prior.value(ind.key) if prior is not None else None
        change = ""
        if value is not None and before is not None and ind.key not in ("overdue", "p90_days"):
            delta = value - before
            if ind.kind == "rate":
                change = f"{delta * 100:+.1f}个百分点"
            elif ind.kind == "days":
                change = f"{delta:+.1f}天"
        out.append(
            {
                "key": ind.key,
                "label": ind.label,
                "kind": ind.kind,
                "value": value,
                "text": f.formatted(ind.key),
                "fraction": f.fraction(ind.key),
                "prior": prior.formatted(ind.key) if prior is not None and ind.key != "overdue" else "",
                "change": change,
                "definition": ind.definition,
                "source": ind.source,
            }
        )
    return out


def count_list(f: Figures, prior: Figures | None = None) -> list[dict[str, Any]]:
    return [
        {"key": k, "label": label, "value": f[k], "prior": prior[k] if prior is not None else None}
        for k, label in COUNTS
    ]


@dataclass(frozen=True)
class Filters:
    period: periods.Period
    dispute_type: str = ""

    @property
    def type_label(self) -> str:
        return str(DisputeType(self.dispute_type).label) if self.dispute_type else "全部类型"

    def query(self, **override: Any) -> str:
        """The query string of this view of ``unit`` (links keep the filters)."""
        from urllib.parse import urlencode

        params = {
            "from": periods.iso(self.period.first),
            "to": periods.iso(self.period.last),
            "type": self.dispute_type,
            **override,
        }
        return urlencode({k: v for k, v in params.items() if v})


def _split(figures: dict[str, Figures], labels: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": label,
            "registered": figures[key]["registered"] if key in figures else 0,
            "accepted": figures[key]["accepted"] if key in figures else 0,
            "resolved": figures[key]["resolved"] if key in figures else 0,
            "success": figures[key].formatted("success_rate") if key in figures else "—",
        }
        for key, label in labels
    ]


def _quick_periods(today: dt.date) -> list[tuple[str, periods.Period]]:
    this = periods.month_of(today)
    return [
        ("本月", periods.Period(this, this)),
        ("近12个月", periods.Period(periods.add_months(this, -11), this)),
        ("本年", periods.Period(today.year * 100 + 1, this)),
        ("上年", periods.Period((today.year - 1) * 100 + 1, (today.year - 1) * 100 + 12)),
    ]


def freshness() -> dict[str, Any]:
    st = RollupState.objects.filter(name="rollup").first()
    return {"updated_at": st.updated_at if st else None, "rebuilt_at": st.rebuilt_at if st else None}


def dashboard(scope: Scope, filters: Filters, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the dashboard page renders for one unit, period and type."""
    today = today or clock.today()
    period, kind = filters.period, filters.dispute_type
    split = queries.breakdown(scope, period, kind)
    total = split.total
    total.overdue = queries.overdue_count(scope, today, kind)
    prior = queries.figures(scope, period.year_earlier(), kind)
    stock = queries.open_stock(scope, kind)
    trend = queries.trend(scope, period.last, kind)
    kids = queries.children(scope, period, kind, today)
    children = [
        {
            "code": c.code,
            "name": c.unit.short_name if c.unit else f"{scope.unit.short_name}本级",
            "own": c.unit is None,
            "query": filters.query(unit=c.code) if c.unit else "",
            "registered": c.figures["registered"],
            "accepted": c.figures["accepted"],
            "resolved": c.figures["resolved"],
            "village_rate": c.figures.formatted("village_resolution_rate"),
            "success_rate": c.figures.formatted("success_rate"),
            "upward_rate": c.figures.formatted("upward_rate"),
            "mean_days": c.figures.formatted("mean_days"),
            "overdue": c.figures.overdue or 0,
        }
        for c in kids
    ]
    children_total = Figures.total(c.figures for c in kids)
    status_rows = [
        {"key": s.value, "label": str(s.label), "value": stock.open_by_status[s.value]}
        for s in STOCK_STATUSES
    ]
    histogram = [{"label": bucket_label(i), "value": total.day_histogram[i]} for i in range(len(DAY_BUCKETS))]
    trend_rows = [
        {
            "month": periods.iso(month),
            "label": periods.label(month),
            "registered": f["registered"],
            "accepted": f["accepted"],
            "resolved": f["resolved"],
            "open": f.open_total,
            "success": f.formatted("success_rate"),
            "success_value": round(f.success_rate * 100, 1) if f.success_rate is not None else None,
        }
        for month, f in trend
    ]
    consulted = legalaid_queries.topics_in(
        scope.code, periods.first_day(period.first), periods.last_day(period.last)
    )
    return {
        "consultations": consulted,
        "consultations_total": sum(n for _, n in consulted),
        "scope": scope,
        "unit": scope.unit,
        "full_name": geo.full_name(scope.code),
        "path": [
            {"code": u.code, "name": u.short_name, "query": filters.query(unit=u.code)} for u in scope.path()
        ],
        "filters": filters,
        "period": period,
        "prior_period": period.year_earlier(),
        "total": total,
        "indicators": indicator_list(total, prior),
        "counts": count_list(total, prior),
        "open_total": stock.open_total,
        "status_rows": status_rows,
        "by_type": _split(split.by_type, [(str(v), str(label)) for v, label in DisputeType.choices]),
        "by_tier": _split(split.by_tier, [(str(v), str(label)) for v, label in Tier.choices]),
        "by_channel": _split(split.by_channel, [(str(v), str(label)) for v, label in Channel.choices]),
        "histogram": histogram,
        "trend": trend_rows,
        "children": children,
        "children_level": scope.level + 1 if children else None,
        "children_sum": {
            "registered": children_total["registered"],
            "accepted": children_total["accepted"],
            "resolved": children_total["resolved"],
        },
        "types": DisputeType.choices,
        "quick": [
            (name, filters.query(**{"from": periods.iso(p.first), "to": periods.iso(p.last)}))
            for name, p in _quick_periods(today)
        ],
        "from_iso": periods.iso(period.first),
        "to_iso": periods.iso(period.last),
        "report_months": [
            (periods.iso(m), periods.label(m))
            for m in (periods.add_months(periods.month_of(today), -k) for k in range(0, 13))
        ],
        "reports": [
            {
                "pk": r.pk,
                "name": r.unit.name,
                "label": periods.label(r.month),
                "preparer": r.preparer,
                "generated_at": r.generated_at,
            }
            for r in queries.reports_for(scope)[:24]
        ],
        "fresh": freshness(),
        "status_label": status_label,
    }


def charts(ctx: dict[str, Any]) -> dict[str, Any]:
    """The series behind each chart (rendered by static/analytics/dashboard.js)."""
    return {
        "trend": {
            "kind": "trend",
            "x": [r["label"] for r in ctx["trend"]],
            "series": [
                {"name": "登记", "data": [r["registered"] for r in ctx["trend"]]},
                {"name": "受理", "data": [r["accepted"] for r in ctx["trend"]]},
                {"name": "化解", "data": [r["resolved"] for r in ctx["trend"]]},
                {"name": "月末在办", "data": [r["open"] for r in ctx["trend"]], "line": True},
                {"name": "调解成功率(%)", "data": [r["success_value"] for r in ctx["trend"]], "rate": True},
            ],
        },
        "types": {
            "kind": "bar",
            "x": [r["label"] for r in ctx["by_type"]],
            "series": [
                {"name": "登记", "data": [r["registered"] for r in ctx["by_type"]]},
                {"name": "化解", "data": [r["resolved"] for r in ctx["by_type"]]},
            ],
        },
        "tiers": {
            "kind": "pie",
            "title": "受理",
            "data": [{"name": r["label"], "value": r["accepted"]} for r in ctx["by_tier"]],
        },
        "channels": {
            "kind": "pie",
            "title": "登记",
            "data": [{"name": r["label"], "value": r["registered"]} for r in ctx["by_channel"]],
        },
        "status": {
            "kind": "bar",
            "x": [r["label"] for r in ctx["status_rows"]],
            "series": [{"name": "在办", "data": [r["value"] for r in ctx["status_rows"]]}],
        },
        "days": {
            "kind": "bar",
            "x": [r["label"] for r in ctx["histogram"]],
            "series": [{"name": "化解件数", "data": [r["value"] for r in ctx["histogram"]]}],
        },
        "children": {
            "kind": "bar",
            "x": [r["name"] for r in ctx["children"]],
            "series": [
                {"name": "登记", "data": [r["registered"] for r in ctx["children"]]},
                {"name": "化解", "data": [r["resolved"] for r in ctx["children"]]},
            ],
        },
    }
