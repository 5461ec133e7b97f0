"""A synthetic roster of people's mediators for every mediation committee and centre.

Sizes follow the usual set-up: two mediators on a village committee, five on a
township committee, eight at a county resolution centre (about 86,000 for Sichuan,
against some 240,000 real ones, most of them part-time). In the Tibetan and Yi
prefectures about a third of mediators also work in the local language, which
dispatch uses to send an interpreter-free mediator.
"""

import random
from dataclasses import dataclass
from itertools import accumulate

from fengqiao.accounts.models import Mediator
from fengqiao.cases.choices import DisputeType
from fengqiao.core.bulk import Row, Table
from fengqiao.demo import people
from fengqiao.demo.places import LOCAL_LANGUAGE, Atlas
from fengqiao.demo.profiles import PROFILES
from fengqiao.geography import codes
from fengqiao.geography.choices import Level

ROSTER_SIZE = {Level.VILLAGE: 2, Level.TOWNSHIP: 5, Level.COUNTY: 8}
FULL_TIME = {Level.VILLAGE: 0.05, Level.TOWNSHIP: 0.3, Level.COUNTY: 0.6}
_TYPES = [t.value for t in DisputeType]
_CUM_SHARES = list(accumulate(PROFILES[t].share for t in DisputeType))


@dataclass(frozen=True)
class OnRoster:
    """What the case generator needs to know about a mediator."""

    id: int
    name: str
    languages: tuple[str, ...]


def _specialties(rng: random.Random) -> list[str]:
    picked = rng.choices(_TYPES, cum_weights=_CUM_SHARES, k=rng.randint(1, 3))
    return sorted(set(picked), key=_TYPES.index)


def build_roster(rng: random.Random, atlas: Atlas, units: set[int] | None = None) -> list[Row]:
    """Unsaved mediator rows for every committee and centre (or only those at ``units``)."""
    out = []
    for org_id, unit in atlas.committees():
        if units is not None and unit not in units:
            continue
        level = codes.level_of(unit)
        local = LOCAL_LANGUAGE.get(unit // 10**8)
        for _ in range(ROSTER_SIZE[level]):
            male = rng.random() < 0.55
            bilingual = local is not None and rng.random() < 1 / 3
            name = people.local_name(rng, male, local) if bilingual and local else people.han_name(rng, male)
            out.append(
                {
                    "name": name,
                    "organisation_id": org_id,
                    "user_id": None,
                    "phone": people.mobile(rng),
                    "specialties": _specialties(rng),
                    "languages": ["zh", local] if bilingual else ["zh"],
                    "is_full_time": rng.random() < FULL_TIME[level],
                    "is_active": True,
                    "is_demo": True,
                }
            )
    return out


def save_roster(mediators: list[Row]) -> dict[int, list[OnRoster]]:
    """Write the roster in bulk and index it by organisation for assignment."""
    Table(Mediator).insert(mediators)
    by_org: dict[int, list[OnRoster]] = {}
    for m in mediators:
        by_org.setdefault(m["organisation_id"], []).append(
            OnRoster(m["id"], m["name"], tuple(m["languages"]))
        )
    return by_org
