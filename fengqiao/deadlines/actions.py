"""The deadline engine: every legal time limit starts, stops and stretches here.

Apps ask this module, never compute a due date themselves: ``start`` opens a deadline
under a rule of ``rules.RULES`` (closing the previous one of the same family),
``close`` ends deadlines when what they wait for is done (or no longer can be), and
``extend`` moves a last day where the law allows it. Callers run these inside their
own transaction, so a deadline changes together with the state that caused it.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.errors import DomainError
from fengqiao.deadlines import rules
from fengqiao.deadlines.models import Deadline, DeadlineStatus


def _open(dispute: Dispute | None, subject: str) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(status=DeadlineStatus.OPEN)
    return (
        qs.filter(dispute=dispute)
        if dispute is not None
        else qs.filter(subject=subject, dispute__isnull=True)
    )


def start(
    rule_key: str,
    *,
    on: dt.date,
    dispute: Dispute | None = None,
    subject: str = "",
    admin_unit: int | None = None,
    note: str = "",
) -> Deadline:
    """Open a deadline of ``rule_key`` that starts counting on ``on`` (that day not counted)."""
    rule = rules.RULES[rule_key]
    due = rules.due_date(rule, on)
    family = [r.key for r in rules.RULES.values() if r.group == rule.group]
    _open(dispute, subject).filter(rule__in=family).update(
        status=DeadlineStatus.CANCELLED, closed_at=clock.now()
    )
    unit = admin_unit if admin_unit is not None else (dispute.admin_unit_id if dispute is not None else None)
    if unit is None:
        raise ValueError("a deadline needs the admin unit it belongs to")
    return Deadline.objects.create(
        rule=rule.key,
        dispute=dispute,
        subject=subject,
        admin_unit_id=unit,
        started_on=on,
        due_on=due,
        remind_on=due - dt.timedelta(days=rule.remind_days),
        estimated=not rules.calendar_known(due),
        note=note,
    )


def close(
    *,
    dispute: Dispute | None = None,
    subject: str = "",
    rule_keys: Iterable[str] | None = None,
    status: DeadlineStatus = DeadlineStatus.MET,
) -> int:
    """End the open deadlines of a subject (all of them, or those of ``rule_keys``)."""
    qs = _open(dispute, subject)
    if rule_keys is not None:
        qs = qs.filter(rule__in=list(rule_keys))
    return qs.update(status=status, closed_at=clock.now())


def extend(deadline: Deadline, *, to: dt.date, reason: str) -> Deadline:
    """Move a deadline's last day later (where the law allows it; the caller checks consent)."""
    if deadline.status != DeadlineStatus.OPEN:
        raise DomainError("该期限已结束，不能延长")
    if to <= deadline.due_on:
        raise DomainError("延长后的期限须晚于原期限", field="new_due")
    limit = rules.MAX_EXTENSION.get(deadline.rule)
    if limit is not None and to > deadline.due_on + limit:
        raise DomainError(
            f"延长不得超过{limit.days}日（{rules.RULES[deadline.rule].citation}）", field="new_due"
        )
    rule = rules.RULES[deadline.rule]
    deadline.due_on = to
    deadline.remind_on = to - dt.timedelta(days=rule.remind_days)
    deadline.reminded_at = None
    deadline.expired_at = None
    deadline.estimated = not rules.calendar_known(to)
    deadline.extensions += 1
    deadline.note = reason[:200]
    deadline.save(
        update_fields=["due_on", "remind_on", "reminded_at", "expired_at", "estimated", "extensions", "note"]
    )
    return deadline


def current(dispute: Dispute, rule_keys: Iterable[str]) -> Deadline | None:
    return _open(dispute, "").filter(rule__in=list(rule_keys)).order_by("-id").first()
