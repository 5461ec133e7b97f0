"""Every figure computed straight from the case tables with the ORM — the yardstick the
rollups are measured against. Deliberately independent of ``replay``: it reads the
dispute's own fields (received_at, accepted_at, closed_at, outcome, tier), the
agreement, confirmation, performance and visit records, and the deadline engine.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from fengqiao.analytics import periods
from fengqiao.analytics.measures import DAY_BUCKETS, bucket_of
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import (
    Agreement,
    Dispute,
    FollowUpVisit,
    JudicialConfirmation,
    Performance,
    Transition,
)
from fengqiao.deadlines.models import Deadline
from fengqiao.geography import codes


def bounds(period: periods.Period) -> tuple[dt.datetime, dt.datetime]:
    start = periods.first_day(period.first)
    end = periods.first_day(periods.add_months(period.last, 1))
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tz),
        dt.datetime.combine(end, dt.time(), tz),
    )


def disputes(code: int, dispute_type: str = "", *, exact: bool = False) -> QuerySet[Dispute]:
    if exact:
        qs = Dispute.objects.filter(admin_unit_id=code)
    else:
        lo, hi = codes.subtree(code)
        qs = Dispute.objects.filter(admin_unit_id__gte=lo, admin_unit_id__lt=hi)
    return qs.filter(dispute_type=dispute_type) if dispute_type else qs


@dataclass
class Direct:
    counts: dict[str, int] = field(default_factory=dict)
    rates: dict[str, Any] = field(default_factory=dict)
    open_by_status: dict[str, int] = field(default_factory=dict)
    p90: int | str | None = "none"


def _share(a: int, b: int) -> float | None:
    return a / b if b else None


def compute(
    qs: QuerySet[Dispute], period: periods.Period, today: dt.date, *, with_stock: bool = True
) -> Direct:
    start, end = bounds(period)
    first, stop = periods.first_day(period.first), periods.first_day(periods.add_months(period.last, 1))
    ids = qs.values("id")
    closed = qs.filter(closed_at__gte=start, closed_at__lt=end)
    resolved = closed.filter(outcome="resolved")
    mediated = closed.filter(
        Q(outcome__in=["resolved", "failed"]) | Q(outcome="transferred", accepted_at__isnull=False)
    )
    visited = Exists(FollowUpVisit.objects.filter(dispute=OuterRef("pk")))
    first_agreement = qs.annotate(first=Min("agreements__created_at")).filter(first__gte=start, first__lt=end)
    agreed_ids = first_agreement.values("id")
    accepted = qs.filter(accepted_at__gte=start, accepted_at__lt=end)
    money = accepted.aggregate(a=Sum("amount"), p=Sum("people_involved"))
    visits = FollowUpVisit.objects.filter(dispute__in=ids, visited_on__gte=first, visited_on__lt=stop)
    agreements = Agreement.objects.filter(dispute__in=ids, created_at__gte=start, created_at__lt=end)
    confirmations = JudicialConfirmation.objects.filter(agreement__dispute__in=ids)
    in_period = Transition.objects.filter(dispute__in=ids, at__gte=start, at__lt=end)
    c = {
        "registered": qs.filter(received_at__gte=start, received_at__lt=end).count(),
        "accepted": accepted.count(),
        "declined": closed.filter(outcome="declined").count(),
        "escalated": in_period.filter(action=Action.ESCALATE).count(),
        "agreements_written": agreements.filter(form="written").count(),
        "agreements_oral": agreements.filter(form="oral").count(),
        "mediation_failed": in_period.filter(action=Action.FAIL_MEDIATION).count(),
        "confirm_applied": confirmations.filter(applied_on__gte=first, applied_on__lt=stop).count(),
        "confirm_valid": confirmations.filter(
            result="valid", decided_on__gte=first, decided_on__lt=stop
        ).count(),
        "performed": Performance.objects.filter(
            dispute__in=ids, status="full", recorded_on__gte=first, recorded_on__lt=stop
        ).count(),
        "transferred": closed.filter(outcome="transferred").count(),
        "withdrawn": closed.filter(outcome="withdrawn").count(),
        "follow_ups": visits.count(),
        "sat_satisfied": visits.filter(satisfaction="satisfied").count(),
        "sat_fairly": visits.filter(satisfaction="fairly").count(),
        "sat_dissatisfied": visits.filter(satisfaction="dissatisfied").count(),
        "accepted_amount": round((money["a"] or 0) * 100),
        "accepted_people": money["p"] or 0,
        "closed": closed.count(),
        "resolved": resolved.count(),
        "resolved_village": resolved.filter(tier="village").count(),
        "failed": closed.filter(outcome="failed").count(),
        "transferred_mediated": closed.filter(outcome="transferred", accepted_at__isnull=False).count(),
        "mediated_end": mediated.count(),
        "upward": mediated.exclude(outcome="resolved").filter(tier="county").count(),
        "followed_end": mediated.filter(visited).count(),
        "agreed": first_agreement.count(),
        "agreed_written": Dispute.objects.filter(id__in=agreed_ids, agreements__form="written")
        .distinct()
        .count(),
        "agreed_applied": Dispute.objects.filter(id__in=agreed_ids, agreements__confirmations__isnull=False)
        .distinct()
        .count(),
        "agreed_confirmed": Dispute.objects.filter(
            id__in=agreed_ids, agreements__confirmations__result="valid"
        )
        .distinct()
        .count(),
        "agreed_performed": Dispute.objects.filter(id__in=agreed_ids, performances__status="full")
        .distinct()
        .count(),
    }
    days = sorted(
        (timezone.localdate(d.closed_at) - timezone.localdate(d.received_at)).days
        for d in resolved
        if d.closed_at is not None
    )
    c["resolve_days"] = sum(days)
    out = Direct(counts=c)
    out.rates = {
        "village_resolution_rate": _share(c["resolved_village"], c["resolved"]),
        "success_rate": _share(c["resolved"], c["mediated_end"]),
        "upward_rate": _share(c["upward"], c["mediated_end"]),
        "mean_days": c["resolve_days"] / c["resolved"] if c["resolved"] else None,
        "confirmation_rate": _share(c["agreed_confirmed"], c["agreed_written"]),
        "performance_rate": _share(c["agreed_performed"], c["agreed"]),
        "follow_up_coverage": _share(c["followed_end"], c["mediated_end"]),
        "satisfaction_rate": _share(c["sat_satisfied"] + c["sat_fairly"], c["follow_ups"]),
    }
    if days:  # nearest-rank 90th percentile, reported as the upper bound of its bucket
        out.p90 = DAY_BUCKETS[bucket_of(days[math.ceil(0.9 * len(days)) - 1])]
    else:
        out.p90 = "none"
    if with_stock:
        out.open_by_status = {s.value: qs.filter(status=s).count() for s in Status if s != Status.CLOSED}
        out.rates["overdue"] = overdue(qs, today)
    return out


def overdue(qs: QuerySet[Dispute], today: dt.date) -> int:
    return (
        Deadline.objects.filter(dispute__in=qs.exclude(status=Status.CLOSED).values("id"), status="open")
        .filter(due_on__lt=today)
        .count()
    )


def open_at_end(qs: QuerySet[Dispute], month: int) -> int:
    """Disputes recorded before the end of ``month`` and not closed by then."""
    _, end = bounds(periods.Period(month, month))
    registered = Transition.objects.filter(dispute=OuterRef("pk"), action=Action.REGISTER, at__lt=end)
    return qs.filter(Exists(registered)).exclude(closed_at__lt=end).count()
