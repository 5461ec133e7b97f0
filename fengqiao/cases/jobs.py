"""The cases' background job: personal data that has outlived its retention period is
removed every night (个人信息保护法 Art. 19: kept no longer than the purpose needs; Art. 47:
deleted when the period ends). The periods are in ``core.privacy``."""

import datetime as dt

from django.utils import timezone

from fengqiao.cases import rights
from fengqiao.core import clock

RETENTION_HOUR = 3  # local time; after the warning recomputation (02:00)


def retention_step(now: dt.datetime | None = None) -> int:
    """Once a day, from ``RETENTION_HOUR``: anonymise the disputes closed longer ago than the
    retention period, with their documents, and empty the old consultations. Returns 1 when
    it ran, 0 otherwise."""
    from fengqiao.warning.jobs import claim_day

    local = timezone.localtime(now or clock.now())
    if local.hour < RETENTION_HOUR or not claim_day("retention", local.date()):
        return 0
    from fengqiao.legalaid.actions import remove_expired

    rights.anonymise_expired(actor=None, today=local.date())
    remove_expired(local.date())
    return 1
