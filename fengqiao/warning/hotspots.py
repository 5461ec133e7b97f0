"""Hotspots (纠纷高发): a township or county with far more disputes of one type than its
own history leads one to expect.

Method: a conditional beta-binomial test of each (unit, dispute type) cell.

For a township *u* and type *t* on day *d*, let *x* be the disputes of type *t*
registered in *u* in the last *w* days (*w* = 3 and 7), and *n* those of type *t* in
its county (the reference; for a county the province). Conditioning on *n* removes
everything the whole county shares — season, the Spring Festival, weekday, a
campaign of sweeps, a new channel — so no seasonal model is needed, and what is left
is the question a hotspot asks: is this township's share of its county's *t*
disputes unusually high? Under the null, *x* ~ Binomial(*n*, *p*) with *p* the
township's usual share, which is estimated from its own history: the
``HISTORY_DAYS`` (84, twelve weeks) before the longest window (a guard band, so a
hotspot does not raise its own baseline), *h* of *H* county cases of type *t*.
Sparse townships are shrunk toward the county: the prior for *p* is
Beta(*M*·*s*, *M*·(1 − *s*)), *s* the township's share of all the county's disputes
in the same weeks (so its usual share of type *t* defaults to its size) and
*M* = ``PRIOR_CASES`` (50) pseudo-cases — a township with hundreds of *t* cases in
its history is judged on its own, one with a handful mostly on its size. The
posterior is Beta(*M*·*s* + *h*, *M*·(1 − *s*) + *H* − *h*), and the predictive law
of *x* given *n* is beta-binomial: it carries the uncertainty of the estimate, which
is what keeps sparse cells from alarming on two cases (the overdispersion a plain
Poisson or binomial limit ignores).

A cell alarms when P(*X* ≥ *x*) < α / 2 for either window (Bonferroni over the two),
*x* ≥ ``MIN_CASES`` (4: fewer is no hotspot an office can act on) and *x* is at
least twice its expectation. Cases already explained by another alert are taken out
of both *x* and *n* and the cell tested again: for a county, those of its townships in alert for the type (one township's
hotspot is not reported again as its county's; what remains is an excess spread over
several townships); for any cell, the claims of an open mass-dispute alert (thirty
workers against one firm are one situation, alerted as such).

False-alarm rate: α = ``ALPHA`` = 5e-4 per township test and ``ALPHA_COUNTY`` =
5e-5 per county test, one-sided, from the exact beta-binomial tail (discreteness
keeps the realised size below α; ``tests/test_hotspots`` checks it under the null).
Counties are held ten times stricter because their counts are large, and with large
counts a small drift of the share itself — rural counties fill up with returning
workers at the Spring Festival, towns do not — is already "significant" under a fixed
share; in the simulator eight of thirteen false alarms at α were county cells (seeds
1–4). A case arriving is tested in two cells (its township and county) and two
windows, so under the model the expected number of alarming tests is at most
2 × α/2 + 2 × α_county/2 = 0.55 per 1,000 background cases, and false *alerts* are
fewer: alarms of one cell on consecutive days are one
alert, updated; most cells never reach *x* ≥ 4 at all. The nightly scan re-tests
the cells that reach it, each already tested when its cases arrived. What the model
does not capture — a type surging in some townships for reasons the county shares unequally —
the simulator measures (``warning.simulator``; target ≤ 1 false alert per 1,000
background cases). An alert is one per cell (``hotspot:<unit>:<type>``), updated
while the excess lasts; after an officer has handled or closed it, the cell is quiet
for ``COOLDOWN_DAYS`` unless it grows by half.

Counts come from ``DailyCount`` (township, county, province × type and all types),
kept by the per-case job and recounted from the cases every night (``recount``).
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from scipy.stats import betabinom

from fengqiao.cases.choices import DisputeType
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.bulk import insert_rows
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.warning.actions import AlertSpec
from fengqiao.warning.choices import ACTIVE_STATUSES, AlertKind, Severity
from fengqiao.warning.models import Alert, DailyCount
from fengqiao.warning.signals import dispute_ref, unit_names

WINDOWS = (3, 7)
HISTORY_DAYS = 84
PRIOR_CASES = 50
ALPHA = 5e-4
ALPHA_COUNTY = 5e-5
MIN_CASES = 4
MIN_RATIO = 2.0
COOLDOWN_DAYS = 7
GROWTH = 1.5
ALL = ""  # DailyCount.dispute_type of the all-types rows
CITED = 20


@dataclass(frozen=True)
class Cell:
    unit: int  # a township or a county
    dispute_type: str

    @property
    def reference(self) -> int:
        """The unit a cell's share is taken of: the county for a township, the province
        for a county."""
        level = Level.COUNTY if codes.level_of(self.unit) == Level.TOWNSHIP else Level.PROVINCE
        return codes.ancestor_at(self.unit, level) or self.unit

    @property
    def key(self) -> str:
        return f"hotspot:{self.unit}:{self.dispute_type}"

    @property
    def alpha(self) -> float:
        """The cell's false-alarm rate per test (see the module docstring)."""
        return ALPHA if codes.level_of(self.unit) == Level.TOWNSHIP else ALPHA_COUNTY


@dataclass
class Test:
    """One cell's test on one day: the counts, the expectation and the tail probability."""

    cell: Cell
    day: dt.date
    window: int
    x: int
    n: int
    expected: float
    p: float
    history: dict[str, int]
    daily: list[tuple[str, int]]

    @property
    def alarm(self) -> bool:
        return (
            self.p < self.cell.alpha / len(WINDOWS)
            and self.x >= MIN_CASES
            and self.x >= MIN_RATIO * self.expected
        )


def counted_units(unit: int) -> list[int]:
    """The units a dispute located at ``unit`` is counted in: its township (if it has
    one), county and province."""
    out = []
    for level in (Level.TOWNSHIP, Level.COUNTY, Level.PROVINCE):
        anc = codes.ancestor_at(unit, level)
        if anc is not None:
            out.append(anc)
    return out


def day_of(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


# ---------------------------------------------------------------- counts


def record(disputes: Iterable[tuple[int, str, dt.date]]) -> set[Cell]:
    """Count new disputes (unit, type, day) in; return the cells they touched."""
    increments: Counter[tuple[int, str, dt.date]] = Counter()
    cells: set[Cell] = set()
    for unit, kind, day in disputes:
        for u in counted_units(unit):
            increments[(u, kind, day)] += 1
            increments[(u, ALL, day)] += 1
            if codes.level_of(u) in (Level.TOWNSHIP, Level.COUNTY):
                cells.add(Cell(u, kind))
    if not increments:
        return cells
    table = DailyCount._meta.db_table
    adapt = connection.ops.adapt_datefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        # One upsert for the batch (SQLite ≥ 3.24 and PostgreSQL both speak ON CONFLICT).
        cursor.executemany(
            f"INSERT INTO {table} (unit, dispute_type, day, n) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (unit, dispute_type, day) DO UPDATE SET n = " + table + ".n + excluded.n",
            [(unit, kind, adapt(day), k) for (unit, kind, day), k in increments.items()],
        )
    return cells


def recount(today: dt.date | None = None, days: int = HISTORY_DAYS + max(WINDOWS) + 7) -> int:
    """Rebuild the counts of the last ``days`` days from the cases themselves (nightly):
    whatever the per-case job missed or a reclassification changed is set right."""
    today = today or clock.today()
    start = today - dt.timedelta(days=days)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time(), tz)
    rows = (
        Dispute.objects.filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values("admin_unit_id", "dispute_type", "day")
        .annotate(k=Count("id"))
        .order_by()
    )
    counts: Counter[tuple[int, str, dt.date]] = Counter()
    for r in rows.iterator(chunk_size=20_000):
        for u in counted_units(r["admin_unit_id"]):
            counts[(u, r["dispute_type"], r["day"])] += r["k"]
            counts[(u, ALL, r["day"])] += r["k"]
    with transaction.atomic():
        DailyCount.objects.filter(day__gte=start).delete()
        insert_rows(
            DailyCount,
            [
                {"unit": u, "dispute_type": t, "day": d, "n": k}
                for (u, t, d), k in counts.items()
                if d >= start
            ],
        )
    return len(counts)


# ---------------------------------------------------------------- the test


def tail(x: int, n: int, a: float, b: float) -> float:
    """P(X ≥ x) for X ~ BetaBinomial(n, a, b)."""
    if x <= 0:
        return 1.0
    if x > n:
        return 0.0
    return float(betabinom.sf(x - 1, n, a, b))


def posterior(h: int, hr: int, share: float) -> tuple[float, float]:
    """Beta posterior of a unit's usual share of its reference's cases of a type: ``h`` of
    ``hr`` in its history, shrunk toward ``share`` (its share of all types) with weight
    ``PRIOR_CASES``."""
    return PRIOR_CASES * share + h, PRIOR_CASES * (1 - share) + max(0, hr - h)


_SERIES_SQL = (
    "SELECT unit, dispute_type, day, n FROM {table} "
    "WHERE unit IN (%s, %s) AND dispute_type IN (%s, %s) AND day >= %s"
)


def _series(cell: Cell, start: dt.date) -> dict[tuple[int, str], dict[dt.date, int]]:
    """Daily counts since ``start`` of the cell, its reference, and both for all types
    (one indexed query; raw SQL because this runs for every arriving case)."""
    out: dict[tuple[int, str], dict[dt.date, int]] = defaultdict(dict)
    sql = _SERIES_SQL.format(table=DailyCount._meta.db_table)
    params: list[Any] = [
        cell.unit,
        cell.reference,
        cell.dispute_type,
        ALL,
        connection.ops.adapt_datefield_value(start),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit, kind, day, n in cursor.fetchall():
            if isinstance(day, str):
                day = dt.date.fromisoformat(day)
            out[(unit, kind)][day] = n
    return out


def test_cell(cell: Cell, today: dt.date, removed: dict[dt.date, int] | None = None) -> list[Test]:
    """The cell's tests for the windows ending ``today``. ``removed`` are day counts to
    take out of both the cell and its reference (townships already in alert)."""
    longest = max(WINDOWS)
    hist_end = today - dt.timedelta(days=longest)  # exclusive
    hist_start = hist_end - dt.timedelta(days=HISTORY_DAYS)
    series = _series(cell, hist_start)
    own, ref = series[(cell.unit, cell.dispute_type)], series[(cell.reference, cell.dispute_type)]
    own_all, ref_all = series[(cell.unit, ALL)], series[(cell.reference, ALL)]

    def total(s: dict[dt.date, int], lo: dt.date, hi: dt.date) -> int:
        return sum(v for day, v in s.items() if lo <= day < hi)

    h, hr = total(own, hist_start, hist_end), total(ref, hist_start, hist_end)
    ha, hra = total(own_all, hist_start, hist_end), total(ref_all, hist_start, hist_end)
    a, b = posterior(h, hr, (ha + 0.5) / (hra + 1.0))
    removed = removed or {}
    out = []
    for w in WINDOWS:
        lo, hi = today - dt.timedelta(days=w - 1), today + dt.timedelta(days=1)
        gone = total(removed, lo, hi)
        x = max(0, total(own, lo, hi) - gone)
        n = max(x, total(ref, lo, hi) - gone)
        expected = n * a / (a + b)
        daily = [
            ((lo + dt.timedelta(days=i)).isoformat(), own.get(lo + dt.timedelta(days=i), 0)) for i in range(w)
        ]
        out.append(
            Test(
                cell,
                today,
                w,
                x,
                n,
                expected,
                # The tail only where it could matter: most cells fail the cheap tests.
                tail(x, n, a, b) if x >= MIN_CASES and x >= MIN_RATIO * expected else 1.0,
                {"own": h, "reference": hr, "own_all": ha, "reference_all": hra, "days": HISTORY_DAYS},
                daily,
            )
        )
    return out


def _in_cooldown(cell: Cell, x: int, today: dt.date) -> bool:
    last = (
        Alert.objects.filter(key=cell.key)
        .exclude(status__in=ACTIVE_STATUSES)
        .order_by("-updated_at")
        .values("updated_at", "evidence")
        .first()
    )
    if last is None or day_of(last["updated_at"]) < today - dt.timedelta(days=COOLDOWN_DAYS):
        return False
    return x < GROWTH * int(last["evidence"].get("count", 0))


def _alerting_townships(county: int, kind: str, fresh: Sequence[Cell]) -> list[int]:
    lo, hi = codes.subtree(county)
    active = Alert.objects.filter(
        kind=AlertKind.HOTSPOT,
        status__in=ACTIVE_STATUSES,
        owner_unit_id__gte=lo,
        owner_unit_id__lt=hi,
        key__endswith=f":{kind}",
    ).values_list("owner_unit_id", flat=True)
    units = {u for u in active if codes.level_of(u) == Level.TOWNSHIP}
    units |= {c.unit for c in fresh if c.dispute_type == kind and lo <= c.unit < hi and c.unit != county}
    return sorted(units)


def _explained(cell: Cell, today: dt.date, fresh: Sequence[Cell]) -> dict[dt.date, int]:
    """Day counts of the cell already accounted for by other alerts: for a county, its
    townships in alert for the type; for any cell, the disputes of an open mass-dispute
    alert (many claims against one firm are one situation, alerted as such)."""
    removed: dict[dt.date, int] = defaultdict(int)
    start = today - dt.timedelta(days=max(WINDOWS))
    if codes.level_of(cell.unit) == Level.COUNTY:
        for township in _alerting_townships(cell.unit, cell.dispute_type, fresh):
            for day, n in _series(Cell(township, cell.dispute_type), start)[
                (township, cell.dispute_type)
            ].items():
                removed[day] += n
    lo, hi = codes.subtree(cell.unit)
    counted: set[int] = set()
    mass = Alert.objects.filter(kind=AlertKind.MASS_DISPUTE, status__in=ACTIVE_STATUSES).values_list(
        "evidence", flat=True
    )
    for evidence in mass:
        for d in evidence.get("disputes", []):
            day = dt.date.fromisoformat(d["received_on"])
            if (
                d.get("dispute_type") == cell.dispute_type
                and lo <= d["unit"] < hi
                and day > start
                and d["id"] not in counted
            ):
                counted.add(d["id"])
                removed[day] += 1
    return dict(removed)


def evaluate(cells: Iterable[Cell], today: dt.date | None = None) -> list[AlertSpec]:
    """Test cells (townships before counties) and return the alerts to raise or update."""
    today = today or clock.today()
    cells = sorted(set(cells), key=lambda c: (-codes.level_of(c.unit), c.unit, c.dispute_type))
    alarms: list[Test] = []
    for cell in cells:
        tests = [t for t in test_cell(cell, today) if t.alarm]
        if tests:
            removed = _explained(cell, today, [t.cell for t in alarms])
            if removed:
                tests = [t for t in test_cell(cell, today, removed) if t.alarm]
        if not tests:
            continue
        best = min(tests, key=lambda t: t.p)
        if Alert.objects.filter(key=cell.key, status__in=ACTIVE_STATUSES).exists() or not _in_cooldown(
            cell, best.x, today
        ):
            alarms.append(best)
    if not alarms:
        return []
    names = unit_names({t.cell.unit for t in alarms} | {t.cell.reference for t in alarms})
    return [_spec(t, names) for t in alarms]


def _spec(t: Test, names: dict[int, str]) -> AlertSpec:
    cell = t.cell
    label = DisputeType(cell.dispute_type).label
    unit, ref = names.get(cell.unit, str(cell.unit)), names.get(cell.reference, "上级")
    township = codes.level_of(cell.unit) == Level.TOWNSHIP
    high = t.p < 1e-9 or (t.x >= 10 and t.x >= 4 * t.expected)
    share = t.history["own"] / t.history["reference"] if t.history["reference"] else 0.0
    evidence: dict[str, Any] = {
        "unit": cell.unit,
        "dispute_type": cell.dispute_type,
        "window_days": t.window,
        "count": t.x,
        "reference_count": t.n,
        "expected": round(t.expected, 2),
        "p_value": float(f"{t.p:.3g}"),
        "alpha": cell.alpha,
        "history": t.history,
        "daily": t.daily,
        "method": "条件β-二项检验：以本地前12周占上级同类纠纷的比例为基线（向本地总体规模收缩），"
        "在上级同期同类纠纷总数条件下检验本地件数是否异常偏多",
    }
    if township:
        lo, hi = codes.subtree(cell.unit)
        since = dt.datetime.combine(
            t.day - dt.timedelta(days=t.window - 1), dt.time(), timezone.get_current_timezone()
        )
        recent = (
            Dispute.objects.filter(
                admin_unit_id__gte=lo,
                admin_unit_id__lt=hi,
                dispute_type=cell.dispute_type,
                received_at__gte=since,
            )
            .only("id", "received_at", "summary", "risk_level", "admin_unit_id", "dispute_type")
            .order_by("-received_at")[:CITED]
        )
        evidence["disputes"] = [dispute_ref(d) for d in recent]
    where = "司法所" if township else "县级矛调中心"
    return AlertSpec(
        key=cell.key,
        kind=AlertKind.HOTSPOT,
        severity=Severity.HIGH if high else Severity.MEDIUM,
        owner_unit=cell.unit,
        title=f"纠纷高发：{unit}{label}纠纷近{t.window}天{t.x}件（通常约{t.expected:.1f}件）"[:200],
        reason=(
            f"{unit}近{t.window}天登记{label}纠纷{t.x}件，占{ref}同期同类纠纷{t.n}件的{t.x / max(t.n, 1):.0%}；"
            f"按前{HISTORY_DAYS // 7}周的占比（{share:.0%}，向本地纠纷总量占比收缩）应约{t.expected:.1f}件，"
            f"偶然达到{t.x}件的概率约为{t.p:.1e}（单次检验误报率不超过{cell.alpha:.0e}）。"
            f"请{where}查明原因（同一项目、同一事件或政策变化），组织集中排查化解，防止矛盾积累激化。"
        ),
        evidence=evidence,
    )


def scan(today: dt.date | None = None) -> list[AlertSpec]:
    """The nightly pass: test every cell with at least ``MIN_CASES`` in the longest window."""
    today = today or clock.today()
    start = today - dt.timedelta(days=max(WINDOWS) - 1)
    sums: Counter[tuple[int, str]] = Counter()
    for unit, kind, n in (
        DailyCount.objects.filter(day__gte=start, day__lte=today)
        .exclude(dispute_type=ALL)
        .values_list("unit", "dispute_type", "n")
    ):
        sums[(unit, kind)] += n
    cells = [
        Cell(u, t)
        for (u, t), n in sums.items()
        if n >= MIN_CASES and codes.level_of(u) in (Level.TOWNSHIP, Level.COUNTY)
    ]
    return evaluate(cells, today)
