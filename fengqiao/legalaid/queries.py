"""Read side of the consultation register, always scoped by the actor's jurisdiction
(the same subtree rule as disputes); anything outside it is, for that actor, not there."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import CASE_READERS
from fengqiao.core.errors import NotFound
from fengqiao.geography import codes
from fengqiao.legalaid.models import Consultation
from fengqiao.triage.models import Decision

# The topic a consultation is counted under: the decided one, or the proposal while undecided
# (``Consultation.shown_topic`` in SQL).
SHOWN_TOPIC = Coalesce(NullIf(F("topic"), Value("")), F("proposed_topic"))
# A citizen's online question no desk has replied to yet (``Consultation.awaits_reply`` in SQL).
AWAITING_REPLY = Q(from_citizen=True, reply="")


def consultations_for(actor: User) -> QuerySet[Consultation]:
    if not actor.is_active or actor.role not in CASE_READERS or actor.admin_unit_id is None:
        return Consultation.objects.none()
    lo, hi = codes.subtree(actor.admin_unit_id)
    return Consultation.objects.filter(admin_unit_id__gte=lo, admin_unit_id__lt=hi)


def own_consultations(actor: User) -> QuerySet[Consultation]:
    """The questions a citizen left online to be called back, newest first."""
    if not actor.is_active or actor.role != Role.CITIZEN:
        return Consultation.objects.none()
    return (
        Consultation.objects.filter(received_by=actor, from_citizen=True)
        .select_related("admin_unit")
        .order_by("-received_at", "-id")
    )


def awaiting_reply(actor: User) -> int:
    """How many citizens' online questions in the actor's jurisdiction await a call back."""
    return consultations_for(actor).filter(AWAITING_REPLY).count()


def consultation_for(actor: User, pk: int) -> Consultation:
    try:
        return (
            consultations_for(actor)
            .select_related("admin_unit", "received_by", "decided_by", "replied_by")
            .get(pk=pk)
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass(frozen=True)
class ConsultationFilter:
    topic: str = ""
    pending: bool = False  # topic not yet decided
    awaiting: bool = False  # a citizen's online question not yet replied to
    q: str = ""


def consultation_list(actor: User, f: ConsultationFilter) -> QuerySet[Consultation]:
    qs = consultations_for(actor).select_related("admin_unit")
    if f.pending:
        qs = qs.filter(decision=Decision.PROPOSED)
    if f.awaiting:
        qs = qs.filter(AWAITING_REPLY)
    if f.topic:
        qs = qs.alias(shown=SHOWN_TOPIC).filter(shown=f.topic)
    if f.q:
        qs = qs.filter(question__contains=f.q)
    return qs.order_by("-received_at", "-id")


def counts_by_topic(actor: User) -> list[tuple[str, int]]:
    """How many consultations of each topic (decided, else proposed), most frequent first."""
    return _by_topic(consultations_for(actor))


def topics_in(unit: int, first: dt.date, last: dt.date) -> list[tuple[str, int]]:
    """Consultations received in ``unit`` and below from ``first`` to ``last`` (both
    included), by topic (decided, else proposed), most frequent first: the statistics of
    public legal service. The caller has already checked that ``unit`` is in scope."""
    lo, hi = codes.subtree(unit)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    qs = Consultation.objects.filter(
        admin_unit_id__gte=lo, admin_unit_id__lt=hi, received_at__gte=start, received_at__lt=end
    )
    return _by_topic(qs)


def _by_topic(qs: QuerySet[Consultation]) -> list[tuple[str, int]]:
    rows = qs.values(shown=SHOWN_TOPIC).annotate(n=Count("id")).order_by("-n", "shown")
    return [(row["shown"], row["n"]) for row in rows]
