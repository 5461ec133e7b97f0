"""/api/v1/alerts — the actor's alerts and their lifecycle."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from fengqiao.api.auth import actor_of
from fengqiao.warning import actions, queries
from fengqiao.warning.choices import AlertStatus
from fengqiao.warning.models import Alert

router = Router(tags=["预警"])


class AlertOut(Schema):
    id: int
    kind: str
    severity: str
    status: str
    title: str
    reason: str
    dispute_id: int | None
    owner_unit_id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    note: str


class MoveIn(Schema):
    status: AlertStatus
    note: str = Field(default="", max_length=2000)


@router.get("", response=list[AlertOut], summary="本辖区预警")
def list_alerts(request: HttpRequest, all: bool = False) -> Any:
    return list(queries.alerts_for(actor_of(request), active_only=not all)[:200])


@router.post("/{int:alert_id}/status", response=AlertOut, summary="签收、处置或关闭预警")
def move(request: HttpRequest, alert_id: int, payload: MoveIn) -> Alert:
    actor = actor_of(request)
    return actions.move_alert(
        queries.alert_for(actor, alert_id), actor=actor, to=payload.status, note=payload.note
    )
