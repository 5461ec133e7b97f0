"""The cost of giving a dispute to a mediator — lower is better — as plain arithmetic.

One model serves the single proposal (which shows every item to the officer, 个人信息保护法
Art. 24: an automated decision must be explainable and refusable) and the batch solver
(which needs the same numbers as arrays; ``solver`` vectorises these functions and a
test keeps the two in agreement). Points are integers because the min-cost-flow solver
works in integers.

Why these weights: the law wants disputes settled where they arise (人民调解法 Art. 21:
及时、就地进行; 小事不出村、大事不出镇), so distance dominates — one step up the hierarchy
outweighs a missing specialty or a busier mediator, and a township is only crossed when
it lacks someone able and free. A party who does not speak Mandarin must be understood
(Art. 22: 充分听取当事人的陈述; Art. 3(1): equality of the parties), so a speaker is
preferred and an interpreter is the fallback, never nothing.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

from fengqiao.cases.choices import DisputeType, RiskLevel, Tier
from fengqiao.geography import codes
from fengqiao.geography.choices import Level

# ------------------------------------------------------------------ vocabularies

LANGUAGE_BIT = {"bo": 1, "ii": 2}
LANGUAGE_LABEL = {"bo": "藏语", "ii": "彝语"}
TYPE_INDEX = {t.value: i for i, t in enumerate(DisputeType)}
TIER_LEVEL = {Tier.VILLAGE: Level.VILLAGE, Tier.TOWNSHIP: Level.TOWNSHIP, Tier.COUNTY: Level.COUNTY}


def language_mask(languages: Iterable[str]) -> int:
    """Bits of the languages in ``languages`` that need a speaker (Mandarin needs none)."""
    mask = 0
    for lang in languages:
        mask |= LANGUAGE_BIT.get(lang, 0)
    return mask


def languages_of(mask: int) -> list[str]:
    return [lang for lang, bit in LANGUAGE_BIT.items() if mask & bit]


def specialty_mask(specialties: Iterable[str]) -> int:
    mask = 0
    for s in specialties:
        if s in TYPE_INDEX:
            mask |= 1 << TYPE_INDEX[s]
    return mask


# ------------------------------------------------------------------ distance


class Proximity(IntEnum):
    """How near a mediator's body is to the dispute, by the division hierarchy."""

    HANDLING_ORG = 0
    SAME_VILLAGE = 1
    SAME_TOWNSHIP = 2
    SAME_COUNTY = 3
    PAIRED_COUNTY = 4
    SAME_CITY = 5
    ELSEWHERE = 6


PROXIMITY_POINTS = (0, 0, 10, 30, 60, 80, 150)
PROXIMITY_LABEL = (
    "承办调解组织",
    "同村(社区)",
    "同乡镇(街道)",
    "同县(市、区)",
    "结对帮扶县",
    "同市(州)",
    "省内其他地区",
)
# Where coordinates are known, travel adds a point per 5 km, at most 40.
KM_PER_POINT = 5
MAX_TRAVEL_POINTS = 40


def _ancestor(code: int, at: Level) -> int:
    """The enclosing unit at level ``at`` (``geography.codes``), or -1 when ``code`` is above it
    (-1 rather than None: the solver keeps these in integer arrays)."""
    found = codes.ancestor_at(code, at)
    return -1 if found is None else found


def township_of(code: int) -> int:
    return _ancestor(code, Level.TOWNSHIP)


def county_of(code: int) -> int:
    return _ancestor(code, Level.COUNTY)


def city_of(code: int) -> int:
    return _ancestor(code, Level.CITY)


def proximity(
    case_unit: int,
    handling_org: int | None,
    org: int,
    unit: int,
    paired: Iterable[int] = (),
) -> Proximity:
    """Where a mediator of body ``org`` at ``unit`` stands relative to a dispute at ``case_unit``.

    A body above the dispute's place counts at its own level: the township committee is
    "same township" for a village dispute, the county centre "same county".
    """
    if handling_org is not None and org == handling_org:
        return Proximity.HANDLING_ORG
    if unit == case_unit and codes.level_of(unit) == Level.VILLAGE:
        return Proximity.SAME_VILLAGE
    twp = township_of(unit)
    if twp != -1 and twp == township_of(case_unit):
        return Proximity.SAME_TOWNSHIP
    cty = county_of(unit)
    if cty != -1 and cty == county_of(case_unit):
        return Proximity.SAME_COUNTY
    if cty in set(paired):
        return Proximity.PAIRED_COUNTY
    if city_of(unit) == city_of(case_unit):
        return Proximity.SAME_CITY
    return Proximity.ELSEWHERE


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def travel_points(km: float) -> int:
    return min(MAX_TRAVEL_POINTS, int(km // KM_PER_POINT))


def locate(code: int, coords: Mapping[int, tuple[float, float]]) -> tuple[float, float] | None:
    """Coordinates of ``code`` or of its nearest ancestor that has them."""
    for span in (1, 10**3, 10**6, 10**8):
        found = coords.get(code // span * span)
        if found is not None:
            return found
    return None


# ------------------------------------------------------------------ the other items

SPECIALTY_POINTS = 15  # the mediator does not list the dispute's type
PART_TIME_POINTS = 20  # a complex dispute and a part-time mediator
BELOW_TIER_POINTS = 25  # the body is below the tier handling the dispute
ABOVE_TIER_POINTS = 10  # a higher body's mediator for a lower-tier dispute (小事不出村)
INTERPRETER_POINTS = 40  # per language a party speaks and the mediator does not
LOAD_WEIGHT = 4  # see load_step
UNASSIGNED_POINTS = 1000  # leaving a dispute without a mediator: worse than any assignment

COMPLEX_AMOUNT = Decimal(50_000)
COMPLEX_PEOPLE = 5


def is_complex(tier: str, risk_level: str, people_involved: int, amount: Decimal | None) -> bool:
    """繁: the dispute needs an experienced (full-time) mediator — handled at county tier,
    high risk, many people, or a large amount (the thresholds triage uses for the township)."""
    return (
        tier == Tier.COUNTY
        or risk_level == RiskLevel.HIGH
        or people_involved >= COMPLEX_PEOPLE
        or (amount is not None and amount >= COMPLEX_AMOUNT)
    )


def load_step(load: int, cap: int) -> int:
    """The cost of one more case for a mediator now carrying ``load`` of ``cap``.

    Convex (rising with load: about LOAD_WEIGHT·(2·load+1)/cap, rounded), so the sum over
    a mediator's cases grows with the square of his load and the optimum spreads work
    across a committee instead of filling one person first. A full load (load = cap)
    is never offered.
    """
    cap = max(cap, 1)
    return (LOAD_WEIGHT * (2 * load + 1) + cap // 2) // cap


# ------------------------------------------------------------------ one assignment


@dataclass(frozen=True)
class CaseFacts:
    """What the cost and the rules need to know about a dispute."""

    id: int
    unit: int
    handling_org: int | None
    dispute_type: str
    tier_level: int
    complex: bool
    languages: int = 0  # bits of languages that need a speaker or an interpreter
    conflicts: frozenset[int] = frozenset()  # mediator ids barred by declaration or objection
    chosen: tuple[int, ...] = ()  # mediator ids the parties chose (Art. 19), most-chosen first
    order: int = 0  # received order: earlier disputes are served first where that matters


@dataclass(frozen=True)
class MediatorFacts:
    id: int
    org: int
    unit: int
    specialties: int  # bit mask over TYPE_INDEX
    languages: int  # bit mask over LANGUAGE_BIT
    full_time: bool
    load: int
    cap: int


@dataclass(frozen=True)
class Breakdown:
    """The items of one assignment's cost, each with its Chinese explanation."""

    items: tuple[tuple[str, int], ...]
    proximity: Proximity
    missing_languages: int  # bits the mediator does not speak (an interpreter is needed)

    @property
    def total(self) -> int:
        return sum(points for _, points in self.items)


def assignment_cost(
    case: CaseFacts,
    m: MediatorFacts,
    *,
    paired: Iterable[int] = (),
    coords: Mapping[int, tuple[float, float]] | None = None,
    type_label: str = "",
    tier_label: str = "",
) -> Breakdown:
    """Every item of the cost of giving ``case`` to ``m`` (eligibility is decided elsewhere)."""
    near = proximity(case.unit, case.handling_org, m.org, m.unit, paired)
    items: list[tuple[str, int]] = [(f"距离：{PROXIMITY_LABEL[near]}", PROXIMITY_POINTS[near])]
    if coords:
        a, b = locate(case.unit, coords), locate(m.unit, coords)
        if a is not None and b is not None:
            km = km_between(a, b)
            items.append((f"路程约{km:.0f}公里", travel_points(km)))
    org_level = codes.level_of(m.unit)
    if org_level > case.tier_level:
        items.append((f"本案由{tier_label or '上级'}办理，调解员所在组织层级较低", BELOW_TIER_POINTS))
    elif org_level < case.tier_level:
        items.append(("调解员所在组织层级高于办理层级（小事不出村）", ABOVE_TIER_POINTS))
    kind = type_label or "该类"
    if case.dispute_type == DisputeType.OTHER or (m.specialties >> TYPE_INDEX[case.dispute_type]) & 1:
        items.append((f"擅长{kind}纠纷" if case.dispute_type != DisputeType.OTHER else "纠纷类型不限", 0))
    else:
        items.append((f"不擅长{kind}纠纷", SPECIALTY_POINTS))
    if case.complex:
        items.append(
            ("复杂纠纷，专职调解员", 0) if m.full_time else ("复杂纠纷，调解员为兼职", PART_TIME_POINTS)
        )
    missing = case.languages & ~m.languages
    for lang in languages_of(case.languages):
        if LANGUAGE_BIT[lang] & missing:
            label = f"当事人使用{LANGUAGE_LABEL[lang]}，调解员不会，需邀请翻译（人民调解法第二十条）"
            items.append((label, INTERPRETER_POINTS))
        else:
            items.append((f"能用{LANGUAGE_LABEL[lang]}与当事人直接沟通", 0))
    items.append((f"现有在办案件{m.load}件，上限{m.cap}件", load_step(m.load, m.cap)))
    return Breakdown(items=tuple(items), proximity=near, missing_languages=missing)
