"""A citizen leaves a legal question online for the desk of the place they choose
(请工作人员联系我): it is triaged there like any consultation, listed as awaiting a reply
only inside that jurisdiction, answered by the desk with who and when, and the citizen
reads the reply under 我的咨询. Consent and a phone number are required."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from fengqiao.accounts.models import AuditEntry
from fengqiao.cases.choices import Channel
from fengqiao.core import clock
from fengqiao.core.errors import DomainError, NotFound, PermissionDenied
from fengqiao.core.testing import CITY, OTHER_TOWNSHIP, TOWNSHIP, VILLAGE, Personas, sign_in
from fengqiao.legalaid import actions, queries
from fengqiao.legalaid.models import Consultation

pytestmark = pytest.mark.django_db
WAGES = "我在工地干了半年，包工头一直拖着工钱不给，还说要打人，咋个办？"


def leave(personas: Personas, **kw: Any) -> Consultation:
    values: dict[str, Any] = {
        "question": WAGES,
        "admin_unit": TOWNSHIP,
        "asker_phone": "13912345678",
        "asker_name": "王女士",
        "consent": True,
    }
    return actions.request_callback(actor=personas.citizen, **(values | kw))


def test_a_citizens_question_reaches_the_desk_of_the_chosen_place_triaged(personas: Personas) -> None:
    c = leave(personas)
    assert (c.admin_unit_id, c.channel, c.from_citizen, c.received_by) == (
        TOWNSHIP,
        Channel.ONLINE,
        True,
        personas.citizen,
    )
    assert c.proposed_topic == "劳动纠纷" and c.awaits_reply and c.asker_phone == "13912345678"
    assert c.risk_level == "high"  # 要打人: the threat reaches the officers of the township
    assert AuditEntry.objects.filter(action="request_callback", object_id=str(c.pk)).exists()
    township, other = personas.township_officer, personas.other_township_officer
    assert queries.awaiting_reply(township) == 1 and queries.awaiting_reply(other) == 0
    listed = queries.consultation_list(township, queries.ConsultationFilter(awaiting=True))
    assert list(listed) == [c]
    assert list(queries.own_consultations(personas.citizen)) == [c]
    assert not queries.own_consultations(personas.township_officer).exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"consent": False}, "consent"),
        ({"asker_phone": " "}, "asker_phone"),
        ({"asker_phone": "12345"}, "asker_phone"),
        ({"admin_unit": None}, "admin_unit"),
        ({"admin_unit": 519999999999}, "admin_unit"),  # no such place
        ({"admin_unit": CITY}, "admin_unit"),  # a city has no desk of its own
        ({"question": ""}, "question"),
    ],
)
def test_a_request_without_consent_phone_or_place_names_its_field_and_writes_nothing(
    personas: Personas, kw: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as e:
        leave(personas, **kw)
    assert e.value.field == field
    assert not Consultation.objects.exists()


def test_only_citizens_leave_questions_and_only_desks_reply(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        actions.request_callback(
            actor=personas.village_mediator,
            question=WAGES,
            admin_unit=VILLAGE,
            asker_phone="13912345678",
            consent=True,
        )
    c = leave(personas)
    with pytest.raises(PermissionDenied):
        actions.reply_to(c, actor=personas.citizen, reply="已答复")
    with pytest.raises(NotFound):  # another township's desk does not see it
        actions.reply_to(c, actor=personas.other_township_officer, reply="已答复")
    with pytest.raises(DomainError) as e:
        actions.reply_to(c, actor=personas.township_officer, reply="  ")
    assert e.value.field == "reply"
    done = actions.reply_to(c, actor=personas.township_officer, reply="已电话联系，建议向劳动监察大队投诉。")
    assert (done.replied_by, done.awaits_reply) == (personas.township_officer, False) and done.replied_at
    assert queries.awaiting_reply(personas.township_officer) == 0
    with pytest.raises(DomainError):  # one reply; it is not rewritten
        actions.reply_to(c, actor=personas.township_officer, reply="另一个答复")
    assert AuditEntry.objects.filter(action="reply_to_consultation", object_id=str(c.pk)).count() == 1


def test_the_pages_leave_a_question_reply_to_it_and_show_the_reply(personas: Personas) -> None:
    citizen = Client()
    sign_in(citizen, personas.citizen)
    answer = citizen.post("/assist/ask/", {"question": WAGES}).content.decode()
    assert "请工作人员联系我" in answer
    form = citizen.get("/consultations/callback/", {"question": WAGES}).content.decode()
    assert WAGES in form and "成都市" in form and "个人信息保护法" in form
    refused = citizen.post(
        "/consultations/callback/",
        {"question": WAGES, "county": "510129000000", "asker_phone": "13912345678"},
    )
    assert refused.status_code == 422 and "同意" in refused.content.decode()
    assert WAGES in refused.content.decode()  # what was typed is kept
    sent = citizen.post(
        "/consultations/callback/",
        {
            "question": WAGES,
            "county": "510129000000",
            "township": str(TOWNSHIP),
            "asker_phone": "13912345678",
            "consent": "on",
        },
    )
    assert sent.status_code == 302 and sent["Location"] == "/consultations/mine/?sent=1"
    c = Consultation.objects.get()
    assert c.admin_unit_id == TOWNSHIP
    mine = citizen.get("/consultations/mine/?sent=1").content.decode()
    assert "已提交" in mine and "待联系" in mine and WAGES in mine
    assert citizen.get("/consultations/").status_code == 404  # the register is the desks'
    assert citizen.get(f"/consultations/{c.pk}/").status_code == 404

    desk = Client()
    sign_in(desk, personas.township_officer)
    listed = desk.get("/consultations/", {"awaiting": "1"}).content.decode()
    assert "群众留言待回复" in listed and f"/consultations/{c.pk}/" in listed
    assert 'title="待回复的群众网上留言">1<' in listed  # counted in the menu
    detail = desk.get(f"/consultations/{c.pk}/").content.decode()
    assert "群众网上留言" in detail and "13912345678" in detail and "保存答复" in detail
    assert (
        desk.post(f"/consultations/{c.pk}/reply/", {"reply": "已电话联系，约定周一来所面谈。"}).status_code
        == 302
    )
    assert "约定周一来所面谈" in citizen.get("/consultations/mine/").content.decode()
    assert "群众留言待回复" not in desk.get("/consultations/", {"awaiting": "1"}).content.decode()
    other = Client()
    sign_in(other, personas.other_township_officer)
    assert other.post(f"/consultations/{c.pk}/reply/", {"reply": "x"}).status_code == 404


def test_the_api_lists_the_questions_awaiting_a_reply_and_records_it(personas: Personas) -> None:
    c = leave(personas)
    leave(personas, admin_unit=OTHER_TOWNSHIP)
    api = Client()
    sign_in(api, personas.township_officer)
    listed = api.get("/api/v1/consultations", {"awaiting": "true"}).json()["items"]
    assert [(i["id"], i["awaits_reply"], i["from_citizen"]) for i in listed] == [(c.pk, True, True)]
    too_long = api.post(
        f"/api/v1/consultations/{c.pk}/reply", {"reply": "答" * 5001}, content_type="application/json"
    )
    assert too_long.status_code == 422
    done = api.post(
        f"/api/v1/consultations/{c.pk}/reply", {"reply": "已回电"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["reply"] == "已回电" and not done.json()["awaits_reply"]
    assert done.json()["replied_by"] == personas.township_officer.display_name
    assert api.get("/api/v1/consultations", {"awaiting": "true"}).json()["items"] == []
    again = api.post(
        f"/api/v1/consultations/{c.pk}/reply", {"reply": "再答"}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["message"] == "该咨询已有答复"


def test_a_citizen_leaves_at_most_five_questions_a_day(personas: Personas) -> None:
    with clock.frozen(dt.datetime(2026, 11, 28, 9, 0)):
        for _ in range(actions.CALLBACKS_PER_DAY):
            leave(personas)
        with pytest.raises(DomainError) as e:
            leave(personas)
        assert "12348" in e.value.message
    assert Consultation.objects.count() == actions.CALLBACKS_PER_DAY
    with clock.frozen(dt.datetime(2026, 11, 29, 9, 30)):  # a day later
        leave(personas)
