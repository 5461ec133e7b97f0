"""Decision-support dashboards over N disputes with their full transition histories.

Data: N disputes spread over ten and a half years ending today, in every village of
Sichuan (5% recorded at a township, 1% at a county), each with a lifecycle written as
``cases.actions`` would write it — registration, acceptance, sessions, agreement
(written or oral), judicial confirmation, performance, follow-up visits and closing;
escalation to township and county; failure, transfer, withdrawal, refusal — cut off at
the present, so recent disputes are open in whatever status they reached, and open
mediation terms in the deadline engine (some overdue). Inserted as raw rows, the
fastest way to get tens of millions of transitions in (it is the load, not the thing
measured).

Measured:
- the full rebuild of the rollups from the transitions (``fengqiao analytics rebuild``;
  target ≤ 10 minutes for 5,000,000 cases);
- server time of the dashboard page (the real view through the test client: session,
  scoping, rollup queries, template) for the province (target ≤ 1 s), a city, a county,
  townships and villages (target ≤ 200 ms), for this year and the last twelve months,
  with and without a type filter — with the rollup rows each reads;
- the incremental job's throughput on new activity (new disputes and steps on open ones).

Scaled mode (``--sample=S``, for a machine where writing N full histories takes
hours): S disputes with their histories are written and rebuilt as above (the rebuild
rate is measured on them), then the rollup tables are grown to the volume of N
disputes by adding N/S − 1 copies of the sample's base rows, each moved to a random
permutation of the places of each level (a village to a village, a township to a
township), and every aggregated grain is recomputed from all base rows with the
rebuild's own code; the open mediation terms are copied the same way. The pages then
read rollup and deadline tables of the size N disputes make, while the disputes table
holds S rows — which no dashboard query reads.

Usage: ``python bench/bench_dashboard.py 1000000`` (SQLite in a temp dir), or
``scripts/with-postgres .venv/bin/python bench/bench_dashboard.py 1000000``;
``python bench/bench_dashboard.py 5000000 20000 --sample=50000`` for the scaled mode.
"""

import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from common import (
    TYPES,
    WEIGHTS,
    analyze,
    machine,
    query_times,
    reused,
    rng,
    scratch_environment,
    summary,
    timed,
)

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
CASES = int(ARGS[0]) if ARGS else 1_000_000
NEW_CASES = int(ARGS[1]) if len(ARGS) > 1 else 20_000
SAMPLE = next((int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--sample=")), CASES)
SAMPLES = 15
BATCH = 50_000
YEARS = 10.5

CHANNELS = [
    "walk_in",
    "phone_12348",
    "grid_sweep",
    "online",
    "court_referral",
    "police_referral",
    "petition_referral",
]
CHANNEL_WEIGHTS = [30, 12, 30, 10, 8, 6, 4]
HOUR = 3600
DAY = 86400


class Writer:
    """Fast raw inserts of tuples (COPY on PostgreSQL, executemany on SQLite)."""

    def __init__(self, table: str, columns: list[str]) -> None:
        from django.db import connection

        self.table, self.columns = table, columns
        self.pg = connection.vendor == "postgresql"
        marks = ", ".join(["?"] * len(columns))
        self.sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            raw = cursor.cursor
            if self.pg:
                with raw.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                raw.executemany(self.sql, rows)


class Life:
    """Writes one dispute's steps as cases.actions would, until the present."""

    def __init__(self, r: random.Random, now: int, fmt: Callable[[int], Any]) -> None:
        self.r, self.now, self.fmt = r, now, fmt

    def play(
        self, pk: int, unit_level: int, t: int, channel: str, out: list[tuple[Any, ...]]
    ) -> tuple[str, str, str, int | None, int | None]:
        """Append the transitions of dispute ``pk``; return (status, outcome, tier, accepted_at, closed_at)."""
        r = self.r
        tier = {5: "village", 4: "township"}.get(unit_level, "county")
        status, outcome = "registered", ""
        accepted_at = closed_at = None
        steps: list[tuple[str, str, str, int, str]] = [
            ("register", "", "registered", t, json.dumps({"channel": channel}))
        ]

        def go(action: str, to: str, dt_s: int, data: dict[str, Any] | None = None) -> bool:
            nonlocal status, t
            t2 = t + dt_s
            if t2 > self.now:
                return False
            steps.append((action, status, to, t2, json.dumps(data or {})))
            status, t = to, t2
            return True

        try:
            roll = r.random()
            if roll < 0.03:
                if go("decline", "closed", r.randint(HOUR, 3 * DAY)):
                    outcome, closed_at = "declined", t
                return status, outcome, tier, accepted_at, closed_at
            if roll < 0.05:
                if go("transfer", "closed", r.randint(HOUR, 3 * DAY), {"target": "police"}):
                    outcome, closed_at = "transferred", t
                return status, outcome, tier, accepted_at, closed_at
            if not go("accept", "accepted", r.randint(HOUR, 3 * DAY), {"to_tier": tier}):
                return status, outcome, tier, accepted_at, closed_at
            accepted_at = t
            path = r.random()
            if tier != "county" and path < 0.12:  # escalated once (sometimes twice)
                tier = "township" if tier == "village" else "county"
                if not go("escalate", "accepted", r.randint(DAY, 10 * DAY), {"to_tier": tier}):
                    return status, outcome, tier, accepted_at, closed_at
                if tier == "township" and r.random() < 0.15:
                    tier = "county"
                    if not go("escalate", "accepted", r.randint(DAY, 10 * DAY), {"to_tier": tier}):
                        return status, outcome, tier, accepted_at, closed_at
            if path > 0.97:
                if go("withdraw", "closed", r.randint(DAY, 10 * DAY)):
                    outcome, closed_at = "withdrawn", t
                return status, outcome, tier, accepted_at, closed_at
            if not go("record_session", "mediating", r.randint(DAY, 12 * DAY)):
                return status, outcome, tier, accepted_at, closed_at
            if path > 0.88:  # mediation fails
                if not go("fail_mediation", "failed", r.randint(HOUR, 10 * DAY)):
                    return status, outcome, tier, accepted_at, closed_at
                if r.random() < 0.5:
                    if go("transfer", "closed", r.randint(DAY, 7 * DAY), {"target": "court"}):
                        outcome, closed_at = "transferred", t
                elif go("close", "closed", r.randint(DAY, 7 * DAY)):
                    outcome, closed_at = "failed", t
                return status, outcome, tier, accepted_at, closed_at
            form = "oral" if r.random() < 0.25 else "written"
            if not go("reach_agreement", "agreed", r.randint(HOUR, 3 * HOUR), {"form": form}):
                return status, outcome, tier, accepted_at, closed_at
            if form == "written" and r.random() < 0.15:
                if not go("apply_confirmation", "confirming", r.randint(DAY, 20 * DAY)):
                    return status, outcome, tier, accepted_at, closed_at
                if not go(
                    "record_confirmation", "confirmed", r.randint(3 * DAY, 20 * DAY), {"result": "valid"}
                ):
                    return status, outcome, tier, accepted_at, closed_at
            if not go("record_performance", "performed", r.randint(0, 40 * DAY)):
                return status, outcome, tier, accepted_at, closed_at
            sat = r.choices(("satisfied", "fairly", "dissatisfied"), (84, 13, 3))[0]
            if not go("record_follow_up", "performed", r.randint(3 * DAY, 25 * DAY), {"satisfaction": sat}):
                return status, outcome, tier, accepted_at, closed_at
            if go("close", "closed", r.randint(DAY, 5 * DAY)):
                outcome, closed_at = "resolved", t
            return status, outcome, tier, accepted_at, closed_at
        finally:
            fmt = self.fmt
            out.extend((pk, a, frm, to, None, "", fmt(at), "", data) for a, frm, to, at, data in steps)


def _formatter(vendor: str) -> Callable[[int], Any]:
    epoch = dt.datetime(1970, 1, 1)
    if vendor == "sqlite":  # what Django's SQLite backend stores: naive UTC text
        return lambda s: str(epoch + dt.timedelta(seconds=s))
    return lambda s: f"{epoch + dt.timedelta(seconds=s)}+00:00"


def populate(
    n: int, vendor: str, *, start_offset: float = 0.0, span_days: float = YEARS * 365, say: bool = True
) -> tuple[int, int]:
    """Insert ``n`` disputes and their transitions; returns (disputes, transitions)."""
    from django.db import transaction

    from fengqiao.cases.models import Dispute, Transition
    from fengqiao.core import clock
    from fengqiao.core.bulk import Table
    from fengqiao.deadlines.models import Deadline
    from fengqiao.geography.choices import Level
    from fengqiao.geography.models import AdminUnit

    r = rng(int(start_offset * 1000) + 17)
    levels = dict(AdminUnit.objects.filter(level__gte=Level.COUNTY).values_list("code", "level"))
    villages = [c for c, lv in levels.items() if lv == Level.VILLAGE]
    townships = [c for c, lv in levels.items() if lv == Level.TOWNSHIP]
    counties = [c for c, lv in levels.items() if lv == Level.COUNTY]
    now_dt = clock.now()
    now = int(now_dt.timestamp())
    first = now - int(span_days * DAY) + int(start_offset * DAY)
    life = Life(r, now, _formatter(vendor))
    disputes = Table(Dispute)
    deadlines = Table(Deadline)
    steps_writer = Writer(
        Transition._meta.db_table,
        [
            "dispute_id",
            "action",
            "from_status",
            "to_status",
            "actor_id",
            "actor_name",
            "at",
            "reason",
            "data",
        ],
    )

    def aware(seconds: int | None) -> dt.datetime | None:
        return None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.UTC)

    total_steps = 0
    started = time.perf_counter()
    for base in range(0, n, BATCH):
        count = min(BATCH, n - base)
        rows = []
        transitions: list[tuple[Any, ...]] = []
        terms = []
        for k, i in enumerate(range(base, base + count)):
            roll = r.random()
            unit = (
                r.choice(villages)
                if roll < 0.94
                else (r.choice(townships) if roll < 0.99 else r.choice(counties))
            )
            received = first + int((now - first - DAY) * i / n) + r.randint(0, HOUR)
            channel = r.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
            # the lifecycle first (with the row's place in the batch for its id), the row after
            status, outcome, tier, accepted, closed = life.play(
                k, levels[unit], received, channel, transitions
            )
            rows.append(
                {
                    "received_at": aware(received),
                    "channel": channel,
                    "dispute_type": r.choices(TYPES, WEIGHTS)[0],
                    "summary": f"纠纷{i}",
                    "narrative": "双方因琐事发生争执。",
                    "admin_unit_id": unit,
                    "amount": r.choice((None, 500, 2000, 8000, 30000)),
                    "people_involved": r.choice((2, 2, 2, 3, 5)),
                    "status": status,
                    "outcome": outcome,
                    "tier": tier,
                    "accepted_at": aware(accepted),
                    "closed_at": aware(closed),
                    "updated_at": now_dt,
                }
            )
            if status in ("accepted", "mediating") and accepted is not None:
                start = dt.date.fromtimestamp(accepted)
                due = start + dt.timedelta(days=30)
                terms.append(
                    {
                        "rule": "mediation",
                        "dispute_id": k,
                        "admin_unit_id": unit,
                        "started_on": start,
                        "due_on": due,
                        "remind_on": due - dt.timedelta(days=5),
                        "status": "open",
                    }
                )
        with transaction.atomic():
            disputes.insert(rows)  # reserves the ids
            ids = [row["id"] for row in rows]
            steps_writer.write([(ids[t[0]], *t[1:]) for t in transitions])
            for term in terms:
                term["dispute_id"] = ids[term["dispute_id"]]
            deadlines.insert(terms)
        total_steps += len(transitions)
        if say and (base // BATCH) % 10 == 0:
            print(
                f"  {base + count:,}/{n:,} disputes, {total_steps:,} transitions ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    return n, total_steps


def database_size(vendor: str) -> str:
    from django.db import connection

    with connection.cursor() as c:
        if vendor == "postgresql":
            c.execute("SELECT pg_database_size(current_database())")
            size = c.fetchone()[0]
            c.execute("SELECT pg_total_relation_size('analytics_rollup')")
            rollup = c.fetchone()[0]
            return f"database {size / 2**30:.1f} GiB, of which rollups {rollup / 2**30:.2f} GiB"
        c.execute("PRAGMA page_count")
        pages = c.fetchone()[0]
        c.execute("PRAGMA page_size")
        size = pages * c.fetchone()[0]
        try:
            c.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'analytics_rollup%' OR name IN ('rollup_cell', 'rollup_grain_type')"
            )
            rollup = c.fetchone()[0] or 0
            return f"database {size / 2**30:.1f} GiB, of which rollups {rollup / 2**30:.2f} GiB"
        except Exception:
            return f"database {size / 2**30:.1f} GiB"


def main() -> None:
    vendor = scratch_environment("dashboard")
    from django.db import connection
    from django.test import Client

    from fengqiao.accounts.choices import Role
    from fengqiao.accounts.models import User
    from fengqiao.analytics import queries, rollups
    from fengqiao.analytics.models import Grain, Rollup
    from fengqiao.cases.models import Dispute
    from fengqiao.core.testing import sign_in
    from fengqiao.geography.models import AdminUnit

    print(f"machine: {machine()}")
    t = time.perf_counter()
    if reused():
        from fengqiao.cases.models import Transition

        n, steps = Dispute.objects.count(), Transition.objects.count()
        print(
            f"database: {vendor}; {n:,} disputes with {steps:,} transitions loaded by an earlier run (reused)"
        )
    else:
        n, steps = populate(min(SAMPLE, CASES), vendor)
        analyze()
        print(
            f"database: {vendor}; {n:,} disputes with {steps:,} transitions loaded in {time.perf_counter() - t:.0f} s"
        )

    result = rollups.rebuild(say=lambda s: print(s, flush=True))
    analyze()
    grains = {Grain(g).label: k for g, k in _grain_counts(Rollup)}
    print(
        f"rebuild: {result.seconds:.0f} s for {result.disputes:,} disputes / {result.transitions:,} transitions "
        f"-> {result.rows:,} rollup rows ({', '.join(f'{k} {v:,}' for k, v in grains.items())}); target ≤ 600 s for 5,000,000"
    )
    copies = max(1, round(CASES / n)) - 1
    if copies:
        t = time.perf_counter()
        rows, terms = inflate(copies)
        analyze()
        print(
            f"scaled: rebuild rate {result.disputes / result.seconds:,.0f} disputes/s, i.e. "
            f"{CASES / (result.disputes / result.seconds):,.0f} s for {CASES:,} on this machine; rollups grown "
            f"to the volume of {n * (copies + 1):,} disputes ({copies} moved copies of the sample's base rows): "
            f"{rows:,} rollup rows and {terms:,} open mediation terms in {time.perf_counter() - t:.0f} s"
        )
        grains = {Grain(g).label: k for g, k in _grain_counts(Rollup)}
        print(f"rollup rows by grain: {', '.join(f'{k} {v:,}' for k, v in grains.items())}")
    print(database_size(vendor))

    r = rng(3)
    province = 510000000000
    cities = r.sample(list(AdminUnit.objects.filter(level=2).values_list("code", flat=True)), 5)
    counties = r.sample(list(AdminUnit.objects.filter(level=3).values_list("code", flat=True)), SAMPLES)
    townships = r.sample(list(AdminUnit.objects.filter(level=4).values_list("code", flat=True)), SAMPLES)
    villages = r.sample(list(AdminUnit.objects.filter(level=5).values_list("code", flat=True)), SAMPLES)
    roles = {
        1: Role.PROVINCE_ANALYST,
        2: Role.CITY_ANALYST,
        3: Role.COUNTY_OFFICER,
        4: Role.TOWNSHIP_OFFICER,
        5: Role.VILLAGE_MEDIATOR,
    }
    users: dict[int, User] = {}
    levels: dict[int, int] = {}
    for code in [province, *cities, *counties, *townships, *villages]:
        level = levels[code] = AdminUnit.objects.get(code=code).level
        users[code] = User.objects.get_or_create(
            username=f"u{code}", defaults={"role": roles[level], "admin_unit_id": code}
        )[0]
    client = Client()

    def page(code: int, params: dict[str, str]) -> Callable[[int], None]:
        def get(_: int) -> None:
            sign_in(client, users[code])
            resp = client.get("/analytics/", params)
            assert resp.status_code == 200, resp.status_code

        return get

    slowest: dict[int, tuple[float, list[tuple[float, str]]]] = {}  # level -> (ms, its queries)

    def many(codes: list[int], params: dict[str, str]) -> list[float]:
        out = []
        for code in codes:
            sign_in(client, users[code])
            t = time.perf_counter()
            with query_times() as spent:
                assert client.get("/analytics/", params).status_code == 200
            out.append((time.perf_counter() - t) * 1000)
            if out[-1] > slowest.get(levels[code], (0.0, []))[0]:
                slowest[levels[code]] = (out[-1], sorted(spent, reverse=True))
        return out

    today = dt.date.today()
    this_year = {}
    last12 = {"from": f"{today.year - 1}-{today.month:02d}", "to": f"{today.year}-{today.month:02d}"}
    ten_years = {"from": f"{today.year - 10}-01", "to": f"{today.year}-{today.month:02d}"}
    neighbour = {**last12, "type": "neighbour"}
    page(province, this_year)(0)  # warm templates and caches
    executed: list[str] = []

    def count(execute, sql, params, many_, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many_, context)

    with connection.execute_wrapper(count):
        page(villages[0], this_year)(0)
    print(f"queries per dashboard page (incl. session and user): {len(executed)}")
    print("dashboard server time (the real view through the test client):")
    for label, params in (
        ("this year", this_year),
        ("last 12 months", last12),
        ("type filter", neighbour),
        ("ten years", ten_years),
    ):
        print(
            f"  province, {label:15s} {summary(timed(page(province, params), list(range(SAMPLES))))} (target ≤ 1000 ms)"
        )
    for label, params in (("this year", this_year), ("type filter", neighbour)):
        print(f"  city,     {label:15s} {summary(many(cities * 3, params))}")
        print(f"  county,   {label:15s} {summary(many(counties, params))}")
        print(f"  township, {label:15s} {summary(many(townships, params))}")
        print(f"  village,  {label:15s} {summary(many(villages, params))} (target ≤ 200 ms)")
    print(f"  village,  ten years       {summary(many(villages, ten_years))}")
    total_ms, spent = slowest[5]
    print(
        f"  the slowest village page: {total_ms:.1f} ms, {len(spent)} queries taking "
        f"{sum(ms for ms, _ in spent):.1f} ms; the slowest: "
        + "; ".join(f"{ms:.1f} ms {sql[:90]}" for ms, sql in spent[:3])
    )

    from django.utils import timezone

    from fengqiao.analytics import periods
    from fengqiao.core import clock

    period = periods.default_period(clock.today())
    for label, code in (
        ("province", province),
        ("city", cities[0]),
        ("county", counties[0]),
        ("township", townships[0]),
        ("village", villages[0]),
    ):
        scope = queries.scope_for(users[code], code)
        rows = _count_rows(queries.full_rows_for(scope.code, scope.level).during(period))
        totals = _count_rows(queries.totals_for(scope.code, scope.level).during(period))
        print(
            f"  rollup rows in scope this year, {label}: {rows:,} with the full breakdown, {totals:,} month totals"
        )

    # a village's figures against a direct count of its cases
    v = villages[0]
    lo, hi = period.first, period.last
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(periods.first_day(lo), dt.time(), tz)
    end = dt.datetime.combine(periods.first_day(periods.add_months(hi, 1)), dt.time(), tz)
    direct = Dispute.objects.filter(admin_unit_id=v, received_at__gte=start, received_at__lt=end).count()
    shown = queries.figures(queries.scope_for(users[v], v), period)["registered"]
    if copies:  # the places hold the moved copies too: the sum over the province still checks
        print(
            f"check: village {v} registered this year: rollups {shown} (scaled; the sample alone: {direct})"
        )
    else:
        print(f"check: village {v} registered this year: rollups {shown}, direct count {direct}")
        assert shown == direct

    # incremental throughput: a month of new activity (new disputes and their steps)
    before = rollups.state().last_id
    t = time.perf_counter()
    populate(NEW_CASES, vendor, start_offset=YEARS * 365 - 60, span_days=YEARS * 365, say=False)
    load = time.perf_counter() - t
    t = time.perf_counter()
    done = rollups.catch_up()
    seconds = time.perf_counter() - t
    print(
        f"incremental: {done:,} new transitions ({NEW_CASES:,} disputes, loaded in {load:.0f} s) applied in "
        f"{seconds:.1f} s = {done / seconds:,.0f} transitions/s (watermark {before} -> {rollups.state().last_id})"
    )
    shown_after = queries.figures(
        queries.scope_for(users[province], province), periods.Period(200001, 209912)
    )["registered"]
    expected = Dispute.objects.count() + copies * n
    print(
        f"check: province registered, all time: rollups {shown_after:,}, disputes {Dispute.objects.count():,}"
        + (f" + {copies} copies of the {n:,} sampled = {expected:,}" if copies else "")
    )
    assert shown_after == expected


def inflate(copies: int) -> tuple[int, int]:
    """Grow the rollups to the volume of (copies + 1) × the sample (see the module's
    docstring): returns the rollup rows written and the mediation terms added."""
    import numpy as np
    from django.db import transaction

    from fengqiao.analytics import rebuild as rb
    from fengqiao.analytics.models import Grain, Rollup
    from fengqiao.analytics.rollups import COLUMNS, KEY
    from fengqiao.core.bulk import Table
    from fengqiao.deadlines.models import Deadline
    from fengqiao.geography.choices import SPAN, Level
    from fengqiao.geography.models import AdminUnit

    r = rng(29)
    keys = rb.Keys()
    base = list(Rollup.objects.filter(grain=Grain.BASE).values_list(*COLUMNS))
    k0 = np.array([keys.key(*row[1:6]) for row in base], np.int64)
    m0 = np.array([row[len(KEY) :] for row in base], np.int64)
    units0, low0 = k0 >> rb._UNIT, k0 & rb._LOW
    level_codes = {
        lv: np.array(sorted(AdminUnit.objects.filter(level=lv).values_list("code", flat=True)), np.int64)
        for lv in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
    }
    perms = [
        {lv: np.array(r.sample(list(c), len(c)), np.int64) for lv, c in level_codes.items()}
        for _ in range(copies)
    ]

    def moved(units: np.ndarray, perm: dict[Level, np.ndarray]) -> np.ndarray:
        out = units.copy()
        for lv, sorted_codes in level_codes.items():
            pos = np.searchsorted(sorted_codes, units)
            pos = np.minimum(pos, len(sorted_codes) - 1)
            hit = sorted_codes[pos] == units
            out[hit] = perm[lv][pos[hit]]
        return out

    all_keys = [k0] + [(moved(units0, perm) << rb._UNIT) | low0 for perm in perms]
    city_span = SPAN[Level.CITY]
    result = rb.RebuildResult()

    def cities() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        for city in sorted({int(c) for k in all_keys for c in np.unique((k >> rb._UNIT) // city_span)}):
            masks = [(k >> rb._UNIT) // city_span == city for k in all_keys]
            rows = np.vstack([m0[mask] for mask in masks])
            yield (
                np.concatenate([k[mask] for k, mask in zip(all_keys, masks, strict=True)]),
                rows.astype(np.int32),
                rows[:, rb.AMOUNT],
            )

    with transaction.atomic():
        Rollup.objects.all().delete()
        rb.write_grains(keys, cities(), result)
    terms = list(
        Deadline.objects.filter(status="open", dispute__isnull=False).values(
            "rule", "dispute_id", "admin_unit_id", "started_on", "due_on", "remind_on", "status"
        )
    )
    units = np.array([t["admin_unit_id"] for t in terms], np.int64)
    extra = []
    for perm in perms:
        for t, unit in zip(terms, moved(units, perm).tolist(), strict=True):
            extra.append({**t, "admin_unit_id": unit})
    with transaction.atomic():
        Table(Deadline).insert(extra)
    return result.rows, len(extra)


def _grain_counts(model: Any) -> list[tuple[int, int]]:
    from django.db.models import Count

    return sorted(model.objects.values_list("grain").annotate(n=Count("id")).values_list("grain", "n"))


def _count_rows(selection: Any) -> int:
    from django.db import connection

    from fengqiao.analytics.queries import TABLE

    with connection.cursor() as c:
        c.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE {selection.where}", selection.params)
        return int(c.fetchone()[0])


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    main()
