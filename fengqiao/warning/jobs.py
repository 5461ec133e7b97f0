"""The early-warning job: signals evaluated for new facts past a durable watermark, and
the nightly recomputation.

Writes stay fast: registering a dispute, recording a session or failing a mediation
writes only the case rows (``cases.actions``); ``fengqiao worker`` evaluates the
signals right after. Two streams, each with its ``Cursor``:

- **transitions** (``cases.Transition`` by id): a registration → entity resolution,
  repeat, mass, narrative escalation, hotspot counts and test; a failed mediation →
  民转刑 risk; an escalation or referral back → bouncing between tiers; a corrected
  party → its keys rebuilt (no stale name sound or phone fragment kept);
- **sessions** (``cases.SessionRecord`` by id): escalation language in the record.

A step takes up to ``BATCH`` rows after the cursor and, in one transaction, moves the
cursor by compare-and-set (``UPDATE … WHERE position = <what it read>``; a second
worker that read the same position updates nothing and backs off), writes the index
rows and raises the alerts — so a crash loses nothing and nothing is done twice.
Alerts for the same situation within a batch are digested into one.

Id order is commit order on SQLite, whose writers are serialised. On PostgreSQL two
transactions can commit out of id order, so rows younger than ``SETTLE_SECONDS`` are
left for the next step; the nightly recomputation re-derives the index and the
counts from the cases, so anything missed heals by the next morning.

A registration still waiting for triage (a bulk import) holds its stream until triage
has run — ``JOBS`` runs triage first — so a repeat sees the dispute's risk level.

On first run (no cursor yet) the history is indexed in bulk (``resolution.
index_missing``) and counted (``hotspots.recount``), and the streams start at the
facts of the last ``RECENT_DAYS``: history is indexed, not alerted.

Nightly (``nightly``, once a day from ``NIGHTLY_HOUR``): entity links recomputed for
every party (``resolution.relink_all``), hotspot counts recounted and every cell
tested (``hotspots.recount``, ``hotspots.scan``).
"""

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from fengqiao.cases.choices import Action
from fengqiao.cases.models import Dispute, SessionRecord, Transition
from fengqiao.core import clock
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.warning import actions, hotspots, resolution
from fengqiao.warning.models import Cursor
from fengqiao.warning.signals import RECENT_DAYS, bouncing, escalation, mass, repeat

BATCH = 500
SETTLE_SECONDS = 30
NIGHTLY_HOUR = 2
WATCHED = (Action.REGISTER, Action.FAIL_MEDIATION, Action.ESCALATE, Action.REFER_BACK, Action.CORRECT_PARTY)
_DISPUTE_FIELDS = (
    "id",
    "received_at",
    "summary",
    "narrative",
    "admin_unit_id",
    "dispute_type",
    "status",
    "tier",
    "risk_level",
    "people_involved",
)


def _settled(settle: bool = True) -> dt.datetime:
    """Rows written after this may still have a lower-id neighbour in flight (no lag when
    the caller knows every write has committed: ``drain``)."""
    lag = 0 if connection.vendor == "sqlite" or not settle else SETTLE_SECONDS
    return clock.now() - dt.timedelta(seconds=lag)


def _start(name: str) -> int:
    """The cursor's position; created on first run after the history is indexed."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT position FROM {Cursor._meta.db_table} WHERE name = %s", [name])
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    resolution.index_missing()
    hotspots.recount()
    since = clock.now() - dt.timedelta(days=RECENT_DAYS)
    if name == "transitions":
        first = Transition.objects.filter(at__gte=since).order_by("id").values_list("id", flat=True).first()
        last = Transition.objects.order_by("-id").values_list("id", flat=True).first()
    else:
        first = (
            SessionRecord.objects.filter(recorded_at__gte=since)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        last = SessionRecord.objects.order_by("-id").values_list("id", flat=True).first()
    position = (first - 1) if first is not None else (last or 0)
    Cursor.objects.get_or_create(name=name, defaults={"position": position})
    return Cursor.objects.get(name=name).position


def _advance(name: str, old: int, new: int) -> bool:
    """Compare-and-set: move the cursor from ``old`` to ``new``, if no one else has."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Cursor._meta.db_table} SET position = %s, updated_at = %s WHERE name = %s AND position = %s",
            [new, connection.ops.adapt_datetimefield_value(clock.now()), name, old],
        )
        return cursor.rowcount == 1


def _union(earlier: list[Any], later: list[Any]) -> list[Any]:
    seen, out = set(), []
    for item in [*earlier, *later]:
        mark = json.dumps(item, sort_keys=True, default=str)
        if mark not in seen:
            seen.add(mark)
            out.append(item)
    return out


def digest(specs: Iterable[actions.AlertSpec | None]) -> list[actions.AlertSpec]:
    """One spec per situation: the latest, with list evidence joined to the earlier ones'."""
    out: dict[str, actions.AlertSpec] = {}
    for spec in specs:
        if spec is None:
            continue
        earlier = out.get(spec.key)
        if earlier is not None:
            evidence = dict(spec.evidence)
            for k, v in earlier.evidence.items():
                if isinstance(v, list) and isinstance(evidence.get(k), list):
                    evidence[k] = _union(v, evidence[k])
            spec = dataclasses.replace(spec, evidence=evidence)
        out[spec.key] = spec
    return list(out.values())


def registrations(dispute_ids: list[int]) -> list[actions.AlertSpec | None]:
    """Signals for newly registered disputes (in registration order)."""
    disputes = sorted(Dispute.objects.filter(pk__in=dispute_ids).only(*_DISPUTE_FIELDS), key=lambda d: d.pk)
    specs: list[actions.AlertSpec | None] = []
    counts = []
    for d in disputes:
        resolved = resolution.index_dispute(resolution.DisputeRef(d.pk, d.admin_unit_id, d.received_at))
        specs += [repeat.evaluate(d, resolved), mass.evaluate(d, resolved), escalation.narrative(d)]
        counts.append((d.admin_unit_id, d.dispute_type, hotspots.day_of(d.received_at)))
    hotspots.record(counts)
    today = clock.today()
    fresh = today - dt.timedelta(days=max(hotspots.WINDOWS) - 1)
    # Only disputes inside the test windows can make a hotspot today (imports of old
    # cases are counted, not tested).
    cells = {
        hotspots.Cell(u, kind)
        for unit, kind, day in counts
        if day >= fresh
        for u in hotspots.counted_units(unit)
        if codes.level_of(u) in (Level.TOWNSHIP, Level.COUNTY)
    }
    specs += hotspots.evaluate(cells, today)
    return specs


def evaluate_transitions(batch: int = BATCH, *, settle: bool = True) -> int:
    """One step of the transitions stream; returns the rows taken (0: nothing to do)."""
    with transaction.atomic():
        position = _start("transitions")
        rows: list[dict[str, Any]] = [
            dict(r)
            for r in Transition.objects.filter(id__gt=position)
            .order_by("id")
            .values("id", "dispute_id", "action", "at", "data")[:batch]
        ]
        settled = _settled(settle)
        rows = [r for r in rows if r["at"] <= settled] if rows and rows[-1]["at"] > settled else rows
        taken = _until_triaged(rows)
        if not taken or not _advance("transitions", position, taken[-1]["id"]):
            return 0
        resolution.rekey(
            [
                r["data"]["party"]
                for r in taken
                if r["action"] == Action.CORRECT_PARTY and r["data"].get("party")
            ]
        )
        specs: list[actions.AlertSpec | None] = registrations(
            [r["dispute_id"] for r in taken if r["action"] == Action.REGISTER]
        )
        others = [
            r for r in taken if r["action"] in (Action.FAIL_MEDIATION, Action.ESCALATE, Action.REFER_BACK)
        ]
        if others:
            disputes = Dispute.objects.in_bulk({r["dispute_id"] for r in others})
            for r in others:
                d = disputes.get(r["dispute_id"])
                if d is None:
                    continue
                if r["action"] == Action.FAIL_MEDIATION:
                    specs.append(
                        escalation.failed_mediation(d, r["id"], r["at"], r["data"].get("advice", ""))
                    )
                else:
                    specs.append(bouncing.evaluate(d))
        actions.raise_alerts_bulk(digest(specs))
    return len(taken)


def _until_triaged(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows up to (not including) the first registration still waiting for triage."""
    registered = [r["dispute_id"] for r in rows if r["action"] == Action.REGISTER]
    pending = set(Dispute.objects.filter(pk__in=registered, triage_pending=True).values_list("pk", flat=True))
    if not pending:
        return rows
    out = []
    for r in rows:
        if r["action"] == Action.REGISTER and r["dispute_id"] in pending:
            break
        out.append(r)
    return out


def evaluate_sessions(batch: int = BATCH, *, settle: bool = True) -> int:
    """One step of the session-records stream; returns the records taken."""
    with transaction.atomic():
        position = _start("sessions")
        records = list(
            SessionRecord.objects.filter(id__gt=position)
            .select_related("dispute")
            .only("id", "held_at", "recorded_at", "content", *(f"dispute__{f}" for f in _DISPUTE_FIELDS))
            .order_by("id")[:batch]
        )
        settled = _settled(settle)
        records = [r for r in records if r.recorded_at <= settled]
        if not records or not _advance("sessions", position, records[-1].pk):
            return 0
        actions.raise_alerts_bulk(digest(escalation.sessions(records)))
    return len(records)


def step(*, settle: bool = True) -> int:
    """One step of each stream (``core.jobs``): how many rows were evaluated."""
    return evaluate_transitions(settle=settle) + evaluate_sessions(settle=settle)


def drain() -> int:
    """Evaluate everything pending now (tests, the simulator, ``fengqiao warning run`` after
    an import): the caller's writes have committed, so nothing is left to settle."""
    total = 0
    while done := step(settle=False):
        total += done
    return total


# ---------------------------------------------------------------- nightly


def nightly(today: dt.date | None = None) -> dict[str, Any]:
    """The nightly recomputation: entity links for every party, hotspot counts for the last
    thirteen weeks, every hotspot cell tested. Returns its figures."""
    today = today or clock.today()
    started = time.perf_counter()
    stats = resolution.relink_all()
    t1 = time.perf_counter()
    cells = hotspots.recount(today)
    t2 = time.perf_counter()
    with transaction.atomic():
        specs = hotspots.scan(today)
        actions.raise_alerts_bulk(specs)
    t3 = time.perf_counter()
    return {
        "parties": stats.parties,
        "purged": stats.purged,
        "indexed": stats.indexed,
        "groups": stats.groups,
        "pairs": stats.pairs,
        "links": stats.links,
        "refused": stats.refused,
        "changed": stats.changed,
        "persons": stats.persons,
        "relink_seconds": round(t1 - started, 1),
        "relink_phases": stats.seconds,
        "count_rows": cells,
        "recount_seconds": round(t2 - t1, 1),
        "hotspot_alerts": len(specs),
        "scan_seconds": round(t3 - t2, 1),
        "seconds": round(t3 - started, 1),
    }


def nightly_step() -> int:
    """Run the nightly recomputation once a day, from ``NIGHTLY_HOUR`` local time; 1 when it
    ran, 0 otherwise. The day is claimed by compare-and-set before the work starts, so two
    workers never both run it."""
    now = timezone.localtime(clock.now())
    if now.hour < NIGHTLY_HOUR:
        return 0
    if not claim_day("nightly", now.date()):
        return 0
    nightly(now.date())
    return 1


def claim_day(name: str, day: dt.date) -> bool:
    """Claim ``day`` for the once-a-day job ``name``: True for the one worker that gets it,
    False when it already ran that day (compare-and-set on its cursor)."""
    cursor, _ = Cursor.objects.get_or_create(name=name, defaults={"position": 0})
    return cursor.position < day.toordinal() and _advance(name, cursor.position, day.toordinal())
