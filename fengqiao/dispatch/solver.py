"""Batch dispatch as a min-cost flow — pure arrays in, a plan out; no ORM.

The network (one round):

    source ─1→ dispute ─1, cost(d,m)→ mediator ─1, load_step(load+k)→ sink     k = 0…free−1
                 └────────────1, UNASSIGNED_POINTS─────────────────────→ sink

Each dispute sends one unit; the arcs from a mediator to the sink carry his remaining
capacity one case at a time at increasing (convex) cost, so the optimum spreads work
fairly and never exceeds a cap; the direct dispute→sink arc keeps the problem feasible
and says "no one suitable was free". OR-Tools' SimpleMinCostFlow solves it exactly.

Candidates are bounded so the network stays small at provincial scale. For each dispute:
the mediators of its handling body and of every body in its township; from its county,
each county paired with it and (in a later round, for disputes still unplaced) its
city, only the ``RING_SIZE`` most suitable free mediators for its type and languages —
beyond its own county, only county-level bodies (resolution centre, county committees):
cross-county help is county staff, not another county's village mediators. All pairs
are priced exactly, as arrays (``pair_costs``, the same items as ``costs``), and each
dispute keeps its ``K_PER_CASE`` cheapest. Mediators barred by a conflict of interest
are never arcs; nor are mediators who cannot be understood by a party when no
interpreter is free in the dispute's county.

Before the flow, the parties' choices are placed (人民调解法 Art. 19), in order of
receipt, wherever the chosen mediator is eligible. Disputes a round leaves unplaced
(their candidates full, or an interpreter pool run dry) go to a wider, deeper round.

``greedy_round`` assigns the same candidates one dispute at a time; it exists only as the
baseline the benchmark and the tests compare the solver against.
"""

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from fengqiao.dispatch import costs
from fengqiao.dispatch.costs import (
    ABOVE_TIER_POINTS,
    BELOW_TIER_POINTS,
    INTERPRETER_POINTS,
    LANGUAGE_BIT,
    PART_TIME_POINTS,
    PROXIMITY_POINTS,
    SPECIALTY_POINTS,
    TYPE_INDEX,
    UNASSIGNED_POINTS,
    CaseFacts,
    MediatorFacts,
    Proximity,
)

K_PER_CASE = 16  # arcs kept per dispute in the first round (more in later rounds)
RING_SIZE = 48  # free mediators pre-selected from a county, paired county or city per type
ROUNDS = 3
OTHER_TYPE = TYPE_INDEX["other"]
TYPE_VALUES = list(TYPE_INDEX)

IntArray = np.ndarray


def _group(keys: IntArray) -> dict[int, IntArray]:
    """Positions grouped by key value (one sort, no Python loop over rows)."""
    if len(keys) == 0:
        return {}
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    values, starts = np.unique(sorted_keys, return_index=True)
    return {int(v): part for v, part in zip(values, np.split(order, starts[1:]), strict=True)}


def _popcount2(x: IntArray) -> IntArray:
    return (x & 1) + ((x >> 1) & 1)


@dataclass
class Roster:
    """Mediators as parallel arrays, one position each, with ring indexes."""

    ids: IntArray
    org: IntArray
    unit: IntArray
    specialties: IntArray
    languages: IntArray
    full_time: IntArray
    load: IntArray
    cap: IntArray

    def __post_init__(self) -> None:
        u = self.unit
        self.level = np.select([u % 10**8 == 0, u % 10**6 == 0, u % 10**3 == 0], [2, 3, 4], default=5).astype(
            np.int64
        )
        self.township = np.where(self.level >= 4, u // 1000 * 1000, -1)
        self.county = np.where(self.level >= 3, u // 10**6 * 10**6, -1)
        self.city = u // 10**8 * 10**8
        self.by_org = _group(self.org)
        self.by_township = _group(self.township)
        self.by_county = _group(self.county)
        self.by_city = _group(self.city)
        # beyond its own county a dispute draws on county-level bodies only (centre, county committees)
        top = np.flatnonzero(self.level <= 3)
        self.by_county_top = {k: top[v] for k, v in _group(self.county[top]).items()}
        self.by_city_top = {k: top[v] for k, v in _group(self.city[top]).items()}
        self.position = {int(m): i for i, m in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, mediators: Sequence[MediatorFacts]) -> "Roster":
        def col(name: str) -> IntArray:
            return np.array([getattr(m, name) for m in mediators], dtype=np.int64)

        return cls(
            ids=col("id"),
            org=col("org"),
            unit=col("unit"),
            specialties=col("specialties"),
            languages=col("languages"),
            full_time=col("full_time"),
            load=col("load"),
            cap=col("cap"),
        )

    def facts(self, pos: int) -> MediatorFacts:
        return MediatorFacts(
            id=int(self.ids[pos]),
            org=int(self.org[pos]),
            unit=int(self.unit[pos]),
            specialties=int(self.specialties[pos]),
            languages=int(self.languages[pos]),
            full_time=bool(self.full_time[pos]),
            load=int(self.load[pos]),
            cap=int(self.cap[pos]),
        )


@dataclass
class Instance:
    """One batch: the disputes, the mediators who may take them, and the context."""

    roster: Roster
    cases: list[CaseFacts]
    pairings: dict[int, tuple[int, ...]] = field(default_factory=dict)  # county -> paired counties
    interpreters: dict[tuple[int, int], int] = field(default_factory=dict)  # (county, bit) -> free
    coords: dict[int, tuple[float, float]] = field(default_factory=dict)
    _roster_coords: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def roster_coords(self) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude of each mediator's body (NaN where unknown), computed once."""
        if self._roster_coords is None:
            self._roster_coords = _coords_of(self, self.roster.unit)
        return self._roster_coords


@dataclass(frozen=True)
class Planned:
    case_id: int
    mediator_id: int
    cost: int  # the assignment's cost without the load item (that one depends on the order)
    chosen: bool = False  # the parties' choice (人民调解法 Art. 19)
    interpreters: int = 0  # bits of languages for which an interpreter is needed


@dataclass
class Plan:
    method: str
    assignments: list[Planned]
    unassigned: dict[int, str]
    total_cost: int
    arcs: int
    rounds: int
    seconds: float
    final_load: IntArray
    cpu_seconds: float = 0.0  # processor time of this process (the machine may be shared)


# ------------------------------------------------------------------ costs as arrays


@dataclass
class CaseArrays:
    """The disputes of a round as parallel arrays (index = position in the round's list)."""

    unit: IntArray
    handling: IntArray  # -1 when none
    type: IntArray
    tier: IntArray
    complex: IntArray
    languages: IntArray
    interp_ok: IntArray  # bits with an interpreter free in the dispute's county
    township: IntArray
    county: IntArray
    city: IntArray
    paired: IntArray  # n × P matrix of paired counties, padded with -2

    @classmethod
    def of(
        cls, inst: "Instance", cases: Sequence[CaseFacts], pool: dict[tuple[int, int], int]
    ) -> "CaseArrays":
        def col(values: Iterable[int]) -> IntArray:
            return np.fromiter(values, dtype=np.int64, count=len(cases))

        counties = [costs.county_of(c.unit) for c in cases]
        width = max((len(inst.pairings.get(c, ())) for c in counties), default=0) or 1
        paired = np.full((len(cases), width), -2, dtype=np.int64)
        for i, c in enumerate(counties):
            row = inst.pairings.get(c, ())
            paired[i, : len(row)] = row
        return cls(
            unit=col(c.unit for c in cases),
            handling=col(-1 if c.handling_org is None else c.handling_org for c in cases),
            type=col(TYPE_INDEX[c.dispute_type] for c in cases),
            tier=col(c.tier_level for c in cases),
            complex=col(int(c.complex) for c in cases),
            languages=col(c.languages for c in cases),
            interp_ok=col(
                _interp_ok(county, pool) if c.languages else 0
                for c, county in zip(cases, counties, strict=True)
            ),
            township=col(costs.township_of(c.unit) for c in cases),
            county=col(counties),
            city=col(costs.city_of(c.unit) for c in cases),
            paired=paired,
        )


def pair_costs(inst: Instance, ca: CaseArrays, case: IntArray, pos: IntArray) -> tuple[IntArray, IntArray]:
    """(cost without the load item, feasible) of each (dispute, mediator) pair — the same
    items as ``costs.assignment_cost``, for millions of pairs at once."""
    r = inst.roster
    lvl, tier = r.level[pos], ca.tier[case]
    cost = np.where(lvl > tier, BELOW_TIER_POINTS, 0) + np.where(lvl < tier, ABOVE_TIER_POINTS, 0)
    t = ca.type[case]
    cost += np.where((t == OTHER_TYPE) | ((r.specialties[pos] >> t) & 1 == 1), 0, SPECIALTY_POINTS)
    cost += np.where((ca.complex[case] == 1) & (r.full_time[pos] == 0), PART_TIME_POINTS, 0)
    missing = ca.languages[case] & ~r.languages[pos]
    cost += INTERPRETER_POINTS * _popcount2(missing)
    feasible = (missing & ~ca.interp_ok[case]) == 0
    # distance: from far to near, each nearer relation overriding the farther one
    d = np.full(len(pos), PROXIMITY_POINTS[Proximity.ELSEWHERE], dtype=np.int64)
    d[r.city[pos] == ca.city[case]] = PROXIMITY_POINTS[Proximity.SAME_CITY]
    d[(r.county[pos][:, None] == ca.paired[case]).any(axis=1)] = PROXIMITY_POINTS[Proximity.PAIRED_COUNTY]
    d[r.county[pos] == ca.county[case]] = PROXIMITY_POINTS[Proximity.SAME_COUNTY]
    d[(r.township[pos] == ca.township[case]) & (ca.township[case] != -1)] = PROXIMITY_POINTS[
        Proximity.SAME_TOWNSHIP
    ]
    d[(r.unit[pos] == ca.unit[case]) & (lvl == 5)] = PROXIMITY_POINTS[Proximity.SAME_VILLAGE]
    d[r.org[pos] == ca.handling[case]] = PROXIMITY_POINTS[Proximity.HANDLING_ORG]
    if inst.coords:
        d += _travel(inst, ca, case, pos)
    return cost + d, feasible


def _travel(inst: Instance, ca: CaseArrays, case: IntArray, pos: IntArray) -> IntArray:
    """Travel points where both places have coordinates (haversine, as costs.km_between)."""
    lat1, lon1 = _coords_of(inst, ca.unit)
    lat1, lon1 = lat1[case], lon1[case]
    lat2, lon2 = inst.roster_coords()
    lat2, lon2 = lat2[pos], lon2[pos]
    known = ~(np.isnan(lat1) | np.isnan(lat2))
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    km = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(np.nan_to_num(h))))
    points = np.minimum(costs.MAX_TRAVEL_POINTS, km // costs.KM_PER_POINT).astype(np.int64)
    return np.where(known, points, 0)


def _coords_of(inst: Instance, units: IntArray) -> tuple[np.ndarray, np.ndarray]:
    found = [costs.locate(int(u), inst.coords) for u in units]
    lat = np.array([f[0] if f else np.nan for f in found])
    lon = np.array([f[1] if f else np.nan for f in found])
    return lat, lon


def arc_cost(inst: Instance, case: CaseFacts, pos: int) -> int:
    """The cost of one dispute–mediator pair without the load item (for chosen mediators)."""
    ca = CaseArrays.of(inst, [case], {})
    cost, _ = pair_costs(inst, ca, np.zeros(1, dtype=np.int64), np.array([pos], dtype=np.int64))
    return int(cost[0])


# ------------------------------------------------------------------ candidates


@dataclass
class Arcs:
    case: IntArray  # index into the round's case list, non-decreasing
    pos: IntArray  # roster position
    cost: IntArray
    offsets: IntArray  # arcs of case i are [offsets[i], offsets[i+1])


def _interp_ok(county: int, pool: dict[tuple[int, int], int]) -> int:
    return sum(bit for bit in LANGUAGE_BIT.values() if pool.get((county, bit), 0) > 0)


class _Rings:
    """Pre-selected positions per ring, as one concatenated array with offsets (CSR).

    A township ring is every free mediator of the township's bodies (a few dozen). A
    county, paired-county or city ring is large, so only the ``m`` most suitable free
    mediators for a dispute type (and the languages its parties need) are kept: specialty
    first, then the lightest load. The exact cost of each pair is computed afterwards.
    """

    def __init__(self, inst: Instance, free: IntArray, load: IntArray, m: int) -> None:
        self.inst, self.free, self.load, self.m = inst, free, load, m
        self.ids: dict[tuple[str, int, int, int], int] = {}
        self.parts: list[IntArray] = []
        self.steps = load_steps(load, inst.roster.cap)

    def id(self, kind: str, code: int, type_index: int = -1, languages: int = 0) -> int:
        key = (kind, code, type_index, languages)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.parts)
            self.parts.append(self._select(kind, code, type_index, languages))
        return found

    def _select(self, kind: str, code: int, type_index: int, languages: int) -> IntArray:
        r = self.inst.roster
        index = {"t": r.by_township, "c": r.by_county, "p": r.by_county_top, "y": r.by_city_top}[kind]
        pos = index.get(code)
        if pos is None:
            return np.empty(0, dtype=np.int64)
        pos = pos[self.free[pos] > 0]
        if kind == "t" or len(pos) <= self.m:
            return pos
        score = self.steps[pos].copy()
        if type_index != OTHER_TYPE:
            score += np.where((r.specialties[pos] >> type_index) & 1 == 1, 0, SPECIALTY_POINTS)
        if languages:
            score += INTERPRETER_POINTS * _popcount2(languages & ~r.languages[pos])
        keep = np.argpartition(score, self.m - 1)[: self.m]
        return pos[keep]

    def csr(self) -> tuple[IntArray, IntArray]:
        sizes = np.array([len(p) for p in self.parts], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)])
        flat = np.concatenate(self.parts) if self.parts else np.empty(0, dtype=np.int64)
        return starts, flat


def candidates(
    inst: Instance,
    cases: Sequence[CaseFacts],
    load: IntArray,
    pool: dict[tuple[int, int], int],
    *,
    k: int = K_PER_CASE,
    wide: bool = False,
) -> Arcs:
    """At most ``k`` cheapest feasible arcs per dispute, from its township, its county, its
    paired counties and (``wide``) its city, given current loads and interpreters."""
    r = inst.roster
    n = len(cases)
    if n == 0:
        none = np.empty(0, dtype=np.int64)
        return Arcs(case=none, pos=none, cost=none, offsets=np.zeros(1, dtype=np.int64))
    free = r.cap - load
    rings = _Rings(inst, free, load, m=RING_SIZE * (2 if wide else 1))
    case_of: list[int] = []
    ring_of: list[int] = []
    for i, c in enumerate(cases):
        t = TYPE_INDEX[c.dispute_type]
        county = costs.county_of(c.unit)
        twp = costs.township_of(c.unit)
        mine = [rings.id("c", county, t, c.languages)]
        if twp != -1:
            mine.append(rings.id("t", twp))
        mine.extend(rings.id("p", p, t, c.languages) for p in inst.pairings.get(county, ()))
        if wide:
            mine.append(rings.id("y", costs.city_of(c.unit), t, c.languages))
        case_of.extend([i] * len(mine))
        ring_of.extend(mine)
    starts, flat = rings.csr()
    ring = np.array(ring_of, dtype=np.int64)
    sizes = starts[ring + 1] - starts[ring]
    pair_case = np.repeat(np.array(case_of, dtype=np.int64), sizes)
    first = np.repeat(starts[ring], sizes)
    within = np.arange(len(pair_case)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    pair_pos = flat[first + within]
    # the handling body's own mediators and the parties' choices are always candidates
    extra_case, extra_pos = [], []
    for i, c in enumerate(cases):
        if c.handling_org is not None and c.handling_org in r.by_org:
            own = r.by_org[c.handling_org]
            extra_pos.append(own)
            extra_case.append(np.full(len(own), i, dtype=np.int64))
    if extra_pos:
        pair_case = np.concatenate([pair_case, *extra_case])
        pair_pos = np.concatenate([pair_pos, *extra_pos])
    ca = CaseArrays.of(inst, cases, pool)
    cost, feasible = pair_costs(inst, ca, pair_case, pair_pos)
    keep = feasible & (free[pair_pos] > 0)
    conflicted = [(i, r.position[m]) for i, c in enumerate(cases) for m in c.conflicts if m in r.position]
    if conflicted:
        bad = np.array([i * len(r) + p for i, p in conflicted], dtype=np.int64)
        # only the pairs of disputes that have a conflict need the (sorting) membership test
        has = np.zeros(n, dtype=bool)
        has[[i for i, _ in conflicted]] = True
        at = np.flatnonzero(has[pair_case])
        keep[at] &= ~np.isin(pair_case[at] * len(r) + pair_pos[at], bad)
    pair_case, pair_pos, cost = pair_case[keep], pair_pos[keep], cost[keep]
    # sort by (dispute, cost, mediator): duplicates become neighbours, ranks are positions
    span = int(cost.max(initial=0)) + 1
    key = (pair_case * span + cost) * len(r) + pair_pos
    order = np.argsort(key, kind="stable")
    key, pair_case, pair_pos, cost = key[order], pair_case[order], pair_pos[order], cost[order]
    unique = np.ones(len(key), dtype=bool)
    unique[1:] = key[1:] != key[:-1]
    pair_case, pair_pos, cost = pair_case[unique], pair_pos[unique], cost[unique]
    case_start = np.searchsorted(pair_case, np.arange(n))
    rank = np.arange(len(pair_case)) - case_start[pair_case]
    top = rank < k
    pair_case, pair_pos, cost = pair_case[top], pair_pos[top], cost[top]
    offsets = np.searchsorted(pair_case, np.arange(n + 1))
    return Arcs(case=pair_case, pos=pair_pos, cost=cost, offsets=offsets)


# ------------------------------------------------------------------ one round


def load_steps(load: IntArray, cap: IntArray) -> IntArray:
    return (costs.LOAD_WEIGHT * (2 * load + 1) + cap // 2) // np.maximum(cap, 1)


def flow_round(inst: Instance, n_cases: int, arcs: Arcs, load: IntArray) -> dict[int, int]:
    """Solve one round exactly: {case index: roster position} for the disputes placed."""
    if len(arcs.pos) == 0:
        return {}
    r = inst.roster
    used, arc_m = np.unique(arcs.pos, return_inverse=True)
    n_m = len(used)
    source, sink = 0, 1
    case_node = 2 + np.arange(n_cases, dtype=np.int64)
    m_node = 2 + n_cases + np.arange(n_m, dtype=np.int64)
    # a mediator needs at most as many sink arcs as he has places and incident arcs
    degree = np.bincount(arc_m, minlength=n_m)
    places = np.minimum(r.cap[used] - load[used], degree)
    owner = np.repeat(np.arange(n_m), places)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(places) - places, places)
    sink_cost = load_steps(load[used][owner] + step, r.cap[used][owner])
    tails = np.concatenate([np.full(n_cases, source), case_node[arcs.case], m_node[owner], case_node]).astype(
        np.int32
    )
    heads = np.concatenate(
        [case_node, m_node[arc_m], np.full(len(owner), sink), np.full(n_cases, sink)]
    ).astype(np.int32)
    unit_costs = np.concatenate(
        [np.zeros(n_cases, dtype=np.int64), arcs.cost, sink_cost, np.full(n_cases, UNASSIGNED_POINTS)]
    ).astype(np.int64)
    caps = np.ones(len(tails), dtype=np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    arc_ids = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, unit_costs)
    solver.set_node_supply(source, n_cases)
    solver.set_node_supply(sink, -n_cases)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    start = n_cases
    flows = solver.flows(arc_ids[start : start + len(arcs.pos)])
    chosen = np.flatnonzero(flows > 0)
    return {int(arcs.case[a]): int(arcs.pos[a]) for a in chosen}


def greedy_round(inst: Instance, n_cases: int, arcs: Arcs, load: IntArray) -> dict[int, int]:
    """Baseline for comparison only: each dispute in turn takes its cheapest free candidate."""
    r = inst.roster
    load = load.copy()
    out: dict[int, int] = {}
    for i in range(n_cases):
        lo, hi = arcs.offsets[i], arcs.offsets[i + 1]
        if lo == hi:
            continue
        pos = arcs.pos[lo:hi]
        free = load[pos] < r.cap[pos]
        if not free.any():
            continue
        total = arcs.cost[lo:hi] + load_steps(load[pos], r.cap[pos])
        total = np.where(free, total, np.iinfo(np.int64).max)
        best = int(np.argmin(total))
        if total[best] >= UNASSIGNED_POINTS:
            continue
        out[i] = int(pos[best])
        load[pos[best]] += 1
    return out


# ------------------------------------------------------------------ the plan


def _take_interpreters(missing: int, pool: dict[tuple[int, int], int], county: int) -> bool:
    """Reserve an interpreter of each missing language from the county's pool, or none."""
    bits = [b for b in LANGUAGE_BIT.values() if missing & b]
    if any(pool.get((county, b), 0) <= 0 for b in bits):
        return False
    for b in bits:
        pool[(county, b)] -= 1
    return True


def plan(inst: Instance, method: str = "flow", *, k: int = K_PER_CASE) -> Plan:
    """Assign every dispute of ``inst`` it can, honouring parties' choices first."""
    started, cpu = time.perf_counter(), time.process_time()
    r = inst.roster
    load = r.load.copy()
    pool = dict(inst.interpreters)
    out: list[Planned] = []
    pending: list[CaseFacts] = []
    for c in sorted(inst.cases, key=lambda c: c.order):
        placed = _honour_choice(inst, c, load, pool)
        if placed is not None:
            out.append(placed)
        else:
            pending.append(c)
    round_fn = flow_round if method == "flow" else greedy_round
    n_arcs = rounds = 0
    had_candidates: set[int] = set()
    while pending and rounds < ROUNDS:
        rounds += 1
        # later rounds look wider (the city) and deeper into each ring, for what is left
        arcs = candidates(inst, pending, load, pool, k=k * rounds, wide=rounds > 1)
        n_arcs += len(arcs.pos)
        had_candidates.update(c.id for i, c in enumerate(pending) if arcs.offsets[i + 1] > arcs.offsets[i])
        placed_now = round_fn(inst, len(pending), arcs, load)
        still: list[CaseFacts] = []
        for i, c in enumerate(pending):
            pos = placed_now.get(i)
            if pos is None:
                still.append(c)
                continue
            missing = c.languages & ~int(r.languages[pos])
            if missing and not _take_interpreters(missing, pool, costs.county_of(c.unit)):
                still.append(c)  # the pool ran dry this round: try again with speakers only
                continue
            lo, hi = arcs.offsets[i], arcs.offsets[i + 1]
            where = lo + int(np.flatnonzero(arcs.pos[lo:hi] == pos)[0])
            out.append(Planned(c.id, int(r.ids[pos]), int(arcs.cost[where]), False, missing))
            load[pos] += 1
        progress = len(still) < len(pending)
        pending = still
        if not progress and rounds > 1:
            break
    unassigned = {
        c.id: (
            "候选调解员均已满额或需回避，请扩大范围或人工指派"
            if c.id in had_candidates
            else "范围内没有符合条件（无回避事由、未满额、语言相通或有翻译）的调解员"
        )
        for c in pending
    }
    total = sum(p.cost for p in out) + _load_total(r, load) + UNASSIGNED_POINTS * len(unassigned)
    return Plan(
        method=method,
        assignments=out,
        unassigned=unassigned,
        total_cost=total,
        arcs=n_arcs,
        rounds=rounds,
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu,
        final_load=load,
    )


def _honour_choice(
    inst: Instance, c: CaseFacts, load: IntArray, pool: dict[tuple[int, int], int]
) -> Planned | None:
    """人民调解法 Art. 19: a mediator the parties chose takes the dispute when eligible."""
    r = inst.roster
    for mediator_id in c.chosen:
        pos = r.position.get(mediator_id)
        if pos is None or mediator_id in c.conflicts or load[pos] >= r.cap[pos]:
            continue
        missing = c.languages & ~int(r.languages[pos])
        if missing and not _take_interpreters(missing, pool, costs.county_of(c.unit)):
            continue
        load[pos] += 1
        return Planned(c.id, mediator_id, arc_cost(inst, c, pos), True, missing)
    return None


def _load_total(r: Roster, final: IntArray) -> int:
    """The load items of every new case: Σ over mediators of the steps from old to new load."""
    grew = np.flatnonzero(final > r.load)
    n = final[grew] - r.load[grew]
    owner = np.repeat(grew, n)
    k = r.load[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(n) - n, n)
    return int(load_steps(k, r.cap[owner]).sum())


# ------------------------------------------------------------------ measures


def gini(values: Iterable[float]) -> float:
    """Gini coefficient of a load distribution (0 = perfectly even)."""
    x = np.sort(np.asarray(list(values), dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


@dataclass(frozen=True)
class Measures:
    assigned: int
    unassigned: int
    total_cost: int
    mean_cost: float
    within_township: float  # share of assigned disputes placed with a body of their township
    within_county: float
    gini_load: float  # over the mediators of the bodies that received new disputes
    gini_utilisation: float  # load / cap, same mediators
    gini_new: float  # of the new cases alone, same mediators
    max_new_per_mediator: int
    over_cap: int


def measure(inst: Instance, p: Plan) -> Measures:
    r = inst.roster
    by_id = {c.id: c for c in inst.cases}
    twp = cty = 0
    for a in p.assignments:
        c = by_id[a.case_id]
        pos = r.position[a.mediator_id]
        if costs.township_of(c.unit) != -1 and r.township[pos] == costs.township_of(c.unit):
            twp += 1
        if r.county[pos] == costs.county_of(c.unit):
            cty += 1
    n = max(len(p.assignments), 1)
    new = p.final_load - r.load
    receiving = np.isin(r.org, np.unique(r.org[new > 0]))
    load = p.final_load[receiving]
    return Measures(
        assigned=len(p.assignments),
        unassigned=len(p.unassigned),
        total_cost=p.total_cost,
        mean_cost=p.total_cost / max(len(inst.cases), 1),
        within_township=twp / n,
        within_county=cty / n,
        gini_load=gini(load),
        gini_utilisation=gini(load / np.maximum(r.cap[receiving], 1)),
        gini_new=gini(new[receiving]),
        max_new_per_mediator=int(new.max()) if len(new) else 0,
        over_cap=int((p.final_load > r.cap).sum()),
    )
