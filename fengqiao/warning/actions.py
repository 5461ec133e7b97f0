"""Writes on alerts: raise (or update) one per situation, and move it through its life."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from fengqiao.accounts import audit
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import MEDIATION_REACH
from fengqiao.core import clock
from fengqiao.core.bulk import insert_rows
from fengqiao.core.errors import DomainError, PermissionDenied
from fengqiao.warning.choices import ACTIVE_STATUSES, AlertKind, AlertStatus, Severity
from fengqiao.warning.models import Alert

NEXT = {
    AlertStatus.OPEN: {AlertStatus.ACKNOWLEDGED, AlertStatus.HANDLED, AlertStatus.CLOSED},
    AlertStatus.ACKNOWLEDGED: {AlertStatus.HANDLED, AlertStatus.CLOSED},
    AlertStatus.HANDLED: {AlertStatus.CLOSED},
    AlertStatus.CLOSED: set(),
}


@dataclass(frozen=True)
class AlertSpec:
    """An alert to raise: the same arguments as ``raise_alert``, for bulk raising."""

    key: str
    kind: AlertKind
    severity: Severity
    owner_unit: int
    title: str
    reason: str
    dispute_id: int | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def raise_alerts_bulk(specs: list[AlertSpec]) -> int:
    """Raise many alerts at once (sweeps): update the open alert of a situation if there
    is one, otherwise create it. One query to find, one to insert, bulk updates."""
    if not specs:
        return 0
    now = clock.now()
    active = {
        a.key: a
        for a in Alert.objects.select_for_update().filter(
            key__in=[s.key for s in specs], status__in=ACTIVE_STATUSES
        )
    }
    new = []
    for spec in specs:
        alert = active.get(spec.key)
        if alert is None:
            new.append(
                {
                    "key": spec.key,
                    "kind": spec.kind.value,
                    "severity": spec.severity.value,
                    "owner_unit_id": spec.owner_unit,
                    "dispute_id": spec.dispute_id,
                    "title": spec.title,
                    "reason": spec.reason,
                    "evidence": spec.evidence,
                    "status": AlertStatus.OPEN.value,
                    "created_at": now,
                    "updated_at": now,
                    "note": "",
                }
            )
        else:
            alert.kind, alert.severity, alert.title, alert.reason = (
                spec.kind,
                spec.severity,
                spec.title,
                spec.reason,
            )
            alert.evidence = {**alert.evidence, **spec.evidence}
            alert.updated_at = now
    if active:
        Alert.objects.bulk_update(
            list(active.values()),
            ["kind", "severity", "title", "reason", "evidence", "updated_at"],
            batch_size=1000,
        )
    insert_rows(Alert, new)
    audit.record(
        None, "raise_alerts", object_type="warning.alert", object_id="", new=len(new), updated=len(active)
    )
    return len(specs)


@transaction.atomic
def raise_alert(
    *,
    key: str,
    kind: AlertKind,
    severity: Severity,
    owner_unit: int,
    title: str,
    reason: str,
    dispute_id: int | None = None,
    evidence: dict[str, Any] | None = None,
) -> Alert:
    """Open an alert for a situation, or update the one already open for it."""
    spec = AlertSpec(key, kind, severity, owner_unit, title, reason, dispute_id, evidence or {})
    raise_alerts_bulk([spec])
    return Alert.objects.get(key=key, status__in=ACTIVE_STATUSES)


@transaction.atomic
def move_alert(alert: Alert, *, actor: User, to: AlertStatus, note: str = "") -> Alert:
    """签收 / 处置 / 关闭. Handling requires a note of what was done."""
    if actor.role not in MEDIATION_REACH:
        raise PermissionDenied("只有调解和司法行政工作人员可以处置预警")
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if to not in NEXT[AlertStatus(alert.status)]:
        raise DomainError(f"预警当前为“{alert.get_status_display()}”，不能改为“{to.label}”")
    if to == AlertStatus.HANDLED and not note.strip():
        raise DomainError("请填写处置情况", field="note")
    alert.status = to
    alert.handled_by = actor
    alert.note = note or alert.note
    alert.updated_at = clock.now()
    alert.save()
    audit.record(actor, f"alert_{to.value}", alert)
    return alert
