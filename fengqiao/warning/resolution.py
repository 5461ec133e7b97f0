"""Entity resolution on the database: who each new party is, and the nightly recomputation.

Per case (``index_dispute``), a new dispute's parties are matched against earlier
parties found through three indexed lookups, each bounded (``LIMIT`` rows):

- the ID number's and the phone's blind indexes (``Party.id_number_bidx``,
  ``Party.phone_bidx``): exact matches;
- the phone's head and tail fragments (``PartyKey.phone_head`` / ``phone_tail``:
  keyed hashes of its first or last five digits with the name's sound): a number one
  digit wrong or with two digits swapped keeps one half intact, so every "near phone,
  same sound" pair (entity rule 3) shares a fragment — three keyed hashes per party
  instead of the ~110 of ``entity.phone_variants``;
- the block key: village and name sound, or an organisation's name key
  (``PartyKey.block``).

``entity.same_person`` decides each candidate. A new party takes the smallest
``person`` of the parties it matches (or its own id), and every person it matched is
reported, so signals can follow a chain even before the nightly run has merged two
clusters that a typo kept apart.

Nightly (``relink_all``), every party is re-resolved from scratch: parties grouped by
each key (ID, phone, phone head/tail fragments with the name sound, block), pairs in
a group checked with the same rules, clusters formed with a union-find that refuses
to join two clusters carrying different ID numbers (so a party without an ID cannot
chain two different people together), and ``person`` rewritten where it changed.
Grouping is done on 64-bit hashes in numpy arrays, so ten million parties fit in a
few hundred megabytes; only parties in a group of two or more are read a second time.
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from fengqiao.cases.choices import PartyKind, PartyRole
from fengqiao.cases.models import Party
from fengqiao.core import crypto
from fengqiao.warning import entity
from fengqiao.warning.models import PartyKey

LIMIT = 200  # candidate rows per key and dispute
EPOCH = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)  # "since ever" for persons_rows
GROUP_CAP = 40  # in a larger group each member is compared with the first GROUP_CAP only
SIDES = {PartyRole.APPLICANT: "a", PartyRole.RESPONDENT: "b"}


@dataclass
class Match:
    """An earlier party taken for the same one, and why."""

    party_id: int
    dispute_id: int
    person: int
    name: str
    link: entity.Link


@dataclass
class Resolved:
    """A new party and who it is."""

    party_id: int
    role: str
    name: str
    is_org: bool
    person: int
    matches: list[Match] = field(default_factory=list)

    @property
    def persons(self) -> set[int]:
        """Every person this party was matched to, its own included."""
        return {self.person} | {m.person for m in self.matches}


@dataclass(frozen=True)
class DisputeRef:
    """The dispute facts resolution needs (the job reads them once per batch)."""

    id: int
    unit: int
    received_at: dt.datetime


def _phone_fragments(phone: str, sound: str) -> tuple[str, str]:
    """Keyed hashes of the first and last five digits with the name's sound."""
    if len(phone) < 10:
        return "", ""
    head = crypto.blind_index("phone_head", f"{phone[:5]}|{sound}")[:16]
    tail = crypto.blind_index("phone_tail", f"{phone[-5:]}|{sound}")[:16]
    return head, tail


def key_row(party: dict[str, Any], dispute: DisputeRef, person: int) -> dict[str, Any]:
    """The PartyKey columns of one party (``party`` holds name, kind, role, phone)."""
    is_org = party["kind"] == PartyKind.ORGANISATION
    rec = entity.Record(party["name"], phone=party["phone"], is_org=is_org, unit=dispute.unit)
    head, tail = ("", "") if is_org else _phone_fragments(party["phone"], entity.sound_key(rec.norm))
    return {
        "party_id": party["id"],
        "dispute_id": dispute.id,
        "person": person,
        "role": party["role"],
        "unit": dispute.unit,
        "received_at": dispute.received_at,
        # An anonymised party keeps a key of its own: it groups with no one.
        "block": rec.block or f"anon:{party['id']}",
        "phone_head": head,
        "phone_tail": tail,
    }


def _record(row: dict[str, Any], unit: int) -> entity.Record:
    return entity.Record(
        row["name"],
        id_number=row["id_number_bidx"],
        phone=row["phone"],
        org_code=row["org_code"],
        is_org=row["kind"] == PartyKind.ORGANISATION,
        unit=unit,
    )


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def _query(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# Raw SQL on this path: it runs for every registration, and Django's query compiler
# costs more than the indexed lookups themselves (about 1 ms a query).
_PARTY_COLUMNS = (
    "p.id, p.dispute_id, p.role, p.kind, p.name, p.id_number_bidx, p.phone, p.org_code, p.phone_bidx"
)
_PARTIES_SQL = f"SELECT {_PARTY_COLUMNS} FROM cases_party p WHERE p.dispute_id = %s ORDER BY p.id"
_DETAILS_SQL = (
    f"SELECT {_PARTY_COLUMNS}, k.person, k.unit FROM cases_party p "
    "JOIN warning_partykey k ON k.party_id = p.id WHERE p.id IN ({})"
)


def _party(row: tuple[Any, ...]) -> dict[str, Any]:
    pid, dispute_id, role, kind, name, id_bidx, phone, org_code, phone_bidx = row[:9]
    return {
        "id": pid,
        "dispute_id": dispute_id,
        "role": role,
        "kind": kind,
        "name": name,
        "id_number_bidx": id_bidx,
        "phone": crypto.decrypt(phone) if phone else "",
        "org_code": org_code,
        "phone_bidx": phone_bidx,
    }


def _candidates(
    dispute_id: int, ids: set[str], phones: set[str], fragments: set[str], blocks: set[str]
) -> set[int]:
    """Party ids that may be one of this dispute's parties: one query, indexed arms."""
    arms, params = [], []
    if ids:
        arms.append(
            f"SELECT id FROM (SELECT id FROM cases_party WHERE id_number_bidx IN ({_marks(len(ids))}) "
            f"AND dispute_id <> %s LIMIT {LIMIT}) a"
        )
        params += [*ids, dispute_id]
    if phones:
        arms.append(
            f"SELECT id FROM (SELECT id FROM cases_party WHERE phone_bidx IN ({_marks(len(phones))}) "
            f"AND dispute_id <> %s LIMIT {LIMIT}) b"
        )
        params += [*phones, dispute_id]
    for column in ("phone_head", "phone_tail") if fragments else ():
        # The index is partial (non-empty fragments): the query states its condition in
        # the same form, or SQLite cannot prove it applies and scans the table.
        arms.append(
            f"SELECT party_id FROM (SELECT party_id FROM warning_partykey WHERE {column} IN "
            f"({_marks(len(fragments))}) AND NOT ({column} = '') AND dispute_id <> %s LIMIT {LIMIT}) {column}"
        )
        params += [*fragments, dispute_id]
    arms.append(
        f"SELECT party_id FROM (SELECT party_id FROM warning_partykey WHERE block IN ({_marks(len(blocks))}) "
        f"AND dispute_id <> %s LIMIT {LIMIT * len(blocks)}) c"
    )
    params += [*blocks, dispute_id]
    return {row[0] for row in _query(" UNION ".join(arms), params)}


def insert_keys(rows: list[dict[str, Any]]) -> None:
    """Write PartyKey rows (their key is the party's id: no id to reserve)."""
    if not rows:
        return
    names = [
        "party_id",
        "dispute_id",
        "person",
        "role",
        "unit",
        "received_at",
        "block",
        "phone_head",
        "phone_tail",
    ]
    adapt = connection.ops.adapt_datetimefield_value
    values = [[adapt(r[n]) if n == "received_at" else r[n] for n in names] for r in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {PartyKey._meta.db_table} ({', '.join(names)}) VALUES ({_marks(len(names))})",
            values,
        )


def index_dispute(dispute: DisputeRef) -> list[Resolved]:
    """Resolve and index the parties of one newly registered dispute (idempotent: a
    party already indexed keeps its person and is reported with its matches)."""
    parties = [_party(row) for row in _query(_PARTIES_SQL, [dispute.id])]
    if not parties:
        return []
    records = {p["id"]: _record(p, dispute.unit) for p in parties}
    persons = [p for p in parties if p["kind"] == PartyKind.PERSON]
    ids = {p["id_number_bidx"] for p in persons if p["id_number_bidx"]}
    keys = {p["id"]: key_row(p, dispute, p["id"]) for p in parties}
    phones = {p["phone_bidx"] for p in persons if p["phone_bidx"]}
    fragments = {k[f] for k in keys.values() for f in ("phone_head", "phone_tail") if k[f]}
    found = _candidates(dispute.id, ids, phones, fragments, {k["block"] for k in keys.values()})
    wanted = sorted(found | set(records))
    rows = _query(_DETAILS_SQL.format(_marks(len(wanted))), wanted)
    known = {row[0]: row[9] for row in rows if row[1] == dispute.id}
    candidates = [(_party(row), row[9], row[10]) for row in rows if row[1] != dispute.id]
    out, new_rows = [], []
    for p in parties:
        rec = records[p["id"]]
        matches = []
        for c, person, unit in candidates:
            link = entity.same_person(rec, _record(c, unit))
            if link is not None:
                matches.append(Match(c["id"], c["dispute_id"], person, c["name"], link))
        matches.sort(key=lambda m: (-m.link.score, m.party_id))
        person = known.get(p["id"]) or min([p["id"], *(m.person for m in matches)])
        if p["id"] not in known:
            new_rows.append({**keys[p["id"]], "person": person})
        out.append(Resolved(p["id"], p["role"], p["name"], rec.is_org, person, matches))
    insert_keys(new_rows)
    return out


def rekey(party_ids: Sequence[int]) -> int:
    """Key corrected parties afresh (``cases.actions.correct_party``): their old name
    sound or phone fragments go, and they are resolved again from what they now say."""
    if not party_ids:
        return 0
    PartyKey.objects.filter(party_id__in=party_ids).delete()
    disputes = Party.objects.filter(pk__in=party_ids).values_list(
        "dispute_id", "dispute__admin_unit_id", "dispute__received_at"
    )
    for dispute_id, unit, received_at in set(disputes):
        index_dispute(DisputeRef(dispute_id, unit, received_at))
    return len(party_ids)


# ---------------------------------------------------------------- nightly


@dataclass
class RelinkStats:
    parties: int = 0
    purged: int = 0  # keys dropped because their party's data was removed since
    indexed: int = 0  # parties that had no key yet (imports, history)
    groups: int = 0
    pairs: int = 0
    links: int = 0
    refused: int = 0  # unions refused because the clusters carry different ID numbers
    changed: int = 0
    persons: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def index_missing(batch: int = 20_000) -> int:
    """Give every party without a key one (its own person; ``relink_all`` links it).
    Bulk imports and demo history arrive this way; the per-case job indexes the rest."""
    done, last = 0, 0
    unindexed = ~Exists(PartyKey.objects.filter(party_id=OuterRef("id")))
    fields = ("id", "role", "kind", "name", "phone", "dispute_id", "dispute__admin_unit_id")
    while True:
        with transaction.atomic():
            rows = list(
                Party.objects.filter(unindexed, id__gt=last)
                .order_by("id")
                .values(*fields, "dispute__received_at")[:batch]
            )
            if not rows:
                return done
            insert_keys(
                [
                    key_row(
                        r,
                        DisputeRef(r["dispute_id"], r["dispute__admin_unit_id"], r["dispute__received_at"]),
                        r["id"],
                    )
                    for r in rows
                ],
            )
            done += len(rows)
            last = rows[-1]["id"]


_SCAN_SQL = """
SELECT k.party_id, k.person, k.block, k.phone_head, k.phone_tail, p.id_number_bidx, p.phone_bidx
FROM warning_partykey k JOIN cases_party p ON p.id = k.party_id
ORDER BY k.party_id
"""
_DETAIL_SQL = """
SELECT k.party_id, k.unit, p.kind, p.name, p.id_number_bidx, p.phone, p.org_code
FROM warning_partykey k JOIN cases_party p ON p.id = k.party_id
WHERE k.party_id IN ({})
"""


def _rows(sql: str, params: Sequence[Any] = (), size: int = 50_000) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(size):
            yield from chunk


def _details(pids: list[int], chunk: int = 10_000) -> Iterator[tuple[Any, ...]]:
    """The matching facts of these parties, read by primary key in chunks."""
    for start in range(0, len(pids), chunk):
        part = pids[start : start + chunk]
        yield from _rows(_DETAIL_SQL.format(", ".join(["%s"] * len(part))), part)


def _h(value: str) -> int:
    # Python's string hash is stable within a process, which is all grouping needs;
    # 0 is reserved for "no key".
    return (hash(value) or 1) if value else 0


def _groups(hashes: np.ndarray) -> list[np.ndarray]:
    """Positions sharing a non-zero hash, for every hash held by two or more."""
    present = np.flatnonzero(hashes)
    if len(present) < 2:
        return []
    order = present[np.argsort(hashes[present], kind="stable")]
    values = hashes[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[starts[1:], len(order)]
    return [order[s:e] for s, e in zip(starts, ends, strict=True) if e - s > 1]


class _Clusters:
    """Union-find over positions, refusing to join clusters with different ID keys."""

    def __init__(self, n: int, id_keys: np.ndarray) -> None:
        self.parent = list(range(n))
        self.id_key: dict[int, int] = {i: int(k) for i, k in enumerate(id_keys) if k}
        self.refused = 0

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        ka, kb = self.id_key.get(a), self.id_key.get(b)
        if ka and kb and ka != kb:
            self.refused += 1
            return False
        if b < a:
            a, b = b, a
        self.parent[b] = a
        if kb and not ka:
            self.id_key[a] = kb
        return True


_STALE_SQL = """
SELECT k.party_id FROM warning_partykey k JOIN cases_party p ON p.id = k.party_id
WHERE (p.name LIKE %s AND k.block NOT LIKE %s) OR (k.phone_head <> '' AND p.phone_bidx = '')
"""


def purge_stale() -> int:
    """Drop the keys of parties whose personal data has since been removed (anonymised
    after the retention period, 个人信息保护法 Art. 19 and 47, or a phone deleted on
    correction), so that no name sound or phone fragment outlives the data it came
    from; ``index_missing`` then keys them afresh from what is left."""
    # Found with a plain join, then deleted by key: a DELETE … IN (join) can be planned
    # as a nested loop that re-runs the join for every row (PostgreSQL did, on 20,000).
    stale = [row[0] for row in _query(_STALE_SQL, ["当事人%", "anon:%"])]
    with transaction.atomic():
        for start in range(0, len(stale), 5_000):
            PartyKey.objects.filter(party_id__in=stale[start : start + 5_000]).delete()
    return len(stale)


def relink_all(stats: RelinkStats | None = None) -> RelinkStats:
    """Recompute every party's person from scratch (the nightly recomputation)."""
    import time

    stats = stats or RelinkStats()
    t0 = time.perf_counter()
    stats.purged = purge_stale()
    stats.indexed = index_missing()
    t1 = time.perf_counter()
    pids, persons = [], []
    keys: dict[str, list[int]] = {"id": [], "phone": [], "head": [], "tail": [], "block": []}
    for pid, person, block, head, tail, id_bidx, phone_bidx in _rows(_SCAN_SQL):
        pids.append(pid)
        persons.append(person)
        keys["id"].append(_h(id_bidx))
        keys["phone"].append(_h(phone_bidx))
        keys["head"].append(_h(head))
        keys["tail"].append(_h(tail))
        keys["block"].append(_h(block))
    n = stats.parties = len(pids)
    arrays = {k: np.array(v, dtype=np.int64) for k, v in keys.items()}
    del keys
    t2 = time.perf_counter()
    clusters = _Clusters(n, arrays["id"])
    # Equal ID numbers always link (entity rule 1): no pair to check.
    for group in _groups(arrays["id"]):
        first = int(group[0])
        for j in group[1:]:
            clusters.union(first, int(j))
    checked = [g for k in ("phone", "head", "tail", "block") for g in _groups(arrays[k])]
    stats.groups = len(checked)
    needed = np.zeros(n, dtype=bool)
    for g in checked:
        needed[g] = True
    t3 = time.perf_counter()
    records: dict[int, entity.Record] = {}
    where = {pids[i]: i for i in np.flatnonzero(needed).tolist()}
    for pid, unit, kind, name, id_bidx, phone, org_code in _details(list(where)):
        records[where[pid]] = entity.Record(
            name,
            id_number=id_bidx,
            phone=crypto.decrypt(phone) if phone else "",
            org_code=org_code,
            is_org=kind == PartyKind.ORGANISATION,
            unit=unit,
        )
    t4 = time.perf_counter()
    for g in checked:
        members = [int(i) for i in g]
        heads = members[:GROUP_CAP]
        for a_pos, a in enumerate(members):
            for b in heads[: a_pos if a_pos < GROUP_CAP else GROUP_CAP]:
                if clusters.find(a) == clusters.find(b):
                    continue  # already one person (through another pair or key)
                stats.pairs += 1
                if entity.same_person(records[a], records[b]) is not None:
                    stats.links += 1
                    clusters.union(a, b)
    stats.refused = clusters.refused
    t5 = time.perf_counter()
    roots: dict[int, int] = {}
    changes: list[tuple[int, int]] = []
    for i in range(n):
        r = clusters.find(i)
        # The root is the cluster's smallest position, and positions are in party order.
        person = pids[r]
        roots[r] = person
        if persons[i] != person:
            changes.append((person, pids[i]))
    stats.persons = len(roots)
    stats.changed = len(changes)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(changes), 10_000):
            cursor.executemany(
                "UPDATE warning_partykey SET person = %s WHERE party_id = %s", changes[start : start + 10_000]
            )
    t6 = time.perf_counter()
    stats.seconds = {
        "index_missing": round(t1 - t0, 1),
        "scan": round(t2 - t1, 1),
        "group": round(t3 - t2, 1),
        "details": round(t4 - t3, 1),
        "pairs": round(t5 - t4, 1),
        "write": round(t6 - t5, 1),
    }
    return stats


_PERSONS_SQL = (
    "SELECT dispute_id, person, role, unit FROM warning_partykey WHERE person IN ({}) "
    "AND received_at >= %s ORDER BY received_at DESC LIMIT %s"
)


def persons_rows(persons: Sequence[int], since: dt.datetime) -> list[tuple[Any, ...]]:
    """(dispute, person, role, unit) of these persons' parties since ``since``, newest first
    and bounded — what the repeat and mass signals read."""
    sql = _PERSONS_SQL.format(_marks(len(persons)))
    return _query(sql, [*persons, connection.ops.adapt_datetimefield_value(since), LIMIT * 2])
