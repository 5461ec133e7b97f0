"""Read-side selectors for disputes, always scoped by the actor's jurisdiction.

Every list, detail, search, export and API read of disputes goes through
``disputes_for``; anything it does not return is, for that actor, not there (404).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import Mediator, User
from fengqiao.accounts.roles import CASE_READERS
from fengqiao.cases.choices import OPEN_STATUSES, Action
from fengqiao.cases.models import AccessGrant, Dispute, Transition
from fengqiao.core import clock
from fengqiao.core.errors import NotFound
from fengqiao.deadlines.models import Deadline, DeadlineStatus
from fengqiao.geography import codes

MEDIATION_RULES = ("mediation", "court_referred_mediation")
MAX_LISTED_GRANTS = 5000


def scope_filter(actor: User) -> Q | None:
    """The condition selecting the disputes ``actor`` may see; None means none at all."""
    if not actor.is_authenticated or not actor.is_active:
        return None
    now = clock.now()
    # Grants are read first, as a short list of ids: an OR with a subquery would stop
    # PostgreSQL from using the jurisdiction index (measured: 250 ms instead of 1 ms).
    if actor.role in CASE_READERS and actor.admin_unit_id is not None:
        lo, hi = codes.subtree(actor.admin_unit_id)
        condition = Q(admin_unit_id__gte=lo, admin_unit_id__lt=hi)
        grants = AccessGrant.objects.filter(
            grantee_unit_id__gte=lo, grantee_unit_id__lt=hi, valid_until__gt=now
        )
    elif actor.role == Role.PARTNER and actor.organisation_id is not None:
        org = actor.organisation_id
        condition = Q(referred_by_org_id=org) | Q(transferred_to_org_id=org)
        grants = AccessGrant.objects.filter(grantee_org_id=org, valid_until__gt=now)
    elif actor.role == Role.CITIZEN:
        return Q(created_by_id=actor.pk)
    else:
        return None
    ids = grants.values_list("dispute_id", flat=True)
    granted = list(ids[: MAX_LISTED_GRANTS + 1])
    if len(granted) > MAX_LISTED_GRANTS:  # correct, if slower, for an unusual number of grants
        return condition | Q(pk__in=ids)
    return condition | Q(pk__in=granted) if granted else condition


def disputes_for(actor: User) -> QuerySet[Dispute]:
    condition = scope_filter(actor)
    if condition is None:
        return Dispute.objects.none()
    return Dispute.objects.filter(condition)


def dispute_for(actor: User, pk: int, *, for_update: bool = False) -> Dispute:
    """One dispute the actor may see, or NotFound — the same answer whether it exists or not."""
    qs = disputes_for(actor)
    if for_update:
        # lock only the dispute row; the joined handling body and mediator may be NULL
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.select_related("admin_unit", "handling_org", "mediator").get(pk=pk)
    except (Dispute.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass(frozen=True)
class CaseFilter:
    status: str = ""
    dispute_type: str = ""
    tier: str = ""
    channel: str = ""
    open_only: bool = False
    unit: int | None = None
    q: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    flow: str = ""  # "escalated": came up to this tier; "returned": handed back down to it
    tier_of_actor: str = ""


def filtered(qs: QuerySet[Dispute], f: CaseFilter) -> QuerySet[Dispute]:
    if f.status:
        qs = qs.filter(status=f.status)
    elif f.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if f.dispute_type:
        qs = qs.filter(dispute_type=f.dispute_type)
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.unit:
        lo, hi = codes.subtree(f.unit)
        qs = qs.filter(admin_unit_id__gte=lo, admin_unit_id__lt=hi)
    if f.received_from:
        qs = qs.filter(received_at__date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_at__date__lte=f.received_to)
    if f.flow in ("escalated", "returned"):
        action = Action.ESCALATE if f.flow == "escalated" else Action.REFER_BACK
        moved = Transition.objects.filter(dispute=OuterRef("pk"), action=action)
        qs = qs.filter(Exists(moved), status__in=OPEN_STATUSES)
        if f.tier_of_actor:
            qs = qs.filter(tier=f.tier_of_actor)
    if f.q:
        qs = _search(qs, f.q.strip())
    return qs


def _search(qs: QuerySet[Dispute], q: str) -> QuerySet[Dispute]:
    """A case number (川调2026-0000123 or the bare id) or words in the summary or a party's name."""
    digits = q.rsplit("-", 1)[-1]
    if digits.isdecimal():
        return qs.filter(pk=int(digits))
    return qs.filter(Q(summary__contains=q) | Q(parties__name=q)).distinct()


def case_list(actor: User, f: CaseFilter) -> QuerySet[Dispute]:
    """The actor's disputes with filters applied, newest first, ready for one page."""
    return (
        filtered(disputes_for(actor), f)
        .select_related("admin_unit", "handling_org")
        .prefetch_related(
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(status=DeadlineStatus.OPEN, rule__in=MEDIATION_RULES),
                to_attr="live_deadlines",
            )
        )
        .defer("narrative")
        .order_by("-received_at", "-id")
    )


def counts_by_status_and_type(actor: User, f: CaseFilter | None = None) -> list[dict[str, object]]:
    qs = filtered(disputes_for(actor), f or CaseFilter())
    return list(
        qs.values("status", "dispute_type").annotate(n=Count("id")).order_by("status", "dispute_type")
    )


def timeline(dispute: Dispute) -> QuerySet:
    return dispute.transitions.order_by("at", "id")


def mediators_for(d: Dispute) -> QuerySet[Mediator]:
    """Active mediators of the body now handling the dispute (人民调解法 Art. 19)."""
    if d.handling_org_id is None:
        return Mediator.objects.none()
    return (
        Mediator.objects.filter(organisation_id=d.handling_org_id, is_active=True)
        .select_related("organisation")
        .order_by("name")
    )
