"""The commands staff give on a dispute: their input shapes and the action each runs.

Both edges use this table: the API exposes one endpoint per command (with its schema
in the OpenAPI document) and the web pages post forms that are parsed by the same
schemas. So a command is validated the same way wherever it comes from.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ninja import Schema
from pydantic import Field

from fengqiao.accounts.models import Mediator, User
from fengqiao.cases import actions
from fengqiao.cases.choices import (
    Action,
    AgreementForm,
    ConfirmationResult,
    PerformanceStatus,
    Satisfaction,
    Tier,
    TransferTarget,
    VisitMethod,
)
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import DomainError
from fengqiao.geography.choices import OrgKind
from fengqiao.geography.models import Organisation


class AcceptIn(Schema):
    tier: Tier | None = None
    note: str = ""


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class RefusalIn(Schema):
    party_id: int
    refuses: bool
    reason: str = Field(min_length=1, max_length=2000)


class MediatorIn(Schema):
    mediator_id: int
    reason: str = Field(default="", max_length=2000)


class SessionIn(Schema):
    held_at: dt.datetime
    place: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=50_000)
    attendees: str = Field(default="", max_length=500)


class ExtensionIn(Schema):
    both_parties_consent: bool
    reason: str = Field(min_length=1, max_length=2000)
    new_due: dt.date | None = None


class AgreementIn(Schema):
    form: AgreementForm
    facts: str = Field(default="", max_length=20_000)
    responsibilities: str = Field(default="", max_length=20_000)
    terms: str = Field(min_length=1, max_length=20_000)
    performance_method: str = Field(default="", max_length=200)
    performance_place: str = Field(default="", max_length=200)
    performance_deadline: dt.date | None = None
    effective_on: dt.date | None = None


class FailureIn(Schema):
    advice: str = Field(min_length=1, max_length=2000)
    reason: str = Field(default="", max_length=2000)


class ConfirmationIn(Schema):
    applied_on: dt.date | None = None
    court_id: int | None = None


class ConfirmationResultIn(Schema):
    result: ConfirmationResult
    decided_on: dt.date | None = None


class PerformanceIn(Schema):
    status: PerformanceStatus
    note: str = Field(default="", max_length=2000)
    recorded_on: dt.date | None = None


class FollowUpIn(Schema):
    method: VisitMethod
    satisfaction: Satisfaction
    note: str = Field(default="", max_length=2000)
    visited_on: dt.date | None = None


class CloseIn(Schema):
    note: str = Field(default="", max_length=2000)


class TierMoveIn(Schema):
    to_tier: Tier
    reason: str = Field(min_length=1, max_length=2000)


class TransferIn(Schema):
    target: TransferTarget
    reason: str = Field(min_length=1, max_length=2000)


def _assign(d: Dispute, actor: User, p: MediatorIn) -> object:
    """Through dispatch, which re-checks workload cap, conflicts of interest, objections
    and languages under lock (人民调解法 Arts. 19, 21, 23) before the case action."""
    from fengqiao.dispatch.actions import assign_checked

    mediator = Mediator.objects.filter(pk=p.mediator_id).first()
    if mediator is None:
        raise DomainError("调解员不存在", field="mediator_id")
    return assign_checked(d, actor=actor, mediator=mediator, reason=p.reason).dispute


def _confirm(d: Dispute, actor: User, p: ConfirmationIn) -> object:
    court = None
    if p.court_id is not None:
        court = Organisation.objects.filter(pk=p.court_id, kind=OrgKind.COURT).first()
        if court is None:
            raise DomainError("所选机构不是人民法院", field="court_id")
    return actions.apply_confirmation(d, actor=actor, applied_on=p.applied_on, court=court)


@dataclass(frozen=True)
class Command:
    schema: type[Schema]
    run: Callable[[Dispute, User, Any], object]


COMMANDS: dict[Action, Command] = {
    Action.ACCEPT: Command(AcceptIn, lambda d, u, p: actions.accept_dispute(d, actor=u, **p.dict())),
    Action.DECLINE: Command(ReasonIn, lambda d, u, p: actions.decline_dispute(d, actor=u, reason=p.reason)),
    Action.RECORD_REFUSAL: Command(RefusalIn, lambda d, u, p: actions.record_refusal(d, actor=u, **p.dict())),
    Action.ASSIGN_MEDIATOR: Command(MediatorIn, _assign),
    Action.RECORD_SESSION: Command(SessionIn, lambda d, u, p: actions.record_session(d, actor=u, **p.dict())),
    Action.EXTEND_DEADLINE: Command(
        ExtensionIn, lambda d, u, p: actions.extend_mediation(d, actor=u, **p.dict())
    ),
    Action.REACH_AGREEMENT: Command(
        AgreementIn, lambda d, u, p: actions.reach_agreement(d, actor=u, **p.dict())
    ),
    Action.FAIL_MEDIATION: Command(FailureIn, lambda d, u, p: actions.fail_mediation(d, actor=u, **p.dict())),
    Action.APPLY_CONFIRMATION: Command(ConfirmationIn, _confirm),
    Action.RECORD_CONFIRMATION: Command(
        ConfirmationResultIn, lambda d, u, p: actions.record_confirmation(d, actor=u, **p.dict())
    ),
    Action.RECORD_PERFORMANCE: Command(
        PerformanceIn, lambda d, u, p: actions.record_performance(d, actor=u, **p.dict())
    ),
    Action.RECORD_FOLLOW_UP: Command(
        FollowUpIn, lambda d, u, p: actions.record_follow_up(d, actor=u, **p.dict())
    ),
    Action.CLOSE: Command(CloseIn, lambda d, u, p: actions.close_dispute(d, actor=u, note=p.note)),
    Action.ESCALATE: Command(TierMoveIn, lambda d, u, p: actions.escalate_dispute(d, actor=u, **p.dict())),
    Action.REFER_BACK: Command(
        TierMoveIn, lambda d, u, p: actions.refer_back_dispute(d, actor=u, **p.dict())
    ),
    Action.TRANSFER: Command(TransferIn, lambda d, u, p: actions.transfer_dispute(d, actor=u, **p.dict())),
    Action.WITHDRAW: Command(ReasonIn, lambda d, u, p: actions.withdraw_dispute(d, actor=u, reason=p.reason)),
}
