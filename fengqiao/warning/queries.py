"""Alerts an actor sees: those owned by units inside his jurisdiction."""

from django.db.models import QuerySet

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import CASE_READERS
from fengqiao.core.errors import NotFound
from fengqiao.geography import codes
from fengqiao.warning.choices import ACTIVE_STATUSES
from fengqiao.warning.models import Alert


def alerts_for(actor: User, *, active_only: bool = True) -> QuerySet[Alert]:
    if not actor.is_authenticated or actor.role not in CASE_READERS or actor.admin_unit_id is None:
        return Alert.objects.none()
    lo, hi = codes.subtree(actor.admin_unit_id)
    qs = Alert.objects.filter(owner_unit_id__gte=lo, owner_unit_id__lt=hi)
    if active_only:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    return qs.select_related("dispute").order_by("-updated_at", "-id")


def alert_for(actor: User, pk: int) -> Alert:
    try:
        return alerts_for(actor, active_only=False).get(pk=pk)
    except Alert.DoesNotExist:
        raise NotFound() from None
