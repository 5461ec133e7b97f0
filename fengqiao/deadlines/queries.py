"""Countdowns: what staff and citizens see of the running deadlines."""

import datetime as dt
from typing import Any

from fengqiao.cases.models import Dispute
from fengqiao.deadlines import rules
from fengqiao.deadlines.models import Deadline, DeadlineStatus


def countdown(deadline: Deadline, today: dt.date) -> dict[str, Any]:
    rule = rules.RULES[deadline.rule]
    left = rules.days_left(deadline.due_on, today)
    return {
        "rule": rule.key,
        "label": rule.label,
        "citation": rule.citation,
        "started_on": deadline.started_on,
        "due_on": deadline.due_on,
        "days_left": left,
        "overdue": left < 0,
        "soon": 0 <= left <= rule.remind_days,
        "estimated": deadline.estimated,
        "extended": deadline.extensions > 0,
        "status": deadline.status,
    }


def countdowns(dispute: Dispute, today: dt.date) -> list[dict[str, Any]]:
    """The dispute's running deadlines (overdue ones included), soonest first."""
    live = Deadline.objects.filter(dispute=dispute, status=DeadlineStatus.OPEN)
    return [countdown(d, today) for d in live.order_by("due_on", "id")]
