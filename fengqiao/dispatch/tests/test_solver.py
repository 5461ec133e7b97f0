"""The batch solver on random rosters, loads and conflicts — pure, no database.

Whatever the instance: no mediator ends over his cap, no dispute goes to a mediator
it has a conflict with, every party is understood (a speaker, or an interpreter from
the county's pool, never more interpreters than the pool has), a party's eligible
choice is honoured, and the optimum costs no more than the greedy baseline.
"""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.dispatch import costs, solver
from fengqiao.dispatch.costs import LANGUAGE_BIT, CaseFacts, MediatorFacts

COUNTY = 510129000000
PARTNER = 510131000000
VILLAGES = [510129101203, 510129101206, 510129105201, 510129105202, 510131101200]
BODIES = [*VILLAGES, 510129101000, 510129105000, COUNTY, 510131101000]
ORG = {unit: i + 1 for i, unit in enumerate(BODIES)}
TYPES = ["neighbour", "marriage_family", "labour", "contract", "other"]


@st.composite
def instances(draw: st.DrawFn) -> solver.Instance:
    n_m = draw(st.integers(1, 25))
    mediators = []
    for i in range(n_m):
        unit = draw(st.sampled_from(BODIES))
        cap = draw(st.integers(1, 5))
        mediators.append(
            MediatorFacts(
                id=100 + i,
                org=ORG[unit],
                unit=unit,
                specialties=costs.specialty_mask(draw(st.lists(st.sampled_from(TYPES), max_size=2))),
                languages=draw(st.sampled_from([0, 0, 1, 2, 3])),
                full_time=draw(st.booleans()),
                load=draw(st.integers(0, cap)),  # some already full
                cap=cap,
            )
        )
    ids = [m.id for m in mediators]
    n_c = draw(st.integers(1, 30))
    cases = []
    for i in range(n_c):
        unit = draw(st.sampled_from(VILLAGES))
        cases.append(
            CaseFacts(
                id=1000 + i,
                unit=unit,
                handling_org=ORG[unit],
                dispute_type=draw(st.sampled_from(TYPES)),
                tier_level=draw(st.sampled_from([3, 4, 5])),
                complex=draw(st.booleans()),
                languages=draw(st.sampled_from([0, 0, 0, 1, 2])),
                conflicts=frozenset(draw(st.lists(st.sampled_from(ids), max_size=4))),
                chosen=tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))),
                order=i,
            )
        )
    pool = {
        (COUNTY, LANGUAGE_BIT["bo"]): draw(st.integers(0, 3)),
        (PARTNER, LANGUAGE_BIT["ii"]): draw(st.integers(0, 3)),
    }
    return solver.Instance(
        roster=solver.Roster.of(mediators),
        cases=cases,
        pairings={COUNTY: (PARTNER,), PARTNER: (COUNTY,)},
        interpreters=pool,
    )


def check_plan(inst: solver.Instance, plan: solver.Plan) -> None:
    r = inst.roster
    by_id = {c.id: c for c in inst.cases}
    assigned = Counter(a.mediator_id for a in plan.assignments)
    for mediator_id, n in assigned.items():
        pos = r.position[mediator_id]
        assert r.load[pos] + n <= r.cap[pos], "over the cap"
        assert plan.final_load[pos] == r.load[pos] + n
    assert len({a.case_id for a in plan.assignments}) == len(plan.assignments), "a dispute assigned twice"
    assert {a.case_id for a in plan.assignments}.isdisjoint(plan.unassigned)
    assert len(plan.assignments) + len(plan.unassigned) == len(inst.cases)
    used: Counter[tuple[int, int]] = Counter()
    for a in plan.assignments:
        c = by_id[a.case_id]
        assert a.mediator_id not in c.conflicts, "assigned across a conflict"
        spoken = int(r.languages[r.position[a.mediator_id]])
        assert a.interpreters == c.languages & ~spoken
        for bit in LANGUAGE_BIT.values():
            if a.interpreters & bit:
                used[(costs.county_of(c.unit), bit)] += 1
    for key, n in used.items():
        assert n <= inst.interpreters.get(key, 0), "more interpreters than the county has"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_optimum_never_breaks_a_cap_a_conflict_or_a_language(inst: solver.Instance) -> None:
    check_plan(inst, solver.plan(inst, "flow"))
    check_plan(inst, solver.plan(inst, "greedy"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_a_partys_eligible_choice_is_honoured(inst: solver.Instance) -> None:
    plan = solver.plan(inst)
    got = {a.case_id: a for a in plan.assignments}
    r = inst.roster
    load = r.load.copy()
    pool = dict(inst.interpreters)
    for c in sorted(inst.cases, key=lambda c: c.order):
        # replay the rule: the first chosen mediator eligible at the dispute's turn
        for m in c.chosen:
            pos = r.position[m]
            missing = c.languages & ~int(r.languages[pos])
            key = (costs.county_of(c.unit), missing)
            if m in c.conflicts or load[pos] >= r.cap[pos] or (missing and pool.get(key, 0) <= 0):
                continue
            load[pos] += 1
            if missing:
                pool[key] -= 1
            assert got[c.id].mediator_id == m and got[c.id].chosen
            break


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_solver_costs_no_more_than_the_greedy_baseline(inst: solver.Instance) -> None:
    # one round, same candidate arcs: the flow optimum is a lower bound on any assignment
    r = inst.roster
    arcs = solver.candidates(inst, inst.cases, r.load, dict(inst.interpreters), k=50)

    def cost(placed: dict[int, int]) -> int:
        load = r.load.copy()
        total = solver.UNASSIGNED_POINTS * (len(inst.cases) - len(placed))
        for i, pos in placed.items():
            lo, hi = arcs.offsets[i], arcs.offsets[i + 1]
            total += int(arcs.cost[lo:hi][arcs.pos[lo:hi] == pos][0])
            load[pos] += 1
        return total + solver._load_total(r, load)

    flow = solver.flow_round(inst, len(inst.cases), arcs, r.load)
    greedy = solver.greedy_round(inst, len(inst.cases), arcs, r.load)
    assert cost(flow) <= cost(greedy)


def test_a_full_township_sends_its_overflow_to_the_neighbouring_township() -> None:
    home, neighbour = 510129101203, 510129105201
    mediators = [
        MediatorFacts(1, ORG[home], home, costs.specialty_mask(["neighbour"]), 0, False, 0, 2),
        MediatorFacts(2, ORG[neighbour], neighbour, 0, 0, False, 0, 5),
    ]
    cases = [CaseFacts(10 + i, home, ORG[home], "neighbour", 5, False, order=i) for i in range(4)]
    inst = solver.Instance(roster=solver.Roster.of(mediators), cases=cases)
    plan = solver.plan(inst)
    assert Counter(a.mediator_id for a in plan.assignments) == {1: 2, 2: 2}
    assert not plan.unassigned


def test_fair_spread_inside_a_committee() -> None:
    unit = 510129101203
    mediators = [MediatorFacts(i, 1, unit, 0, 0, False, 0, 8) for i in range(1, 5)]
    cases = [CaseFacts(10 + i, unit, 1, "other", 5, False, order=i) for i in range(8)]
    inst = solver.Instance(roster=solver.Roster.of(mediators), cases=cases)
    plan = solver.plan(inst)
    assert sorted(Counter(a.mediator_id for a in plan.assignments).values()) == [2, 2, 2, 2]
