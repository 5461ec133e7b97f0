"""The dispute lifecycle as a transition table with guards — pure Python, no ORM.

``decide(action, facts, intent)`` answers "may this happen, and what status follows?"
from a snapshot of the case. ``cases.actions`` builds the snapshot from the database,
asks here, and writes the result; nothing else decides a status. Each guard cites the
rule it enforces.
"""

import datetime as dt
from dataclasses import dataclass, field

from fengqiao.cases.choices import (
    TIER_ORDER,
    Action,
    AgreementForm,
    ConfirmationResult,
    Outcome,
    PerformanceStatus,
    Status,
    Tier,
    TransferTarget,
)
from fengqiao.deadlines import rules


class WorkflowError(Exception):
    """A transition the law or the procedure does not allow. The message is for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about a case at the moment of the request."""

    status: Status
    today: dt.date
    tier: Tier = Tier.VILLAGE
    refusing_parties: tuple[str, ...] = ()
    sessions: int = 0
    agreement_form: AgreementForm | None = None
    agreement_effective_on: dt.date | None = None
    follow_ups: int = 0


@dataclass(frozen=True)
class Intent:
    """What the actor asks for, beyond the action itself."""

    reason: str = ""
    advice: str = ""
    to_tier: Tier | None = None
    target: TransferTarget | None = None
    both_parties_consent: bool = False
    confirmation_result: ConfirmationResult | None = None
    performance: PerformanceStatus | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    to_status: Status
    outcome: Outcome | None = None


# action -> statuses it may start from. The next status is computed by ``_next``.
ALLOWED_FROM: dict[Action, frozenset[Status]] = {
    Action.ACCEPT: frozenset({Status.REGISTERED}),
    Action.DECLINE: frozenset({Status.REGISTERED}),
    Action.ASSIGN_MEDIATOR: frozenset({Status.ACCEPTED, Status.MEDIATING}),
    Action.RECORD_SESSION: frozenset({Status.ACCEPTED, Status.MEDIATING}),
    Action.EXTEND_DEADLINE: frozenset({Status.ACCEPTED, Status.MEDIATING}),
    Action.REACH_AGREEMENT: frozenset({Status.ACCEPTED, Status.MEDIATING}),
    Action.FAIL_MEDIATION: frozenset({Status.ACCEPTED, Status.MEDIATING}),
    Action.APPLY_CONFIRMATION: frozenset({Status.AGREED}),
    Action.RECORD_CONFIRMATION: frozenset({Status.CONFIRMING}),
    Action.RECORD_PERFORMANCE: frozenset({Status.AGREED, Status.CONFIRMED}),
    Action.RECORD_FOLLOW_UP: frozenset(
        {Status.AGREED, Status.CONFIRMED, Status.PERFORMED, Status.FAILED, Status.CLOSED}
    ),
    Action.CLOSE: frozenset({Status.PERFORMED, Status.FAILED}),
    Action.ESCALATE: frozenset({Status.ACCEPTED, Status.MEDIATING, Status.FAILED}),
    Action.REFER_BACK: frozenset({Status.ACCEPTED, Status.MEDIATING}),
    Action.TRANSFER: frozenset(
        {Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING, Status.FAILED, Status.AGREED, Status.CONFIRMED}
    ),
    Action.WITHDRAW: frozenset({Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING, Status.FAILED}),
    Action.RECORD_REFUSAL: frozenset({Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING}),
    Action.RECLASSIFY: frozenset(s for s in Status if s != Status.CLOSED),
    Action.LINK: frozenset(s for s in Status if s != Status.CLOSED),
}


def available(facts: Facts) -> list[Action]:
    """Actions whose starting status matches; guards may still refuse them."""
    return [a for a, starts in ALLOWED_FROM.items() if facts.status in starts]


def decide(action: Action, facts: Facts, intent: Intent | None = None) -> Decision:
    """Check ``action`` against the table and the guards; return the resulting status."""
    intent = intent or Intent()
    starts = ALLOWED_FROM.get(action)
    if starts is None:
        raise WorkflowError(f"不支持的操作：{action}")
    if facts.status not in starts:
        raise WorkflowError(f"案件当前状态为“{facts.status.label}”，不能执行“{action.label}”")
    _guard(action, facts, intent)
    return _next(action, facts, intent)


def confirmation_due(effective_on: dt.date) -> dt.date:
    """Last day to apply for judicial confirmation (人民调解法 Art. 33; 民事诉讼法 Art. 205)."""
    return rules.due_date("judicial_confirmation", effective_on)


def _require(text: str, message: str, field: str) -> None:
    if not text.strip():
        raise WorkflowError(message, field)


def _no_refusal(facts: Facts) -> None:
    # 人民调解法 Art. 17: when one party clearly refuses mediation, there is no mediation.
    if facts.refusing_parties:
        names = "、".join(facts.refusing_parties)
        raise WorkflowError(f"当事人{names}已明确拒绝调解，依法不得调解（人民调解法第十七条）")


def _guard(action: Action, facts: Facts, intent: Intent) -> None:
    if action in (Action.ACCEPT, Action.RECORD_SESSION, Action.REACH_AGREEMENT):
        _no_refusal(facts)
    if action == Action.DECLINE:
        _require(intent.reason, "请填写不予受理的理由", "reason")
    elif action == Action.EXTEND_DEADLINE:
        # 人民调解工作若干规定 Art. 33: beyond one month only with both parties' consent.
        if not intent.both_parties_consent:
            raise WorkflowError(
                "延长调解期限须经双方当事人同意（人民调解工作若干规定第三十三条）", "both_parties_consent"
            )
    elif action == Action.REACH_AGREEMENT:
        # 人民调解法 Art. 27: mediation is recorded; an agreement presupposes a recorded session.
        if facts.sessions < 1:
            raise WorkflowError("尚无调解笔录，不能登记调解协议（人民调解法第二十七条）")
    elif action == Action.FAIL_MEDIATION:
        # 人民调解法 Art. 26: when mediation fails, tell the parties their other routes.
        _require(intent.advice, "终止调解须告知当事人其他救济途径（人民调解法第二十六条）", "advice")
    elif action == Action.APPLY_CONFIRMATION:
        if facts.agreement_form != AgreementForm.WRITTEN or facts.agreement_effective_on is None:
            raise WorkflowError("只有已生效的书面调解协议可以申请司法确认（民事诉讼法第二百零五条）")
        due = confirmation_due(facts.agreement_effective_on)
        if facts.today > due:
            raise WorkflowError(
                f"已超过申请司法确认的期限（协议生效之日起三十日内，截至{due:%Y年%m月%d日}；"
                "人民调解法第三十三条）",
                "applied_on",
            )
        if facts.today < facts.agreement_effective_on:
            raise WorkflowError("调解协议尚未生效，不能申请司法确认", "applied_on")
    elif action == Action.RECORD_CONFIRMATION:
        if intent.confirmation_result not in (
            ConfirmationResult.VALID,
            ConfirmationResult.INVALID,
            ConfirmationResult.REJECTED,
        ):
            raise WorkflowError("请选择人民法院的审查结果", "result")
    elif action == Action.RECORD_PERFORMANCE:
        if intent.performance is None:
            raise WorkflowError("请选择履行情况", "performance")
    elif action == Action.CLOSE:
        if facts.status == Status.PERFORMED and facts.follow_ups < 1:
            raise WorkflowError("协议履行后须完成回访方可结案")
    elif action == Action.ESCALATE:
        _require(intent.reason, "请填写上报理由", "reason")
        if intent.to_tier is None or TIER_ORDER[intent.to_tier] <= TIER_ORDER[facts.tier]:
            raise WorkflowError("上报的层级必须高于当前层级；县级以上请选择移交", "to_tier")
    elif action == Action.REFER_BACK:
        _require(intent.reason, "请填写退回理由", "reason")
        if intent.to_tier is None or TIER_ORDER[intent.to_tier] >= TIER_ORDER[facts.tier]:
            raise WorkflowError("退回的层级必须低于当前层级", "to_tier")
    elif action == Action.TRANSFER:
        if intent.target is None:
            raise WorkflowError("请选择移交去向", "target")
        _require(intent.reason, "请填写移交理由", "reason")
    elif action == Action.WITHDRAW:
        _require(intent.reason, "请填写撤回原因", "reason")
    elif action == Action.RECORD_REFUSAL:
        _require(intent.reason, "请记录当事人拒绝或同意调解的情况", "reason")


def _next(action: Action, facts: Facts, intent: Intent) -> Decision:
    s = facts.status
    match action:
        case Action.ACCEPT | Action.ESCALATE | Action.REFER_BACK:
            return Decision(Status.ACCEPTED)
        case Action.DECLINE:
            return Decision(Status.CLOSED, Outcome.DECLINED)
        case Action.RECORD_SESSION:
            return Decision(Status.MEDIATING)
        case Action.REACH_AGREEMENT:
            return Decision(Status.AGREED)
        case Action.FAIL_MEDIATION:
            return Decision(Status.FAILED)
        case Action.APPLY_CONFIRMATION:
            return Decision(Status.CONFIRMING)
        case Action.RECORD_CONFIRMATION:
            # 人民调解法 Art. 33 para. 3: an agreement found invalid may be changed or
            # replaced through mediation, so the case returns to mediation.
            if intent.confirmation_result == ConfirmationResult.VALID:
                return Decision(Status.CONFIRMED)
            if intent.confirmation_result == ConfirmationResult.REJECTED:
                return Decision(Status.AGREED)
            return Decision(Status.MEDIATING)
        case Action.RECORD_PERFORMANCE:
            return Decision(Status.PERFORMED if intent.performance == PerformanceStatus.FULL else s)
        case Action.CLOSE:
            return Decision(Status.CLOSED, Outcome.RESOLVED if s == Status.PERFORMED else Outcome.FAILED)
        case Action.TRANSFER:
            return Decision(Status.CLOSED, Outcome.TRANSFERRED)
        case Action.WITHDRAW:
            return Decision(Status.CLOSED, Outcome.WITHDRAWN)
        case _:
            return Decision(s)
