"""The deadline sweep: remind before the last day, alert once it has passed.

Run by ``fengqiao worker`` (and safe to run any number of times: a reminder or an
expiry is stamped on the deadline, so each is raised once). Only deadlines that are
due are read, through partial indexes, so the sweep costs the same over a million
open deadlines as over a hundred.
"""

import datetime as dt
from typing import Any

from django.db import transaction

from fengqiao.cases.choices import Status
from fengqiao.core import clock
from fengqiao.deadlines import rules
from fengqiao.deadlines.models import Deadline, DeadlineStatus
from fengqiao.warning import actions as warnings
from fengqiao.warning.choices import AlertKind, Severity

BATCH = 20_000


def _alert(d: dict[str, Any], kind: AlertKind, today: dt.date) -> warnings.AlertSpec:
    rule = rules.RULES[d["rule"]]
    subject = f"纠纷{d['dispute_id']}" if d["dispute_id"] else d["subject"]
    if kind == AlertKind.DEADLINE_EXPIRED:
        days = (today - d["due_on"]).days
        title = f"{rule.label}已超期{days}天：{subject}"
        severity = Severity.HIGH if rule.escalate else Severity.MEDIUM
        reason = f"{rule.label}已于{d['due_on']:%Y年%m月%d日}届满。依据：{rule.citation}。" + (
            "请承办人员尽快处理，上级予以督办。" if rule.escalate else "请及时告知当事人。"
        )
    else:
        days = (d["due_on"] - today).days
        title = f"{rule.label}将于{days}天后届满：{subject}"
        severity = Severity.MEDIUM if rule.escalate else Severity.LOW
        reason = f"{rule.label}将于{d['due_on']:%Y年%m月%d日}届满。依据：{rule.citation}。"
    return warnings.AlertSpec(
        key=f"deadline:{d['id']}",
        kind=kind,
        severity=severity,
        owner_unit=d["admin_unit_id"],
        dispute_id=d["dispute_id"],
        title=title[:200],
        reason=reason,
        evidence={"deadline": d["id"], "rule": rule.key, "due_on": d["due_on"].isoformat()},
    )


def _due(qs: Any) -> list[dict[str, Any]]:
    return list(
        qs.exclude(dispute__status=Status.CLOSED).values(
            "id", "rule", "dispute_id", "subject", "admin_unit_id", "due_on"
        )[:BATCH]
    )


def sweep(today: dt.date | None = None) -> int:
    """One pass: reminders for deadlines entering their reminder window, alerts for those
    past their last day. Returns how many deadlines it acted on."""
    today = today or clock.today()
    now = clock.now()
    with transaction.atomic():
        expired = _due(
            Deadline.objects.filter(status=DeadlineStatus.OPEN, expired_at__isnull=True, due_on__lt=today)
        )
        if expired:
            warnings.raise_alerts_bulk([_alert(d, AlertKind.DEADLINE_EXPIRED, today) for d in expired])
            Deadline.objects.filter(pk__in=[d["id"] for d in expired]).update(expired_at=now, reminded_at=now)
        soon = _due(
            Deadline.objects.filter(
                status=DeadlineStatus.OPEN, reminded_at__isnull=True, remind_on__lte=today, due_on__gte=today
            )
        )
        if soon:
            warnings.raise_alerts_bulk([_alert(d, AlertKind.DEADLINE_SOON, today) for d in soon])
            Deadline.objects.filter(pk__in=[d["id"] for d in soon]).update(reminded_at=now)
    return len(expired) + len(soon)
