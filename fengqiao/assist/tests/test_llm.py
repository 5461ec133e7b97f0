"""The optional model, against a fake server speaking the real HTTP protocol: prompts are
grounded in the retrieved articles and carry no identities; fabricated citations are
corrected or removed before anyone sees them; a slow, failing or garbled server falls
back to the extractive answer; and which model said what is recorded and audited."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from fengqiao.accounts.models import AuditEntry
from fengqiao.assist import actions, answers, llm
from fengqiao.assist.choices import DocumentKind, Feature, Source
from fengqiao.assist.models import Generation
from fengqiao.assist.tests.conftest import (
    APPLICANT_ADDRESS,
    APPLICANT_ID,
    APPLICANT_PHONE,
    FakeModel,
    completion,
)
from fengqiao.cases.models import Dispute
from fengqiao.core.testing import Personas, sign_in
from fengqiao.statutes import citations

pytestmark = pytest.mark.django_db

QUESTION = (
    "邻居修房子把我家的排水沟堵了，下雨水都流进我家，我该怎么办？我电话13800138000，身份证510129198005171015"
)


def prompt_of(fake: FakeModel) -> str:
    return "\n".join(m["content"] for m in fake.requests[-1]["messages"])


def test_a_grounded_answer_with_correct_citations_is_shown_as_the_model_wrote_it(
    personas: Personas, corpus: None, fake_model: FakeModel, monkeypatch: Any
) -> None:
    fake_model.configure(monkeypatch)
    fake_model.reply = lambda body: (
        200,
        completion(
            "您可以要求邻居排除妨碍。依据《民法典》第二百九十条，不动产权利人应当为相邻权利人用水、排水提供必要的便利。"
        ),
    )
    answer = answers.answer_question(QUESTION, actor=personas.citizen)
    assert answer.source == Source.LLM and answer.model == "qwen2.5-7b-instruct"
    assert "《民法典》第二百九十条" in answer.text and not answer.corrections
    assert answer.checks and all(c.ok for c in answer.checks)

    request = fake_model.requests[-1]
    assert request["model"] == "qwen2.5-7b-instruct" and request["stream"] is False
    assert fake_model.headers[-1]["authorization"] == "Bearer test-key"
    prompt = prompt_of(fake_model)
    # grounded: the retrieved articles' texts are in the prompt, with the instruction to cite them
    for a in answer.articles:
        assert a.title in prompt and a.text[:30] in prompt
    assert "《法律名称》第N条" in prompt and "只引用【法条】中提供的条文" in prompt
    # no identifiers leave the process
    assert "13800138000" not in prompt and "510129198005171015" not in prompt
    assert "〔电话〕" in prompt and "〔身份证号〕" in prompt

    gen = Generation.objects.get(pk=answer.generation_id)
    assert (gen.feature, gen.source, gen.model) == (Feature.LEGAL_ANSWER, Source.LLM, "qwen2.5-7b-instruct")
    assert gen.output == answer.text and len(gen.prompt_sha256) == 64
    entry = AuditEntry.objects.filter(action="assist_legal_answer").latest("seq")
    assert entry.detail["model"] == "qwen2.5-7b-instruct" and entry.detail["source"] == "llm"
    assert "13800138000" not in json.dumps(entry.detail, ensure_ascii=False)


def test_fabricated_citations_are_corrected_or_removed_before_anyone_sees_them(
    personas: Personas, corpus: None, fake_model: FakeModel, monkeypatch: Any
) -> None:
    fake_model.configure(monkeypatch)
    invented = (
        "根据《民法典》第9999条，邻居必须赔偿。另依《合同法》第一百零七条，违约方承担违约责任。"
        "《相邻关系保护法》第三条也有规定。《民法典》第二百九十条规定：“邻居必须无条件让水流过”。"
        "《四川省邻里纠纷条例》第八条亦同。"
    )
    fake_model.reply = lambda body: (200, completion(invented))
    answer = answers.answer_question(QUESTION, actor=personas.village_mediator)
    text = answer.text
    assert "第9999条" not in text and "第九千九百九十九条" not in text and "〔已删除：无此条〕" in text
    assert (
        "《合同法》" not in text and "《民法典》第五百七十七条〔已更正〕" in text
    )  # the repealed law's successor
    assert "相邻关系保护法" not in text and "〔已删除：无此法〕" in text
    assert "无条件让水流过" not in text and "〔已删除：引文与条文不符〕" in text
    assert "四川省邻里纠纷条例" not in text and "〔已删除：法律库无法核对〕" in text
    # whatever is left passes the check
    assert all(c.ok for c in citations.check(text)) and citations.check(text)
    actions_taken = sorted(c.action for c in answer.corrections)
    assert actions_taken == ["corrected", "quote_removed", "removed", "removed", "removed"]
    gen = Generation.objects.get(pk=answer.generation_id)
    assert gen.output == text and len(gen.corrections) == 5
    entry = AuditEntry.objects.filter(action="assist_legal_answer").latest("seq")
    assert (entry.detail["corrected"], entry.detail["removed"]) == (1, 4)


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        ("slow", "超时"),
        ("error", "HTTP 500"),
        ("garbled", "格式无法识别"),
        ("empty", "回答为空"),
    ],
)
def test_a_failing_model_falls_back_to_the_extractive_answer(
    personas: Personas, corpus: None, fake_model: FakeModel, monkeypatch: Any, behaviour: str, reason: str
) -> None:
    fake_model.configure(monkeypatch, timeout=1)
    if behaviour == "slow":
        fake_model.delay = 3.0
    fake_model.reply = {
        "slow": lambda body: (200, completion("太慢了")),
        "error": lambda body: (500, {"error": {"message": "CUDA out of memory"}}),
        "garbled": lambda body: (200, b"<html>gateway</html>"),
        "empty": lambda body: (200, completion("<think>想一想……</think>")),
    }[behaviour]
    answer = answers.answer_question(QUESTION, actor=personas.citizen)
    assert answer.source == Source.EXTRACTIVE and reason in answer.fallback_reason
    assert answer.text.startswith("根据法律库检索") and all(c.ok for c in answer.checks)
    assert Generation.objects.get(pk=answer.generation_id).fallback_reason == answer.fallback_reason


def test_a_reasoning_models_thoughts_are_not_shown(fake_model: FakeModel, monkeypatch: Any) -> None:
    fake_model.configure(monkeypatch)
    fake_model.reply = lambda body: (
        200,
        completion("<think>用户问的是……</think>\n可以协商解决。", model="qwen3:8b"),
    )
    cfg = llm.config()
    assert cfg is not None
    reply = llm.chat([{"role": "user", "content": "你好"}], cfg)
    assert reply.text == "可以协商解决。" and reply.model == "qwen3:8b"


def test_an_unreachable_server_is_an_llm_error(monkeypatch: Any) -> None:
    monkeypatch.setenv("FENGQIAO_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("FENGQIAO_LLM_MODEL", "qwen")
    cfg = llm.config()
    assert cfg is not None
    with pytest.raises(llm.LlmError, match="无法连接"):
        llm.chat([{"role": "user", "content": "x"}], cfg)
    monkeypatch.setenv("FENGQIAO_LLM_BASE_URL", "file:///etc/passwd")
    assert llm.config() is None  # only http(s) endpoints


def test_the_case_summary_prompt_names_roles_not_people(
    personas: Personas, agreed: Dispute, fake_model: FakeModel, monkeypatch: Any
) -> None:
    fake_model.configure(monkeypatch)
    fake_model.reply = lambda body: (
        200,
        completion(
            "申请人与被申请人因排水沟堵塞发生纠纷，已达成书面协议。可能适用《民法典》第二百九十六条。"
        ),
    )
    answer = answers.case_summary(agreed, actor=personas.village_mediator)
    prompt = prompt_of(fake_model)
    for secret in ("张三", "李四", "王调解", APPLICANT_ID, APPLICANT_PHONE, APPLICANT_ADDRESS):
        assert secret not in prompt, secret
    assert "申请人" in prompt and "被申请人" in prompt and "排水沟" in prompt and "【法条】" in prompt
    assert answer.source == Source.LLM and "《民法典》第二百九十六条" in answer.text
    gen = Generation.objects.get(pk=answer.generation_id)
    assert gen.dispute_id == agreed.pk and gen.model == "qwen2.5-7b-instruct"


def test_wording_for_a_draft_field_is_grounded_checked_and_recorded(
    personas: Personas, agreed: Dispute, fake_model: FakeModel, monkeypatch: Any
) -> None:
    fake_model.configure(monkeypatch)
    draft = actions.start_draft(agreed, actor=personas.village_mediator, kind=DocumentKind.AGREEMENT)
    fake_model.reply = lambda body: (
        200,
        completion(
            "被申请人于七日内疏通排水沟，并依照《民法典》第1165条、《物权法》第八十六条赔偿申请人损失1500元。"
        ),
    )
    answer = answers.suggest_wording(draft, "terms", actor=personas.village_mediator)
    assert "【栏目】协议内容（当事人的权利义务）" in prompt_of(fake_model)
    assert "《民法典》第一千一百六十五条" in answer.text or "《民法典》第1165条" in answer.text
    assert "《物权法》" not in answer.text and ("〔已更正〕" in answer.text or "〔已删除" in answer.text)
    assert all(c.ok for c in citations.check(answer.text))
    gen = Generation.objects.get(pk=answer.generation_id)
    assert (gen.feature, gen.draft_id, gen.field) == (Feature.DRAFT_WORDING, draft.pk, "terms")


def test_the_wording_button_returns_a_fragment_to_apply(
    personas: Personas, agreed: Dispute, fake_model: FakeModel, monkeypatch: Any
) -> None:
    fake_model.configure(monkeypatch)
    fake_model.reply = lambda body: (200, completion("被申请人于七日内疏通排水沟。"))
    draft = actions.start_draft(agreed, actor=personas.village_mediator, kind=DocumentKind.AGREEMENT)
    c = Client()
    sign_in(c, personas.village_mediator)
    html = c.post(f"/assist/drafts/{draft.pk}/wording/terms/", HTTP_HX_REQUEST="true").content.decode()
    assert "被申请人于七日内疏通排水沟。" in html and 'data-apply-to="f-terms"' in html
    assert "大模型（qwen2.5-7b-instruct）" in html
    assert c.post(f"/assist/drafts/{draft.pk}/wording/seal/").status_code == 422


def test_mask_leaves_citations_and_amounts_alone() -> None:
    text = (
        "依《民法典》第1079条，赔偿3000元，电话028-88886666，邮箱a.b@example.cn，卡号6222 0212 3456 7890 123"
    )
    masked = llm.mask(text)
    assert "第1079条" in masked and "3000元" in masked
    assert not re.search(r"\d{7,}", masked.replace(" ", "")) and "〔邮箱〕" in masked
