"""Read-side of triage: the latest proposal of a dispute the actor can see."""

from fengqiao.accounts.models import User
from fengqiao.cases import queries as case_queries
from fengqiao.triage.models import Proposal


def latest_proposal(actor: User, dispute_id: int) -> Proposal | None:
    dispute = case_queries.dispute_for(actor, dispute_id)  # NotFound outside the jurisdiction
    return dispute.triage_proposals.order_by("-created_at", "-id").first()
