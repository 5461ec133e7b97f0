"""Demo data: accounts for every role, a mediator roster, and two years of synthetic disputes.

``generate(cases, seed)`` creates, in one transaction: the demo accounts (through
``accounts.actions.create_user``), mediators for every mediation committee and county
centre, and ``cases`` disputes with their parties and full histories — transitions,
session records, agreements, judicial confirmations, performance records and
follow-up visits — plus one audit entry for the run. Everything is marked
``is_demo`` where the model has the flag. Dates run up to the present, so a seed
reproduces a run exactly when it is run at the same moment (``clock.frozen``).

This is the one place in the project that writes case rows in bulk instead of
through ``cases.actions``: it writes synthetic *history* (steps dated months ago,
by people who never logged in), and 50,000 cases through the per-case actions
would take many minutes. Even ``bulk_create`` is too slow for the ~900,000 rows
(about 80 µs a row), so rows are plain dicts written by ``core.bulk.Table`` with one
prepared INSERT (or a COPY) per table. Lawfulness is not given up for speed: every
generated step is checked by ``cases.workflow.decide`` and the actions' capability
rule as the path unfolds (see ``stories``), and the rows mirror what each action
writes.

``reset()`` removes what ``generate`` made (and anything the demo accounts created),
children before parents because the case tables protect their foreign keys.
"""

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Any, Protocol

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from fengqiao.accounts import audit
from fengqiao.accounts.models import AuditEntry, Mediator, User
from fengqiao.cases.models import (
    AccessGrant,
    Agreement,
    Dispute,
    FollowUpVisit,
    JudicialConfirmation,
    Party,
    Performance,
    SessionRecord,
    Transition,
)
from fengqiao.core import clock
from fengqiao.core.bulk import Table
from fengqiao.deadlines.models import Deadline
from fengqiao.demo import mediators as roster_mod
from fengqiao.demo.consultations import create_demo_consultations
from fengqiao.demo.drafts import Draft, draft
from fengqiao.demo.places import DEMO_TOWNSHIP, Atlas
from fengqiao.demo.profiles import day_weight
from fengqiao.demo.stories import Rows, Story, World
from fengqiao.demo.users import DEMO_PASSWORD, USERNAMES, create_demo_mediator, create_demo_users
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.legalaid.actions import alert_key
from fengqiao.legalaid.models import Consultation
from fengqiao.warning.models import Alert

__all__ = ["DEFAULT_SEED", "DEMO_PASSWORD", "DemoError", "demo_exists", "generate", "reset"]

DEFAULT_SEED = 2026
YEARS = 2
CHUNK = 5000  # cases built and written at a time, to bound memory


class DemoError(Exception):
    """Demo data cannot be created or removed; the message is for the operator."""


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


def demo_exists() -> bool:
    """Whether demo data is present: demo disputes, demo accounts or demo mediators."""
    return (
        Dispute.objects.filter(is_demo=True).exists()
        or User.objects.filter(is_demo=True).exists()
        or Mediator.objects.filter(is_demo=True).exists()
    )


def generate(
    cases: int, seed: int = DEFAULT_SEED, stdout: Writer | None = None, *, all_committees: bool = True
) -> dict[str, int]:
    """Create the demo data set unless one exists; return the rows created, by table
    (and ``seconds``, the time taken).

    ``all_committees=False`` gives mediators only to the bodies the generated cases can
    reach (their village, township and county), which keeps small runs in tests fast.
    When demo data already exists nothing is written and ``{"skipped": 1}`` is returned.
    """
    say = _say(stdout)
    if demo_exists():
        say("演示数据已存在，未重复生成（如需重新生成，请使用 --reset）。")
        return {"skipped": 1}
    taken = list(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    if taken:
        raise DemoError(f"以下用户名已被非演示账号占用，无法创建演示账号：{'、'.join(taken)}")
    started = time.perf_counter()
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    with transaction.atomic():
        atlas = Atlas()
        plan = case_plan(rng, atlas, cases, clock.today())
        users = create_demo_users(atlas, rng)
        own = create_demo_mediator(users["feiyang"])
        counts["users"] = len(users)
        units = None if all_committees else reachable_units(v for _, v in plan)
        roster = roster_mod.save_roster(roster_mod.build_roster(rng, atlas, units))
        counts["mediators"] = sum(len(v) for v in roster.values()) + 1
        own_entry = roster_mod.OnRoster(own.pk, own.name, tuple(own.languages))
        roster.setdefault(own.organisation_id, []).append(own_entry)
        say(
            f"演示账号 {len(users)} 个、调解员 {counts['mediators']} 名已创建（{time.perf_counter() - started:.1f} 秒）"
        )
        world = World(atlas, users, roster, clock.now(), own_mediator=own_entry, own_org=own.organisation_id)
        tz = timezone.get_current_timezone()
        tables = {
            "disputes": Table(Dispute),
            "parties": Table(Party),
            "transitions": Table(Transition),
            "sessions": Table(SessionRecord),
            "agreements": Table(Agreement),
            "confirmations": Table(JudicialConfirmation),
            "performances": Table(Performance),
            "follow_ups": Table(FollowUpVisit),
            "deadlines": Table(Deadline),
        }
        for chunk in _batched(plan, CHUNK):
            drafts = [draft(rng, atlas, day, village, tz, world.now) for day, village in chunk]
            rows = Rows()
            for d in drafts:
                Story(world, rows, rng, d).play()
            _save(tables, drafts, rows, counts)
            say(f"  纠纷 {counts['disputes']}/{cases}（{time.perf_counter() - started:.1f} 秒）")
        counts["consultations"] = create_demo_consultations(
            rng,
            [users["wangsi"], users["feiyang"]],
            users["qunzhong"],
            DEMO_TOWNSHIP,
            world.now,
        )
        audit.record(None, "demo_generate", object_type="demo", object_id="", cases=cases, seed=seed)
    counts["seconds"] = round(time.perf_counter() - started)
    return dict(counts)


def case_plan(rng: random.Random, atlas: Atlas, cases: int, today: dt.date) -> list[tuple[dt.date, int]]:
    """(day, village) of every case, in date order: days weighted by season over the
    years ending ``today``, villages by their prefecture's population."""
    start = today - dt.timedelta(days=365 * YEARS)
    days = [start + dt.timedelta(days=i) for i in range((today - start).days + 1)]
    picked = rng.choices(days, weights=[day_weight(d) for d in days], k=cases)
    sampler = atlas.village_sampler()
    return sorted((day, sampler.draw(rng)) for day in picked)


def reachable_units(villages: Iterator[int] | Sequence[int]) -> set[int]:
    """Each village with its township and county: every body a case there can reach."""
    out: set[int] = set()
    for v in villages:
        out.update(codes.ancestor_at(v, lvl) or v for lvl in (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY))
    return out


def _save(tables: dict[str, Table], drafts: list[Draft], rows: Rows, counts: Counter[str]) -> None:
    """Write one chunk, parents first: children carry their parent row, whose id is
    reserved when the parent is written."""
    counts["disputes"] += tables["disputes"].insert([d.dispute for d in drafts])
    counts["parties"] += tables["parties"].insert([p for d in drafts for p in d.parties])
    for name in (
        "transitions",
        "sessions",
        "agreements",
        "confirmations",
        "performances",
        "follow_ups",
        "deadlines",
    ):
        counts[name] += tables[name].insert(getattr(rows, name))


def reset(stdout: Writer | None = None) -> dict[str, int]:
    """Delete demo disputes (and any dispute a demo account registered), demo mediators
    and demo accounts, children first. All or nothing.

    Audit entries are kept — the log is not demo data — but their link to a deleted
    demo account is cleared; ``actor_label`` still names it.
    """
    say = _say(stdout)
    removed: dict[str, int] = {}
    with transaction.atomic():
        ids = Dispute.objects.filter(Q(is_demo=True) | Q(created_by__is_demo=True)).values("id")
        removed["confirmations"] = JudicialConfirmation.objects.filter(agreement__dispute__in=ids).delete()[0]
        for name, model in (
            ("agreements", Agreement),
            ("sessions", SessionRecord),
            ("performances", Performance),
            ("follow_ups", FollowUpVisit),
            ("transitions", Transition),
            ("parties", Party),
            ("grants", AccessGrant),
        ):
            removed[name] = model.objects.filter(dispute__in=ids).delete()[0]
        demo_consultations = Consultation.objects.filter(Q(is_demo=True) | Q(received_by__is_demo=True))
        keys = [alert_key(pk) for pk in demo_consultations.values_list("pk", flat=True)]
        Alert.objects.filter(key__in=keys).delete()
        removed["consultations"] = demo_consultations.delete()[0]
        try:
            removed["disputes"] = Dispute.objects.filter(id__in=ids).delete()[1].get("cases.Dispute", 0)
            removed["mediators"] = (
                Mediator.objects.filter(is_demo=True).delete()[1].get("accounts.Mediator", 0)
            )
            demo_users = User.objects.filter(is_demo=True)
            AuditEntry.objects.filter(actor__in=demo_users).update(actor=None)
            removed["users"] = demo_users.delete()[1].get("accounts.User", 0)
        except ProtectedError as e:
            kinds = "、".join(sorted({str(obj._meta.verbose_name) for obj in e.protected_objects}))
            raise DemoError(f"演示数据仍被非演示数据引用，无法重置（{kinds}）") from None
    say(
        f"已删除演示纠纷 {removed['disputes']} 件、调解员 {removed['mediators']} 名、演示账号 {removed['users']} 个。"
    )
    return removed


def _batched(items: Sequence[tuple[dt.date, int]], size: int) -> Iterator[list[tuple[dt.date, int]]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _say(stdout: Writer | None) -> Callable[[str], None]:
    def say(msg: str) -> None:
        if stdout is not None:
            # Django's OutputWrapper adds no second newline; a plain stream needs this one.
            stdout.write(msg + "\n")

    return say
