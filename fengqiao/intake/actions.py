"""Intake: every new dispute, from any channel, is triaged as it is registered.

Triage proposes a dispute type when the registrar gave none, scores the risk and
recommends the route; the proposal is stored with the dispute, the dispute carries
the risk level, and a high-risk dispute raises an alert at once.
"""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q

from fengqiao.accounts.models import User
from fengqiao.cases import actions as case_actions
from fengqiao.cases.choices import DisputeType
from fengqiao.cases.models import Dispute, Party
from fengqiao.cases.schemas import DisputeIn
from fengqiao.core import clock, crypto
from fengqiao.core.identity import birth_date_from_id
from fengqiao.triage import actions as triage_actions
from fengqiao.triage import service
from fengqiao.triage.models import Proposal


def _case_of(data: DisputeIn, earlier: int = 0) -> service.Case:
    today = clock.today()
    ages = tuple(
        (today - birth_date_from_id(p.id_number)).days // 365 for p in data.parties if len(p.id_number) == 18
    )
    return service.Case(
        text=f"{data.summary}。{data.narrative}",
        amount=data.amount,
        people=data.people_involved,
        parties=len(data.parties),
        party_ages=ages,
        earlier_disputes=earlier,
        dispute_type=data.dispute_type.value if data.dispute_type else None,
    )


def _earlier_disputes(data: DisputeIn) -> int:
    """Disputes already on record with a party of the same ID number or phone (through the
    blind indexes: the numbers themselves are encrypted)."""
    ids = [crypto.blind_index("id_number", p.id_number) for p in data.parties if p.id_number]
    phones = [crypto.blind_index("phone", p.phone) for p in data.parties if p.phone]
    if not ids and not phones:
        return 0
    match = Q(id_number_bidx__in=ids) | Q(phone_bidx__in=phones)
    return Party.objects.filter(match).values("dispute_id").distinct().count()


def _with_type(data: DisputeIn, result: service.Result) -> DisputeIn:
    if data.dispute_type is not None:
        return data
    return data.model_copy(update={"dispute_type": DisputeType(result.label.label)})


@transaction.atomic
def submit_dispute(data: DisputeIn, *, actor: User) -> Dispute:
    """Register one dispute with its triage proposal (web form, API, partner referral)."""
    result = service.triage(_case_of(data, _earlier_disputes(data)))
    dispute = case_actions.register_dispute(
        _with_type(data, result), actor=actor, risk_level=result.risk.level.value
    )
    Proposal.objects.create(**triage_actions.proposal_row(dispute.pk, result))
    triage_actions.alert_if_high(dispute, result)
    return dispute


def submit_disputes_bulk(rows: Sequence[DisputeIn], *, actor: User) -> list[int]:
    """Register a validated batch (imports). Triage follows in ``triage.jobs`` (the worker,
    or the import command when it finishes), so that writing the rows stays fast."""
    return case_actions.register_disputes_bulk(rows, actor=actor, check=False, triage_pending=True)
