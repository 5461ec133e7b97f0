"""Writes of the analytics app other than the rollups themselves (``rollups`` keeps those)."""

import datetime as dt

from django.db import IntegrityError, transaction

from fengqiao.accounts import audit
from fengqiao.accounts.models import User
from fengqiao.analytics import periods, report
from fengqiao.analytics.models import MonthlyReport
from fengqiao.analytics.queries import Scope

SYSTEM_PREPARER = "系统自动生成"


def store_report(scope: Scope, month: int, *, on: dt.date, actor: User | None = None) -> MonthlyReport | None:
    """Generate and keep the monthly report of ``scope``'s unit; None when one is already
    kept (another worker made it first). Audited like every generated document."""
    preparer = actor.display_name if actor else SYSTEM_PREPARER
    content = report.build_xlsx(scope, month, preparer=preparer, on=on)
    try:
        with transaction.atomic():
            row = MonthlyReport.objects.create(
                unit=scope.unit, month=month, content=content, preparer=preparer, generated_by=actor
            )
            audit.record(actor, "generate_monthly_report", row, unit=scope.code, month=periods.iso(month))
    except IntegrityError:
        return None
    return row
