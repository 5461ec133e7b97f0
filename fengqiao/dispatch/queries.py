"""Read side of dispatch: the facts an assignment depends on, the ranked proposal for one
dispute, and the batch instance for a unit. Disputes are always reached through
``cases.queries`` (jurisdiction first); rosters are read by admin-unit code range.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast

from fengqiao.accounts.models import Mediator, User
from fengqiao.accounts.roles import MEDIATION_REACH
from fengqiao.cases import queries as case_queries
from fengqiao.cases.choices import Action, DisputeType, Status, Tier
from fengqiao.cases.models import Dispute, Party
from fengqiao.cases.workflow import ALLOWED_FROM
from fengqiao.core import crypto
from fengqiao.core.errors import NotFound
from fengqiao.dispatch import costs, solver
from fengqiao.dispatch.choices import ObjectionGround, Relation
from fengqiao.dispatch.costs import LANGUAGE_BIT, CaseFacts, MediatorFacts, Proximity
from fengqiao.dispatch.eligibility import (
    DeclarationFacts,
    DeclarationIndex,
    ObjectionFacts,
    PartyFacts,
    conflict_reasons,
    problems,
)
from fengqiao.dispatch.models import (
    ConflictDeclaration,
    CountyPairing,
    Interpreter,
    InterpreterBooking,
    Objection,
    PartyChoice,
)
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.geography.models import AdminUnit, Organisation

CHUNK = 5000
ID_KIND = "id_number"  # the blind-index kind shared with cases.Party
MAX_NOTES = 5
T = TypeVar("T")
ASSIGNABLE = tuple(ALLOWED_FROM[Action.ASSIGN_MEDIATOR])


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


DisputeIds = Sequence[int] | QuerySet[Dispute]


def _dispute_parts(ids: DisputeIds) -> Iterator[Any]:
    """Values for ``dispute_id__in``: chunks of a list, or one subquery for a queryset (a
    batch's pending disputes), which spares building lists of thousands of parameters."""
    if isinstance(ids, QuerySet):
        yield ids.values("id")
    else:
        yield from _chunks(ids)


# ------------------------------------------------------------------ loads


def open_load(mediator_ids: Iterable[int]) -> dict[int, int]:
    """Open disputes (any status but closed) each mediator now carries — what his cap limits."""
    ids = list(set(mediator_ids))
    out = dict.fromkeys(ids, 0)
    for part in _chunks(ids):
        rows = (
            Dispute.objects.filter(mediator_id__in=part)
            .exclude(status=Status.CLOSED)
            .values_list("mediator_id")
            .annotate(n=Count("id"))
        )
        out.update({m: n for m, n in rows})
    return out


def _range_q(field_name: str, units: Iterable[int]) -> Q:
    q = Q(pk__in=[])
    for u in sorted(set(units)):
        lo, hi = codes.subtree(u)
        q |= Q(**{f"{field_name}__gte": lo, f"{field_name}__lt": hi})
    return q


def open_load_within(units: Iterable[int]) -> dict[int, int]:
    """Loads of every mediator whose body lies within ``units`` (one grouped query)."""
    rows = (
        Dispute.objects.filter(mediator__isnull=False)
        .exclude(status=Status.CLOSED)
        .filter(_range_q("mediator__organisation__admin_unit_id", units))
        .values_list("mediator_id")
        .annotate(n=Count("id"))
    )
    return {m: n for m, n in rows}


def interpreter_free(counties: Iterable[int]) -> dict[tuple[int, int], int]:
    """(county, language bit) → interpreter places free in that county."""
    interpreters = list(
        Interpreter.objects.filter(county_id__in=set(counties), is_active=True).values_list(
            "id", "county_id", "languages", "max_load"
        )
    )
    busy = _interpreter_load([i for i, *_ in interpreters])
    out: dict[tuple[int, int], int] = {}
    for pk, county, languages, cap in interpreters:
        free = max(0, cap - busy.get(pk, 0))
        for lang in languages:
            if lang in LANGUAGE_BIT and free:
                key = (county, LANGUAGE_BIT[lang])
                out[key] = out.get(key, 0) + free
    return out


def _interpreter_load(ids: Sequence[int]) -> dict[int, int]:
    rows = (
        InterpreterBooking.objects.filter(interpreter_id__in=ids, released_at__isnull=True)
        .exclude(dispute__status=Status.CLOSED)
        .values_list("interpreter_id")
        .annotate(n=Count("id"))
    )
    return {i: n for i, n in rows}


def free_interpreter(county: int, language: str, exclude: Iterable[int] = ()) -> Interpreter | None:
    """The least-loaded active interpreter of ``language`` in ``county`` with a free place."""
    found = [
        i
        for i in Interpreter.objects.filter(county_id=county, is_active=True).order_by("id")
        if language in i.languages and i.pk not in set(exclude)
    ]
    busy = _interpreter_load([i.pk for i in found])
    free = [i for i in found if busy.get(i.pk, 0) < i.max_load]
    return min(free, key=lambda i: busy.get(i.pk, 0)) if free else None


# ------------------------------------------------------------------ pairings, places


def pairing_map(county: int | None = None) -> dict[int, tuple[int, ...]]:
    """county → the counties paired with it, in both directions (active pairings); all of
    them, or only those of ``county``."""
    qs = CountyPairing.objects.filter(is_active=True)
    if county is not None:
        qs = qs.filter(Q(aided_county_id=county) | Q(partner_county_id=county))
    out: dict[int, set[int]] = {}
    for a, b in qs.values_list("aided_county_id", "partner_county_id"):
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def coordinates(units: Iterable[int] | None = None) -> dict[int, tuple[float, float]]:
    """Units whose latitude and longitude are known (none in the kept division list) —
    all of them, or those of ``units`` and their ancestors."""
    qs = AdminUnit.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if units is not None:
        qs = qs.filter(code__in={a for u in units for a in codes.ancestors(u)})
    rows = qs.values_list("code", "latitude", "longitude")
    return {code: (lat, lon) for code, lat, lon in rows if lat is not None and lon is not None}


# ------------------------------------------------------------------ parties and conflicts


def parties_of(dispute_ids: DisputeIds) -> dict[int, list[PartyFacts]]:
    """The parties of each dispute, identified by the blind index of their ID number (or
    of an organisation's credit code) — the numbers themselves are never decrypted here."""
    out: dict[int, list[PartyFacts]] = {}
    for part in _dispute_parts(dispute_ids):
        rows = Party.objects.filter(dispute_id__in=part).values_list(
            "dispute_id", "id", "name", "id_number_bidx", "org_code", "language"
        )
        for dispute_id, pk, name, bidx, org_code, language in rows:
            key = bidx or (crypto.blind_index(ID_KIND, org_code) if org_code else "")
            out.setdefault(dispute_id, []).append(PartyFacts(pk, name, key, language))
    return out


def declarations_about(
    parties: Iterable[PartyFacts], mediator_ids: Iterable[int] | None = None
) -> list[DeclarationFacts]:
    """Active declarations that may concern ``parties`` (by identity number or by name).

    For a few parties the declarations are looked up by their keys; for a batch it is
    cheaper to read every active declaration once (tens of thousands in a province)."""
    parties = list(parties)
    idents = sorted({p.id_number for p in parties if p.id_number})
    names = sorted({p.name.strip() for p in parties})
    qs = ConflictDeclaration.objects.filter(withdrawn_at__isnull=True)
    if mediator_ids is not None:
        qs = qs.filter(mediator_id__in=list(mediator_ids))
    fields = ("id", "mediator_id", "person_name", "id_number_bidx", "relation")
    labels = {k: str(v) for k, v in Relation.choices}
    if len(parties) > CHUNK:
        rows: Iterable[tuple[int, int, str, str, str]] = qs.values_list(*fields).iterator(chunk_size=CHUNK)
    else:
        rows = [
            row
            for values, lookup in ((idents, "id_number_bidx__in"), (names, "person_name__in"))
            for part in _chunks(values)
            for row in qs.filter(**{lookup: part}).values_list(*fields)
        ]
    seen: dict[int, DeclarationFacts] = {}
    for pk, m, name, ident, relation in rows:
        seen[pk] = DeclarationFacts(m, name, ident, str(labels.get(relation, relation)))
    return list(seen.values())


def objections_of(dispute_ids: DisputeIds) -> dict[int, list[ObjectionFacts]]:
    out: dict[int, list[ObjectionFacts]] = {}
    labels = {k: str(v) for k, v in ObjectionGround.choices}
    for part in _dispute_parts(dispute_ids):
        rows = Objection.objects.filter(dispute_id__in=part, withdrawn_at__isnull=True).values_list(
            "dispute_id", "mediator_id", "party__name", "ground"
        )
        for d, m, name, ground in rows:
            out.setdefault(d, []).append(ObjectionFacts(m, name, str(labels.get(ground, ground))))
    return out


def choices_of(dispute_ids: DisputeIds) -> dict[int, tuple[int, ...]]:
    """Mediators the parties chose for each dispute, the most-chosen first (Art. 19)."""
    counts: dict[int, dict[int, int]] = {}
    for part in _dispute_parts(dispute_ids):
        rows = PartyChoice.objects.filter(dispute_id__in=part, withdrawn_at__isnull=True).values_list(
            "dispute_id", "mediator_id"
        )
        for d, m in rows:
            counts.setdefault(d, {})
            counts[d][m] = counts[d].get(m, 0) + 1
    return {d: tuple(sorted(c, key=lambda m: (-c[m], m))) for d, c in counts.items()}


# ------------------------------------------------------------------ facts of one dispute


@dataclass
class Context:
    """Everything about one dispute that decides who may take it and at what cost."""

    dispute: Dispute
    case: CaseFacts
    parties: list[PartyFacts]
    objections: list[ObjectionFacts]
    paired: tuple[int, ...]
    interpreters: int  # bits of languages with a free interpreter in the county
    barred: set[int] = field(default_factory=set)  # mediators with a declared relation or objected to
    coords: dict[int, tuple[float, float]] = field(default_factory=dict)


def case_facts(
    d: dict[str, Any],
    parties: Sequence[PartyFacts],
    conflicts: Iterable[int] = (),
    chosen: tuple[int, ...] = (),
    order: int = 0,
) -> CaseFacts:
    """CaseFacts from a dispute's values (``id, admin_unit_id, handling_org_id, dispute_type,
    tier, risk_level, people_involved, amount``)."""
    return CaseFacts(
        id=d["id"],
        unit=d["admin_unit_id"],
        handling_org=d["handling_org_id"],
        dispute_type=d["dispute_type"],
        tier_level=costs.TIER_LEVEL[Tier(d["tier"])],
        complex=costs.is_complex(d["tier"], d["risk_level"], d["people_involved"], d["amount"]),
        languages=costs.language_mask(p.language for p in parties),
        conflicts=frozenset(conflicts),
        chosen=chosen,
        order=order,
    )


CASE_FIELDS = (
    "id",
    "admin_unit_id",
    "handling_org_id",
    "dispute_type",
    "tier",
    "risk_level",
    "people_involved",
    "amount",
)


def context(d: Dispute) -> Context:
    parties = parties_of([d.pk]).get(d.pk, [])
    objections = objections_of([d.pk]).get(d.pk, [])
    chosen = choices_of([d.pk]).get(d.pk, ())
    county = costs.county_of(d.admin_unit_id)
    paired = pairing_map(county).get(county, ())
    facts = case_facts({f: getattr(d, f) for f in CASE_FIELDS}, parties, chosen=chosen)
    pool = interpreter_free([county]) if facts.languages else {}
    bits = sum(b for (c, b), free in pool.items() if c == county and free > 0)
    barred = DeclarationIndex.of(declarations_about(parties)).barred_for(parties)
    barred |= {o.mediator_id for o in objections}
    return Context(d, facts, parties, objections, paired, bits, barred)


def mediator_facts(m: Mediator, load: int) -> MediatorFacts:
    return MediatorFacts(
        id=m.pk,
        org=m.organisation_id,
        unit=m.organisation.admin_unit_id,
        specialties=costs.specialty_mask(m.specialties),
        languages=costs.language_mask(m.languages),
        full_time=m.is_full_time,
        load=load,
        cap=m.max_load,
    )


# ------------------------------------------------------------------ the single proposal


@dataclass(frozen=True)
class Proposal:
    """One mediator proposed for a dispute, with every item of the cost explained."""

    mediator: Mediator
    total: int
    items: tuple[tuple[str, int], ...]
    proximity: Proximity
    load: int
    chosen_by_party: bool
    cross_region: bool  # belongs to another body than the one handling the dispute
    interpreters: tuple[str, ...]  # languages an interpreter is needed for


@dataclass
class Proposals:
    items: list[Proposal]
    notes: list[str]  # why a chosen or home mediator is not proposed, etc.
    home_best: Proposal | None  # the best eligible mediator of the handling body, if any


def _type_label(value: str) -> str:
    return str(DisputeType(value).label)


def _rings(ctx: Context) -> list[tuple[int, Q]]:
    """(lower bound of the distance item, condition on the bodies) from near to far: the
    handling body and the township; the rest of the county; the county-level bodies
    (resolution centre, county committees) of the paired counties; those of the other
    counties of the city. Beyond its own county a dispute draws on county staff, not on
    other villages."""
    unit = ctx.dispute.admin_unit_id
    county = costs.county_of(unit)
    twp = costs.township_of(unit)

    def within(code: int) -> Q:
        lo, hi = codes.subtree(code)
        return Q(admin_unit_id__gte=lo, admin_unit_id__lt=hi)

    near = Q(pk=ctx.dispute.handling_org_id) if ctx.dispute.handling_org_id else Q(pk__in=[])
    if twp != -1:
        near |= within(twp)
    out = [(0, near), (costs.PROXIMITY_POINTS[Proximity.SAME_COUNTY], within(county) & ~near)]
    if ctx.paired:
        out.append((costs.PROXIMITY_POINTS[Proximity.PAIRED_COUNTY], Q(admin_unit_id__in=ctx.paired)))
    city = within(costs.city_of(unit)) & Q(admin_unit__level=Level.COUNTY)
    out.append(
        (costs.PROXIMITY_POINTS[Proximity.SAME_CITY], city & ~Q(admin_unit_id__in=[county, *ctx.paired]))
    )
    return out


ROSTER_FIELDS = (
    "id",
    "organisation_id",
    "organisation__admin_unit_id",
    Cast("specialties", TextField()),
    Cast("languages", TextField()),
    "is_full_time",
    "max_load",
)


def _roster_rows(bodies: Q, exclude: Iterable[int]) -> list[tuple[Any, ...]]:
    """Active mediators of the active bodies matching ``bodies``, as ``ROSTER_FIELDS`` rows.

    Bodies first, then their mediators by the (organisation, is_active) index: one query
    joining both lets SQLite scan the whole roster (measured: 24 ms instead of 2 ms)."""
    orgs = dict(Organisation.objects.filter(bodies, is_active=True).values_list("id", "admin_unit_id"))
    if not orgs:
        return []
    skip = set(exclude)
    rows = Mediator.objects.filter(organisation_id__in=list(orgs), is_active=True).values_list(
        "id",
        "organisation_id",
        Cast("specialties", TextField()),
        Cast("languages", TextField()),
        "is_full_time",
        "max_load",
    )
    return [(pk, org, orgs[org], *rest) for pk, org, *rest in rows if pk not in skip]


def _load_of_bodies(orgs: Iterable[int]) -> dict[int, int]:
    """Open cases of every mediator of ``orgs`` (one grouped query, no list of mediators)."""
    rows = (
        Dispute.objects.filter(mediator__organisation_id__in=list(orgs))
        .exclude(status=Status.CLOSED)
        .values_list("mediator_id")
        .annotate(n=Count("id"))
    )
    return {m: n for m, n in rows}


@dataclass
class _Scored:
    """Mediators of one ring with their cost and eligibility, as arrays."""

    ids: np.ndarray
    org: np.ndarray
    total: np.ndarray
    load: np.ndarray
    eligible: np.ndarray


def _score(ctx: Context, rows: list[tuple[Any, ...]]) -> _Scored:
    """Cost and eligibility of ``rows`` for the dispute, with the batch solver's arithmetic."""
    roster = _roster_arrays(rows, _load_of_bodies({r[1] for r in rows}))
    ctx.coords.update(coordinates({ctx.case.unit, *roster.unit.tolist()}))
    county = costs.county_of(ctx.case.unit)
    inst = solver.Instance(
        roster=roster,
        cases=[ctx.case],
        pairings={county: ctx.paired} if ctx.paired else {},
        coords=ctx.coords,
    )
    pool = {(county, bit): 1 for bit in LANGUAGE_BIT.values() if ctx.interpreters & bit}
    ca = solver.CaseArrays.of(inst, [ctx.case], pool)
    pos = np.arange(len(roster), dtype=np.int64)
    cost, understood = solver.pair_costs(inst, ca, np.zeros(len(pos), dtype=np.int64), pos)
    free = roster.load < roster.cap
    clear = ~np.isin(roster.ids, list(ctx.barred)) if ctx.barred else np.ones(len(pos), dtype=bool)
    total = cost + solver.load_steps(roster.load, roster.cap)
    return _Scored(roster.ids, roster.org, total, roster.load, free & clear & understood)


def proposals_for(d: Dispute, limit: int = 5) -> Proposals:
    """Rank the eligible mediators for ``d``, nearest rings first, widening only while a
    farther ring could still beat the ``limit``-th best (its distance item alone is a
    lower bound on its cost). The parties' choices come first when eligible (Art. 19).

    Costs and eligibility are computed as arrays, with the batch solver's arithmetic;
    only the few mediators proposed are loaded as objects and explained item by item."""
    ctx = context(d)
    seen: set[int] = set()
    best: list[tuple[int, int, int, int]] = []  # (not chosen, total, load, id)
    home_best: tuple[int, int, int, int] | None = None
    refused: list[int] = []  # chosen or home mediators who cannot take it: explained below
    rings = _rings(ctx)
    if ctx.case.chosen:
        chosen_bodies = Mediator.objects.filter(pk__in=ctx.case.chosen).values_list(
            "organisation_id", flat=True
        )
        rings.insert(0, (-1, Q(pk__in=list(chosen_bodies))))
    for bound, q in rings:
        best.sort()
        if bound >= 0 and len(best) >= limit and best[limit - 1][1] <= bound:
            break
        rows = _roster_rows(q, seen)
        if not rows:
            continue
        seen.update(r[0] for r in rows)
        scored = _score(ctx, rows)
        chosen = np.isin(scored.ids, list(ctx.case.chosen))
        home = scored.org == (d.handling_org_id or -1)
        for i in np.flatnonzero(scored.eligible):
            entry = (0 if chosen[i] else 1, int(scored.total[i]), int(scored.load[i]), int(scored.ids[i]))
            best.append(entry)
            if home[i] and (home_best is None or entry[1:] < home_best[1:]):
                home_best = entry
        refused.extend(int(m) for m in scored.ids[~scored.eligible & (chosen | home)])
    best.sort()
    top = best[:limit]
    wanted = [t[3] for t in top] + refused + ([home_best[3]] if home_best else [])
    objects = Mediator.objects.select_related("organisation").in_bulk(wanted)
    items = [_explain(ctx, objects[t[3]], t[2]) for t in top]
    notes = _refusal_notes(ctx, [objects[m] for m in refused])
    if not best:
        notes.append(
            "本县、结对帮扶县及本市(州)范围内没有符合条件（无回避事由、未满额、语言相通或有翻译）的调解员"
        )
    home = _explain(ctx, objects[home_best[3]], home_best[2]) if home_best else None
    return Proposals(items=items, notes=notes, home_best=home)


def _explain(ctx: Context, m: Mediator, load: int) -> Proposal:
    """The proposal of an eligible ``m``, every cost item in words."""
    cost = costs.assignment_cost(
        ctx.case,
        mediator_facts(m, load),
        paired=ctx.paired,
        coords=ctx.coords,
        type_label=_type_label(ctx.case.dispute_type),
        tier_label=str(Tier(ctx.dispute.tier).label),
    )
    chosen = m.pk in ctx.case.chosen
    items = (("当事人选择该调解员（人民调解法第十九条）", 0), *cost.items) if chosen else cost.items
    return Proposal(
        mediator=m,
        total=cost.total,
        items=items,
        proximity=cost.proximity,
        load=load,
        chosen_by_party=chosen,
        cross_region=m.organisation_id != ctx.dispute.handling_org_id,
        interpreters=tuple(costs.languages_of(cost.missing_languages)),
    )


def _refusal_notes(ctx: Context, mediators: list[Mediator]) -> list[str]:
    """Why a mediator the parties chose, or one of the handling body, is not proposed."""
    if not mediators:
        return []
    loads = open_load(m.pk for m in mediators)
    declarations = declarations_about(ctx.parties, [m.pk for m in mediators])
    notes = []
    for m in mediators:
        why = problems(
            name=m.name,
            is_active=m.is_active and m.organisation.is_active,
            load=loads[m.pk],
            cap=m.max_load,
            conflicts=conflict_reasons(m.pk, ctx.parties, declarations, ctx.objections),
            missing_languages=ctx.case.languages & ~costs.language_mask(m.languages),
            interpreters=ctx.interpreters,
        )
        if m.pk in ctx.case.chosen:
            notes.append(f"当事人选择的调解员{m.name}暂不能指派：" + "；".join(why))
        elif len(notes) < MAX_NOTES:
            notes.append(f"承办调解组织的调解员{m.name}不能指派：" + "；".join(why))
    return notes


def propose_mediators(dispute: Dispute, limit: int = 5) -> list[Proposal]:
    """The ``limit`` best eligible mediators for ``dispute``, each with its cost breakdown."""
    return proposals_for(dispute, limit).items


# ------------------------------------------------------------------ the batch instance


def pending_disputes(qs: QuerySet[Dispute], scope: int) -> QuerySet[Dispute]:
    """Accepted, open disputes in ``scope`` that have a handling body and no mediator yet."""
    lo, hi = codes.subtree(scope)
    return qs.filter(
        admin_unit_id__gte=lo,
        admin_unit_id__lt=hi,
        status__in=ASSIGNABLE,
        mediator__isnull=True,
        handling_org__isnull=False,
    )


def pending_for(actor: User, scope: int) -> QuerySet[Dispute]:
    return pending_disputes(case_queries.disputes_for(actor), scope)


def batch_instance(pending: QuerySet[Dispute]) -> solver.Instance:
    """The solver's instance for ``pending``: the disputes with their parties' languages,
    conflicts and choices; the mediators of their cities and paired counties with loads;
    the interpreter pool of their counties."""
    rows = list(pending.order_by("received_at", "id").values(*CASE_FIELDS))
    ids = pending.order_by()  # as a subquery
    parties = parties_of(ids)
    objections = objections_of(ids)
    chosen = choices_of(ids)
    index = DeclarationIndex.of(declarations_about(p for ps in parties.values() for p in ps))
    cases = []
    for order, r in enumerate(rows):
        ps = parties.get(r["id"], [])
        barred = index.barred_for(ps) | {o.mediator_id for o in objections.get(r["id"], [])}
        cases.append(case_facts(r, ps, barred, chosen.get(r["id"], ()), order))
    pairings = pairing_map()
    counties = {costs.county_of(c.unit) for c in cases}
    units = {costs.city_of(c.unit) for c in cases} | {p for c in counties for p in pairings.get(c, ())}
    extra = {m for c in cases for m in c.chosen}
    return solver.Instance(
        roster=roster_within(units, extra),
        cases=cases,
        pairings={c: pairings[c] for c in counties if c in pairings},
        interpreters=interpreter_free(counties),
        coords=coordinates(),
    )


def roster_within(units: Iterable[int], extra: Iterable[int] = ()) -> solver.Roster:
    """Active mediators of active bodies within ``units`` (plus ``extra`` ids), as arrays.

    Specialties and languages are read as JSON text and turned into bit masks through a
    memo: a province has a few thousand distinct lists among 240,000 mediators, so
    decoding each row's JSON would dominate the load."""
    units = list(units)
    extra = list(extra)
    q = _range_q("organisation__admin_unit_id", units) | Q(pk__in=extra)
    rows = list(
        Mediator.objects.filter(q, is_active=True, organisation__is_active=True)
        .order_by("id")
        .values_list(*ROSTER_FIELDS)
    )
    loads = open_load_within(units) if units else {}
    wanted = set(extra)
    outside = [r[0] for r in rows if r[0] in wanted and r[0] not in loads]
    if outside:
        loads.update(open_load(outside))
    return _roster_arrays(rows, loads)


def _roster_arrays(rows: list[tuple[Any, ...]], loads: dict[int, int]) -> solver.Roster:
    """A solver Roster from rows of ``ROSTER_FIELDS``."""
    n = len(rows)
    cols = list(zip(*rows, strict=True)) if rows else [()] * 7
    specialties = _memo(costs.specialty_mask)
    languages = _memo(costs.language_mask)

    def arr(values: Iterable[Any]) -> np.ndarray:
        return np.fromiter(values, dtype=np.int64, count=n)

    return solver.Roster(
        ids=arr(cols[0]),
        org=arr(cols[1]),
        unit=arr(cols[2]),
        specialties=arr(specialties(s) for s in cols[3]),
        languages=arr(languages(s) for s in cols[4]),
        full_time=arr(cols[5]),
        load=arr(loads.get(m, 0) for m in cols[0]),
        cap=arr(cols[6]),
    )


def _memo(mask: Any) -> Any:
    """A function of a JSON list's text to its bit mask, decoding each distinct text once."""
    seen: dict[str, int] = {}

    def of(text: str | None) -> int:
        if text is None:
            return 0
        found = seen.get(text)
        if found is None:
            found = seen[text] = mask(json.loads(text))
        return found

    return of


# ------------------------------------------------------------------ scoped lists


def mediators_visible_to(actor: User) -> QuerySet[Mediator]:
    """Mediators of bodies within the actor's jurisdiction (staff who mediate only)."""
    if not actor.is_authenticated or actor.role not in MEDIATION_REACH or actor.admin_unit_id is None:
        return Mediator.objects.none()
    lo, hi = codes.subtree(actor.admin_unit_id)
    return Mediator.objects.filter(
        organisation__admin_unit_id__gte=lo, organisation__admin_unit_id__lt=hi
    ).select_related("organisation")


def mediator_for(actor: User, mediator_id: int) -> Mediator:
    """A mediator the actor may manage — his own record, or one of a body in his
    jurisdiction — or NotFound, the same answer whether the mediator exists or not."""
    m = Mediator.objects.select_related("organisation").filter(pk=mediator_id).first()
    if m is not None and m.user_id is not None and m.user_id == actor.pk:
        return m
    if m is None or not mediators_visible_to(actor).filter(pk=m.pk).exists():
        raise NotFound()
    return m


def declarations_of(mediator: Mediator) -> QuerySet[ConflictDeclaration]:
    return mediator.declarations.order_by("-declared_at", "-id")


def objections_for(d: Dispute) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(dispute=d).select_related("party", "mediator").order_by("recorded_at", "id")
    )


def choices_for(d: Dispute) -> QuerySet[PartyChoice]:
    return (
        PartyChoice.objects.filter(dispute=d)
        .select_related("party", "mediator")
        .order_by("recorded_at", "id")
    )


def pairings() -> QuerySet[CountyPairing]:
    return CountyPairing.objects.select_related("aided_county", "partner_county").order_by(
        "aided_county_id", "partner_county_id"
    )


def interpreters_in(actor: User) -> QuerySet[Interpreter]:
    if not actor.is_authenticated or actor.role not in MEDIATION_REACH or actor.admin_unit_id is None:
        return Interpreter.objects.none()
    county = costs.county_of(actor.admin_unit_id)
    return Interpreter.objects.filter(county_id=county).order_by("name", "id")
