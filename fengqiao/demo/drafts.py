"""One synthetic dispute as registered: where, what, through which channel, who the parties are.

``draft`` picks a type for the season and the kind of place, a scenario that fits
the place, a channel for the type, money and people at stake, and parties with valid
ID numbers and phone numbers. The lifecycle after registration is ``stories``' job.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate

from fengqiao.cases.choices import Channel, DisputeType, PartyKind, PartyRole
from fengqiao.core import identity
from fengqiao.core.bulk import Row
from fengqiao.demo import people, profiles, texts
from fengqiao.demo.places import Atlas, Place, city_short
from fengqiao.demo.profiles import PROFILES, TypeProfile
from fengqiao.demo.texts import Scenario
from fengqiao.geography import codes
from fengqiao.geography.choices import Level

TYPES = list(DisputeType)
CHANNELS = list(Channel)
MASS_PEOPLE = (10, 80)
SMALL_GROUP = (3, 8)


@dataclass
class Draft:
    """A dispute about to be registered, with what its story needs to go on."""

    dispute: Row  # a cases.Dispute row
    parties: list[Row]  # cases.Party rows
    place: Place
    village: int  # the village the dispute comes from, even when it sits at a higher level
    kind: DisputeType
    profile: TypeProfile
    scenario: Scenario
    mass: bool
    language: str  # the applicant's language, for choosing a mediator
    ctx: dict[str, str]

    @property
    def applicant(self) -> Row:
        return self.parties[0]

    @property
    def respondent(self) -> Row:
        return next(p for p in self.parties if p["role"] == PartyRole.RESPONDENT)


@lru_cache(maxsize=512)
def _type_cum_weights(month: int, phase: str, urban: bool, ethnic: bool) -> list[float]:
    return list(accumulate(profiles.type_weights(month, phase, urban, ethnic)))


@lru_cache(maxsize=32)
def _channel_cum_weights(kind: DisputeType) -> list[float]:
    return list(accumulate(profiles.channel_weights(kind)))


def _fits(s: Scenario, place: Place) -> bool:
    return (
        not s.place
        or (s.place == "urban" and place.urban)
        or (s.place == "rural" and not place.urban)
        or (s.place == "ethnic" and place.language != "zh")
    )


def _scenario(rng: random.Random, kind: DisputeType, place: Place, mass: bool) -> Scenario:
    pool = [s for s in texts.SCENARIOS[kind] if _fits(s, place) and (s.group or not mass)]
    # A type may have no story for this kind of place (物业 in a hill village): any of its own then.
    return rng.choice(pool or [s for s in texts.SCENARIOS[kind] if s.group or not mass])


def _amount(rng: random.Random, profile: TypeProfile, people_involved: int) -> Decimal:
    """Log-uniform in the type's range; larger for disputes with many claimants."""
    low, high = profile.amount
    value = low * (high / low) ** rng.random()
    if people_involved > 2:
        value = min(value * people_involved / 2, 5_000_000)
    step = 10 if value < 1000 else 100
    return Decimal(int(round(value / step) * step))


def _location(rng: random.Random, village: int, scenario: Scenario) -> int:
    """Most disputes arise in a village; a story that names no village may sit at the
    township, and one that names no township either at the county."""
    text = scenario.summary + scenario.narrative + scenario.terms
    if "{village}" in text or rng.random() >= 0.15:
        return village
    township = codes.ancestor_at(village, Level.TOWNSHIP) or village
    if "{township}" in text or rng.random() >= 0.3:
        return township
    return codes.ancestor_at(village, Level.COUNTY) or township


def _person(
    rng: random.Random,
    place: Place,
    role: PartyRole,
    on: dt.date,
    male: bool | None = None,
    age: tuple[int, int] = (22, 75),
) -> Row:
    male = rng.random() < 0.55 if male is None else male
    local = place.language != "zh" and rng.random() < 0.55
    name = people.local_name(rng, male, place.language) if local else people.han_name(rng, male)
    id_number = people.resident_id(rng, place.region, people.birth_date(rng, on, *age), male)
    return {
        "role": role,
        "kind": PartyKind.PERSON,
        "name": name,
        "id_number": id_number,
        "gender": identity.gender_from_id(id_number),
        "phone": people.mobile(rng),
        "address": _address(rng, place),
        "language": place.language if local and rng.random() < 0.5 else "zh",
        "refuses_mediation": False,
    }


def _body(rng: random.Random, place: Place, line: str, group: int) -> Row:
    """A respondent that is not a natural person: a company, a hospital, a villagers' group."""
    if line == "group":
        name, code = f"{place.township}{place.village}{group}组", ""
    elif line == "hospital":
        name, code = f"{place.county}人民医院", people.credit_code(rng, place.region, "12")
    elif line == "clinic":
        name, code = f"{place.township}卫生院", people.credit_code(rng, place.region, "12")
    else:
        name, code = (
            people.company_name(rng, city_short(place.city), line),
            people.credit_code(rng, place.region),
        )
    return {
        "role": PartyRole.RESPONDENT,
        "kind": PartyKind.ORGANISATION,
        "name": name,
        "org_code": code,
        "phone": people.mobile(rng),
        "address": f"{place.county}{place.township}",
        "language": "zh",
        "refuses_mediation": False,
    }


def _address(rng: random.Random, place: Place) -> str:
    if place.urban:
        return f"{place.township}{place.village}{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元"
    return f"{place.township}{place.village}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"


def _relative(rng: random.Random, place: Place, applicant: Row, scenario: Scenario, on: dt.date) -> Row:
    """The applicant's brother, sister or grown child as respondent: family name and
    language shared, and an age that fits (siblings within a dozen years, a child 20–40
    years younger)."""
    age = on.year - int(applicant["id_number"][6:10])
    ages = (
        (max(18, age - 40), max(18, age - 20)) if scenario.kin == "child" else (max(18, age - 12), age + 12)
    )
    party = _person(rng, place, PartyRole.RESPONDENT, on, scenario.respondent_male, ages)
    male = party["gender"] == "male"
    party["name"] = people.relative_name(rng, applicant["name"], male)
    party["language"] = applicant["language"]
    return party


def _town_address(rng: random.Random, place: Place) -> str:
    """An address in the township seat (场镇) or the county town (城区)."""
    town = f"{place.township}场镇" if place.township else f"{place.county}城区"
    return f"{town}{rng.choice(texts.STREETS)}{rng.randint(1, 200)}号"


def _registered_at(rng: random.Random, day: dt.date, channel: Channel, tz: dt.tzinfo) -> dt.datetime:
    if channel == Channel.ONLINE:
        minute = rng.randint(7 * 60, 23 * 60)
    elif channel == Channel.PHONE_12348:
        minute = rng.randint(8 * 60, 21 * 60)
    else:
        minute = rng.randint(8 * 60 + 30, 17 * 60 + 30)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randint(0, 59)), tz)


def _context(
    rng: random.Random,
    place: Place,
    parties: list[Row],
    amount: Decimal | None,
    n: int,
    on: dt.date,
    age: int,
    group: int,
) -> dict[str, str]:
    """Values for the text placeholders of ``texts`` (all of them, whichever a scenario uses)."""
    value = int(amount) if amount is not None else rng.randint(5, 200) * 100
    third = next((p["name"] for p in parties if p["role"] == PartyRole.THIRD_PARTY), None)
    return {
        "a": parties[0]["name"],
        "b": next(p["name"] for p in parties if p["role"] == PartyRole.RESPONDENT),
        "c": third or people.han_name(rng, rng.random() < 0.5),
        "village": place.village or place.township,
        "township": place.township or place.county,
        "county": place.county,
        "group": str(group),  # the villagers' group of the story, and of a group respondent
        "amount": str(value),
        "comp": str(max(100, int(round(value * rng.uniform(0.1, 0.5), -2)))),
        "monthly": str(rng.choice((300, 500, 600, 800, 1000, 1200, 1500))),
        "total": str(int(round(value * rng.uniform(1.5, 4), -2))),
        "per": str(max(100, int(round(value / max(n, 1), -2)))),
        "rent": str(rng.choice((400, 500, 600, 800, 1000, 1200))),
        "mu": str(rng.randint(1, 8)),
        "cm": str(rng.choice((20, 30, 40, 50, 60, 80))),
        "year": str(on.year - rng.randint(1, 8)),
        "years": str(rng.randint(2, 15)),
        "age": str(age),
        "days": str(rng.randint(5, 30)),
        "tons": str(rng.randint(2, 30)),
        "trees": str(rng.randint(8, 60)),
        "heads": str(rng.choice((300, 500, 800, 1200, 2000))),
        "n": str(n),
        "crop": rng.choice(texts.CROPS),
        "project": rng.choice(texts.PROJECTS),
        "dest": rng.choice(texts.DESTINATIONS),
        "product": rng.choice(texts.PRODUCTS),
        "brand": rng.choice(people.BRANDS),
        "building": str(rng.randint(1, 30)),
        "road": rng.choice(texts.ROADS),
        "surgery": rng.choice(texts.SURGERIES),
        "deadline_text": "",
    }


def draft(
    rng: random.Random, atlas: Atlas, day: dt.date, village: int, tz: dt.tzinfo, now: dt.datetime
) -> Draft:
    """A registered dispute on ``day`` in ``village`` (before any lifecycle step)."""
    home = atlas.place(village)
    phase = profiles.festival_phase(day)
    cum = _type_cum_weights(day.month, phase, home.urban, home.language != "zh")
    kind = rng.choices(TYPES, cum_weights=cum)[0]
    profile = PROFILES[kind]
    mass = rng.random() < profile.mass and any(s.group and _fits(s, home) for s in texts.SCENARIOS[kind])
    scenario = _scenario(rng, kind, home, mass)
    place = atlas.place(_location(rng, village, scenario))
    channel = rng.choices(CHANNELS, cum_weights=_channel_cum_weights(kind))[0]
    received_at = min(_registered_at(rng, day, channel, tz), now - dt.timedelta(minutes=rng.randint(1, 90)))

    n = rng.randint(*MASS_PEOPLE) if mass else rng.randint(*SMALL_GROUP) if scenario.group else 2
    on = received_at.date()
    applicant = _person(rng, home, PartyRole.APPLICANT, on, scenario.applicant_male, scenario.applicant_age)
    parties = [applicant]
    if mass:  # representatives chosen by the claimants (代表人)
        parties += [_person(rng, home, PartyRole.APPLICANT, on) for _ in range(rng.randint(1, 2))]
    group_no = rng.randint(1, 12)
    if scenario.respondent == "person" and scenario.kin:
        parties.append(_relative(rng, home, applicant, scenario, on))
    elif scenario.respondent == "person":
        parties.append(_person(rng, home, PartyRole.RESPONDENT, on, scenario.respondent_male))
    else:
        parties.append(_body(rng, home, scenario.respondent, group_no))
    if kind == DisputeType.MARRIAGE_FAMILY and rng.random() < 0.25:
        parties.append(_person(rng, home, PartyRole.THIRD_PARTY, on))
    amount = _amount(rng, profile, n) if scenario.has_amount else None
    age = on.year - int(applicant["id_number"][6:10])
    ctx = _context(rng, home, parties, amount, n, on, age, group_no)
    dispute: Row = {
        "received_at": received_at,
        "channel": channel,
        "dispute_type": kind,
        "summary": scenario.summary.format_map(ctx)[:120],
        "narrative": scenario.narrative.format_map(ctx),
        "admin_unit_id": place.code,
        "address": _address(rng, home) if place.code == village else _town_address(rng, place),
        "amount": amount,
        "people_involved": max(n, len(parties)),
        "referred_by_org_id": None,
        "external_id": None,
        "is_demo": True,
        "triage_pending": True,  # the worker triages demo cases as it does imports
    }
    for p in parties:
        p["dispute_id"] = dispute
    return Draft(dispute, parties, place, village, kind, profile, scenario, mass, applicant["language"], ctx)
