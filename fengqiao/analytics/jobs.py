"""Background work for ``fengqiao worker`` (registered in ``core.jobs.JOBS``).

- ``rollup_step``: apply the next batch of transitions to the rollups (the watermark
  is the durable queue: a crash loses nothing, the next step goes on from it);
- ``nightly_rebuild``: recompute everything once a night, between 02:00 and 05:00,
  which also takes in what the incremental path cannot see (rows deleted, as by
  ``fengqiao demo --reset``);
- ``monthly_reports``: on the first days of a month, last month's report for every
  county, kept for download — only once the rollups have caught up.
Each returns how much it did (0: nothing to do).
"""

import datetime as dt

from django.utils import timezone

from fengqiao.analytics import actions, periods, rollups
from fengqiao.analytics.models import MonthlyReport
from fengqiao.analytics.queries import Scope
from fengqiao.cases.models import Transition
from fengqiao.core import clock
from fengqiao.geography.choices import Level
from fengqiao.geography.models import AdminUnit

NIGHT = range(2, 5)  # local hours in which the nightly rebuild may start
REBUILD_EVERY = dt.timedelta(hours=20)
REPORT_DAYS = 5  # the reports of last month are made on days 1..5
REPORTS_PER_STEP = 20


def rollup_step() -> int:
    return rollups.update()


def nightly_rebuild(now: dt.datetime | None = None) -> int:
    now = now or clock.now()
    if timezone.localtime(now).hour not in NIGHT:
        return 0
    last = rollups.state().rebuilt_at
    if last is not None and now - last < REBUILD_EVERY:
        return 0
    return rollups.rebuild().rows or 1


def monthly_reports(today: dt.date | None = None, limit: int = REPORTS_PER_STEP) -> int:
    today = today or clock.today()
    if today.day > REPORT_DAYS:
        return 0
    if Transition.objects.filter(id__gt=rollups.state().last_id).exists():
        return 0  # the figures are not complete yet
    month = periods.add_months(periods.month_of(today), -1)
    done = set(MonthlyReport.objects.filter(month=month).values_list("unit_id", flat=True))
    todo = [u for u in AdminUnit.objects.filter(level=Level.COUNTY).order_by("code") if u.code not in done]
    made = 0
    for unit in todo[:limit]:
        if actions.store_report(Scope(unit, unit), month, on=today) is not None:
            made += 1
    return made
