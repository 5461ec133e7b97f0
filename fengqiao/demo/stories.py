"""The life of one synthetic dispute, step by step, each step checked by the real workflow.

``Story.play`` walks a registered dispute through acceptance, mediation, escalation,
agreement, judicial confirmation, performance, follow-up and closing — or through
refusal, withdrawal, failure and transfer — drawing the path at random. Every step is
put to ``cases.workflow.decide`` with the facts the case would have at that moment,
and to the same capability rule ``cases.actions`` applies; a step either passes or
the generator has a bug (``WorkflowError`` propagates). Steps are timed forward from
registration; the first step that would lie in the future ends the story there, so
recent disputes are naturally left open in whatever status they have reached.

The rows are built as dicts (``core.bulk.Row``) mirroring what each action in
``cases.actions`` writes; ``generator`` saves them in bulk.
"""

import datetime as dt
import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import FOLLOW_UP_ONLY, REGISTRARS, may_mediate_at
from fengqiao.cases import workflow
from fengqiao.cases.actions import TIER_LEVEL, TRANSFER_BODY
from fengqiao.cases.choices import (
    REFERRAL_CHANNELS,
    TIER_ORDER,
    Action,
    AgreementForm,
    Channel,
    ConfirmationResult,
    DisputeType,
    Outcome,
    PerformanceStatus,
    Satisfaction,
    Status,
    Tier,
    TransferTarget,
    VisitMethod,
)
from fengqiao.core.bulk import Row
from fengqiao.deadlines import rules
from fengqiao.deadlines.rules import RULES, calendar_known
from fengqiao.demo import texts
from fengqiao.demo.drafts import Draft
from fengqiao.demo.mediators import OnRoster
from fengqiao.demo.places import DEMO_COUNTY, DEMO_VILLAGE, Atlas
from fengqiao.geography import codes
from fengqiao.geography.choices import Level, OrgKind

NEXT_TIER = {Tier.VILLAGE: Tier.TOWNSHIP, Tier.TOWNSHIP: Tier.COUNTY}
HOME_TIER = {Level.VILLAGE: Tier.VILLAGE, Level.TOWNSHIP: Tier.TOWNSHIP, Level.COUNTY: Tier.COUNTY}


class GeneratorBug(AssertionError):
    """The generator built a step the platform's own rules would refuse."""


class _Cutoff(Exception):
    """The next step lies in the future: the story ends at the present."""


@lru_cache(maxsize=256)
def _cumulative(weights: tuple[float, ...]) -> list[float]:
    return list(accumulate(weights))


@lru_cache(maxsize=4096)
def due_date(rule: str, start: dt.date) -> dt.date:
    """``deadlines.rules.due_date`` memoised: 50,000 cases share some 700 start days."""
    return rules.due_date(rule, start)


@dataclass
class World:
    """What every story shares: divisions, the demo users, the roster and the present."""

    atlas: Atlas
    users: dict[str, User]
    roster: dict[int, list[OnRoster]]
    now: dt.datetime
    own_mediator: OnRoster | None = None
    own_org: int | None = None

    def actor(self, tier: Tier) -> User:
        """The demo user who acts for a body of ``tier``."""
        return self.users[{Tier.VILLAGE: "feiyang", Tier.TOWNSHIP: "wangsi", Tier.COUNTY: "dayi"}[tier]]


@dataclass
class Rows:
    """Unsaved rows of a batch of stories, by table (cases.Transition, SessionRecord, …)."""

    transitions: list[Row] = field(default_factory=list)
    sessions: list[Row] = field(default_factory=list)
    agreements: list[Row] = field(default_factory=list)
    confirmations: list[Row] = field(default_factory=list)
    performances: list[Row] = field(default_factory=list)
    follow_ups: list[Row] = field(default_factory=list)
    deadlines: list[Row] = field(default_factory=list)


def check_actor(actor: User, action: Action, tier: Tier) -> None:
    """The capability rule of ``cases.actions._authorize``, applied to generated steps."""
    if action == Action.RECORD_FOLLOW_UP and actor.role in FOLLOW_UP_ONLY:
        return
    if not may_mediate_at(actor.role, TIER_LEVEL[tier]):
        raise GeneratorBug(f"{actor.username} may not {action} at tier {tier}")


def account_reach(user: User) -> int:
    """The unit a demo account answers for: its jurisdiction, its body's unit for a
    partner, and the demo village for the demo citizen."""
    if user.admin_unit_id:
        return user.admin_unit_id
    if user.organisation_id and user.organisation is not None:
        return user.organisation.admin_unit_id
    return DEMO_VILLAGE


class Story:
    """One dispute's lifecycle; ``play`` fills ``rows`` and the dispute's own fields."""

    def __init__(self, world: World, rows: Rows, rng: random.Random, draft: Draft) -> None:
        self.w, self.rows, self.rng, self.draft = world, rows, rng, draft
        self.d = draft.dispute
        self.difficulty = draft.profile.difficulty + (0.3 if draft.mass else 0.0)
        self.home = HOME_TIER[codes.level_of(draft.place.code)]
        # the facts workflow.decide sees, kept as the story unfolds
        self.status: Status | None = None
        self.tier = self.home
        self.sessions = 0
        self.stage_sessions = 0  # sessions since the current body took the case
        self.follow_ups = 0
        self.agreement_form: AgreementForm | None = None
        self.agreement_effective_on: dt.date | None = None
        self.refusing: tuple[str, ...] = ()
        # the dispute's own fields
        self.outcome = ""
        self.handling_org: int | None = None
        self.mediator: OnRoster | None = None
        self.accepted_at: dt.datetime | None = None
        self.closed_at: dt.datetime | None = None
        self.due: dt.date | None = None
        self.due_rule, self.due_start = "mediation", dt.date.min
        self.transfer_target = ""
        self.transferred_to: int | None = None
        self.can_extend = False
        self.failed_target = TransferTarget.COURT
        self.escalated = False
        self.referred_back = False
        self.t: dt.datetime = self.d["received_at"]

    # ------------------------------------------------------------------ the engine

    def play(self) -> None:
        try:
            self._register()
            if self._before_acceptance():
                self._accept()
                self._mediate()
        except _Cutoff:
            pass
        self._settle()

    def step(
        self,
        action: Action,
        at: dt.datetime,
        actor: User,
        intent: workflow.Intent | None = None,
        *,
        reason: str = "",
        data: dict[str, Any] | None = None,
        apply: Callable[[dt.datetime], dict[str, Any]] | None = None,
    ) -> workflow.Decision:
        """Decide, apply and record one step at ``at`` — as ``cases.actions._step`` does.

        ``apply`` makes the field changes that follow from the allowed step, given the
        step's actual time, and returns details for the timeline.
        """
        at = max(at, self.t + dt.timedelta(minutes=1))  # the timeline strictly advances
        if at > self.w.now:
            raise _Cutoff
        assert self.status is not None
        check_actor(actor, action, self.tier)
        intent = intent or workflow.Intent()
        facts = workflow.Facts(
            status=self.status,
            today=at.date(),
            tier=self.tier,
            refusing_parties=self.refusing,
            sessions=self.sessions,
            agreement_form=self.agreement_form,
            agreement_effective_on=self.agreement_effective_on,
            follow_ups=self.follow_ups,
        )
        decision = workflow.decide(action, facts, intent)
        data = dict(data or {})
        if apply is not None:
            data.update(apply(at))
        from_status, self.status = self.status, decision.to_status
        if decision.outcome:
            self.outcome = decision.outcome
        if decision.to_status == Status.CLOSED:
            self.closed_at = at
        self.rows.transitions.append(
            {
                "dispute_id": self.d,
                "action": action,
                "from_status": from_status,
                "to_status": decision.to_status,
                **self._signed(actor),
                "at": at,
                "reason": reason or intent.reason or intent.advice,
                "data": data,
            }
        )
        self.t = at
        return decision

    def _signed(self, actor: User) -> dict[str, Any]:
        """Who a step is recorded under. A demo account signs only inside its own
        jurisdiction; elsewhere the step is signed by the case's synthetic mediator (or
        the role), with no account, so no demo login appears to act outside it."""
        if codes.contains(account_reach(actor), self.draft.place.code):
            return {"actor_id": actor.pk, "actor_name": actor.display_name}
        name = self.mediator.name if self.mediator else f"{actor.get_role_display()}（演示）"
        return {"actor_id": None, "actor_name": name}

    # ------------------------------------------------------------------ time

    def after(self, days: int) -> dt.datetime:
        """A moment ``days`` after the last step: later the same day, or in office hours."""
        if days <= 0:
            at = self.t + dt.timedelta(minutes=self.rng.randint(10, 150))
            if at.hour < 19 and at.date() == self.t.date():
                return at
            days = 1  # too late in the evening: the next morning's work
        return self.on(self.t.date() + dt.timedelta(days=days))

    def on(self, day: dt.date) -> dt.datetime:
        minute = self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
        at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), self.t.tzinfo)
        return max(at, self.t + dt.timedelta(minutes=self.rng.randint(5, 60)))

    def days(self, *weights: float) -> int:
        """0, 1, 2, … days with the given weights."""
        return self.pick(weights)

    def pick(self, weights: tuple[float, ...]) -> int:
        """An index drawn with the given weights (cumulative sums cached: hot path)."""
        cum = _cumulative(weights)
        return bisect_right(cum, self.rng.random() * cum[-1])

    # ------------------------------------------------------------------ registration and intake

    def _register(self) -> None:
        d = self.d
        actor = self._registrar()
        if actor.role not in REGISTRARS:
            raise GeneratorBug(f"{actor.username} may not register")
        if (
            d["channel"] in REFERRAL_CHANNELS
            and actor.role != Role.PARTNER
            and d["referred_by_org_id"] is None
        ):
            raise GeneratorBug("a referral without its referring body")
        d["created_by_id"] = self._signed(actor)["actor_id"]
        self.status = Status.REGISTERED
        self.rows.transitions.append(
            {
                "dispute_id": d,
                "action": Action.REGISTER,
                "from_status": "",
                "to_status": Status.REGISTERED,
                **self._signed(actor),
                "at": d["received_at"],
                "reason": "",
                "data": {"channel": d["channel"]},
            }
        )

    def _registrar(self) -> User:
        """Who records a dispute from each channel, and the referring body for referrals."""
        d, u, atlas = self.d, self.w.users, self.w.atlas
        code = self.draft.place.code
        match d["channel"]:
            case Channel.GRID_SWEEP:
                return u["wangge"]
            case Channel.ONLINE:
                return u["qunzhong"]
            case Channel.PHONE_12348:
                return u["dayi"]
            case Channel.COURT_REFERRAL:
                d["referred_by_org_id"] = atlas.nearest(code, OrgKind.COURT)
                in_demo_county = codes.contains(DEMO_COUNTY, code)
                return u["fayuan"] if in_demo_county else u["dayi"]
            case Channel.POLICE_REFERRAL:
                d["referred_by_org_id"] = atlas.nearest(self.draft.village, OrgKind.POLICE_STATION)
                return self.w.actor(max(self.home, Tier.TOWNSHIP, key=TIER_ORDER.__getitem__))
            case Channel.PETITION_REFERRAL:
                d["referred_by_org_id"] = atlas.nearest(code, OrgKind.PETITION_OFFICE)
                return u["dayi"]
        return self.w.actor(self.home)

    def _before_acceptance(self) -> bool:
        """Refusal, declining, early withdrawal or transfer; True when the case goes on to acceptance."""
        rng, actor = self.rng, self.w.actor(self.tier)
        r = rng.random()
        if r < 0.02:
            # 人民调解法 Art. 17: a party's clear refusal bars mediation until withdrawn.
            name = self.draft.respondent["name"]
            self.step(
                Action.RECORD_REFUSAL,
                self.after(self.days(5, 3, 2)),
                actor,
                workflow.Intent(reason=texts.REFUSAL_REASON.format(b=name)),
                data={"party": name, "refuses": True},
            )
            self.draft.respondent["refuses_mediation"], self.refusing = True, (name,)
            if rng.random() < 0.6:
                self.step(
                    Action.DECLINE,
                    self.after(self.days(5, 3, 2)),
                    actor,
                    workflow.Intent(reason=texts.REFUSAL_DECLINE),
                )
                return False
            self.step(
                Action.RECORD_REFUSAL,
                self.after(rng.randint(1, 4)),
                actor,
                workflow.Intent(reason=texts.REFUSAL_WITHDRAWN.format(b=name)),
                data={"party": name, "refuses": False},
            )
            self.draft.respondent["refuses_mediation"], self.refusing = False, ()
        elif r < 0.04:
            reason = rng.choice(texts.DECLINE_REASONS)
            self.step(
                Action.DECLINE, self.after(self.days(4, 3, 2, 1)), actor, workflow.Intent(reason=reason)
            )
            return False
        elif r < 0.048:
            self.step(
                Action.WITHDRAW,
                self.after(self.days(3, 3, 2)),
                actor,
                workflow.Intent(reason=texts.WITHDRAW_REASONS[1]),
            )
            return False
        elif r < 0.054:
            violent = self.draft.kind in (
                DisputeType.DAMAGES,
                DisputeType.NEIGHBOUR,
                DisputeType.MARRIAGE_FAMILY,
            )
            self._transfer(
                TransferTarget.POLICE if violent else TransferTarget.COURT, self.after(self.days(4, 3, 2))
            )
            return False
        return True

    def _accept(self) -> None:
        """受理 at the home tier — a mass dispute from a village often straight at the township."""
        tier = self.home
        if self.draft.mass and tier == Tier.VILLAGE and self.rng.random() < 0.5:
            tier = Tier.TOWNSHIP
        at = self.after(self.days(55, 25, 12, 8))
        home, self.tier = self.tier, tier  # as accept_dispute: the accepting tier must be the actor's
        try:
            self.step(Action.ACCEPT, at, self.w.actor(tier), apply=lambda t: self._take_over(tier, t.date()))
        except _Cutoff:
            self.tier = home  # not accepted yet: still waiting at its home tier
            raise
        self.accepted_at = self.t

    def _take_over(self, tier: Tier, day: dt.date) -> dict[str, Any]:
        """The body of ``tier`` for the place takes the case with a fresh mediation term."""
        org = self.w.atlas.committee_for(self.draft.place.code, TIER_LEVEL[tier])
        if org is None:
            raise GeneratorBug(f"no {tier} body for {self.draft.place.code}")
        from_tier, self.tier, self.handling_org, self.mediator = self.tier, tier, org, None
        self.stage_sessions = 0
        rule = "court_referred_mediation" if self.d["channel"] == Channel.COURT_REFERRAL else "mediation"
        self.due = due_date(rule, day)
        self.due_rule, self.due_start = rule, day
        self.can_extend = True
        return {
            "from_tier": from_tier,
            "to_tier": tier,
            "org": self.w.atlas.org_name[org],
            "due": self.due.isoformat(),
        }

    # ------------------------------------------------------------------ mediation

    def _mediate(self) -> None:
        """Stages of mediation at one tier each, until the case leaves mediation."""
        while True:
            self._assign()
            plan = self._plan()
            if plan == "refer_back":
                self._refer_back()
                continue
            if plan in ("escalate", "fail_escalate"):
                self._sessions(
                    self.rng.choice((0, 1, 1, 2)) if plan == "escalate" else self._session_count(), ""
                )
                if plan == "fail_escalate":
                    self._fail_step()
                self._escalate()
                continue
            if plan == "withdraw":
                self._sessions(self.rng.randint(0, 1), "")
                reason = self.rng.choice(texts.WITHDRAW_REASONS)
                self.step(
                    Action.WITHDRAW,
                    self.after(self.days(3, 2, 2, 1)),
                    self.w.actor(self.tier),
                    workflow.Intent(reason=reason),
                )
                return
            if plan == "fail":
                self._sessions(self._session_count(), texts.SESSION_FAIL)
                self._fail_step()
                self._after_failure()
                return
            self._agree()
            return

    def _plan(self) -> str:
        """How this stage ends; harder and mass disputes escalate and fail more often."""
        rng, d = self.rng, self.difficulty
        if (
            self.tier == Tier.TOWNSHIP
            and self.escalated
            and self.home == Tier.VILLAGE
            and not self.referred_back
            and rng.random() < 0.06
        ):
            return "refer_back"
        if self.tier != Tier.COUNTY and not self.referred_back:
            p = 0.04 + 0.22 * d if self.tier == Tier.VILLAGE else 0.02 + 0.08 * d
            if rng.random() < p:
                return "escalate" if rng.random() < 0.7 else "fail_escalate"
        r = rng.random()
        if r < 0.025:
            return "withdraw"
        if r < 0.06 + 0.1 * d:
            return "fail"
        return "agree"

    def _assign(self) -> None:
        """指派调解员: one of the handling body's mediators, who speaks the applicant's language if possible."""
        assert self.handling_org is not None
        pool = self.w.roster.get(self.handling_org)
        if not pool:
            return
        rng = self.rng
        if self.handling_org == self.w.own_org and self.w.own_mediator and rng.random() < 0.6:
            pick = self.w.own_mediator
        else:
            speakers = [m for m in pool if self.draft.language in m.languages]
            pick = rng.choice(speakers or pool)
        self.step(
            Action.ASSIGN_MEDIATOR,
            self.after(self.days(8, 2)),
            self.w.actor(self.tier),
            data={"mediator": pick.name},
        )
        self.mediator = pick

    def _session_count(self) -> int:
        d = self.difficulty
        return 1 + self.pick((50 - 30 * d, 30, 12 + 15 * d, 5 + 8 * d, 3 + 5 * d))

    def _sessions(self, count: int, last_text: str) -> None:
        """``count`` sessions; the last one's record ends with ``last_text`` (agreement or failure)."""
        slow = self.rng.random() < 0.08 + 0.15 * self.difficulty  # some drag past the one-month term
        for i in range(count):
            at = (
                self.after(self.days(4, 3, 2, 1, 1))
                if i == 0
                else self.after(self.rng.randint(*((10, 25) if slow else (2, 9))))
            )
            closing = last_text if i == count - 1 and last_text else self.rng.choice(texts.SESSION_PROGRESS)
            self._session(at, closing)

    def _session(self, at: dt.datetime, closing: str) -> None:
        self._maybe_extend(at)
        actor = self.w.actor(self.tier)
        ctx = self.draft.ctx
        site_key = {Tier.VILLAGE: "village", Tier.TOWNSHIP: "township", Tier.COUNTY: "county"}[self.tier]
        site = self.rng.choice(texts.SESSION_SITES[site_key]).format_map(ctx)
        name = self.mediator.name if self.mediator else actor.display_name
        attendees = f"申请人{ctx['a']}、被申请人{ctx['b']}、调解员{name}"
        law = self.draft.scenario.law or texts.LAW[self.draft.kind]
        # The first session of a stage records both sides' statements; later ones go on from there.
        opening = texts.SESSION_AGAIN if self.stage_sessions else texts.SESSION_OPEN
        content = opening.format_map(
            {
                **ctx,
                "m": name,
                "site": site,
                "attendees": attendees,
                "claim": self._said("claim"),
                "defense": self._said("defense"),
            }
        ) + closing.format_map({**ctx, "law": law, "terms": ctx.get("terms", "")})
        self.step(Action.RECORD_SESSION, at, actor, apply=lambda t: {"held_at": t.isoformat(), "place": site})
        self.sessions += 1
        self.stage_sessions += 1
        self.rows.sessions.append(
            {
                "dispute_id": self.d,
                "held_at": self.t,
                "place": site,
                "mediator_id": self.mediator.id if self.mediator else None,
                "attendees": attendees,
                "content": content,
                "recorded_by_id": actor.pk,
                "recorded_at": self.t,
            }
        )

    def _said(self, which: str) -> str:
        return str(getattr(self.draft.scenario, which)).format_map(self.draft.ctx)

    def _maybe_extend(self, next_at: dt.datetime) -> None:
        """人民调解工作若干规定 Art. 33: a case running past its term is extended with both
        parties' consent — in most such cases; the rest simply run overdue."""
        if not self.can_extend or self.due is None or next_at.date() <= self.due:
            return
        self.can_extend = False
        if self.rng.random() >= 0.6 or self.t.date() > self.due:
            return
        at = min(
            self.on(self.due - dt.timedelta(days=self.rng.randint(0, 3))), next_at - dt.timedelta(minutes=1)
        )
        new_due = rules.add_months(self.due, 1)
        intent = workflow.Intent(reason="案情较复杂，经双方当事人同意延长调解期限", both_parties_consent=True)
        data = {"from": self.due.isoformat(), "to": new_due.isoformat()}
        self.step(Action.EXTEND_DEADLINE, at, self.w.actor(self.tier), intent, data=data)
        self.due = new_due

    def _refer_back(self) -> None:
        """退回下级: the township hands a case it took over back to the village."""
        self.referred_back = True
        intent = workflow.Intent(reason=self.rng.choice(texts.REFER_BACK_REASONS), to_tier=Tier.VILLAGE)
        self.step(
            Action.REFER_BACK,
            self.after(self.days(3, 3, 2)),
            self.w.actor(self.tier),
            intent,
            apply=lambda at: self._take_over(Tier.VILLAGE, at.date()),
        )

    def _escalate(self) -> None:
        to = NEXT_TIER[self.tier]
        reason = self.rng.choice(texts.ESCALATE_REASONS[to.value])
        at = self.after(self.days(4, 3, 2))
        intent = workflow.Intent(reason=reason, to_tier=to)
        self.step(
            Action.ESCALATE,
            at,
            self.w.actor(self.tier),
            intent,
            apply=lambda t: self._take_over(to, t.date()),
        )
        self.escalated = True

    # ------------------------------------------------------------------ failure

    def _target(self) -> TransferTarget:
        return self.rng.choice(self.draft.profile.transfers)

    def _advice(self, target: TransferTarget) -> str:
        org = self.w.atlas.nearest(self.draft.place.code, TRANSFER_BODY[target])
        name = self.w.atlas.org_name[org] if org else "有关部门"
        return texts.ADVICE[target].format(org=name)

    def _fail_step(self) -> None:
        """终止调解, telling the parties their other routes (人民调解法 Art. 26)."""
        self.failed_target = self._target()
        advice = self._advice(self.failed_target)
        at = self.after(self.days(5, 2, 1))
        intent = workflow.Intent(advice=advice)
        self.step(
            Action.FAIL_MEDIATION,
            at,
            self.w.actor(self.tier),
            intent,
            reason=f"告知其他途径：{advice}",
            data={"advice": advice},
        )

    def _after_failure(self) -> None:
        if self.rng.random() < 0.5:
            self._transfer(self.failed_target, self.after(self.rng.randint(0, 7)))
            return
        if self.rng.random() < 0.25:
            self._follow_up()
        self.step(
            Action.CLOSE,
            self.after(self.days(4, 2, 1, 1)),
            self.w.actor(self.tier),
            reason="调解不成，已告知当事人其他救济途径，予以结案",
        )

    def _transfer(self, target: TransferTarget, at: dt.datetime) -> None:
        """移交 to the nearest body of the route (人民调解法 Arts. 25–26)."""
        org = self.w.atlas.nearest(self.draft.place.code, TRANSFER_BODY[target])
        # A confirmed agreement is enforceable: the route is enforcement, not a new suit.
        reason = texts.ENFORCEMENT if self.status == Status.CONFIRMED else texts.TRANSFER_REASONS[target]
        intent = workflow.Intent(reason=reason, target=target)
        data = {"target": target, "org": self.w.atlas.org_name[org] if org else ""}
        self.step(Action.TRANSFER, at, self.w.actor(self.tier), intent, data=data)
        self.transfer_target, self.transferred_to = target, org

    # ------------------------------------------------------------------ agreement and after

    def _agree(self, *, again: bool = False) -> None:
        """Sessions ending in an agreement, then confirmation, performance, follow-up and closing.

        ``again``: a new agreement after the court found the first one invalid.
        """
        rng = self.rng
        amount = self.d["amount"]
        small = amount is None or amount < 5000
        oral = not again and rng.random() < (0.25 if small else 0.04)
        form = AgreementForm.ORAL if oral else AgreementForm.WRITTEN
        count = 1 if again else self._session_count()
        self._sessions(count - 1, "")
        # The last session's record quotes the terms, so the signing time and the
        # performance deadline are planned before that session is recorded.
        session_at = self.after(self.days(4, 3, 2, 1, 1) if count == 1 else rng.randint(2, 9))
        if oral or rng.random() < 0.8:  # mostly reached and signed at the last session
            agreed_at = session_at + dt.timedelta(minutes=rng.randint(20, 120))
        else:  # a written agreement is sometimes drafted and signed a few days later
            agreed_at = self.on(session_at.date() + dt.timedelta(days=rng.randint(1, 3)))
        on_the_spot = oral and rng.random() < 0.6
        deadline = agreed_at.date() + dt.timedelta(days=0 if on_the_spot else rng.randint(3, 45))
        ctx = self.draft.ctx
        ctx["deadline_text"] = f"{deadline.year}年{deadline.month}月{deadline.day}日"
        ctx["terms"] = self.draft.scenario.terms.format_map(ctx)
        self._session(session_at, texts.SESSION_AGREE)
        self._maybe_extend(agreed_at)
        actor = self.w.actor(self.tier)
        # Arts. 29–30: a written agreement takes effect when signed, an oral one when reached.
        self.step(
            Action.REACH_AGREEMENT,
            agreed_at,
            actor,
            apply=lambda at: {"form": form, "effective_on": at.date().isoformat()},
        )
        effective = self.t.date()
        self.agreement_form, self.agreement_effective_on = form, effective
        money = amount is not None and "{amount}" in self.draft.scenario.terms
        agreement: Row = {
            "dispute_id": self.d,
            "form": form,
            "facts": self.d["narrative"],
            "responsibilities": rng.choice(texts.RESPONSIBILITIES).format_map(ctx),
            "terms": ctx["terms"],
            "performance_method": rng.choice(texts.PAYMENT_METHODS) if money else texts.NON_MONEY_METHOD,
            "performance_place": f"{ctx['village']}村(居)民委员会",
            "performance_deadline": max(deadline, effective),
            "effective_on": effective,
            "copies": len(self.draft.parties) + 1,  # Art. 29: one per party and one for the committee
            "created_by_id": actor.pk,
            "created_at": self.t,
        }
        self.rows.agreements.append(agreement)
        large = amount is not None and amount >= 50_000
        confirm = form == AgreementForm.WRITTEN and not again and rng.random() < (0.3 if large else 0.12)
        if confirm and self._confirm(agreement) == ConfirmationResult.INVALID:
            # Art. 33 para. 3: an agreement found invalid is changed through mediation.
            self._agree(again=True)
            return
        self._perform(agreement)

    def _confirm(self, agreement: Row) -> ConfirmationResult:
        """司法确认: applied jointly within 30 days of the agreement taking effect (Art. 33)."""
        rng = self.rng
        court = self.w.atlas.nearest(self.draft.place.code, OrgKind.COURT)
        if court is None:
            raise GeneratorBug("no court for a judicial confirmation")
        applied = self.on(agreement["effective_on"] + dt.timedelta(days=rng.randint(1, 25)))
        actor = self.w.actor(self.tier)
        self.step(Action.APPLY_CONFIRMATION, applied, actor, data={"court": self.w.atlas.org_name[court]})
        confirmation: Row = {"agreement_id": agreement, "court_id": court, "applied_on": self.t.date()}
        confirmation["result"], confirmation["decided_on"] = ConfirmationResult.PENDING, None
        self.rows.confirmations.append(confirmation)
        result = rng.choices(
            (ConfirmationResult.VALID, ConfirmationResult.REJECTED, ConfirmationResult.INVALID),
            weights=(92, 4, 4),
        )[0]
        intent = workflow.Intent(confirmation_result=result)
        self.step(
            Action.RECORD_CONFIRMATION, self.after(rng.randint(3, 20)), actor, intent, data={"result": result}
        )
        confirmation["result"], confirmation["decided_on"] = result, self.t.date()
        return result

    def _perform(self, agreement: Row) -> None:
        """履行 (Art. 31: the committee supervises), then 回访 and 结案."""
        rng = self.rng
        deadline: dt.date = agreement["performance_deadline"]
        roll = rng.random()
        if roll < 0.025:
            self._performance(
                PerformanceStatus.NONE, self.on(deadline + dt.timedelta(days=rng.randint(1, 10)))
            )
            self._transfer(TransferTarget.COURT, self.after(rng.randint(1, 10)))
            return
        if roll < 0.10:
            span = max((deadline - self.t.date()).days, 0)
            self._performance(
                PerformanceStatus.PARTIAL, self.on(self.t.date() + dt.timedelta(days=rng.randint(0, span)))
            )
            deadline += dt.timedelta(days=rng.randint(5, 30))
        if agreement["form"] == AgreementForm.ORAL and deadline <= self.t.date():
            at = self.after(0)  # paid or done on the spot (当场履行)
        elif rng.random() < 0.08:
            at = self.on(deadline + dt.timedelta(days=rng.randint(1, 15)))  # a little late
        else:
            span = max((deadline - self.t.date()).days, 0)
            at = self.on(self.t.date() + dt.timedelta(days=rng.randint(0, span)))
        self._performance(PerformanceStatus.FULL, at)
        self._follow_up()
        self.step(
            Action.CLOSE,
            self.after(self.days(6, 2, 1, 1)),
            self.w.actor(self.tier),
            reason="协议已履行完毕，经回访，案结事了，予以结案",
        )

    def _performance(self, status: PerformanceStatus, at: dt.datetime) -> None:
        note = self.rng.choice(texts.PERFORMANCE_NOTES[status.value]).format_map(self.draft.ctx)
        intent = workflow.Intent(performance=status)
        self.step(
            Action.RECORD_PERFORMANCE,
            at,
            self.w.actor(self.tier),
            intent,
            reason=note,
            data={"performance": status},
        )
        self.rows.performances.append(
            {"dispute_id": self.d, "status": status, "recorded_on": self.t.date(), "note": note}
        )

    def _follow_up(self) -> None:
        """回访: by the grid worker for village cases half the time, else by the handling body."""
        rng = self.rng
        at = self.after(rng.randint(3, 30))
        visitor = (
            self.w.users["wangge"]
            if self.tier == Tier.VILLAGE and rng.random() < 0.5
            else self.w.actor(self.tier)
        )
        satisfied = Satisfaction.DISSATISFIED if self.status == Status.FAILED and rng.random() < 0.5 else None
        satisfaction = (
            satisfied
            or rng.choices(
                (Satisfaction.SATISFIED, Satisfaction.FAIRLY, Satisfaction.DISSATISFIED), weights=(84, 13, 3)
            )[0]
        )
        method = rng.choices((VisitMethod.PHONE, VisitMethod.HOME, VisitMethod.ONLINE), weights=(55, 35, 10))[
            0
        ]
        note = rng.choice(texts.FOLLOW_UP_NOTES[satisfaction.value])
        self.step(Action.RECORD_FOLLOW_UP, at, visitor, reason=note, data={"satisfaction": satisfaction})
        self.follow_ups += 1
        self.rows.follow_ups.append(
            {
                "dispute_id": self.d,
                "visited_on": self.t.date(),
                "method": method,
                "satisfaction": satisfaction,
                "note": note,
                "visitor_id": visitor.pk,
            }
        )

    # ------------------------------------------------------------------ the dispute row

    def _deadline(self, rule_key: str, start: dt.date, due: dt.date) -> None:
        rule = RULES[rule_key]
        self.rows.deadlines.append(
            {
                "rule": rule_key,
                "dispute_id": self.d,
                "admin_unit_id": self.draft.place.code,
                "started_on": start,
                "due_on": due,
                "remind_on": due - dt.timedelta(days=rule.remind_days),
                "estimated": not calendar_known(due),
                "status": "open",
                "created_at": self.t,
            }
        )

    def _settle(self) -> None:
        """Write the state the story reached into the dispute's own fields, and the
        deadlines still running (the engine's rows, as cases.actions would leave them)."""
        d = self.d
        if self.status in (Status.ACCEPTED, Status.MEDIATING) and self.due is not None:
            self._deadline(self.due_rule, self.due_start, self.due)
        if self.status == Status.AGREED and self.agreement_form == AgreementForm.WRITTEN:
            assert self.agreement_effective_on is not None
            start = self.agreement_effective_on
            self._deadline("judicial_confirmation", start, due_date("judicial_confirmation", start))
        assert self.status is not None
        if self.status == Status.CLOSED and self.outcome not in Outcome.values:
            raise GeneratorBug("a closed dispute without an outcome")
        d.update(
            status=self.status,
            outcome=self.outcome,
            tier=self.tier,
            handling_org_id=self.handling_org,
            mediator_id=self.mediator.id if self.mediator else None,
            accepted_at=self.accepted_at,
            closed_at=self.closed_at,
            transfer_target=self.transfer_target,
            transferred_to_org_id=self.transferred_to,
            updated_at=self.t,
        )
