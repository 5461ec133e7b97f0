"""The divisions and bodies the demo generator needs, loaded once in two queries.

Per-case ORM lookups (``geography.queries.committee_for``, ``nearest_org``) would cost
hundreds of thousands of queries for 50,000 cases; ``Atlas`` answers the same
questions from dictionaries, with the same rules: the lowest-id active body of the
kind at the ancestor of the right level.
"""

import random
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from fengqiao.geography import codes
from fengqiao.geography.choices import Level, OrgKind
from fengqiao.geography.models import AdminUnit, Organisation

# Resident population by city/prefecture, millions (2020 census, rounded): cases are
# spread in proportion, so Chengdu gets about a quarter and every prefecture some.
CITY_POPULATION: dict[int, float] = {
    5101: 20.9, 5103: 2.5, 5104: 1.2, 5105: 4.3, 5106: 3.5, 5107: 4.9, 5108: 2.3,
    5109: 2.8, 5110: 3.1, 5111: 3.2, 5113: 5.6, 5114: 3.0, 5115: 4.6, 5116: 3.3,
    5117: 5.4, 5118: 1.4, 5119: 2.7, 5120: 2.3, 5132: 0.8, 5133: 1.1, 5134: 4.9,
}  # fmt: skip
# Prefectures where a minority language is in daily use: 阿坝 and 甘孜 Tibetan, 凉山 Yi.
LOCAL_LANGUAGE = {5132: "bo", 5133: "bo", 5134: "ii"}
# The demo users sit in 大邑县 / 王泗镇 / 飞羊村; weight them up so that logging in as
# one of them shows a full case list rather than a handful.
DEMO_COUNTY = 510129000000
DEMO_TOWNSHIP = 510129101000
DEMO_VILLAGE = 510129101203
_BOOST = ((DEMO_VILLAGE, 1, 2.0), (DEMO_TOWNSHIP, 1000, 3.0), (DEMO_COUNTY, 10**6, 3.0))

_VILLAGE_SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居民委员", "社区"),
    ("居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
)


def short_name(name: str) -> str:
    """'飞羊村村委会' → '飞羊村'; '石桥村民委员会' → '石桥村'; '东街居民委员会' → '东街社区'."""
    for suffix, kind in _VILLAGE_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(kind) else stem + kind
    return name


def city_short(name: str) -> str:
    """'成都市' → '成都'; '凉山彝族自治州' → '凉山' (as in company names)."""
    for suffix in ("藏族羌族自治州", "彝族自治州", "藏族自治州", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Place:
    """Where a dispute arises, with the names text templates need."""

    code: int
    village: str
    township: str
    county: str
    city: str
    urban: bool
    language: str  # the prefecture's local language, or "zh"

    @property
    def region(self) -> str:
        """The 6-digit region code that begins local resident ID numbers."""
        return str(codes.ancestor_at(self.code, Level.COUNTY))[:6]

    @property
    def city_code(self) -> int:
        return self.code // 10**8


class Atlas:
    """Names, committees and partner bodies of every division, from two queries."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.villages: list[int] = []
        for code, name, level in AdminUnit.objects.values_list("code", "name", "level").iterator(4000):
            self.names[code] = name
            if level == Level.VILLAGE:
                self.villages.append(code)
        self.villages.sort()
        self.org_name: dict[int, str] = {}
        self._first: dict[tuple[int, str], int] = {}
        rows = Organisation.objects.filter(is_active=True).order_by("id")
        for pk, kind, unit, name in rows.values_list("id", "kind", "admin_unit_id", "name").iterator(4000):
            self.org_name[pk] = name
            self._first.setdefault((unit, kind), pk)

    def org(self, unit: int, kind: OrgKind) -> int | None:
        """The lowest-id active organisation of ``kind`` at exactly ``unit``."""
        return self._first.get((unit, kind))

    def committee_for(self, code: int, level: Level) -> int | None:
        """Same rule as ``geography.queries.committee_for``: the mediation committee of the
        village or township, or the county's resolution centre."""
        anc = codes.ancestor_at(code, level)
        if anc is None:
            return None
        kind = OrgKind.RESOLUTION_CENTER if level == Level.COUNTY else OrgKind.MEDIATION_COMMITTEE
        return self.org(anc, kind)

    def nearest(self, code: int, kind: OrgKind) -> int | None:
        """Same rule as ``geography.queries.nearest_org``: the closest body of ``kind`` above ``code``."""
        for anc in reversed(codes.ancestors(code)):
            pk = self.org(anc, kind)
            if pk is not None:
                return pk
        return None

    def committees(self) -> list[tuple[int, int]]:
        """(organisation id, admin unit code) of every mediation committee and resolution centre."""
        kinds = (OrgKind.MEDIATION_COMMITTEE, OrgKind.RESOLUTION_CENTER)
        return sorted((pk, unit) for (unit, kind), pk in self._first.items() if kind in kinds)

    def place(self, code: int) -> Place:
        """The names around ``code`` (a village, township or county)."""
        village = short_name(self.names[code]) if codes.level_of(code) == Level.VILLAGE else ""
        township_code = codes.ancestor_at(code, Level.TOWNSHIP)
        township = self.names[township_code] if township_code else ""
        county = self.names[codes.ancestor_at(code, Level.COUNTY) or 0]
        city = self.names[code // 10**8 * 10**8]
        urban = village.endswith("社区") or township.endswith("街道") or not village
        return Place(code, village, township, county, city, urban, LOCAL_LANGUAGE.get(code // 10**8, "zh"))

    def village_sampler(self) -> "Sampler":
        """Villages weighted by their prefecture's population, with the demo area boosted."""
        per_city: dict[int, int] = {}
        for v in self.villages:
            per_city[v // 10**8] = per_city.get(v // 10**8, 0) + 1
        weights = []
        for v in self.villages:
            w = CITY_POPULATION.get(v // 10**8, 1.0) / per_city[v // 10**8]
            for anchor, span, factor in _BOOST:
                if anchor <= v < anchor + span:
                    w *= factor
            weights.append(w)
        return Sampler(self.villages, weights)


class Sampler:
    """Weighted choice from a fixed population by bisection on cumulative weights."""

    def __init__(self, items: list[int], weights: list[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights))

    def draw(self, rng: random.Random) -> int:
        return self.items[bisect_right(self.cum, rng.random() * self.cum[-1])]
