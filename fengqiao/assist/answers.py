"""The assistant: a case summary, an answer to a legal question, wording for a draft.

Each is grounded in articles retrieved for it (``statutes.search``; for a case, its
pinned articles first). When a model is configured (``llm.config``) it is given those
articles and asked to cite them; when none is, or it fails or times out, the answer is
extractive — built from the case record and the articles' own words (the passages the
search highlighted), so every feature works without a model.

Either way the text passes ``grounding.verify`` before it is returned: a citation that
fails the check is corrected or removed and marked. Model output is checked strictly
(a document outside the corpus cannot have come from the articles it was given). Each
answer is kept as a ``Generation`` with the model that wrote it, and audited.
"""

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field

from fengqiao.accounts.models import User
from fengqiao.assist import actions, grounding, llm, prompts, queries
from fengqiao.assist.choices import Feature, Source
from fengqiao.assist.drafting.base import record_of
from fengqiao.assist.drafting.kinds import KINDS
from fengqiao.assist.grounding import Correction
from fengqiao.assist.models import Draft, PinnedArticle
from fengqiao.assist.prompts import Basis
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import DomainError
from fengqiao.statutes import search
from fengqiao.statutes.choices import Status
from fengqiao.statutes.citations import Check
from fengqiao.statutes.search import Hit

log = logging.getLogger(__name__)

MAX_QUESTION = 500
TOP = 5
IN_TEXT = 3  # articles quoted in an extractive answer
EXCERPT_SENTENCES = 2
HOTLINE = "如需进一步帮助，可拨打12348公共法律服务热线，或到当地司法所、公共法律服务中心咨询。"
_SENTENCE = re.compile(r"[^。；\n]+[。；]?")


@dataclass
class Answer:
    feature: Feature
    text: str
    source: Source
    model: str
    articles: list[Basis]
    checks: list[Check] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    fallback_reason: str = ""
    generation_id: int = 0

    @property
    def source_label(self) -> str:
        return (
            f"{Source.LLM.label}（{self.model}）"
            if self.source == Source.LLM
            else str(Source.EXTRACTIVE.label)
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "feature": self.feature.value,
            "text": self.text,
            "source": self.source.value,
            "source_label": self.source_label,
            "model": self.model,
            "fallback_reason": self.fallback_reason,
            "generation_id": self.generation_id,
            "articles": [{"title": a.title, "text": a.text, "pinned": a.pinned} for a in self.articles],
            "citations": [c.as_dict() for c in self.checks],
            "corrections": [c.as_dict() for c in self.corrections],
        }


def _status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def basis_of_hit(h: Hit) -> Basis:
    return Basis(h.title, h.text, _status_label(h.status), False, tuple(h.marked()))


def basis_of_pin(p: PinnedArticle) -> Basis:
    return Basis(p.title, p.text, "", True, ((p.text, False),))


def excerpt(h: Hit) -> str:
    """The sentences of the article that hold the highlighted words (or its first), joined
    with …… — each piece the article's own words, so the quote verifies."""
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(h.text) if m.group().strip()]
    chosen = [(lo, hi) for lo, hi in sentences if any(a < hi and b > lo for a, b in h.spans)]
    chosen = (chosen or sentences[:1])[:EXCERPT_SENTENCES]
    pieces = [h.text[lo:hi].strip().rstrip("。；") for lo, hi in chosen]
    return "……".join(p for p in pieces if p)


def _ask(messages: list[dict[str, str]]) -> tuple[llm.Reply | None, str, str]:
    """The model's reply, or None with the reason; and the hash of the prompt."""
    cfg = llm.config()
    if cfg is None:
        return None, "", ""
    digest = hashlib.sha256(json.dumps(messages, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    try:
        return llm.chat(messages, cfg), "", digest
    except llm.LlmError as e:
        log.warning("assist: the model did not answer (%s); answering extractively", e)
        return None, str(e), digest


def _finish(
    feature: Feature,
    reply: llm.Reply | None,
    extractive: str,
    articles: list[Basis],
    *,
    actor: User | None,
    fallback_reason: str,
    prompt_sha256: str,
    dispute: Dispute | None = None,
    draft: Draft | None = None,
    field: str = "",
) -> Answer:
    if reply is not None:
        verified = grounding.verify(reply.text, strict=True)
        source, model = Source.LLM, reply.model
    else:
        verified = grounding.verify(extractive, strict=False)
        source, model = Source.EXTRACTIVE, ""
    gen = actions.record_generation(
        actor=actor,
        feature=feature,
        source=source,
        model=model,
        output=verified.text,
        articles=[a.title for a in articles],
        corrections=[c.as_dict() for c in verified.corrections],
        prompt_sha256=prompt_sha256,
        fallback_reason=fallback_reason,
        dispute=dispute,
        draft=draft,
        field=field,
    )
    return Answer(
        feature,
        verified.text,
        source,
        model,
        articles,
        verified.checks,
        verified.corrections,
        fallback_reason,
        gen.pk,
    )


# ---------------------------------------------------------------- 法律问答


def answer_question(question: str, *, actor: User) -> Answer:
    """A citizen's or a mediator's legal question, answered from the top articles."""
    q = " ".join(question.split())[:MAX_QUESTION]
    if len(q) < 2:
        raise DomainError("请输入您的问题", field="question")
    hits = search.search(q, TOP)
    articles = [basis_of_hit(h) for h in hits]
    reply, reason, digest = _ask(prompts.question_messages(q, articles)) if hits else (None, "", "")
    return _finish(
        Feature.LEGAL_ANSWER,
        reply,
        extractive_answer(hits),
        articles,
        actor=actor,
        fallback_reason=reason,
        prompt_sha256=digest,
    )


def extractive_answer(hits: list[Hit]) -> str:
    if not hits:
        return "法律库中没有找到与您的问题直接相关的法律规定。建议换一种说法描述，或拨打12348公共法律服务热线咨询。"
    lines = ["根据法律库检索，与您的问题最相关的法律规定如下（条文摘录，仅供参考，不构成法律意见）："]
    for i, h in enumerate(hits[:IN_TEXT], 1):
        lines.append(f"{i}. {h.title}规定：“{excerpt(h)}”")
    lines.append(HOTLINE)
    return "\n".join(lines)


# ---------------------------------------------------------------- 案情摘要


def case_articles(d: Dispute, extra: int = 3) -> list[Basis]:
    """The case's pinned articles, then proposals not pinned, up to ``TOP``."""
    pins = [basis_of_pin(p) for p in queries.pinned(d)]
    live = {b.title for b in pins}
    more = [basis_of_hit(p.hit) for p in queries.proposals(d, TOP) if p.hit.title not in live]
    return (pins + more[:extra])[: max(TOP, len(pins))]


def case_summary(d: Dispute, *, actor: User) -> Answer:
    """A summary of the case for the mediator (``d`` already scoped to ``actor``)."""
    articles = case_articles(d)
    redact = prompts.Redactor(d)
    reply, reason, digest = _ask(prompts.summary_messages(d, articles, redact))
    return _finish(
        Feature.CASE_SUMMARY,
        reply,
        extractive_summary(d, articles),
        articles,
        actor=actor,
        fallback_reason=reason,
        prompt_sha256=digest,
        dispute=d,
    )


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "……"


def extractive_summary(d: Dispute, articles: list[Basis]) -> str:
    """The record's own fields in a fixed order: who, what, where, how far it has got."""
    parties = "；".join(f"{p.get_role_display()}{p.name}" for p in d.parties.order_by("id"))
    amount = f"，涉及金额{d.amount}元" if d.amount is not None else ""
    lines = [
        f"【基本情况】{d.summary}。{d.get_dispute_type_display()}纠纷，{d.received_at:%Y年%m月%d日}登记，"
        f"来源：{d.get_channel_display()}；涉及{d.people_involved}人{amount}。",
        f"【当事人】{parties or '（未登记）'}。",
        f"【纠纷经过】{_cut(d.narrative, 200)}",
    ]
    progress = f"【办理进展】{d.get_status_display()}，{d.get_tier_display()}办理"
    if d.mediator:
        progress += f"，调解员{d.mediator.name}"
    sessions = list(d.sessions.order_by("held_at", "id"))
    if sessions:
        last = sessions[-1]
        progress += (
            f"；已调解{len(sessions)}次，最近一次（{last.held_at:%m月%d日}）：{_cut(last.content, 80)}"
        )
    progress += "。"
    agreement = d.agreements.order_by("-created_at", "-id").first()
    if agreement is not None:
        progress += f"已达成{agreement.get_form_display()}：{_cut(agreement.terms, 100)}"
    lines.append(progress)
    if articles:
        lines.append(
            "【可能适用的法条】"
            + "；".join(f"{a.title}（{'已固定' if a.pinned else '系统推荐'}）" for a in articles)
            + "。"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- 文书措辞


def suggest_wording(draft: Draft, field_key: str, *, actor: User) -> Answer:
    """Wording for one field of a draft; extractively, the field as the record would fill it."""
    d = draft.dispute
    queries.require_act(actor, d, "获取措辞建议")
    kind = KINDS[draft.kind]
    spec = kind.spec(field_key)
    if spec is None:
        raise DomainError(f"{kind.label}没有“{field_key}”这一栏", field="field")
    rec = record_of(d, draft.party)
    if why := kind.unavailable(rec):
        raise DomainError(why, field="kind")
    articles = case_articles(d)
    redact = prompts.Redactor(d)
    current = str(draft.fields.get(field_key, ""))
    messages = prompts.wording_messages(d, kind.title, spec.label, current, articles, redact)
    reply, reason, digest = _ask(messages)
    return _finish(
        Feature.DRAFT_WORDING,
        reply,
        kind.initial(rec).get(field_key, current),
        articles,
        actor=actor,
        fallback_reason=reason,
        prompt_sha256=digest,
        dispute=d,
        draft=draft,
        field=field_key,
    )
