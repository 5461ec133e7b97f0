"""Read-side selectors for the dashboard, the API and the report — always scoped.

``scope_for(actor, code)`` is the gate: a staff member who reads cases sees his own
unit's subtree and nothing above or beside it (the same jurisdiction rule as
``cases.queries.disputes_for``); anything else is ``NotFound`` (404). Every other
function takes the resulting ``Scope`` and reads rollup rows only — a province reads
its own aggregated rows, a township or village the base rows of its places — so the
cost depends on the rows in scope, never on the number of cases.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, ExpressionWrapper, F, IntegerField, QuerySet

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import CASE_READERS
from fengqiao.analytics import periods
from fengqiao.analytics.indicators import Figures
from fengqiao.analytics.measures import NAMES
from fengqiao.analytics.models import Grain, MonthlyReport, Rollup
from fengqiao.cases.choices import Status
from fengqiao.core.errors import NotFound
from fengqiao.deadlines.models import Deadline, DeadlineStatus
from fengqiao.geography import codes
from fengqiao.geography.choices import SPAN, Level
from fengqiao.geography.models import AdminUnit

TREND_MONTHS = 24


@dataclass(frozen=True)
class Scope:
    """The unit being looked at, inside the actor's jurisdiction (``root``)."""

    unit: AdminUnit
    root: AdminUnit

    @property
    def code(self) -> int:
        return self.unit.code

    @property
    def level(self) -> int:
        return self.unit.level

    def path(self) -> list[AdminUnit]:
        """From the actor's own unit down to this one (the breadcrumb: never above the root)."""
        wanted = [c for c in codes.ancestors(self.code) if codes.contains(self.root.code, c)]
        return list(AdminUnit.objects.filter(code__in=wanted).order_by("level"))


def scope_for(actor: User, code: int | None = None) -> Scope:
    """The unit ``code`` (default: the actor's own) if it lies in the actor's jurisdiction."""
    if not actor.is_authenticated or not actor.is_active:
        raise NotFound()
    if actor.role not in CASE_READERS or actor.admin_unit_id is None:
        raise NotFound()
    root_code = actor.admin_unit_id
    code = root_code if code is None else code
    if not codes.contains(root_code, code):
        raise NotFound()
    units = {u.code: u for u in AdminUnit.objects.filter(code__in={root_code, code})}
    if code not in units or root_code not in units:
        raise NotFound()
    return Scope(units[code], units[root_code])


# ------------------------------------------------------------------ rollup sources


@dataclass(frozen=True)
class Selection:
    """Rollup rows chosen by a WHERE clause, summed in SQL.

    Raw SQL rather than ``aggregate(Sum(...))``: compiling fifty-odd Sum expressions
    cost the ORM several milliseconds a query, more than the query itself.
    """

    where: str
    params: tuple[Any, ...]

    def and_(self, where: str, *params: Any) -> "Selection":
        return Selection(f"{self.where} AND {where}", (*self.params, *params))

    def during(self, period: periods.Period) -> "Selection":
        return self.and_("month >= %s AND month <= %s", period.first, period.last)

    def sums(self, names: Sequence[str] = NAMES, by: Sequence[str] = ()) -> list[dict[str, Any]]:
        """One dict per group of ``by`` (one in all without it), with the sums of ``names``."""
        cols = [*by, *(f"SUM({n})" for n in names)]
        sql = f"SELECT {', '.join(cols)} FROM {TABLE} WHERE {self.where}"
        if by:
            sql += f" GROUP BY {', '.join(by)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            rows = cursor.fetchall()
        keys = [*by, *names]
        return [dict(zip(keys, r, strict=True)) for r in rows if not by or any(v for v in r[len(by) :])]

    def total(self, names: Sequence[str] = NAMES) -> Figures:
        return Figures.of(self.sums(names)[0])


TABLE = Rollup._meta.db_table
STOCK = tuple(n for n in NAMES if n.startswith("open_"))


def _subtree(code: int, dispute_type: str) -> Selection:
    """The base rows of every place in ``code``'s subtree."""
    lo, hi = codes.subtree(code)
    rows = Selection("grain = %s AND unit >= %s AND unit < %s", (Grain.BASE, lo, hi))
    return rows.and_("dispute_type = %s", dispute_type) if dispute_type else rows


def _total_set(rows: Selection, dispute_type: str) -> Selection:
    """The month totals of aggregated rows, or their one-type set."""
    return rows.and_("dispute_type = %s AND tier = '' AND channel = ''", dispute_type)


def totals_for(code: int, level: int, dispute_type: str = "") -> Selection:
    """Rows whose sum is unit ``code``'s figures: a county, city or province reads its
    own month totals (or one-type set); a township or village its places' base rows."""
    if level <= Level.COUNTY:
        return _total_set(Selection("grain = %s AND unit = %s", (level, code)), dispute_type)
    return _subtree(code, dispute_type)


def full_rows_for(code: int, level: int, dispute_type: str = "") -> Selection:
    """Rows with the full breakdown (type × tier × channel) summing to ``code``'s figures:
    the province's own; below it the base rows of the subtree."""
    if level == Level.PROVINCE:
        rows = Selection("grain = %s AND unit = %s", (Grain.PROVINCE, code))
        rows = rows.and_("dispute_type <> '' AND tier <> '' AND channel <> ''")
        return rows.and_("dispute_type = %s", dispute_type) if dispute_type else rows
    return _subtree(code, dispute_type)


def figures(scope: Scope, period: periods.Period, dispute_type: str = "") -> Figures:
    """Totals for the scope over the period."""
    return totals_for(scope.code, scope.level, dispute_type).during(period).total()


@dataclass
class Breakdown:
    total: Figures
    by_type: dict[str, Figures]
    by_tier: dict[str, Figures]
    by_channel: dict[str, Figures]


def breakdown(scope: Scope, period: periods.Period, dispute_type: str = "") -> Breakdown:
    """Totals and the split by type, tier and channel, in one read.

    A city or the province without a type filter reads its four grouping sets (a few
    dozen rows a month); otherwise the rows with the full breakdown."""
    by: dict[str, dict[str, list[Figures]]] = {"dispute_type": {}, "tier": {}, "channel": {}}
    if scope.level <= Level.CITY and not dispute_type:
        rows = Selection("grain = %s AND unit = %s", (scope.level, scope.code))
        rows = rows.and_("(dispute_type = '' OR tier = '' OR channel = '')").during(period)
        total = Figures()
        for g in rows.sums(by=("dispute_type", "tier", "channel")):
            f = Figures.of({n: g[n] for n in NAMES})
            dims = [d for d in ("dispute_type", "tier", "channel") if g[d]]
            if not dims:
                total = f
            else:
                by[dims[0]].setdefault(g[dims[0]], []).append(f)
    else:
        rows = full_rows_for(scope.code, scope.level, dispute_type).during(period)
        parts = []
        for g in rows.sums(by=("dispute_type", "tier", "channel")):
            f = Figures.of({n: g[n] for n in NAMES})
            parts.append(f)
            for dim, into in by.items():
                into.setdefault(g[dim], []).append(f)
        total = Figures.total(parts)
    merged = {dim: {k: Figures.total(v) for k, v in into.items()} for dim, into in by.items()}
    return Breakdown(total, merged["dispute_type"], merged["tier"], merged["channel"])


def trend(
    scope: Scope, last: int, dispute_type: str = "", months: int = TREND_MONTHS
) -> list[tuple[int, Figures]]:
    """Figures per month for the ``months`` months ending with ``last``, each month's
    open stock included (running sum of the stock changes from the beginning)."""
    window = periods.Period(periods.add_months(last, -(months - 1)), last)
    rows = totals_for(scope.code, scope.level, dispute_type)
    before = rows.and_("month < %s", window.first).sums(STOCK)[0]
    running = {n: int(before[n] or 0) for n in STOCK}
    by_month = {g["month"]: g for g in rows.during(window).sums(by=("month",))}
    out = []
    for month in window.months:
        g = by_month.get(month, {})
        sums = {n: int(g.get(n) or 0) for n in NAMES}
        for n in STOCK:
            running[n] += sums[n]
            sums[n] = running[n]
        out.append((month, Figures(sums)))
    return out


def open_stock(scope: Scope, dispute_type: str = "") -> Figures:
    """The disputes open now, by status: every stock change ever, summed."""
    return totals_for(scope.code, scope.level, dispute_type).total(STOCK)


# ------------------------------------------------------------------ children


@dataclass
class Child:
    unit: AdminUnit | None  # None: disputes recorded at this unit itself (本级)
    figures: Figures

    @property
    def code(self) -> int | None:
        return self.unit.code if self.unit else None


def _child_of(parent: int, level: int, code: int) -> int:
    """The child of ``parent`` containing ``code`` (``parent`` itself when recorded there)."""
    if code == parent:
        return parent
    return codes.ancestor_at(code, Level(level + 1)) or parent


def children(
    scope: Scope, period: periods.Period, dispute_type: str = "", today: dt.date | None = None
) -> list[Child]:
    """Figures for each child unit side by side, and for what was recorded at the unit
    itself; the children's counts add up to the unit's."""
    if scope.level >= Level.VILLAGE:
        return []
    lo, hi = codes.subtree(scope.code)
    if scope.level <= Level.CITY:  # the children's own month totals (or one-type sets)
        rows = _total_set(
            Selection("grain = %s AND unit >= %s AND unit < %s", (scope.level + 1, lo, hi)), dispute_type
        )
    else:
        rows = _subtree(scope.code, dispute_type)
    sums: dict[int, list[Figures]] = {}
    for g in rows.during(period).sums(by=("unit",)):
        key = _child_of(scope.code, scope.level, g["unit"])
        sums.setdefault(key, []).append(Figures.of({n: g[n] for n in NAMES}))
    late = overdue_by_child(scope, dispute_type, today) if today else {}
    out = []
    for unit in AdminUnit.objects.filter(parent_id=scope.code).order_by("code"):
        f = Figures.total(sums.get(unit.code, []))
        f.overdue = late.get(unit.code, 0) if today else None
        out.append(Child(unit, f))
    if scope.code in sums or late.get(scope.code):
        f = Figures.total(sums.get(scope.code, []))
        f.overdue = late.get(scope.code, 0) if today else None
        out.append(Child(None, f))
    return out


# ------------------------------------------------------------------ deadlines


def _overdue(scope: Scope, dispute_type: str, today: dt.date) -> QuerySet[Deadline]:
    """Open deadlines of open disputes in scope past their last day (the engine's
    (admin_unit, status, due_on) index finds them without reading the others)."""
    lo, hi = codes.subtree(scope.code)
    qs = Deadline.objects.filter(
        admin_unit_id__gte=lo,
        admin_unit_id__lt=hi,
        status=DeadlineStatus.OPEN,
        due_on__lt=today,
        dispute__isnull=False,
    ).exclude(dispute__status=Status.CLOSED)
    return qs.filter(dispute__dispute_type=dispute_type) if dispute_type else qs


def overdue_count(scope: Scope, today: dt.date, dispute_type: str = "") -> int:
    return _overdue(scope, dispute_type, today).count()


def overdue_by_child(scope: Scope, dispute_type: str, today: dt.date | None) -> dict[int, int]:
    if today is None or scope.level >= Level.VILLAGE:
        return {}
    span = SPAN[Level(scope.level + 1)]
    child = ExpressionWrapper(F("admin_unit_id") / span * span, output_field=IntegerField())
    out: dict[int, int] = {}
    rows = _overdue(scope, dispute_type, today).annotate(child=child).values("child").annotate(n=Count("id"))
    for r in rows.order_by():
        # a deadline recorded at the unit itself belongs to it, not to a child
        key = scope.code if r["child"] == scope.code else r["child"]
        out[key] = out.get(key, 0) + r["n"]
    return out


# ------------------------------------------------------------------ reports


def reports_for(scope: Scope) -> QuerySet[MonthlyReport]:
    """Stored monthly reports of units in scope, newest first (without the files)."""
    lo, hi = codes.subtree(scope.code)
    return (
        MonthlyReport.objects.filter(unit_id__gte=lo, unit_id__lt=hi)
        .select_related("unit")
        .defer("content")
        .order_by("-month", "unit_id")
    )


def report_for(scope: Scope, pk: int) -> MonthlyReport:
    try:
        return reports_for(scope).select_related(None).defer(None).get(pk=pk)
    except (MonthlyReport.DoesNotExist, ValueError):
        raise NotFound() from None
