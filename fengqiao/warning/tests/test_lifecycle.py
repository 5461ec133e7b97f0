"""An alert's life — acknowledged, handled with a note, closed — through the API and the
page, inside the actor's jurisdiction only; a situation that flares up again after
its alert was closed opens a new one."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from fengqiao.core import clock
from fengqiao.core.testing import Personas, register, sign_in
from fengqiao.warning import jobs
from fengqiao.warning.choices import AlertKind, AlertStatus
from fengqiao.warning.models import Alert
from fengqiao.warning.tests.test_signals import neighbours

pytestmark = pytest.mark.django_db


def move(c: Client, alert: Alert, status: str, note: str = "") -> Any:
    return c.post(
        f"/api/v1/alerts/{alert.pk}/status",
        data=json.dumps({"status": status, "note": note}),
        content_type="application/json",
    )


def repeat_alert(p: Personas, day: int) -> Alert:
    for i in range(2):
        with clock.frozen(dt.datetime(2026, 3, 2, 9, 0) + dt.timedelta(days=day + 3 * i)):
            register(p.village_mediator, summary=f"排水沟纠纷{day}-{i}", **neighbours())
            jobs.drain()
    return Alert.objects.get(kind=AlertKind.REPEAT_DISPUTE, status__in=["open", "acknowledged"])


def test_acknowledge_handle_with_a_note_and_close(personas: Personas) -> None:
    p = personas
    alert = repeat_alert(p, 0)
    mediator = sign_in(Client(), p.village_mediator)
    page = mediator.get("/alerts/").content.decode()
    assert alert.title in page and "签收" in page and "关联纠纷" in page
    with clock.frozen(dt.datetime(2026, 3, 6, 9, 0)):
        assert move(mediator, alert, "acknowledged").json()["status"] == "acknowledged"
        refused = move(mediator, alert, "handled", note="  ")
        assert refused.status_code in (400, 422) and refused.json()["message"] == "请填写处置情况"
        done = move(mediator, alert, "handled", note="已入户走访，双方同意清理便道")
        assert done.json()["status"] == "handled" and done.json()["note"].startswith("已入户走访")
        back = move(mediator, alert, "open")
        assert back.status_code in (400, 422) and "不能改为" in back.json()["message"]
        assert move(mediator, alert, "closed").json()["status"] == "closed"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED and alert.handled_by_id == p.village_mediator.pk
    # the county sees it among its townships' (with the closed ones), others do not
    county = sign_in(Client(), p.county_officer)
    assert alert.pk in {a["id"] for a in county.get("/api/v1/alerts?all=true").json()}
    outsider = sign_in(Client(), p.other_county_officer)
    assert alert.pk not in {a["id"] for a in outsider.get("/api/v1/alerts?all=true").json()}
    assert move(outsider, alert, "closed").status_code == 404
    assert outsider.get(f"/api/v1/warning/alerts/{alert.pk}").status_code == 404
    # the same two come back: a new alert, not the closed one reopened
    again = repeat_alert(p, 20)
    assert again.pk != alert.pk and again.status == AlertStatus.OPEN


def test_only_mediation_staff_handle_alerts(personas: Personas) -> None:
    p = personas
    alert = repeat_alert(p, 0)
    analyst = sign_in(Client(), p.city_analyst)
    assert alert.pk in {a["id"] for a in analyst.get("/api/v1/alerts").json()}
    refused = move(analyst, alert, "acknowledged")
    assert refused.status_code == 403 and "处置预警" in refused.json()["message"]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
