"""What is sent to the model: the retrieved articles, the question or the case, masked.

Grounding: the articles retrieved for the task are put in the prompt with their full
text, and the model is told to answer from them only and to cite them as
《法名》第N条 — the form the citation check reads. Whatever it cites is checked anyway.

Minimum personal data (个人信息保护法 Art. 6): the case goes out without the parties'
names (replaced by their roles: 申请人甲, 被申请人), without addresses, ID numbers or
phones (``llm.mask``), and without the mediator's name. The model needs the facts and
the law, not who the people are.
"""

from dataclasses import dataclass

from fengqiao.assist import llm
from fengqiao.cases.models import Dispute

SYSTEM = (
    "你是基层人民调解工作的法律助手，服务对象是调解员和群众。"
    "只能依据用户消息中【法条】部分提供的条文作答，不得编造法律、条文或条文内容。"
    "引用法条时一律写成《法律名称》第N条的形式，例如《民法典》第一千零七十九条；只引用【法条】中提供的条文。"
    "如果提供的条文不足以回答，请直接说明，并建议拨打12348公共法律服务热线咨询。"
    "用简体中文，语言平实，不要使用Markdown格式。"
)
MAX_ARTICLE_CHARS = 1200
ROLE_SUFFIX = "甲乙丙丁戊己庚辛"


@dataclass(frozen=True)
class Basis:
    """An article the answer is grounded in (a search hit or a pinned article)."""

    title: str  # 《民法典》第一千零七十九条
    text: str
    status_label: str = ""
    pinned: bool = False
    marked: tuple[tuple[str, bool], ...] = ()  # the text cut into (piece, highlighted)


def articles_block(articles: list[Basis]) -> str:
    lines = ["【法条】"]
    for i, a in enumerate(articles, 1):
        text = a.text if len(a.text) <= MAX_ARTICLE_CHARS else a.text[:MAX_ARTICLE_CHARS] + "……"
        lines.append(f"{i}. {a.title}：{text}")
    return "\n".join(lines)


class Redactor:
    """Replaces the parties' names by their roles (申请人甲, 申请人乙 when there are several),
    drops their addresses, and masks identifiers."""

    def __init__(self, d: Dispute) -> None:
        parties = list(d.parties.order_by("id"))
        by_role: dict[str, int] = {}
        for p in parties:
            by_role[p.role] = by_role.get(p.role, 0) + 1
        seen: dict[str, int] = {}
        self.names: list[tuple[str, str]] = []
        self.labels: list[str] = []
        for p in parties:
            label = p.get_role_display()
            if by_role[p.role] > 1:
                label += ROLE_SUFFIX[seen.get(p.role, 0) % len(ROLE_SUFFIX)]
                seen[p.role] = seen.get(p.role, 0) + 1
            self.labels.append(label)
            if len(p.name) >= 2:
                self.names.append((p.name, label))
        self.names.sort(key=lambda x: len(x[0]), reverse=True)
        self.addresses = sorted(
            {p.address for p in parties if p.address and len(p.address) >= 4}, key=len, reverse=True
        )
        self.others = [d.mediator.name] if d.mediator and len(d.mediator.name) >= 2 else []

    def __call__(self, text: str) -> str:
        for address in self.addresses:
            text = text.replace(address, "〔住址〕")
        for name, label in self.names:
            text = text.replace(name, label)
        for name in self.others:
            text = text.replace(name, "调解员")
        return llm.mask(text)

    def roles(self) -> str:
        return "、".join(self.labels) or "（未登记）"


def case_block(d: Dispute, redact: Redactor) -> str:
    """The case as the model sees it: facts and progress, no identities."""
    lines = [
        "【案件】",
        f"纠纷类型：{d.get_dispute_type_display()}；状态：{d.get_status_display()}；办理层级：{d.get_tier_display()}",
        f"当事人：{redact.roles()}",
        f"纠纷概要：{redact(d.summary)}",
        f"事实经过：{redact(d.narrative)[:1500]}",
    ]
    if d.amount is not None:
        lines.append(f"涉及金额：{d.amount}元")
    for i, s in enumerate(d.sessions.order_by("held_at", "id")[:5], 1):
        lines.append(f"第{i}次调解（{s.held_at:%Y-%m-%d}）：{redact(s.content)[:500]}")
    agreement = d.agreements.order_by("-created_at", "-id").first()
    if agreement is not None:
        lines.append(f"调解协议（{agreement.get_form_display()}）：{redact(agreement.terms)[:800]}")
    return "\n".join(lines)


def question_messages(question: str, articles: list[Basis]) -> list[dict[str, str]]:
    user = f"{articles_block(articles)}\n\n【问题】{llm.mask(question)}\n\n请依据上述法条回答，不超过400字，并注明所依据的法条。"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def summary_messages(d: Dispute, articles: list[Basis], redact: Redactor) -> list[dict[str, str]]:
    user = (
        f"{articles_block(articles)}\n\n{case_block(d, redact)}\n\n"
        "请为调解员写一段不超过300字的案情摘要：基本事实、争议焦点、调解进展，"
        "最后一句指出可能适用的法条（只从【法条】中选择并写明出处）。当事人用其角色称呼。"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def wording_messages(
    d: Dispute, document_title: str, label: str, current: str, articles: list[Basis], redact: Redactor
) -> list[dict[str, str]]:
    user = (
        f"{articles_block(articles)}\n\n{case_block(d, redact)}\n\n"
        f"【文书】{document_title}\n【栏目】{label}\n【现有文字】{redact(current)[:2000] or '（空）'}\n\n"
        f"请为该文书的“{label}”一栏拟写规范、准确、简洁的文字，符合人民调解文书的表述习惯。"
        "只输出该栏的文字本身，不要标题和解释；需要引用法律时只引用【法条】中的条文。当事人用其角色称呼。"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
