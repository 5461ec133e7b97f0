"""Keeping the rollup tables current: the incremental step and the full rebuild.

Both sum ``replay.contribution`` over disputes; they differ only in how much they read.

- ``update`` (run by the worker) reads the transitions past the watermark, replays
  each dispute they touch twice — with the steps already counted and with the new
  ones — and adds the difference to the rollups, in one transaction that also moves
  the watermark by compare-and-set. A second worker that read the same watermark
  finds it moved and writes nothing.
- ``rebuild`` (module ``rebuild``: nightly, after big imports or deletions)
  replaces every row from a consistent snapshot and sets the watermark to it.

Each base cell (place × month × type × tier × channel) is also added to the
aggregated rows above it (``cells_of``): its county and city by type, by tier, by
channel and in total, and its province with the full breakdown as well, so the
pages of a large jurisdiction read a few hundred rows however many disputes it has.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import F

from fengqiao.analytics import sql
from fengqiao.analytics.measures import NAMES
from fengqiao.analytics.models import Grain, Rollup, RollupState
from fengqiao.analytics.replay import Case, Step, contribution, difference
from fengqiao.core import clock
from fengqiao.geography import codes
from fengqiao.geography.choices import Level

if TYPE_CHECKING:
    from fengqiao.analytics.rebuild import RebuildResult

STATE = "rollup"
BATCH = 5000  # transitions per incremental step
GAP_TTL = dt.timedelta(hours=24)  # no transaction that writes transitions runs this long
# Ids just below the rebuild's snapshot that may belong to transactions still running.
GAP_WINDOW = 200_000
KEY = ("grain", "unit", "month", "dispute_type", "tier", "channel")
COLUMNS = (*KEY, *NAMES)
AGGREGATES = ((Grain.COUNTY, Level.COUNTY), (Grain.CITY, Level.CITY), (Grain.PROVINCE, Level.PROVINCE))
# Grains that keep the full breakdown; the others keep the four sets of ``sets_of``.
FULL_GRAINS = frozenset({Grain.BASE, Grain.PROVINCE})

Cell = tuple[int, int, int, str, str, str]  # the KEY columns


class _Moved(Exception):
    """Another worker or a rebuild moved the watermark first."""


def state() -> RollupState:
    obj, _ = RollupState.objects.get_or_create(name=STATE)
    return obj


def pending() -> int:
    """Transitions past the watermark (not counting gaps) — the job's backlog."""
    from fengqiao.cases.models import Transition

    return Transition.objects.filter(id__gt=state().last_id).count()


# ------------------------------------------------------------------ cells


def sets_of(dispute_type: str, tier: str, channel: str) -> list[tuple[str, str, str]]:
    """The grouping sets an aggregated grain keeps: by type, by tier, by channel, total
    ('' stands for "all")."""
    return [(dispute_type, "", ""), ("", tier, ""), ("", "", channel), ("", "", "")]


def cells_of(unit: int, month: int, dispute_type: str, tier: str, channel: str) -> list[Cell]:
    """The rows one base cell adds to: itself; its county and city in the four sets;
    its province with the full breakdown and in the four sets."""
    out: list[Cell] = [(Grain.BASE, unit, month, dispute_type, tier, channel)]
    for grain, level in AGGREGATES:
        anc = codes.ancestor_at(unit, level)
        if anc is None:
            continue
        if grain in FULL_GRAINS:
            out.append((grain, anc, month, dispute_type, tier, channel))
        out.extend((grain, anc, month, t, x, c) for t, x, c in sets_of(dispute_type, tier, channel))
    return out


def _add(into: dict[Cell, list[int]], cell: Cell, vector: Sequence[int]) -> None:
    row = into.get(cell)
    if row is None:
        into[cell] = list(vector)
    else:
        into[cell] = [a + b for a, b in zip(row, vector, strict=True)]


# ------------------------------------------------------------------ writing


def _upsert_sql() -> str:
    table = Rollup._meta.db_table
    sets = ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n in NAMES)
    marks = ", ".join(["%s"] * len(COLUMNS))
    return (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {sets}"
    )


def add_to_rollups(deltas: dict[Cell, list[int]]) -> int:
    """Add ``deltas`` to the rollup rows (created when missing); returns rows touched."""
    rows: list[tuple[int | str, ...]] = [(*cell, *v) for cell, v in deltas.items() if any(v)]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_upsert_sql(), rows)
    return len(rows)


def insert_block(dispute_type: str, tier: str, channel: str, rows: list[list[int]]) -> None:
    """Append fresh rows of one type, tier and channel fast (the rebuild); each row is
    grain, unit, month and the measures (``NAMES`` order).

    COPY on PostgreSQL; on SQLite the driver's own ``executemany`` of one statement with
    the three as literals: prepared once, each row bound and stepped in C. (Not
    ``core.bulk``: it takes a dict per row and reserves ids, which for ten million rows
    of sixty columns costs more than the rebuild's every other step.)"""
    if not rows:
        return
    table = Rollup._meta.db_table
    columns = f"{table} (grain, unit, month, {', '.join(NAMES)}, dispute_type, tier, channel)"
    if connection.vendor == "postgresql":
        tail = [dispute_type, tier, channel]
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + tail)
        return

    def literal(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    marks = ", ".join(["?"] * (3 + len(NAMES)))
    values = f"VALUES ({marks}, {literal(dispute_type)}, {literal(tier)}, {literal(channel)})"
    connection.ensure_connection()
    connection.connection.executemany(f"INSERT INTO {columns} {values}", rows)


# ------------------------------------------------------------------ incremental


def _in(ranges: Iterable[Sequence[Any]], pk: int) -> bool:
    return any(r[0] <= pk <= r[1] for r in ranges)


@dataclass
class _Plan:
    version: int
    last_id: int
    gaps: list[list[Any]]
    batch: set[int]
    disputes: list[int]


def _plan(st: RollupState, limit: int) -> _Plan | None:
    """What one step will do: the new steps, the late ones found in gaps, the gaps after."""
    now = clock.now()
    fresh = sql.new_steps(st.last_id, limit)
    late = sql.steps_in_ranges([(g[0], g[1]) for g in st.gaps], limit)
    last_id = fresh[-1][0] if fresh else st.last_id
    late_ids = [pk for pk, _ in late]
    gaps: list[list[Any]] = []
    for lo, hi, seen in st.gaps:
        if dt.datetime.fromisoformat(seen) < now - GAP_TTL:
            continue  # given up: that id will never appear (a rollback, a deleted row)
        gaps.extend([a, b, seen] for a, b in sql.holes([i for i in late_ids if lo <= i <= hi], lo, hi))
    if fresh:
        gaps.extend(
            [a, b, now.isoformat()] for a, b in sql.holes([pk for pk, _ in fresh], st.last_id + 1, last_id)
        )
    batch = {pk for pk, _ in fresh} | set(late_ids)
    if not batch and gaps == st.gaps:
        return None
    disputes = sorted({d for _, d in fresh} | {d for _, d in late})
    return _Plan(st.version, last_id, gaps, batch, disputes)


def deltas_for(
    cases: dict[int, Case],
    steps: dict[int, list[Step]],
    before: Callable[[int], bool],
    after: Callable[[int], bool],
) -> dict[Cell, list[int]]:
    """The change in every cell when the steps counted go from ``before`` to ``after``."""
    out: dict[Cell, list[int]] = {}
    for pk, case in cases.items():
        mine = steps.get(pk, [])
        old = contribution(case, mine, before)
        new = contribution(case, mine, after)
        for dispute_type, tier, month, vector in difference(old, new):
            for cell in cells_of(case.unit, month, dispute_type, tier, case.channel):
                _add(out, cell, vector)
    return out


def update(limit: int = BATCH) -> int:
    """One incremental step; returns the number of transitions applied (0: up to date,
    or another worker got there first)."""
    st = state()
    plan = _plan(st, limit)
    if plan is None:
        return 0
    old_gaps = [(g[0], g[1]) for g in st.gaps]
    counted = st.last_id

    def before(pk: int) -> bool:
        return pk <= counted and not _in(old_gaps, pk)

    def after(pk: int) -> bool:
        return before(pk) or pk in plan.batch

    # Dispute rows first, then their steps: see replay.type_as_of.
    cases = sql.cases_by_id(plan.disputes)
    steps = sql.steps_by_dispute(plan.disputes)
    deltas = deltas_for(cases, steps, before, after)
    try:
        with transaction.atomic():
            moved = RollupState.objects.filter(pk=st.pk, version=plan.version).update(
                last_id=plan.last_id,
                version=plan.version + 1,
                gaps=plan.gaps,
                applied=F("applied") + len(plan.batch),
                updated_at=clock.now(),
            )
            if not moved:
                raise _Moved
            add_to_rollups(deltas)
    except _Moved:
        return 0
    return len(plan.batch)


def catch_up(limit: int = BATCH) -> int:
    """Run steps until none is left; returns the transitions applied."""
    total = 0
    while done := update(limit):
        total += done
    return total


# ------------------------------------------------------------------ rebuild


def rebuild(say: Callable[[str], None] | None = None) -> "RebuildResult":
    """Recompute every row (see module ``rebuild``)."""
    from fengqiao.analytics.rebuild import rebuild as run

    return run(say)


def rows_by_cell() -> dict[Cell, list[int]]:
    """Every non-zero rollup row (the tests compare the two paths with it)."""
    out: dict[Cell, list[int]] = {}
    for row in Rollup.objects.values_list(*COLUMNS):
        vector = list(row[len(KEY) :])
        if any(vector):
            out[row[: len(KEY)]] = vector
    return out
