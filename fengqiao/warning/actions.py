"""Writes on alerts: raise (or update) one per situation, and move it through its life."""

from typing import Any

from django.db import transaction

from fengqiao.accounts import audit
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import MEDIATION_REACH
from fengqiao.core import clock
from fengqiao.core.errors import DomainError, PermissionDenied
from fengqiao.warning.choices import ACTIVE_STATUSES, AlertKind, AlertStatus, Severity
from fengqiao.warning.models import Alert

NEXT = {
    AlertStatus.OPEN: {AlertStatus.ACKNOWLEDGED, AlertStatus.HANDLED, AlertStatus.CLOSED},
    AlertStatus.ACKNOWLEDGED: {AlertStatus.HANDLED, AlertStatus.CLOSED},
    AlertStatus.HANDLED: {AlertStatus.CLOSED},
    AlertStatus.CLOSED: set(),
}


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
    now = clock.now()
    alert = Alert.objects.select_for_update().filter(key=key, status__in=ACTIVE_STATUSES).first()
    if alert is None:
        alert = Alert.objects.create(
            key=key,
            kind=kind,
            severity=severity,
            owner_unit_id=owner_unit,
            dispute_id=dispute_id,
            title=title,
            reason=reason,
            evidence=evidence or {},
            created_at=now,
            updated_at=now,
        )
        audit.record(None, "raise_alert", alert, kind=kind)
        return alert
    alert.severity, alert.title, alert.reason, alert.updated_at = severity, title, reason, now
    alert.evidence = {**alert.evidence, **(evidence or {})}
    alert.save(update_fields=["severity", "title", "reason", "updated_at", "evidence"])
    return alert


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
