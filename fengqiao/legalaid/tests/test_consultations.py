"""The register of legal consultations: each is triaged when recorded, the officer confirms
or corrects the topic (with a reason), corrections train the next model, high risk raises
an alert, everything is scoped to the jurisdiction, and the asker's data ends with its
retention period."""

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from fengqiao.accounts.models import AuditEntry
from fengqiao.core import clock
from fengqiao.core.errors import DomainError, NotFound, PermissionDenied
from fengqiao.core.testing import OTHER_COUNTY_VILLAGE, TOWNSHIP, VILLAGE, Personas, sign_in
from fengqiao.legalaid import actions, queries
from fengqiao.legalaid.models import Consultation
from fengqiao.triage.models import Decision
from fengqiao.triage.taxonomies import Taxonomy
from fengqiao.triage.training import confirmed_examples
from fengqiao.warning.models import Alert

pytestmark = pytest.mark.django_db
DIVORCE = "老公经常喝酒不回家，我想离婚，孩子的抚养权能归我吗？"


def record(personas: Personas, question: str = DIVORCE, **kw: Any) -> Consultation:
    return actions.record_consultation(
        actor=personas.village_mediator, question=question, channel=kw.pop("channel", "phone_12348"), **kw
    )


def test_a_recorded_consultation_carries_its_explained_versioned_proposal(personas: Personas) -> None:
    c = record(personas, asker_name="李某", asker_phone="138 1234 5678")
    assert c.admin_unit_id == VILLAGE and c.asker_phone == "13812345678"
    assert c.proposed_topic == "婚姻家庭" and c.topic == "" and c.decision == Decision.PROPOSED
    assert any("离婚" in r for r in c.topic_reasons)
    assert c.model_version.startswith("consult-") and c.rules_version.startswith("rules-")
    assert c.risk_level == "low" and c.route
    assert AuditEntry.objects.filter(action="record_consultation", object_id=str(c.pk)).exists()
    # the asker's phone is encrypted at rest
    with connection.cursor() as cursor:
        cursor.execute("SELECT asker_phone, asker_name FROM legalaid_consultation WHERE id = %s", [c.pk])
        phone, name = cursor.fetchone()
    assert "13812345678" not in phone and "李某" not in name


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"question": "  "}, "question"),
        ({"question": "问" * 5001}, "question"),
        ({"channel": "court_referral"}, "channel"),
        ({"asker_phone": "12345"}, "asker_phone"),
        ({"reply": "答" * 5001}, "reply"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(
    personas: Personas, kw: dict[str, str], field: str
) -> None:
    with pytest.raises(DomainError) as e:
        record(personas, **kw)
    assert e.value.field == field and e.value.message
    assert not Consultation.objects.exists()


def test_only_desks_record_and_only_inside_their_jurisdiction(personas: Personas) -> None:
    for outsider in (personas.citizen, personas.city_analyst, personas.partner_court):
        with pytest.raises(PermissionDenied):
            actions.record_consultation(actor=outsider, question=DIVORCE, channel="walk_in")
    with pytest.raises(DomainError) as e:
        actions.record_consultation(
            actor=personas.township_officer,
            question=DIVORCE,
            channel="walk_in",
            admin_unit=OTHER_COUNTY_VILLAGE,
        )
    assert e.value.field == "admin_unit"
    with pytest.raises(DomainError) as e:  # inside the range of codes, but no such village
        actions.record_consultation(
            actor=personas.township_officer, question=DIVORCE, channel="walk_in", admin_unit=VILLAGE + 90
        )
    assert e.value.field == "admin_unit"
    c = actions.record_consultation(
        actor=personas.township_officer, question=DIVORCE, channel="walk_in", admin_unit=VILLAGE
    )
    assert c.admin_unit_id == VILLAGE
    # the township and the city above see it; the neighbouring township does not
    assert queries.consultations_for(personas.city_analyst).filter(pk=c.pk).exists()
    assert not queries.consultations_for(personas.other_township_officer).exists()
    with pytest.raises(NotFound):
        queries.consultation_for(personas.other_township_officer, c.pk)


def test_a_high_risk_consultation_alerts_the_officers_of_its_place(personas: Personas) -> None:
    c = record(personas, "他再不还钱我就拿刀去砍死他全家，我已经买好刀了")
    assert c.risk_level == "high"
    alert = Alert.objects.get(key=f"high_risk:consultation:{c.pk}")
    assert alert.owner_unit_id == VILLAGE and alert.dispute_id is None and "砍死" in alert.title


def test_the_officer_confirms_or_corrects_the_topic_and_corrections_train_the_next_model(
    personas: Personas,
) -> None:
    confirmed = actions.decide_topic(record(personas), actor=personas.village_mediator)
    assert confirmed.decision == Decision.CONFIRMED and confirmed.topic == "婚姻家庭"
    with pytest.raises(DomainError):
        actions.decide_topic(confirmed, actor=personas.village_mediator)  # decided once

    other = record(personas, "我在工地上摔伤了，老板不给报销医药费，也没有签合同")
    target = "人身损害" if other.proposed_topic != "人身损害" else "劳动纠纷"  # not what was proposed
    with pytest.raises(DomainError) as e:
        actions.decide_topic(other, actor=personas.village_mediator, topic=target)
    assert e.value.field == "note"
    corrected = actions.decide_topic(
        other, actor=personas.village_mediator, topic=target, note="咨询人主要问伤情赔偿"
    )
    assert corrected.decision == Decision.OVERRIDDEN and corrected.topic == target
    assert corrected.decided_by == personas.village_mediator and corrected.decision_note
    with pytest.raises(NotFound):
        actions.decide_topic(record(personas), actor=personas.other_township_officer)

    examples = {(e.text, e.label) for e in confirmed_examples(Taxonomy.CONSULT)}
    assert examples == {(DIVORCE, "婚姻家庭"), (other.question, target)}
    assert all(e.weight > 1 for e in confirmed_examples(Taxonomy.CONSULT))


def test_the_asker_and_the_question_go_when_the_retention_period_ends(personas: Personas) -> None:
    with clock.frozen(dt.datetime(2022, 3, 1, 10, 0)):
        old = record(personas, "他再不还钱我就拿刀去砍死他全家", asker_name="赵某", asker_phone="13812345678")
        actions.decide_topic(old, actor=personas.village_mediator)
    recent = record(personas)
    assert actions.remove_expired(dt.date(2026, 11, 28)) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.question == actions.REMOVED and old.asker_name == "" and old.asker_phone == ""
    assert old.topic and old.channel and old.received_at  # the statistics stay
    assert recent.question == DIVORCE
    alert = Alert.objects.get(key=f"high_risk:consultation:{old.pk}")
    assert "砍死" not in alert.title + alert.reason
    assert all(e.text != actions.REMOVED for e in confirmed_examples(Taxonomy.CONSULT))
    assert actions.remove_expired(dt.date(2026, 11, 28)) == 0


def test_the_register_page_records_shows_and_decides(personas: Personas) -> None:
    c = Client()
    sign_in(c, personas.township_officer)
    page = c.get("/consultations/").content.decode()
    assert "法律咨询登记" in page and 'name="question"' in page and 'href="/consultations/"' in page
    bad = c.post("/consultations/", {"question": "", "channel": "walk_in"})
    assert bad.status_code == 422 and "咨询内容" in bad.content.decode()
    r = c.post("/consultations/", {"question": DIVORCE, "channel": "walk_in", "asker_phone": "13812345678"})
    assert r.status_code == 302
    pk = Consultation.objects.get().pk
    detail = c.get(r["Location"]).content.decode()
    assert "婚姻家庭" in detail and "确认类别" in detail and "13812345678" in detail
    assert c.post(f"/consultations/{pk}/topic/", {"topic": "劳动纠纷"}).status_code == 422  # no reason given
    assert c.post(f"/consultations/{pk}/topic/", {}).status_code == 302
    assert Consultation.objects.get().decision == Decision.CONFIRMED
    listed = c.get("/consultations/?topic=婚姻家庭").content.decode()
    assert "孩子的抚养权" in listed
    assert "孩子的抚养权" not in c.get("/consultations/?topic=劳动纠纷").content.decode()

    analyst = Client()
    sign_in(analyst, personas.city_analyst)
    seen = analyst.get(f"/consultations/{pk}/").content.decode()
    assert "138****5678" in seen and "13812345678" not in seen and "确认类别" not in seen
    assert 'name="question"' not in analyst.get("/consultations/").content.decode()
    other = Client()
    sign_in(other, personas.other_township_officer)
    assert other.get(f"/consultations/{pk}/").status_code == 404


def test_the_api_records_lists_and_decides(personas: Personas) -> None:
    c = Client()
    sign_in(c, personas.township_officer)
    r = c.post(
        "/api/v1/consultations",
        data=json.dumps({"question": DIVORCE, "channel": "online"}),
        content_type="application/json",
    )
    assert r.status_code == 201
    body = r.json()
    assert body["topic"] == "婚姻家庭" and body["decision"] == "proposed" and body["admin_unit"] == TOWNSHIP
    bad = c.post("/api/v1/consultations", data=json.dumps({"question": ""}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "question"
    listed = c.get("/api/v1/consultations?pending=true").json()
    assert [i["id"] for i in listed["items"]] == [body["id"]]
    d = c.post(
        f"/api/v1/consultations/{body['id']}/topic",
        data=json.dumps({"topic": "综合咨询", "note": "问的是如何找律师"}),
        content_type="application/json",
    ).json()
    assert d["decision"] == "overridden" and d["topic"] == "综合咨询"
    assert c.get("/api/v1/consultations?pending=true").json()["items"] == []
    decided_at = Consultation.objects.get().decided_at
    assert decided_at is not None and timezone.is_aware(decided_at)


def test_the_dashboard_counts_the_consultations_of_its_unit_and_period_by_topic(personas: Personas) -> None:
    with clock.frozen(dt.datetime(2026, 10, 12, 9, 0)):
        record(personas)
        record(personas, "他们公司拖欠了我三个月的工资，老板一直不露面，我该去哪里告？")
        decided = record(personas, "工地上包工头欠了我们八个人的工钱，开发商说钱已经给了包工头")
        actions.decide_topic(decided, actor=personas.village_mediator, topic="建设工程", note="问的是工程款")
        actions.record_consultation(
            actor=personas.other_county_officer, question=DIVORCE, channel="walk_in"
        )  # another county: not counted
    with clock.frozen(dt.datetime(2026, 11, 3, 9, 0)):
        record(personas)  # another month: not counted
    c = Client()
    sign_in(c, personas.township_officer)
    page = c.get("/analytics/", {"from": "2026-10", "to": "2026-10"}).content.decode()
    table = page[page.index('id="consultations"') :]
    table = table[: table.index("</table>")]
    assert "婚姻家庭</th><td>1" in table and "建设工程</th><td>1" in table
    assert "合计</th><td>3" in table


def test_a_consultation_that_is_a_dispute_prefills_the_registration_form(personas: Personas) -> None:
    c = record(
        personas,
        "邻居修房子把排水沟堵了，下雨水全灌进我家，找他说他不理",
        asker_name="赵某",
        asker_phone="13812345678",
    )
    client = Client()
    sign_in(client, personas.village_mediator)
    detail = client.get(f"/consultations/{c.pk}/").content.decode()
    assert f'href="/cases/new/?consultation={c.pk}"' in detail
    form = client.get("/cases/new/", {"consultation": c.pk}).content.decode()
    assert "下雨水全灌进我家" in form and 'value="赵某"' in form and 'value="13812345678"' in form
    other = Client()
    sign_in(other, personas.other_township_officer)
    assert other.get("/cases/new/", {"consultation": c.pk}).status_code == 404  # not theirs
    analyst = Client()
    sign_in(analyst, personas.city_analyst)
    assert "转为纠纷登记" not in analyst.get(f"/consultations/{c.pk}/").content.decode()


@pytest.mark.usefixtures("corpus")
def test_the_consultation_page_proposes_the_articles_to_answer_from(personas: Personas) -> None:
    """The desk answers from the law: the articles for the question and its topic, with the
    reasons and a link to each (custody after divorce, 民法典 Art. 1084, for DIVORCE)."""
    c = record(personas)
    client = Client()
    sign_in(client, personas.village_mediator)
    page = client.get(f"/consultations/{c.pk}/").content.decode()
    assert "可参考的法条" in page and "第一千零八十四条" in page and "相似情形" in page
    assert "/statutes/articles/" in page and "固定到本案" not in page  # nothing to pin it to
