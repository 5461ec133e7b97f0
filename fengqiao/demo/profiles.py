"""The statistical shape of the demo case stream: which types, when, through which channel.

The figures are plausible, not official: the three most common categories of people's
mediation are family, neighbour and homestead disputes; registrations rise in the weeks
around the Spring Festival (migrant workers come home, wages and debts are settled,
families meet) and in the farming seasons, and fall in the summer heat.
"""

import datetime as dt
from dataclasses import dataclass, field

from fengqiao.cases.choices import Channel, DisputeType, TransferTarget

T = DisputeType


@dataclass(frozen=True)
class TypeProfile:
    """How disputes of one type behave: share, difficulty, money at stake, routes."""

    share: float  # percent of all disputes
    difficulty: float  # 0–1: raises the chance of escalation and failure, lengthens mediation
    amount: tuple[int, int]  # yuan, low–high, drawn log-uniformly
    mass: float = 0.0  # chance that a dispute of this type is a mass dispute (群体性)
    transfers: tuple[TransferTarget, ...] = (TransferTarget.COURT,)  # where failed cases go
    channels: dict[Channel, float] = field(default_factory=dict)  # multipliers on CHANNELS
    urban: float = 1.0  # multiplier in urban communities
    rural: float = 1.0  # multiplier in villages
    ethnic: float = 1.0  # multiplier in Tibetan and Yi areas


C = Channel
TT = TransferTarget
PROFILES: dict[DisputeType, TypeProfile] = {
    T.MARRIAGE_FAMILY: TypeProfile(
        20.0,
        0.3,
        (2_000, 80_000),
        transfers=(TT.COURT, TT.COURT, TT.LEGAL_AID),
        channels={C.COURT_REFERRAL: 1.5},
    ),
    T.NEIGHBOUR: TypeProfile(
        24.0, 0.2, (200, 8_000), transfers=(TT.COURT, TT.POLICE), channels={C.GRID_SWEEP: 1.4}, urban=0.9
    ),
    T.HOUSING_HOMESTEAD: TypeProfile(
        11.0, 0.45, (2_000, 120_000), channels={C.GRID_SWEEP: 1.3}, urban=0.3, rural=1.2
    ),
    T.CONTRACT: TypeProfile(5.5, 0.35, (3_000, 300_000), mass=0.01, channels={C.COURT_REFERRAL: 2.5}),
    T.PRODUCTION_OPERATION: TypeProfile(4.0, 0.35, (2_000, 200_000), urban=0.6),
    T.DAMAGES: TypeProfile(
        6.0,
        0.35,
        (800, 120_000),
        transfers=(TT.COURT, TT.COURT, TT.POLICE),
        channels={C.POLICE_REFERRAL: 3.0},
    ),
    T.FOREST_LAND: TypeProfile(
        6.0, 0.5, (1_000, 50_000), channels={C.GRID_SWEEP: 1.4}, urban=0.05, rural=1.3, ethnic=2.0
    ),
    T.LAND_REQUISITION: TypeProfile(
        2.5,
        0.7,
        (10_000, 800_000),
        mass=0.08,
        transfers=(TT.ADMIN_RECONSIDERATION, TT.COURT, TT.LEGAL_AID),
        channels={C.PETITION_REFERRAL: 3.0},
        urban=0.5,
    ),
    T.ENVIRONMENT: TypeProfile(
        1.5, 0.6, (2_000, 100_000), mass=0.06, transfers=(TT.COURT, TT.ADMIN_RECONSIDERATION)
    ),
    T.LABOUR: TypeProfile(
        4.0,
        0.45,
        (3_000, 60_000),
        mass=0.08,
        transfers=(TT.ARBITRATION, TT.ARBITRATION, TT.LEGAL_AID),
        channels={C.PETITION_REFERRAL: 3.0, C.PHONE_12348: 1.5},
        urban=1.2,
    ),
    T.MEDICAL: TypeProfile(
        1.5, 0.65, (5_000, 300_000), channels={C.WALK_IN: 1.5, C.PETITION_REFERRAL: 2.0, C.GRID_SWEEP: 0.3}
    ),
    T.TRAFFIC: TypeProfile(
        4.0,
        0.35,
        (2_000, 150_000),
        channels={C.POLICE_REFERRAL: 4.0, C.COURT_REFERRAL: 1.5, C.GRID_SWEEP: 0.3},
        urban=1.2,
    ),
    T.PROPERTY_MANAGEMENT: TypeProfile(
        3.0, 0.3, (800, 20_000), mass=0.04, channels={C.ONLINE: 1.5}, urban=6.0, rural=0.15, ethnic=0.5
    ),
    T.CONSUMER: TypeProfile(
        2.0,
        0.2,
        (300, 30_000),
        mass=0.02,
        channels={C.PHONE_12348: 3.0, C.ONLINE: 3.0, C.GRID_SWEEP: 0.3},
        urban=2.0,
        rural=0.7,
    ),
    T.TOURISM: TypeProfile(
        0.8, 0.3, (500, 20_000), channels={C.PHONE_12348: 2.0, C.GRID_SWEEP: 0.2}, ethnic=1.5
    ),
    T.INTELLECTUAL_PROPERTY: TypeProfile(0.3, 0.5, (5_000, 100_000), channels={C.COURT_REFERRAL: 3.0}),
    T.ECOMMERCE: TypeProfile(
        0.9,
        0.25,
        (200, 50_000),
        channels={C.ONLINE: 3.0, C.PHONE_12348: 2.0, C.GRID_SWEEP: 0.3},
        urban=2.0,
        rural=0.6,
        ethnic=0.5,
    ),
    T.OTHER: TypeProfile(3.0, 0.25, (500, 20_000)),
}

# Base channel mix: mostly people walking in and disputes found in grid sweeps.
CHANNELS: dict[Channel, float] = {
    C.WALK_IN: 42.0,
    C.GRID_SWEEP: 30.0,
    C.PHONE_12348: 8.0,
    C.ONLINE: 7.0,
    C.COURT_REFERRAL: 6.0,
    C.POLICE_REFERRAL: 5.0,
    C.PETITION_REFERRAL: 2.0,
}

# Spring Festival (春节) dates; outside the table, a date near the usual middle.
SPRING_FESTIVAL = {
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}

# Month factors: spring planting (Mar–May) and autumn harvest (Sep–Oct) up, summer down.
MONTH_FACTOR = {
    1: 1.1,
    2: 1.05,
    3: 1.2,
    4: 1.2,
    5: 1.1,
    6: 0.95,
    7: 0.75,
    8: 0.75,
    9: 1.1,
    10: 1.1,
    11: 1.0,
    12: 1.05,
}


def festival_phase(day: dt.date) -> str:
    """'pre' in the weeks before Spring Festival, 'holiday' during it, 'post' after, else ''."""
    for year in (day.year, day.year + 1):
        sf = SPRING_FESTIVAL.get(year, dt.date(year, 2, 5))
        delta = (day - sf).days
        if -25 <= delta <= -2:
            return "pre"
        if -1 <= delta <= 6:
            return "holiday"
        if 7 <= delta <= 30:
            return "post"
    return ""


def day_weight(day: dt.date) -> float:
    """Relative number of registrations on ``day``."""
    w = MONTH_FACTOR[day.month]
    phase = festival_phase(day)
    # Before the festival debts and wages are settled and migrants return; during it
    # offices are shut; after it family and homestead matters come up before people leave.
    w *= {"pre": 1.6, "holiday": 0.5, "post": 1.35}.get(phase, 1.0)
    if day.weekday() >= 5:
        w *= 0.65
    return w


def type_factor(kind: DisputeType, month: int, phase: str) -> float:
    """Seasonal multiplier of one dispute type (wage arrears before the festival, and so on)."""
    f = 1.0
    if kind == T.LABOUR and (phase == "pre" or month in (12, 1)):
        f *= 2.5
    elif kind == T.MARRIAGE_FAMILY and phase == "post":
        f *= 1.8
    elif kind in (T.FOREST_LAND, T.PRODUCTION_OPERATION) and month in (3, 4, 5):
        f *= 1.6
    elif kind in (T.FOREST_LAND, T.PRODUCTION_OPERATION) and month in (9, 10):
        f *= 1.3
    elif kind == T.HOUSING_HOMESTEAD and (phase == "post" or month in (3, 4)):
        f *= 1.4
    elif kind == T.TOURISM and month in (7, 8, 10):
        f *= 3.0
    elif kind == T.TRAFFIC and phase in ("pre", "holiday"):
        f *= 1.5
    elif kind == T.ENVIRONMENT and month in (6, 7, 8):
        f *= 1.6
    elif kind in (T.CONSUMER, T.ECOMMERCE) and month in (11, 12):
        f *= 1.5
    return f


def type_weights(month: int, phase: str, urban: bool, ethnic: bool) -> list[float]:
    """Weights of every DisputeType (in declaration order) for one season and kind of place."""
    out = []
    for kind in DisputeType:
        p = PROFILES[kind]
        w = p.share * type_factor(kind, month, phase) * (p.urban if urban else p.rural)
        out.append(w * (p.ethnic if ethnic else 1.0))
    return out


def channel_weights(kind: DisputeType) -> list[float]:
    """Weights of every Channel (in declaration order) for a dispute type."""
    p = PROFILES[kind]
    return [CHANNELS[c] * p.channels.get(c, 1.0) for c in Channel]
