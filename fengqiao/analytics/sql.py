"""Raw reads of disputes and transitions for the replay, on SQLite and PostgreSQL.

Why raw SQL, and why one text per dispute: the rebuild reads every transition (tens
of millions). Fetching them as rows costs the database driver and Python several
microseconds a row; instead the database concatenates each dispute's steps into one
text (``group_concat``/``string_agg``, with the few ``data`` fields the replay needs
already extracted by its JSON functions), and Python splits it — a fifth of the cost.

Times travel as the local hour ('2026-10-05 09'), converted to month and day by a
small cache: PostgreSQL converts with ``AT TIME ZONE``; SQLite stores UTC text, to
which the zone's fixed offset is added (Asia/Shanghai has kept UTC+8 without daylight
saving since 1991).
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from fengqiao.analytics.replay import Case, Step
from fengqiao.cases.choices import Action
from fengqiao.cases.models import Dispute, Transition

DISPUTES = Dispute._meta.db_table
TRANSITIONS = Transition._meta.db_table
FETCH = 5_000
EPOCH = dt.date(2000, 1, 1)
FIELD, STEP = "\x1f", "\x1e"  # ASCII unit and record separators: never in the values

# The ``data`` key each step's detail comes from (see replay.Step).
DETAIL_KEYS = {
    Action.ACCEPT.value: "to_tier",
    Action.ESCALATE.value: "to_tier",
    Action.REFER_BACK.value: "to_tier",
    Action.REACH_AGREEMENT.value: "form",
    Action.RECORD_CONFIRMATION.value: "result",
    Action.RECORD_FOLLOW_UP.value: "satisfaction",
}


def _offset_hours() -> int:
    offset = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset()
    return int(offset.total_seconds() // 3600) if offset else 0


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def local_hour(column: str) -> str:
    """SQL for a datetime column as text 'YYYY-MM-DD HH' — local on PostgreSQL, UTC on
    SQLite (``hour_shift`` gives the offset to add)."""
    if _sqlite():
        return f"substr({column}, 1, 13)"
    return f"to_char({column} AT TIME ZONE '{settings.TIME_ZONE}', 'YYYY-MM-DD HH24')"


@cache
def _month_day(hour: str, shift: int) -> tuple[int, int]:
    """(YYYYMM, days since 2000-01-01) in local time of a ``local_hour`` text."""
    moment = dt.datetime(int(hour[0:4]), int(hour[5:7]), int(hour[8:10]), int(hour[11:13])) + dt.timedelta(
        hours=shift
    )
    return moment.year * 100 + moment.month, (moment.date() - EPOCH).days


def hour_shift() -> int:
    """Hours to add to a ``local_hour`` text for local time (asked once per read: it
    goes through the connection and the time-zone database)."""
    return _offset_hours() if _sqlite() else 0


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def amount_cents(value: Any) -> int:
    if value is None:
        return 0
    return int((Decimal(str(value)) * 100).to_integral_value())


def _rows(sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH):
            yield from batch


# ------------------------------------------------------------------ disputes


def cases_where(where: str, params: Sequence[Any]) -> dict[int, Case]:
    sql = (
        f"SELECT d.id, d.admin_unit_id, d.channel, d.dispute_type, d.amount, d.people_involved, "
        f"{local_hour('d.received_at')} FROM {DISPUTES} d WHERE {where}"
    )
    out = {}
    shift = hour_shift()
    for pk, unit, channel, kind, amount, people, hour in _rows(sql, params):
        month, day = _month_day(hour, shift)
        out[pk] = Case(pk, unit, channel, kind, amount_cents(amount), people, month, day)
    return out


def cases_by_id(ids: Sequence[int]) -> dict[int, Case]:
    out: dict[int, Case] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        out.update(cases_where(f"d.id IN ({', '.join(['%s'] * len(chunk))})", chunk))
    return out


# ------------------------------------------------------------------ steps


def _json(key: str) -> str:
    return f"json_extract(t.data, '$.{key}')" if _sqlite() else f"(t.data ->> '{key}')"


def _change(i: int) -> str:
    if _sqlite():
        return f"json_extract(t.data, '$.changes.dispute_type[{i}]')"
    return f"(t.data -> 'changes' -> 'dispute_type' ->> {i})"


def _step_text() -> str:
    """SQL for one step as 'id␟action␟from␟to␟hour␟detail␟old'."""
    cases = " ".join(f"WHEN '{a}' THEN {_json(k)}" for a, k in DETAIL_KEYS.items())
    reclassify = Action.RECLASSIFY.value
    detail = f"COALESCE(CASE t.action {cases} WHEN '{reclassify}' THEN {_change(1)} END, '')"
    old = f"COALESCE(CASE WHEN t.action = '{reclassify}' THEN {_change(0)} END, '')"
    sep = "char(31)" if _sqlite() else "chr(31)"
    parts = [
        "CAST(t.id AS TEXT)",
        "t.action",
        "t.from_status",
        "t.to_status",
        local_hour("t.at"),
        detail,
        old,
    ]
    return f" || {sep} || ".join(parts)


def _parse(text: str, shift: int) -> list[Step]:
    steps = []
    for part in text.split(STEP):
        pk, action, from_status, to_status, hour, detail, old = part.split(FIELD)
        month, day = _month_day(hour, shift)
        if old == detail:  # a reclassification that kept the type (or none at all)
            old = ""
            if action == Action.RECLASSIFY:
                detail = ""
        steps.append(Step(int(pk), action, from_status, to_status, month, day, detail, old))
    steps.sort()  # by id: a dispute's steps in the order they were committed
    return steps


def steps_where(where: str, params: Sequence[Any]) -> dict[int, list[Step]]:
    """Every step matching ``where`` (on ``t``), by dispute, in id order."""
    if _sqlite():
        agg = f"group_concat({_step_text()}, char(30))"
    else:
        agg = f"string_agg({_step_text()}, chr(30) ORDER BY t.id)"
    sql = f"SELECT t.dispute_id, {agg} FROM {TRANSITIONS} t WHERE {where} GROUP BY t.dispute_id"
    shift = hour_shift()
    return {pk: _parse(text, shift) for pk, text in _rows(sql, params)}


def steps_by_dispute(ids: Sequence[int]) -> dict[int, list[Step]]:
    """Every visible step of the given disputes, by dispute, in id order."""
    out: dict[int, list[Step]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        out.update(steps_where(f"t.dispute_id IN ({', '.join(['%s'] * len(chunk))})", chunk))
    return out


# ------------------------------------------------------------------ the watermark


def new_steps(after: int, limit: int) -> list[tuple[int, int]]:
    """(id, dispute_id) of the first ``limit`` transitions with id > ``after``."""
    sql = f"SELECT id, dispute_id FROM {TRANSITIONS} WHERE id > %s ORDER BY id LIMIT %s"
    return [(r[0], r[1]) for r in _rows(sql, [after, limit])]


def steps_in_ranges(ranges: Sequence[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """(id, dispute_id) of transitions now visible inside the given id ranges."""
    if not ranges:
        return []
    where = " OR ".join("(id >= %s AND id <= %s)" for _ in ranges)
    sql = f"SELECT id, dispute_id FROM {TRANSITIONS} WHERE {where} ORDER BY id LIMIT %s"
    return [(r[0], r[1]) for r in _rows(sql, [*(v for r in ranges for v in r), limit])]


def id_range(table: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")
        lo, hi = cursor.fetchone()
        return int(lo or 0), int(hi or 0)


def missing_ids(lo: int, hi: int) -> list[tuple[int, int]]:
    """Ranges of transition ids in [lo, hi] with no visible row."""
    if hi < lo:
        return []
    present = [
        r[0] for r in _rows(f"SELECT id FROM {TRANSITIONS} WHERE id >= %s AND id <= %s ORDER BY id", [lo, hi])
    ]
    return holes(present, lo, hi)


def holes(present: Sequence[int], lo: int, hi: int) -> list[tuple[int, int]]:
    """The ranges of [lo, hi] not covered by the sorted ids ``present``."""
    out = []
    expect = lo
    for pk in present:
        if pk > expect:
            out.append((expect, pk - 1))
        expect = max(expect, pk + 1)
    if expect <= hi:
        out.append((expect, hi))
    return out
