"""The dispute journey through the JSON API, as a partner system or a mobile client uses it."""

import json
from typing import Any

import pytest
from django.test import Client

from fengqiao.accounts.actions import issue_api_token
from fengqiao.core.testing import OTHER_COUNTY_VILLAGE, Personas, dispute_payload, register, sign_in

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    sign_in(c, user)
    return c


def post(c: Client, url: str, body: dict[str, Any], **extra: Any) -> Any:
    return c.post(url, data=json.dumps(body, default=str), content_type="application/json", **extra)


def test_the_journey_through_the_api_ends_closed_with_its_timeline(personas: Personas) -> None:
    c = client_for(personas.village_mediator)
    r = post(c, "/api/v1/cases", dispute_payload())
    assert r.status_code == 201, r.content
    case = r.json()
    cid = case["id"]
    assert case["status"] == "registered" and case["number"].startswith("川调")
    assert {"action": "accept", "label": "受理"} in case["available_actions"]
    steps = [
        ("accept", {}),
        ("sessions", {"held_at": "2026-01-05T10:00:00+08:00", "place": "村委会", "content": "双方同意协商"}),
        (
            "agreement",
            {
                "form": "written",
                "facts": "排水沟堵塞",
                "terms": "被申请人疏通排水沟",
                "performance_method": "现场疏通",
            },
        ),
        ("performance", {"status": "full"}),
        ("follow-ups", {"method": "phone", "satisfaction": "satisfied"}),
        ("close", {"note": "案结事了"}),
    ]
    for path, body in steps:
        r = post(c, f"/api/v1/cases/{cid}/{path}", body)
        assert r.status_code == 200, (path, r.content.decode())
    assert r.json()["status"] == "closed" and r.json()["outcome"] == "resolved"
    timeline = c.get(f"/api/v1/cases/{cid}/timeline").json()
    assert [t["action"] for t in timeline] == [
        "register",
        "accept",
        "record_session",
        "reach_agreement",
        "record_performance",
        "record_follow_up",
        "close",
    ]
    assert timeline[-1]["from_status_label"] == "已履行" and timeline[-1]["actor"] == "cun_tiaojie"


def test_invalid_submission_errors_are_chinese_and_name_the_field(personas: Personas) -> None:
    c = client_for(personas.village_mediator)
    bad = dispute_payload()
    bad["parties"][0]["id_number"] = "510129198005171230"  # wrong check digit
    bad["parties"][1]["phone"] = "12345"
    bad["summary"] = ""
    r = post(c, "/api/v1/cases", bad)
    assert r.status_code == 422
    body = r.json()
    labels = {e["label"]: e["message"] for e in body["errors"]}
    assert "校验位" in labels["当事人1 身份证号码"]
    assert "手机号码" in labels["当事人2 联系电话"]
    assert labels["纠纷概要"] == "内容过短"
    assert "当事人1 身份证号码" in body["message"]


def test_a_refused_step_answers_400_with_the_legal_reason(personas: Personas) -> None:
    c = client_for(personas.village_mediator)
    d = register(personas.village_mediator)
    post(c, f"/api/v1/cases/{d.pk}/accept", {})
    r = post(c, f"/api/v1/cases/{d.pk}/agreement", {"form": "oral", "terms": "赔偿500元"})
    assert r.status_code == 400
    assert "调解笔录" in r.json()["message"]
    r = post(c, f"/api/v1/cases/{d.pk}/failure", {"advice": ""})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "advice"


def test_out_of_jurisdiction_cases_are_404_without_personal_data(personas: Personas) -> None:
    d = register(personas.village_mediator)
    c = client_for(personas.other_township_officer)
    for method, url in [
        ("get", f"/api/v1/cases/{d.pk}"),
        ("get", f"/api/v1/cases/{d.pk}/timeline"),
        ("get", f"/api/v1/cases/{d.pk}/agreement.docx"),
        ("post", f"/api/v1/cases/{d.pk}/accept"),
    ]:
        r = c.get(url) if method == "get" else post(c, url, {})
        assert r.status_code == 404, url
        assert "张三" not in r.content.decode()
    assert c.get("/api/v1/cases").json()["items"] == []


def test_registration_outside_jurisdiction_names_the_place_field(personas: Personas) -> None:
    r = post(
        client_for(personas.village_mediator),
        "/api/v1/cases",
        dispute_payload(admin_unit=OTHER_COUNTY_VILLAGE),
    )
    assert r.status_code == 400 and r.json()["field"] == "admin_unit"


def test_partner_court_refers_a_case_with_a_bearer_token_and_follows_it(personas: Personas) -> None:
    key = issue_api_token(personas.partner_court, name="法院对接")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    r = post(
        c, "/api/v1/cases", dispute_payload(channel="court_referral", external_id="court-2026-001"), **auth
    )
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    court = personas.partner_court.organisation
    assert court is not None and r.json()["referred_by_org"] == court.name
    assert c.get(f"/api/v1/cases/{cid}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    # the court cannot mediate
    assert post(c, f"/api/v1/cases/{cid}/accept", {}, **auth).status_code == 403
    # resending the same referral is refused rather than duplicated
    again = post(
        c, "/api/v1/cases", dispute_payload(channel="court_referral", external_id="court-2026-001"), **auth
    )
    assert again.status_code == 400 and again.json()["field"] == "external_id"
    assert Client().get(f"/api/v1/cases/{cid}", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_lists_are_masked_for_analysts_and_full_for_mediators(personas: Personas) -> None:
    d = register(personas.village_mediator)
    full = client_for(personas.township_officer).get(f"/api/v1/cases/{d.pk}").json()
    masked = client_for(personas.city_analyst).get(f"/api/v1/cases/{d.pk}").json()
    assert full["parties"][0]["phone"] == "13812345678"
    assert masked["parties"][0]["phone"] == "138****5678"
    assert masked["parties"][0]["id_number"].startswith("5101") and "*" in masked["parties"][0]["id_number"]


def test_list_filters_and_stats(personas: Personas) -> None:
    register(personas.village_mediator)
    register(personas.village_mediator, dispute_type="labour", summary="拖欠工资")
    c = client_for(personas.county_officer)
    items = c.get("/api/v1/cases", {"dispute_type": "labour"}).json()["items"]
    assert [i["summary"] for i in items] == ["拖欠工资"]
    stats = c.get("/api/v1/cases/stats").json()
    assert {(s["status"], s["dispute_type"], s["n"]) for s in stats} == {
        ("registered", "labour", 1),
        ("registered", "neighbour", 1),
    }


def test_openapi_schema_and_healthz(personas: Personas) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{case_id}/accept" in schema["paths"]
    register(personas.village_mediator)
    health = Client().get("/healthz").json()
    assert (
        health["status"] == "ok" and health["cases"] == 1 and health["database"] in ("sqlite", "postgresql")
    )


def test_unauthenticated_api_requests_are_401() -> None:
    assert Client().get("/api/v1/cases").status_code == 401
