"""/api/v1/warning — one alert with its evidence, as the actor may see it.

The list and the lifecycle are ``/api/v1/alerts`` (``api.alerts``). The evidence of a
signal cites disputes that may lie outside the reader's jurisdiction (a repeat
dispute that moved villages, a firm with claims in two townships): those are shown
as a count, not as cases, because the case file is scoped (``cases.queries``).
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from fengqiao.api.auth import actor_of
from fengqiao.cases import queries as case_queries
from fengqiao.warning import queries

router = Router(tags=["预警"])


class EvidenceOut(Schema):
    id: int
    kind: str
    kind_label: str
    severity: str
    status: str
    title: str
    reason: str
    owner_unit_id: int
    dispute_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    evidence: dict[str, Any]
    disputes_outside_jurisdiction: int


@router.get("/alerts/{int:alert_id}", response=EvidenceOut, summary="预警详情及依据")
def alert_detail(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    alert = queries.alert_for(actor, alert_id)
    evidence = dict(alert.evidence)
    cited = [d for d in evidence.get("disputes", []) if isinstance(d, dict) and "id" in d]
    visible = set(
        case_queries.disputes_for(actor).filter(pk__in=[d["id"] for d in cited]).values_list("pk", flat=True)
    )
    if cited:
        evidence["disputes"] = [d for d in cited if d["id"] in visible]
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "kind_label": alert.get_kind_display(),
        "severity": alert.severity,
        "status": alert.status,
        "title": alert.title,
        "reason": alert.reason,
        "owner_unit_id": alert.owner_unit_id,
        "dispute_id": alert.dispute_id,
        "created_at": alert.created_at,
        "updated_at": alert.updated_at,
        "evidence": evidence,
        "disputes_outside_jurisdiction": len(cited) - len(visible),
    }
