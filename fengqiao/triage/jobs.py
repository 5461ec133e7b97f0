"""Background triage: disputes registered in bulk carry ``triage_pending`` and are
triaged here in batches — by ``fengqiao worker``, or by the import command when it
finishes. The flag is the durable queue: a crash loses nothing, the next run goes on.
"""

from django.db import connection, transaction

from fengqiao.cases import actions as case_actions
from fengqiao.cases.choices import OPEN_STATUSES
from fengqiao.cases.models import Dispute, Party
from fengqiao.core import clock
from fengqiao.core.bulk import insert_rows
from fengqiao.core.identity import birth_date_from_id
from fengqiao.triage import actions, service
from fengqiao.triage.models import Proposal

BATCH = 1000


def pending_count() -> int:
    return Dispute.objects.filter(triage_pending=True).count()


def triage_backlog(batch: int = BATCH) -> int:
    """Triage one batch of pending disputes; return how many were done (0 when none)."""
    with transaction.atomic():
        qs = Dispute.objects.filter(triage_pending=True).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        disputes = list(
            qs.only(
                "id",
                "summary",
                "narrative",
                "amount",
                "people_involved",
                "dispute_type",
                "status",
                "admin_unit_id",
            )[:batch]
        )
        if not disputes:
            return 0
        today = clock.today()
        ages: dict[int, list[int]] = {}
        parties: dict[int, int] = {}
        for dispute_id, id_number in Party.objects.filter(dispute__in=disputes).values_list(
            "dispute_id", "id_number"
        ):
            parties[dispute_id] = parties.get(dispute_id, 0) + 1
            if len(id_number) == 18:
                ages.setdefault(dispute_id, []).append((today - birth_date_from_id(id_number)).days // 365)
        results = service.triage_many(
            [
                service.Case(
                    text=f"{d.summary}。{d.narrative}",
                    amount=d.amount,
                    people=d.people_involved,
                    parties=parties.get(d.pk, 2),
                    party_ages=tuple(ages.get(d.pk, ())),
                    dispute_type=d.dispute_type,
                )
                for d in disputes
            ]
        )
        insert_rows(Proposal, [actions.proposal_row(d.pk, r) for d, r in zip(disputes, results, strict=True)])
        case_actions.record_triage(
            [(d.pk, r.risk.level.value) for d, r in zip(disputes, results, strict=True)]
        )
        for d, r in zip(disputes, results, strict=True):
            if d.status in OPEN_STATUSES:  # history does not raise alerts
                actions.alert_if_high(d, r)
    return len(disputes)


def drain(batch: int = BATCH) -> int:
    """Triage every pending dispute now; return the number done."""
    total = 0
    while done := triage_backlog(batch):
        total += done
    return total
