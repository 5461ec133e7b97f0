"""The full recomputation of the rollups (``fengqiao analytics rebuild``; nightly job).

One transaction over a consistent snapshot: readers keep the old figures until the
new ones are complete, and the watermark moves to the snapshot's last transition
with the rows, so the incremental job continues exactly where the rebuild stopped.

How it stays within minutes for millions of disputes:
- disputes and their steps are read in id ranges — sequential reads — with each
  dispute's steps as one text (``sql.steps_where``);
- every dispute is replayed by ``replay.contribution``, the same function the
  incremental job uses, so the two paths cannot define a figure differently;
- the id ranges are replayed by a pool of processes, one per core (``replay_range``;
  ``FENGQIAO_REBUILD_WORKERS``), each reading within the rebuild's snapshot: on SQLite
  the rebuild holds the one write lock from its first statement, so nothing can commit
  before the workers read; on PostgreSQL they import the exported snapshot;
- the contributions become numpy rows keyed by one 63-bit integer (place, month,
  type, tier, channel; ``Keys``); each process numbers the types, tiers and channels
  in the order it meets them, and the parent adopts its codes (``Keys.adopt``);
- every grain is a sort-and-sum of the grain below, city by city (``aggregate_city``,
  in the pool as well), so memory holds the compact base rows and a few cities;
- the parent only appends: COPY on PostgreSQL; on SQLite one prepared statement per
  (type, tier, channel) with those as literals, so each row goes from the matrix to
  the driver's ``executemany`` as a plain list of integers (``rollups.insert_block``).

Figures (``bench/bench_dashboard.py``) are in the closing notes.
"""

import itertools
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from fengqiao.analytics import pool, sql
from fengqiao.analytics.measures import INDEX, WIDTH
from fengqiao.analytics.models import Grain, Rollup, RollupState
from fengqiao.analytics.replay import contribution
from fengqiao.analytics.rollups import GAP_WINDOW, STATE, insert_block
from fengqiao.core import clock
from fengqiao.geography.choices import SPAN, Level

CHUNK = 50_000  # disputes read and replayed at a time
AMOUNT = INDEX["accepted_amount"]  # the one measure that can outgrow 32 bits in a dispute

# Key layout, low bits first: channel 4, tier 2, type 6, month 11 (months since
# 1970-01), place 40 (a 12-digit code is below 2**40) — 63 bits, a positive int64.
_CH, _TIER, _TYPE, _MONTH, _UNIT = 0, 4, 6, 12, 23
_CH_MASK, _TIER_MASK, _TYPE_MASK = 0xF, 0x3 << _TIER, 0x3F << _TYPE
_LOW = (1 << _UNIT) - 1


class Keys:
    """Codes for the dimension values met (0 is '' — "all"), and the key arithmetic."""

    def __init__(self) -> None:
        self.types, self.tiers, self.channels = [""], [""], [""]
        self._t: dict[str, int] = {"": 0}
        self._x: dict[str, int] = {"": 0}
        self._c: dict[str, int] = {"": 0}

    @staticmethod
    def _code(value: str, index: dict[str, int], values: list[str], room: int) -> int:
        code = index.get(value)
        if code is None:
            if len(values) >= room:
                raise ValueError(f"too many distinct values for the rollup key: {values}")
            code = index[value] = len(values)
            values.append(value)
        return code

    def key(self, unit: int, month: int, dispute_type: str, tier: str, channel: str) -> int:
        m = (month // 100 - 1970) * 12 + month % 100 - 1
        return (
            (unit << _UNIT)
            | (m << _MONTH)
            | (self._code(dispute_type, self._t, self.types, 64) << _TYPE)
            | (self._code(tier, self._x, self.tiers, 4) << _TIER)
            | self._code(channel, self._c, self.channels, 16)
        )

    def adopt(self, part: "Part") -> np.ndarray:
        """``part``'s keys with its codes (of the process that replayed it) turned into ours."""
        t, x, c = (
            np.array([self._code(v, index, values, room) for v in theirs], dtype=np.int64)
            for theirs, index, values, room in (
                (part.types, self._t, self.types, 64),
                (part.tiers, self._x, self.tiers, 4),
                (part.channels, self._c, self.channels, 16),
            )
        )
        k = part.keys
        return (
            (k & ~(_TYPE_MASK | _TIER_MASK | _CH_MASK))
            | (t[(k >> _TYPE) & 0x3F] << _TYPE)
            | (x[(k >> _TIER) & 0x3] << _TIER)
            | c[k & _CH_MASK]
        )

    def combo(self, bits: int) -> tuple[str, str, str]:
        """The type, tier and channel of a key's low bits."""
        return (
            self.types[(bits >> _TYPE) & 0x3F],
            self.tiers[(bits >> _TIER) & 0x3],
            self.channels[bits & _CH_MASK],
        )


def _group(keys: np.ndarray, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum the rows of ``matrix`` that share a key; keys come back sorted."""
    if len(keys) == 0:
        return keys, matrix
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_keys)) + 1))
    return sorted_keys[starts], np.add.reduceat(matrix[order], starts, axis=0)


def _within(keys: np.ndarray, level: Level) -> np.ndarray:
    """Each key's place replaced by its ancestor at ``level`` (−1 where it has none)."""
    units = keys >> _UNIT
    span = SPAN[level]
    above = SPAN[Level(level - 1)] if level > Level.PROVINCE else None
    anc = units // span * span
    out = (anc << _UNIT) | (keys & _LOW)
    if above is not None:  # a place recorded above this level has no ancestor at it
        out = np.where(units % above == 0, -1, out)
    return np.where(keys < 0, -1, out)


def _sets(keys: np.ndarray) -> list[np.ndarray]:
    """The keys of the four grouping sets: by type, by tier, by channel, total."""
    return [
        keys & ~(_TIER_MASK | _CH_MASK),
        keys & ~(_TYPE_MASK | _CH_MASK),
        keys & ~(_TYPE_MASK | _TIER_MASK),
        keys & ~(_TYPE_MASK | _TIER_MASK | _CH_MASK),
    ]


@dataclass
class RebuildResult:
    disputes: int = 0
    transitions: int = 0
    rows: int = 0
    seconds: float = 0.0
    last_id: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def took(self, what: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[what] = self.timings.get(what, 0.0) + now - since
        return now


@dataclass
class Part:
    """One id range replayed: its rows keyed with its own codes (``Keys``), counts as
    int32 (a dispute adds small numbers), the amount column apart as int64."""

    types: list[str]
    tiers: list[str]
    channels: list[str]
    keys: np.ndarray
    rows: np.ndarray
    amount: np.ndarray
    disputes: int = 0
    transitions: int = 0
    read: float = 0.0
    replay: float = 0.0


def replay_range(lo: int, hi: int, up_to: int) -> Part:
    """Replay the disputes with ids in [lo, hi) over their steps up to ``up_to``."""
    t0 = time.perf_counter()
    cases = sql.cases_where("d.id >= %s AND d.id < %s", [lo, hi])
    steps = sql.steps_where("t.dispute_id >= %s AND t.dispute_id < %s AND t.id <= %s", [lo, hi, up_to])
    t1 = time.perf_counter()
    keys = Keys()
    key = keys.key
    k: list[int] = []
    v: list[list[int]] = []
    disputes = transitions = 0
    for pk, mine in steps.items():
        case = cases.get(pk)
        c = contribution(case, mine) if case is not None else None
        if case is None or c is None:
            continue
        disputes += 1
        transitions += len(mine)
        for month, vector in c.months.items():
            k.append(key(case.unit, month, c.dispute_type, c.tier, case.channel))
            v.append(vector)
    if k:
        grouped, rows = _group(np.array(k, dtype=np.int64), np.array(v, dtype=np.int64))
    else:
        grouped, rows = np.zeros(0, np.int64), np.zeros((0, WIDTH), np.int64)
    amount = rows[:, AMOUNT].copy()
    rows[:, AMOUNT] = 0
    return Part(
        keys.types,
        keys.tiers,
        keys.channels,
        grouped,
        rows.astype(np.int32),
        amount,
        disputes,
        transitions,
        t1 - t0,
        time.perf_counter() - t1,
    )


# ------------------------------------------------------------------ the pool


_SNAPSHOT = ""  # the PostgreSQL snapshot a pool process reads in (``pool.start``)


def _replay_in_snapshot(lo: int, hi: int, up_to: int) -> Part:
    if not _SNAPSHOT:  # SQLite: the parent's write lock keeps every commit out
        return replay_range(lo, hi, up_to)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SET TRANSACTION SNAPSHOT %s", [_SNAPSHOT])
        return replay_range(lo, hi, up_to)


def workers() -> int:
    return settings.FENGQIAO_REBUILD_WORKERS or os.cpu_count() or 1


Mapper = Callable[..., Iterator[Any]]  # (function, argument tuples) -> results, in order


def serial(fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> Iterator[Any]:
    return (fn(*args) for args in calls)


@contextmanager
def _pool(tasks: int, outermost: bool) -> Iterator[Mapper]:
    """An ordered map over processes when the rebuild owns its transaction and the
    database is one that other processes can open; else in-process. At most a few
    calls run ahead of the one the caller waits for, which bounds the memory held by
    results not yet written."""
    n = min(workers(), tasks)
    memory = getattr(connection, "is_in_memory_db", lambda: False)()  # SQLite's test database
    if n < 2 or not outermost or memory:
        yield serial
        return
    snapshot = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
    context = multiprocessing.get_context("spawn")  # a fork would share the parent's connection
    name = connection.settings_dict["NAME"]

    with ProcessPoolExecutor(
        n, mp_context=context, initializer=pool.start, initargs=(name, snapshot)
    ) as executor:

        def ordered(fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> Iterator[Any]:
            pending: deque[Future[Any]] = deque()
            for args in calls:
                pending.append(executor.submit(fn, *args))
                if len(pending) > 2 * n:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

        yield ordered


# ------------------------------------------------------------------ aggregate and write


@dataclass
class Table:
    """Rows of one grain ready to append, in blocks of one (type, tier, channel): those
    three are written as literals, so a row is a plain list of integers — grain, unit,
    month (YYYYMM), the measures — straight from the matrix."""

    combos: list[int]  # the key bits of each block's type, tier and channel
    bounds: list[int]  # block i is matrix[bounds[i]:bounds[i + 1]]
    matrix: np.ndarray


def _table(grain: int, k: np.ndarray, rows: np.ndarray) -> Table:
    keep = rows.any(axis=1) & (k >= 0)
    k, rows = k[keep], rows[keep]
    combo = k & (_TYPE_MASK | _TIER_MASK | _CH_MASK)
    order = np.argsort(combo, kind="stable")
    k, rows, combo = k[order], rows[order], combo[order]
    m = (k >> _MONTH) & 0x7FF
    columns = [np.full(len(k), grain, np.int64), k >> _UNIT, (1970 + m // 12) * 100 + m % 12 + 1]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(combo)) + 1)) if len(k) else np.zeros(0, np.int64)
    return Table(
        combo[starts].tolist(),
        [*starts.tolist(), len(k)],
        np.column_stack([*columns, rows]) if len(k) else np.zeros((0, 3 + WIDTH), np.int64),
    )


def aggregate_city(
    base_k: np.ndarray, base32: np.ndarray, amount: np.ndarray
) -> tuple[list[Table], tuple[np.ndarray, np.ndarray]]:
    """One city's replayed rows -> its tables (places, counties, the city; ``Grain``),
    and its rows with the full breakdown keyed by the province, for the province's."""
    full = base32.astype(np.int64)
    full[:, AMOUNT] = amount
    base_k, base = _group(base_k, full)
    tables = [_table(Grain.BASE, base_k, base)]
    county_k, county = _group(_within(base_k, Level.COUNTY), base)
    tables += [_table(Grain.COUNTY, *_group(set_k, county)) for set_k in _sets(county_k)]
    city_k, city = _group(_within(county_k, Level.CITY), county)
    tables += [_table(Grain.CITY, *_group(set_k, city)) for set_k in _sets(city_k)]
    return tables, _group(_within(city_k, Level.PROVINCE), city)


def province_tables(k: np.ndarray, rows: np.ndarray) -> list[Table]:
    k, rows = _group(k, rows)
    return [_table(Grain.PROVINCE, k, rows)] + [_table(Grain.PROVINCE, *_group(s, rows)) for s in _sets(k)]


def _write(keys: Keys, table: Table) -> int:
    for i, combo in enumerate(table.combos):
        lo, hi = table.bounds[i], table.bounds[i + 1]
        insert_block(*keys.combo(combo), table.matrix[lo:hi].tolist())
    return len(table.matrix)


def write_grains(
    keys: Keys, cities: Iterable[tuple[np.ndarray, ...]], result: RebuildResult, mapper: Mapper = serial
) -> None:
    """Aggregate each city's replayed rows (``mapper`` may run them in other processes)
    and append every grain's rows; then the province's."""
    province_k: list[np.ndarray] = []
    province: list[np.ndarray] = []
    for tables, (pk_, p) in mapper(aggregate_city, cities):
        for table in tables:
            result.rows += _write(keys, table)
        province_k.append(pk_)
        province.append(p)
    if province_k:
        for table in province_tables(np.concatenate(province_k), np.vstack(province)):
            result.rows += _write(keys, table)


def _snapshot(outermost: bool) -> tuple[RollupState, int, list[list[object]]]:
    """Lock the watermark row and fix the snapshot: its last transition, and on
    PostgreSQL the ids just below it that transactions still running may hold.

    Only the outermost transaction (the worker, the command) can choose its isolation
    level; inside a caller's transaction (the tests) that transaction's snapshot rules."""
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:  # one snapshot for every read below
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    st = RollupState.objects.select_for_update().filter(name=STATE).first() or RollupState.objects.create(
        name=STATE
    )
    up_to = sql.id_range(sql.TRANSITIONS)[1]
    gaps: list[list[object]] = []
    if connection.vendor == "postgresql":  # SQLite has one writer at a time: no such ids
        seen = clock.now().isoformat()
        gaps = [[a, b, seen] for a, b in sql.missing_ids(max(1, up_to - GAP_WINDOW + 1), up_to)]
    return st, up_to, gaps


def _ranges(first: int, last: int) -> list[int]:
    """The starts of the id ranges to replay: at most ``CHUNK`` disputes each, and at
    least one for each process of the pool."""
    span = last - first + 1 if last else 0
    if span <= 0:
        return []
    count = max(-(-span // CHUNK), min(workers(), span))
    return list(range(first, last + 1, -(-span // count)))


def rebuild(say: Callable[[str], None] | None = None) -> RebuildResult:
    """Recompute every rollup row from the transitions."""
    started = time.perf_counter()
    result = RebuildResult()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        st, up_to, gaps = _snapshot(outermost)
        Rollup.objects.all().delete()
        first, last = sql.id_range(sql.DISPUTES)
        starts = _ranges(first, last)
        master = Keys()
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        with _pool(len(starts), outermost) as mapper:
            for part in mapper(
                _replay_in_snapshot, [(lo, hi, up_to) for lo, hi in itertools.pairwise([*starts, last + 1])]
            ):
                parts.append((master.adopt(part), part.rows, part.amount))
                result.disputes += part.disputes
                result.transitions += part.transitions
                result.timings["read"] = result.timings.get("read", 0.0) + part.read
                result.timings["replay"] = result.timings.get("replay", 0.0) + part.replay
                if say and len(parts) % 20 == 0:
                    say(f"  已重放纠纷 {result.disputes:,} 件（{time.perf_counter() - started:.0f} 秒）")
            t = result.took("replay (wall)", started)
            if parts:
                keys, rows32, amount = (np.concatenate(p) for p in zip(*parts, strict=True))
            else:
                keys, rows32, amount = (
                    np.zeros(0, np.int64),
                    np.zeros((0, WIDTH), np.int32),
                    np.zeros(0, np.int64),
                )
            del parts
            city_of = (keys >> _UNIT) // SPAN[Level.CITY]
            order = np.argsort(city_of, kind="stable")
            keys, rows32, amount, city_of = keys[order], rows32[order], amount[order], city_of[order]
            bounds = [0, *(np.flatnonzero(np.diff(city_of)) + 1).tolist(), len(keys)] if len(keys) else [0]
            cities = ((keys[a:b], rows32[a:b], amount[a:b]) for a, b in itertools.pairwise(bounds))
            write_grains(master, cities, result, mapper)
        result.took("aggregate+write", t)
        result.seconds = time.perf_counter() - started
        result.last_id = up_to
        RollupState.objects.filter(pk=st.pk).update(
            last_id=up_to,
            version=F("version") + 1,
            gaps=gaps,
            applied=result.transitions,
            updated_at=clock.now(),
            rebuilt_at=clock.now(),
            rebuild_seconds=result.seconds,
        )
    return result
