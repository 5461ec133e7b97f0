"""Evaluation of the early-warning signals: plant situations into a realistic stream of
disputes and measure what the signals catch, how fast, and how often they cry wolf.

The background is the demo generator's stream (``demo.drafts``): types by season and
kind of place, the Spring Festival and harvest peaks, weekday dips, real village
names, parties with valid ID numbers and phones, narratives from ``demo.texts``. Its
volume is Sichuan's (``ANNUAL_CASES`` a year, spread over villages by their
prefecture's population, ``demo.places.CITY_POPULATION``) in the chosen area — by
default 眉山市, some thirty-five disputes a day — each day a Poisson draw around the
day's seasonal weight (``demo.profiles.day_weight``).

Planted in it, at dates drawn from the seed:

- **hotspot**: one township gets ``hotspot_rate`` extra disputes a day (default 1.5)
  of one type for two weeks — a land-requisition, homestead, neighbour, forest or
  pollution surge, the people in them all different. Its start is the first extra
  dispute.
- **repeat**: the same two neighbours come back three times over about four weeks,
  each time angrier (low, medium, then high risk: a threat); the applicant's name is
  typed with a homophone in one case, the respondent's ID number is missing in
  another and two digits of the applicant's phone are swapped in the third. Its
  start is the second dispute (before it, there is no repeat to see).
- **mass**: 12–30 workers of one construction site claim unpaid wages from the same
  labour firm over about ten days, one by one or a few together, from villages across
  the county, the firm's name written in different forms. Its start is the first claim.

Every case goes through the real path: ``cases.actions.register_disputes_bulk``, the
triage job, the warning job (``warning.jobs``) and its nightly recomputation, with the
clock frozen at each simulated day. A warm-up of ``warmup`` days (default 91: the
hotspot history plus its guard band) gives the baselines and the person index a
history; only alerts raised in the evaluation days count.

Figures: detection (each planted situation alerted by its signal), delay in days from
its start to the first such alert, and false alerts — alerts of the signal kinds not
about a planted situation — per 1,000 background cases of the evaluation period.
Triage's high-risk alerts at intake are reported apart: they follow a narrative's own
words, and the background has its share of threats by design.

``fengqiao warning simulate --seed S --days D`` runs it in a scratch database.
"""

import datetime as dt
import functools
import math
import random
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.db import transaction
from django.utils import timezone

from fengqiao.accounts import actions as account_actions
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import User
from fengqiao.cases import actions as case_actions
from fengqiao.cases.choices import Channel, DisputeType, PartyKind, PartyRole
from fengqiao.cases.schemas import DisputeIn, PartyIn
from fengqiao.core import clock
from fengqiao.demo import people, texts
from fengqiao.demo.drafts import Draft, draft
from fengqiao.demo.places import CITY_POPULATION, Atlas, city_short
from fengqiao.demo.profiles import day_weight
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.geography.models import AdminUnit
from fengqiao.triage import jobs as triage_jobs
from fengqiao.warning import entity, jobs
from fengqiao.warning.choices import SIGNAL_KINDS, AlertKind
from fengqiao.warning.models import Alert

ANNUAL_CASES = 368_000  # Sichuan, people's mediation, a year (DESIGN.md §5)
DEFAULT_AREA = 511400000000  # 眉山市
HOTSPOT_TYPES = (
    DisputeType.LAND_REQUISITION,
    DisputeType.HOUSING_HOMESTEAD,
    DisputeType.NEIGHBOUR,
    DisputeType.FOREST_LAND,
    DisputeType.ENVIRONMENT,
)
HOTSPOT_DAYS = 14


@dataclass
class Config:
    seed: int = 1
    days: int = 90  # evaluation days
    warmup: int = 91
    area: int = DEFAULT_AREA
    scale: float = 1.0  # multiplier on the background volume
    hotspot_rate: float = 1.5
    start: dt.date | None = None  # first evaluation day; by default drawn from the seed


@dataclass
class Situation:
    kind: str  # "hotspot", "repeat", "mass"
    start: dt.date
    disputes: list[int] = field(default_factory=list)
    unit: int = 0
    dispute_type: str = ""
    detected_on: dt.date | None = None
    alert_id: int | None = None
    severity: str = ""

    @property
    def delay(self) -> int | None:
        return None if self.detected_on is None else (self.detected_on - self.start).days


@dataclass
class Report:
    config: Config
    background: int = 0  # background cases in the evaluation days
    planted: int = 0
    situations: list[Situation] = field(default_factory=list)
    false_alerts: list[dict[str, Any]] = field(default_factory=list)
    intake_high_risk: int = 0
    other_alerts: Counter[str] = field(default_factory=Counter)

    @property
    def detection_rate(self) -> float:
        return sum(s.detected_on is not None for s in self.situations) / max(1, len(self.situations))

    def median_delay(self, kind: str | None = None) -> float | None:
        delays = [s.delay for s in self.situations if s.delay is not None and kind in (None, s.kind)]
        return statistics.median(delays) if delays else None

    @property
    def false_per_1000(self) -> float:
        return 1000 * len(self.false_alerts) / max(1, self.background)

    def lines(self) -> list[str]:
        c = self.config
        out = [
            f"种子 {c.seed}：评估 {c.days} 天（{self.first_day} 起，预热 {c.warmup} 天），区域 {c.area}，"
            f"背景纠纷 {self.background} 件，植入 {self.planted} 件",
        ]
        for s in self.situations:
            found = (
                f"第 {s.delay} 天发现（{s.detected_on}；预警现为{s.severity}级）"
                if s.detected_on
                else "未发现"
            )
            out.append(f"  {s.kind:<8} 始于 {s.start}：{found}")
        hot = self.median_delay("hotspot")
        out.append(
            f"  检出率 {self.detection_rate:.0%}；热点中位延迟 {hot if hot is not None else '—'} 天；"
            f"全部中位延迟 {self.median_delay()} 天"
        )
        out.append(
            f"  误报 {len(self.false_alerts)} 条，每千件背景纠纷 {self.false_per_1000:.2f} 条"
            + (f"（{dict(Counter(a['kind'] for a in self.false_alerts))}）" if self.false_alerts else "")
        )
        out.append(f"  登记时分流的高风险预警（triage，按文本，不计入误报）：{self.intake_high_risk} 条")
        return out

    first_day: dt.date | None = None

    @property
    def meets_targets(self) -> bool:
        hot = self.median_delay("hotspot")
        return self.detection_rate == 1.0 and hot is not None and hot <= 3 and self.false_per_1000 <= 1.0


class Stream:
    """Background and planted disputes for one area, drawn from one seeded generator."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.atlas = Atlas()
        lo, hi = codes.subtree(config.area)
        per_city: Counter[int] = Counter(v // 10**8 for v in self.atlas.villages)
        self.villages = [v for v in self.atlas.villages if lo <= v < hi]
        if not self.villages:
            raise ValueError(f"区域 {config.area} 内没有村(社区)")
        weights = [CITY_POPULATION.get(v // 10**8, 1.0) / per_city[v // 10**8] for v in self.villages]
        total = sum(CITY_POPULATION.get(c, 1.0) for c in per_city)
        # The area's share of the province's cases, from its villages' population weights.
        self.daily = ANNUAL_CASES / 365 * sum(weights) / total * config.scale
        self.cum = list(accumulate(weights))
        self.tz = timezone.get_current_timezone()
        self.mean_weight = statistics.mean(
            day_weight(dt.date(2025, 1, 1) + dt.timedelta(days=i)) for i in range(365)
        )

    def village(self) -> int:
        return self.villages[bisect_right(self.cum, self.rng.random() * self.cum[-1])]

    def background(self, day: dt.date) -> list[Draft]:
        lam = self.daily * day_weight(day) / self.mean_weight
        return [self.draft(day, self.village()) for _ in range(_poisson(self.rng, lam))]

    def draft(self, day: dt.date, village: int, kind: DisputeType | None = None) -> Draft:
        end = dt.datetime.combine(day, dt.time(23, 59), self.tz)
        for _ in range(500):
            d = draft(self.rng, self.atlas, day, village, self.tz, end)
            if kind is None or d.kind == kind:
                return d
        raise RuntimeError(f"no {kind} story fits {village}")


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method, in chunks for larger means."""
    n = 0
    while lam > 30:
        n += max(0, round(rng.gauss(30, math.sqrt(30))))
        lam -= 30
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return n + k
        k += 1


def submission(d: Draft) -> DisputeIn:
    """A demo draft as the registrar would submit it."""
    row = d.dispute
    return DisputeIn(
        channel=Channel(row["channel"]),
        dispute_type=DisputeType(row["dispute_type"]),
        summary=row["summary"],
        narrative=row["narrative"],
        admin_unit=row["admin_unit_id"],
        address=row["address"][:200],
        amount=row["amount"],
        people_involved=row["people_involved"],
        received_at=row["received_at"],
        parties=[
            PartyIn(
                role=PartyRole(p["role"]),
                kind=PartyKind(p["kind"]),
                name=p["name"],
                id_number=p.get("id_number", ""),
                org_code=p.get("org_code", ""),
                phone=p.get("phone", ""),
                address=p.get("address", "")[:200],
                language=p.get("language", "zh"),
            )
            for p in d.parties
        ],
    )


# ---------------------------------------------------------------- planted situations

REPEAT_STORIES = (
    (
        "{a}与{b}因{b}堆放建材堵塞便道发生纠纷",
        "{a}与{b}系{village}{group}组相邻住户。{b}在两家交界处堆放砖块和建材，堵住了{a}家进出的便道，"
        "{a}多次要求清理未果，双方发生口角，请求村调委会协调。",
    ),
    (
        "{a}与{b}便道纠纷再起",
        "{a}反映，上次村里调解后{b}只清理了一半建材，最近又把钢管堆到便道上，{a}家的三轮车进不了院子。"
        "双方为此又吵了起来，互不相让，已经闹了一个多月。",
    ),
    (
        "{a}与{b}便道纠纷第三次发生，对方扬言报复",
        "{a}第三次到村调委会求助：{b}不仅不清理便道，还扬言要把{a}家的院墙推倒，说“再来找麻烦就让你好看”。"
        "{a}担心矛盾激化，夜里不敢出门。",
    ),
)
WAGE_STORY = (
    "{a}与{b}追索劳务报酬纠纷",
    "{a}在{b}承包的{project}工地做{trade}，约定工资按月结算。自{month}月起{b}以工程款未到位为由拖欠工资，"
    "至今欠{a}劳务报酬{amount}元。{a}多次到项目部讨要未果，与{a}一同做工的还有不少工友。",
)
TRADES = ("钢筋工", "木工", "泥瓦工", "杂工", "架子工", "水电工")


@functools.cache
def _by_sound() -> dict[str, list[str]]:
    by_sound: dict[str, list[str]] = {}
    for ch, sound in entity.pinyin_table().items():
        by_sound.setdefault(sound, []).append(ch)
    return by_sound


def _homophone(name: str) -> str:
    """The name with one given-name character replaced by another of the same sound."""
    table, by_sound = entity.pinyin_table(), _by_sound()
    for i in range(len(name) - 1, 0, -1):
        others = [
            c for c in by_sound.get(table.get(name[i], ""), []) if c != name[i] and "\u4e00" <= c <= "\u9fa5"
        ]
        common = [c for c in others if c in people.MALE_CHARS + people.FEMALE_CHARS + "健剑建俊军君"]
        if others:
            return name[:i] + (common or sorted(others))[0] + name[i + 1 :]
    return name


def _swap_digits(phone: str, rng: random.Random) -> str:
    for _ in range(20):
        i = rng.randint(3, len(phone) - 2)
        if phone[i] != phone[i + 1]:
            return phone[:i] + phone[i + 1] + phone[i] + phone[i + 2 :]
    return phone


class Plan:
    """The planted situations of one run: what to add on each day."""

    def __init__(self, stream: Stream, first: dt.date, days: int) -> None:
        self.s = stream
        rng = stream.rng
        self.by_day: dict[dt.date, list[tuple[str, DisputeIn]]] = {}
        self.situations: list[Situation] = []
        self._hotspot(rng, first + dt.timedelta(days=rng.randint(7, max(8, days - HOTSPOT_DAYS - 7))))
        self._repeat(rng, first + dt.timedelta(days=rng.randint(3, max(4, days - 35))))
        self._mass(rng, first + dt.timedelta(days=rng.randint(5, max(6, days - 20))))

    def add(self, day: dt.date, kind: str, data: DisputeIn) -> None:
        self.by_day.setdefault(day, []).append((kind, data))

    def _hotspot(self, rng: random.Random, start: dt.date) -> None:
        townships: dict[int, list[int]] = {}
        for v in self.s.villages:
            townships.setdefault(codes.ancestor_at(v, Level.TOWNSHIP) or v, []).append(v)
        candidates = sorted(t for t, vs in townships.items() if len(vs) >= 4) or sorted(townships)
        township = rng.choice(candidates)
        kind = rng.choice(HOTSPOT_TYPES)
        first = None
        for i in range(HOTSPOT_DAYS):
            day = start + dt.timedelta(days=i)
            for _ in range(_poisson(rng, self.s.config.hotspot_rate)):
                d = self.s.draft(day, rng.choice(townships[township]), kind)
                d.dispute["admin_unit_id"] = d.village  # in the village, not moved up to the township
                self.add(day, "hotspot", submission(d))
                first = first or day
        self.situations.append(Situation("hotspot", first or start, unit=township, dispute_type=kind))

    def _repeat(self, rng: random.Random, start: dt.date) -> None:
        village = self.s.village()
        place = self.s.atlas.place(village)
        born_a, born_b = dt.date(1968, 4, 9), dt.date(1975, 11, 23)
        a = {"name": people.han_name(rng, True), "id": people.resident_id(rng, place.region, born_a, True)}
        b = {"name": people.han_name(rng, False), "id": people.resident_id(rng, place.region, born_b, False)}
        a["phone"], b["phone"] = people.mobile(rng), people.mobile(rng)
        second = start + dt.timedelta(days=rng.randint(8, 14))
        days = [start, second, second + dt.timedelta(days=rng.randint(8, 14))]
        variants = [
            (a["name"], a["id"], a["phone"], b["name"], b["id"], b["phone"]),
            (_homophone(a["name"]), a["id"], a["phone"], b["name"], "", b["phone"]),
            (a["name"], "", _swap_digits(a["phone"], rng), b["name"], b["id"], b["phone"]),
        ]
        ctx = {"village": place.village, "group": str(rng.randint(1, 9))}
        for day, (summary, narrative), (an, aid, ap, bn, bid, bp) in zip(
            days, REPEAT_STORIES, variants, strict=True
        ):
            assert day is not None
            names = {**ctx, "a": an, "b": bn}
            data = DisputeIn(
                channel=Channel.WALK_IN,
                dispute_type=DisputeType.NEIGHBOUR,
                summary=summary.format_map(names),
                narrative=narrative.format_map(names),
                admin_unit=village,
                received_at=dt.datetime.combine(day, dt.time(10, 30), self.s.tz),
                parties=[
                    PartyIn(role=PartyRole.APPLICANT, name=an, id_number=aid, phone=ap),
                    PartyIn(role=PartyRole.RESPONDENT, name=bn, id_number=bid, phone=bp),
                ],
            )
            self.add(day, "repeat", data)
        self.situations.append(Situation("repeat", second, unit=village))

    def _mass(self, rng: random.Random, start: dt.date) -> None:
        county = codes.ancestor_at(self.s.village(), Level.COUNTY) or self.s.config.area
        lo, hi = codes.subtree(county)
        villages = [v for v in self.s.villages if lo <= v < hi]
        place = self.s.atlas.place(villages[0])
        brand = rng.choice(people.BRANDS)
        short = city_short(place.city)
        forms = (
            f"{short}{brand}建筑劳务有限公司",
            f"{brand}建筑劳务有限公司",
            f"{place.city}{brand}建筑劳务有限责任公司",
            f"四川{short}{brand}建筑劳务有限公司",
        )
        project = rng.choice(texts.PROJECTS)
        workers = rng.randint(12, 30)
        day, filed = start, 0
        while filed < workers:
            for _ in range(min(workers - filed, _poisson(rng, 2.0) + (1 if day == start else 0))):
                village = rng.choice(villages)
                home = self.s.atlas.place(village)
                together = rng.random() < 0.2
                name = people.han_name(rng, rng.random() < 0.8)
                n = rng.randint(3, 5) if together else 1
                amount = rng.randint(8, 60) * 1000 * n
                summary, narrative = WAGE_STORY
                ctx = {
                    "a": name if not together else f"{name}等{n}人",
                    "b": rng.choice(forms),
                    "project": project,
                    "trade": rng.choice(TRADES),
                    "month": str(rng.randint(1, 9)),
                    "amount": str(amount),
                }
                data = DisputeIn(
                    channel=rng.choice([Channel.WALK_IN, Channel.PHONE_12348, Channel.GRID_SWEEP]),
                    dispute_type=DisputeType.LABOUR,
                    summary=summary.format_map({**ctx, "a": name}),
                    narrative=narrative.format_map(ctx),
                    admin_unit=village,
                    amount=Decimal(amount),
                    people_involved=n + 1,
                    received_at=dt.datetime.combine(
                        day, dt.time(rng.randint(9, 16), rng.randint(0, 59)), self.s.tz
                    ),
                    parties=[
                        PartyIn(
                            role=PartyRole.APPLICANT,
                            name=name,
                            id_number=people.resident_id(
                                rng, home.region, people.birth_date(rng, day, 22, 58), rng.random() < 0.8
                            ),
                            phone=people.mobile(rng),
                        ),
                        PartyIn(role=PartyRole.RESPONDENT, kind=PartyKind.ORGANISATION, name=ctx["b"]),
                    ],
                )
                self.add(day, "mass", data)
                filed += n
            day += dt.timedelta(days=1)
        self.situations.append(Situation("mass", start, unit=county, dispute_type=DisputeType.LABOUR))


# ---------------------------------------------------------------- running


def _actor(area: int) -> User:
    county = AdminUnit.objects.filter(
        level=Level.COUNTY, code__gte=area, code__lt=codes.subtree(area)[1]
    ).first()
    existing = User.objects.filter(username="warning-simulator").first()
    if existing is not None:
        return existing
    return account_actions.create_user(
        username="warning-simulator",
        password=None,
        role=Role.COUNTY_OFFICER,
        full_name="预警模拟",
        admin_unit=county,
        check_password=False,
    )


def _register(actor: User, rows: list[DisputeIn]) -> list[int]:
    if not rows:
        return []
    with transaction.atomic():
        return case_actions.register_disputes_bulk(rows, actor=actor, check=False, triage_pending=True)


def _process(day: dt.date, tz: dt.tzinfo) -> None:
    with clock.frozen(dt.datetime.combine(day, dt.time(23, 59, 30), tz)):
        triage_jobs.drain()
        jobs.drain()


def simulate(config: Config, say: Any = None) -> Report:
    """Run one simulation in the current database and return its figures."""
    stream = Stream(config)
    rng = stream.rng
    first = config.start or dt.date(2025, 9, 1) + dt.timedelta(days=rng.randint(0, 364))
    report = Report(config, first_day=first)
    plan = Plan(stream, first, config.days)
    report.situations = plan.situations
    actor = _actor(config.area)
    tz = stream.tz
    warm = first - dt.timedelta(days=config.warmup)
    with clock.frozen(dt.datetime.combine(warm, dt.time(1, 0), tz)):
        baseline = [
            submission(d)
            for i in range(config.warmup)
            for d in stream.background(warm + dt.timedelta(days=i))
        ]
        _register(actor, baseline)
    _process(first - dt.timedelta(days=1), tz)
    with clock.frozen(dt.datetime.combine(first, dt.time(0, 30), tz)):
        high_before = Alert.objects.filter(kind=AlertKind.HIGH_RISK).count()
        seen = set(Alert.objects.values_list("id", flat=True))
    planted_ids: dict[str, set[int]] = {"hotspot": set(), "repeat": set(), "mass": set()}
    for i in range(config.days):
        day = first + dt.timedelta(days=i)
        with clock.frozen(dt.datetime.combine(day, dt.time(2, 30), tz)):
            jobs.nightly(day)
        background = [submission(d) for d in stream.background(day)]
        planted = plan.by_day.get(day, [])
        with clock.frozen(dt.datetime.combine(day, dt.time(8, 0), tz)):
            _register(actor, background)
            for kind, data in planted:
                planted_ids[kind].update(_register(actor, [data]))
        report.background += len(background)
        report.planted += len(planted)
        _process(day, tz)
        for s in report.situations:
            s.disputes = sorted(planted_ids[s.kind])
        _detect(report.situations, day, tz)
        if say is not None and i % 10 == 9:
            say(f"  第 {i + 1}/{config.days} 天")
    alerts = list(
        Alert.objects.exclude(id__in=seen).filter(kind__in=SIGNAL_KINDS).order_by("created_at", "id")
    )
    for alert in alerts:
        situation = _situation_of(alert, report.situations)
        # An alert raised before its situation began was not about it: a false alarm,
        # even if the planted situation later grew it.
        if situation is None or timezone.localdate(alert.created_at) < situation.start:
            report.false_alerts.append(
                {
                    "id": alert.pk,
                    "kind": alert.kind,
                    "key": alert.key,
                    "title": alert.title,
                    "reason": alert.reason,
                }
            )
    for s in report.situations:
        if s.alert_id is not None:
            s.severity = Alert.objects.get(pk=s.alert_id).severity
    report.intake_high_risk = Alert.objects.filter(kind=AlertKind.HIGH_RISK).count() - high_before
    return report


def _detect(situations: list[Situation], day: dt.date, tz: dt.tzinfo) -> None:
    """Mark the situations that an alert of their signal raised or updated on ``day``
    (from their start on) is about: the day an officer would have been told."""
    since = dt.datetime.combine(day, dt.time(), tz)
    waiting = [s for s in situations if s.detected_on is None and day >= s.start]
    if not waiting:
        return
    touched = Alert.objects.filter(kind__in=[_KIND[s.kind] for s in waiting], updated_at__gte=since)
    for alert in touched.order_by("created_at", "id"):
        s = _situation_of(alert, waiting)
        if s is not None and s.detected_on is None and alert.kind == _KIND[s.kind]:
            s.detected_on, s.alert_id = day, alert.pk


_KIND = {"hotspot": AlertKind.HOTSPOT, "repeat": AlertKind.REPEAT_DISPUTE, "mass": AlertKind.MASS_DISPUTE}


def _situation_of(alert: Alert, situations: list[Situation]) -> Situation | None:
    """The planted situation an alert is about, if any."""
    cited = {d["id"] for d in alert.evidence.get("disputes", []) if isinstance(d, dict)}
    if alert.dispute_id:
        cited.add(alert.dispute_id)
    for s in situations:
        if s.kind == "hotspot" and alert.kind == AlertKind.HOTSPOT:
            kind_matches = alert.evidence.get("dispute_type") == s.dispute_type
            if kind_matches and codes.contains(alert.owner_unit_id, s.unit):
                return s
        if s.kind != "hotspot" and cited & set(s.disputes):
            return s
    return None
