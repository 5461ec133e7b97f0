"""With no model configured every feature still answers: extractively, from the record and
the articles' own words, with every citation (and every quote) verified."""

import json
from typing import Any

import pytest
from django.test import Client

from fengqiao.assist import actions, answers, llm
from fengqiao.assist.choices import DocumentKind, Source
from fengqiao.assist.models import Generation
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import DomainError
from fengqiao.core.testing import Personas, sign_in
from fengqiao.statutes import citations
from fengqiao.statutes.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_model(monkeypatch: Any) -> None:
    monkeypatch.delenv("FENGQIAO_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("FENGQIAO_LLM_MODEL", raising=False)
    assert llm.config() is None


def test_the_answer_quotes_the_highlighted_passages_of_the_top_articles(
    personas: Personas, corpus: None
) -> None:
    answer = answers.answer_question("老板拖欠工资三个月不给，我能怎么办", actor=personas.citizen)
    assert answer.source == Source.EXTRACTIVE and answer.model == "" and answer.fallback_reason == ""
    assert answer.text.startswith("根据法律库检索") and "12348" in answer.text
    checks = citations.check(answer.text)
    assert len(checks) == 3 and all(c.ok and c.quote for c in checks)  # each quote is the article's own words
    assert "劳动" in answer.text and "工资" in answer.text
    assert Generation.objects.get(pk=answer.generation_id).source == Source.EXTRACTIVE


def test_a_question_with_no_statute_gets_the_hotline(personas: Personas, corpus: None) -> None:
    answer = answers.answer_question("zzzz qqqq", actor=personas.citizen)
    assert "没有找到" in answer.text and "12348" in answer.text and not answer.checks
    with pytest.raises(DomainError, match="请输入您的问题"):
        answers.answer_question(" ", actor=personas.citizen)


def test_the_summary_is_built_from_the_record_and_names_pinned_articles_first(
    personas: Personas, agreed: Dispute
) -> None:
    pinned = Article.objects.get(law__short_name="民法典", law__status="in_force", number=296, sub=0)
    actions.pin_article(agreed, actor=personas.village_mediator, article_id=pinned.pk)
    answer = answers.case_summary(agreed, actor=personas.village_mediator)
    text = answer.text
    for part in (
        "【基本情况】修院墙堵塞排水沟致雨水倒灌",
        "申请人张三",
        "被申请人李四",
        "已调解1次",
        "书面协议",
        "赔偿张三财产损失",
    ):
        assert part in text, part
    assert "【可能适用的法条】《民法典》第二百九十六条（已固定）" in text
    assert answer.articles[0].pinned and all(c.ok for c in answer.checks)


def test_wording_falls_back_to_the_record(personas: Personas, failed: Dispute) -> None:
    draft = actions.start_draft(failed, actor=personas.village_mediator, kind=DocumentKind.TERMINATION)
    actions.edit_draft(draft, actor=personas.village_mediator, fields={"advice": "自己看着办"})
    draft.refresh_from_db()
    answer = answers.suggest_wording(draft, "advice", actor=personas.village_mediator)
    assert (
        answer.source == Source.EXTRACTIVE and answer.text == "可向大邑县人民法院提起诉讼，或申请法律援助。"
    )
    with pytest.raises(DomainError, match="没有“seal”这一栏"):
        answers.suggest_wording(draft, "seal", actor=personas.village_mediator)


def test_the_question_page_serves_citizens_and_staff(personas: Personas, corpus: None) -> None:
    for user in (personas.citizen, personas.village_mediator):
        c = Client()
        sign_in(c, user)
        page = c.get("/assist/ask/")
        assert page.status_code == 200 and "法律问答" in page.content.decode()
        r = c.post("/assist/ask/", {"question": "邻居修墙堵了排水沟，雨水流进我家"})
        html = r.content.decode()
        assert (
            r.status_code == 200
            and "法条与记录摘录" in html
            and "《民法典》" in html
            and "均已与法律库核对" in html
        )
        fragment = c.post("/assist/ask/", {"question": "离婚后孩子的抚养费怎么算"}, HTTP_HX_REQUEST="true")
        assert "<html" not in fragment.content.decode() and "抚养费" in fragment.content.decode()
    assert Client().get("/assist/ask/").status_code == 302  # signed-in users only
    c = Client()
    sign_in(c, personas.citizen)
    assert c.post("/assist/ask/", {"question": ""}).status_code == 422


def test_the_api_answers_and_summarises_within_jurisdiction(personas: Personas, agreed: Dispute) -> None:
    c = Client()
    sign_in(c, personas.citizen)
    r = c.post(
        "/api/v1/assist/ask", data=json.dumps({"question": "邻居堵了排水沟"}), content_type="application/json"
    )
    body = r.json()
    assert r.status_code == 200 and body["source"] == "extractive" and body["citations"]
    assert all(x["verdict"] == "ok" for x in body["citations"]) and body["articles"][0]["text"]
    r = c.post("/api/v1/assist/ask", data=json.dumps({"question": ""}), content_type="application/json")
    assert r.status_code == 422
    assert c.post(f"/api/v1/assist/cases/{agreed.pk}/summary").status_code == 404  # not the citizen's case
    mediator = Client()
    sign_in(mediator, personas.village_mediator)
    r = mediator.post(f"/api/v1/assist/cases/{agreed.pk}/summary")
    assert r.status_code == 200 and r.json()["text"].startswith("【基本情况】")
    page = mediator.post(f"/assist/cases/{agreed.pk}/summary/", HTTP_HX_REQUEST="true").content.decode()
    assert "【基本情况】" in page and "仅供参考" in page
