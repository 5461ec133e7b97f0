"""Dispatch through the JSON API, scoped by jurisdiction (404 outside it)."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from fengqiao.accounts.models import Mediator, User
from fengqiao.cases.models import Dispute
from fengqiao.core.testing import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, Personas, make_id_number, sign_in
from fengqiao.dispatch.models import CountyPairing
from fengqiao.dispatch.tests.conftest import MAERKANG, add_mediator

pytestmark = pytest.mark.django_db
Accepted = Callable[..., Dispute]


def client_for(user: User) -> Client:
    c = Client()
    sign_in(c, user)  # password and, for staff, the second factor (the API refuses otherwise)
    return c


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, data=json.dumps(body), content_type="application/json")


def test_proposals_and_dispatch_of_one_case(personas: Personas, accepted: Accepted) -> None:
    d = accepted()
    add_mediator(OTHER_VILLAGE, "陈调解")
    c = client_for(personas.township_officer)
    r = c.get(f"/api/v1/cases/{d.pk}/mediator-proposals")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [p["name"] for p in body["items"]] == ["王调解", "陈调解"]
    first = body["items"][0]
    assert first["proximity"] == "承办调解组织" and {"item": "擅长邻里纠纷", "points": 0} in first["items"]
    assert first["total"] == sum(i["points"] for i in first["items"])
    r = post(c, f"/api/v1/cases/{d.pk}/dispatch", {})
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "王调解" and "系统推荐" in r.json()["reason"]
    # a second, named mediator for the same case must still pass every check
    r = post(c, f"/api/v1/cases/{d.pk}/dispatch", {"mediator": personas.mediator.pk})
    assert r.status_code == 400 and r.json()["field"] == "mediator"


def test_outside_the_jurisdiction_everything_is_404(personas: Personas, accepted: Accepted) -> None:
    d = accepted()
    c = client_for(personas.other_township_officer)
    assert c.get(f"/api/v1/cases/{d.pk}/mediator-proposals").status_code == 404
    assert post(c, f"/api/v1/cases/{d.pk}/dispatch", {}).status_code == 404
    assert c.get(f"/api/v1/cases/{d.pk}/objections").status_code == 404
    party = d.parties.first()
    assert party is not None
    body = {"party": party.pk, "mediator": personas.mediator.pk, "ground": "partiality"}
    assert post(c, f"/api/v1/cases/{d.pk}/objections", body).status_code == 404
    assert c.get(f"/api/v1/dispatch/mediators/{personas.mediator.pk}/declarations").status_code == 404
    assert (
        post(
            client_for(personas.other_county_officer), "/api/v1/dispatch/batch", {"unit": COUNTY}
        ).status_code
        == 404
    )
    assert Dispute.objects.get(pk=d.pk).mediator is None


def test_objections_and_choices_steer_the_proposal(personas: Personas, accepted: Accepted) -> None:
    d = accepted()
    chosen = add_mediator(OTHER_VILLAGE, "陈调解")
    c = client_for(personas.township_officer)
    zhang, li = d.parties.get(name="张三"), d.parties.get(name="李四")
    r = post(c, f"/api/v1/cases/{d.pk}/mediator-choices", {"party": zhang.pk, "mediator": chosen.pk})
    assert r.status_code == 201, r.content
    assert c.get(f"/api/v1/cases/{d.pk}/mediator-proposals").json()["items"][0]["chosen_by_party"]
    r = post(
        c,
        f"/api/v1/cases/{d.pk}/objections",
        {"party": li.pk, "mediator": chosen.pk, "ground": "village_official"},
    )
    assert r.status_code == 201 and r.json()["ground_label"] == "系对方当事人所在村(社区)干部"
    body = c.get(f"/api/v1/cases/{d.pk}/mediator-proposals").json()
    assert [p["name"] for p in body["items"]] == ["王调解"] and "不接受" in body["notes"][0]
    oid = r.json()["id"]
    assert post(c, f"/api/v1/cases/{d.pk}/objections/{oid}/withdraw", {}).json()["withdrawn"]
    assert c.get(f"/api/v1/cases/{d.pk}/mediator-proposals").json()["items"][0]["name"] == "陈调解"
    r = post(
        c, f"/api/v1/cases/{d.pk}/objections", {"party": li.pk, "mediator": chosen.pk, "ground": "other"}
    )
    assert r.status_code == 400 and r.json()["field"] == "reason"


def test_declarations_are_kept_by_the_mediator_or_his_officers_and_masked_for_others(
    personas: Personas,
) -> None:
    url = f"/api/v1/dispatch/mediators/{personas.mediator.pk}/declarations"
    body = {"person_name": "张三", "id_number": make_id_number(seq=101), "relation": "kin", "reason": "兄弟"}
    r = post(client_for(personas.village_mediator), url, body)
    assert r.status_code == 201, r.content
    assert r.json()["id_number"] == body["id_number"]  # a mediator contacts people: sees it whole
    r = client_for(personas.township_officer).get(url)
    assert r.status_code == 200 and r.json()[0]["relation_label"] == "近亲属"
    r = post(client_for(personas.village_mediator), url, {**body, "id_number": "12345"})
    assert r.status_code == 400 and r.json()["field"] == "id_number"
    did = client_for(personas.township_officer).get(url).json()[0]["id"]
    r = post(client_for(personas.township_officer), f"/api/v1/dispatch/declarations/{did}/withdraw", {})
    assert r.json()["withdrawn"]


def test_the_batch_over_the_api(personas: Personas, accepted: Accepted) -> None:
    accepted()
    accepted()
    r = post(client_for(personas.county_officer), "/api/v1/dispatch/batch", {"unit": COUNTY})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["considered"] == 2 and body["assigned"] == 2 and body["seconds"]["solve"] >= 0
    r = post(client_for(personas.village_mediator), "/api/v1/dispatch/batch", {"unit": COUNTY})
    assert r.status_code == 403
    assert (
        post(
            client_for(personas.county_officer), "/api/v1/dispatch/batch", {"unit": OTHER_COUNTY}
        ).status_code
        == 404
    )


def test_pairings_are_loaded_by_command_and_kept_by_the_system_administrator(personas: Personas) -> None:
    call_command("dispatch", "pairings", "load")
    assert (
        CountyPairing.objects.count() == 48
        and CountyPairing.objects.filter(is_illustrative=False).count() == 0
    )
    call_command("dispatch", "pairings", "load")  # idempotent
    assert CountyPairing.objects.count() == 48
    c = client_for(personas.system_admin)
    r = post(
        c, "/api/v1/dispatch/pairings", {"aided_county": MAERKANG, "partner_county": COUNTY, "note": "试点"}
    )
    assert r.status_code == 201, r.content
    assert r.json()["aided_name"] == "马尔康市" and not r.json()["is_illustrative"]
    pid = r.json()["id"]
    assert not post(c, f"/api/v1/dispatch/pairings/{pid}/deactivate", {}).json()["is_active"]
    r = post(
        client_for(personas.county_officer),
        "/api/v1/dispatch/pairings",
        {"aided_county": MAERKANG, "partner_county": COUNTY},
    )
    assert r.status_code == 403
    r = post(c, "/api/v1/dispatch/pairings", {"aided_county": MAERKANG, "partner_county": 513201100200})
    assert r.status_code == 400 and r.json()["field"] == "partner_county"


def test_a_paired_countys_mediator_is_proposed_before_the_rest_of_the_city(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    Mediator.objects.filter(pk=personas.mediator.pk).update(max_load=0)
    # beyond its own county a dispute draws on county-level bodies: the resolution centres
    add_mediator(513201100200, "村调解员")  # a village of the paired county: never sent
    helper = add_mediator(MAERKANG, "扎西", languages=["zh", "bo"])
    add_mediator(510131101200, "蒲江村调解员")  # a village of the same city: never sent
    add_mediator(OTHER_COUNTY, "蒲江调解")  # the same city's other county centre
    c = client_for(personas.township_officer)
    assert [p["name"] for p in c.get(f"/api/v1/cases/{d.pk}/mediator-proposals").json()["items"]] == [
        "蒲江调解"
    ]
    CountyPairing.objects.create(aided_county_id=MAERKANG, partner_county_id=COUNTY)
    first = c.get(f"/api/v1/cases/{d.pk}/mediator-proposals").json()["items"][0]
    assert first["name"] == helper.name and first["proximity"] == "结对帮扶县"


def test_the_batch_command(
    personas: Personas, accepted: Accepted, capsys: pytest.CaptureFixture[str]
) -> None:
    accepted()
    call_command("dispatch", "batch", "--unit", str(COUNTY), "--as", personas.county_officer.username)
    out = capsys.readouterr().out
    assert "已指派 1 件" in out and "求解" in out


def test_the_cases_api_assignment_is_checked_too(personas: Personas, accepted: Accepted) -> None:
    """There is one way to assign: the cases API's 指派调解员 goes through dispatch's checks."""
    d = accepted()
    Mediator.objects.filter(pk=personas.mediator.pk).update(max_load=0)
    c = client_for(personas.township_officer)
    r = post(c, f"/api/v1/cases/{d.pk}/mediator", {"mediator_id": personas.mediator.pk})
    assert r.status_code == 400 and r.json()["field"] == "mediator", r.content
    assert Dispute.objects.get(pk=d.pk).mediator_id is None
    Mediator.objects.filter(pk=personas.mediator.pk).update(max_load=5)
    r = post(c, f"/api/v1/cases/{d.pk}/mediator", {"mediator_id": personas.mediator.pk})
    assert r.status_code == 200, r.content
    assert Dispute.objects.get(pk=d.pk).mediator_id == personas.mediator.pk
