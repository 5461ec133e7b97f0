"""/api/v1/assist — pinned and proposed articles, drafts and signing, the assistant.

Each endpoint parses, calls one query or action, and renders. Case endpoints go through
``cases.queries.dispute_for`` (404 outside the actor's jurisdiction); drafts through
``assist.queries.draft_for``. Errors are the API's DomainError responses (Chinese
message, field named).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from fengqiao.api.auth import actor_of
from fengqiao.assist import actions, answers, presenters, queries
from fengqiao.assist.choices import DocumentKind
from fengqiao.assist.views import file_response
from fengqiao.cases import queries as case_queries

router = Router(tags=["智能辅助与文书"])


class PinIn(Schema):
    article_id: int = Field(description="法条的数据库编号（见推荐或法条检索结果的 id）")
    reason: str = Field(default="", max_length=500, description="固定理由")


class UnpinIn(Schema):
    reason: str = Field(default="", max_length=500)


class DraftIn(Schema):
    kind: DocumentKind
    party_id: int | None = Field(default=None, description="法律援助申请人（当事人编号）")


class EditIn(Schema):
    fields: dict[str, str]
    revision: int | None = Field(default=None, description="编辑所依据的版本号，防止覆盖他人的修改")


class SignIn(Schema):
    confirmed: bool = Field(description="已逐项核对文书内容")


class QuestionIn(Schema):
    question: str = Field(min_length=2, max_length=500)


class WordingIn(Schema):
    field: str = Field(max_length=40)


@router.get("/cases/{int:case_id}/articles", summary="本案推荐法条与已固定法条")
def case_articles(request: HttpRequest, case_id: int, top: int = 5) -> dict[str, Any]:
    actor = actor_of(request)
    d = case_queries.dispute_for(actor, case_id)
    return {
        "pinned": [presenters.pin(p) for p in queries.pinned(d)],
        "proposed": [presenters.proposal(p) for p in queries.proposals(d, max(1, min(top, 20)))],
        "can_pin": queries.may_act(actor, d),
    }


@router.post("/cases/{int:case_id}/pins", response={201: dict[str, Any]}, summary="将法条固定到本案")
def pin(request: HttpRequest, case_id: int, payload: PinIn) -> Status:
    actor = actor_of(request)
    p = actions.pin_article(case_id, actor=actor, article_id=payload.article_id, reason=payload.reason)
    return Status(201, presenters.pin(p))


@router.post("/cases/{int:case_id}/pins/{int:pin_id}/unpin", summary="取消固定法条")
def unpin(request: HttpRequest, case_id: int, pin_id: int, payload: UnpinIn) -> dict[str, Any]:
    p = actions.unpin_article(case_id, actor=actor_of(request), pin_id=pin_id, reason=payload.reason)
    return presenters.pin(p)


@router.get("/cases/{int:case_id}/drafts", summary="本案的文书草稿与已签署文书")
def list_drafts(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    d = case_queries.dispute_for(actor, case_id)
    drafts = [presenters.draft(x) for x in queries.drafts(d)] if queries.may_read_documents(actor) else []
    return {"drafts": drafts, "kinds": presenters.kinds_for(actor, d)}


@router.post("/cases/{int:case_id}/drafts", response={201: dict[str, Any]}, summary="起草文书")
def start_draft(request: HttpRequest, case_id: int, payload: DraftIn) -> Status:
    actor = actor_of(request)
    draft = actions.start_draft(case_id, actor=actor, kind=payload.kind, party_id=payload.party_id)
    return Status(201, presenters.draft(queries.draft_for(actor, draft.pk), with_document=True))


@router.get("/drafts/{int:draft_id}", summary="文书草稿（含全文与法条核对）")
def get_draft(request: HttpRequest, draft_id: int) -> dict[str, Any]:
    return presenters.draft(queries.draft_for(actor_of(request), draft_id), with_document=True)


@router.patch("/drafts/{int:draft_id}", summary="修改文书草稿（签署前）")
def edit_draft(request: HttpRequest, draft_id: int, payload: EditIn) -> dict[str, Any]:
    actor = actor_of(request)
    actions.edit_draft(draft_id, actor=actor, fields=payload.fields, revision=payload.revision)
    return presenters.draft(queries.draft_for(actor, draft_id), with_document=True)


@router.post(
    "/drafts/{int:draft_id}/sign", response={201: dict[str, Any]}, summary="签署文书（签署后不可修改）"
)
def sign(request: HttpRequest, draft_id: int, payload: SignIn) -> Status:
    actor = actor_of(request)
    actions.sign_draft(draft_id, actor=actor, confirmed=payload.confirmed)
    return Status(201, presenters.draft(queries.draft_for(actor, draft_id), with_document=True))


@router.get("/drafts/{int:draft_id}/document.{fmt}", summary="下载文书（pdf 或 docx；已签署的为存档原件）")
def download(request: HttpRequest, draft_id: int, fmt: str) -> HttpResponse:
    return file_response(actor_of(request), queries.draft_for(actor_of(request), draft_id), fmt)


@router.get("/drafts/{int:draft_id}/verify", summary="校验已签署文书与其哈希值")
def verify(request: HttpRequest, draft_id: int) -> dict[str, Any]:
    draft = queries.draft_for(actor_of(request), draft_id)
    if not draft.is_signed:
        return {"signed": False, "results": {}}
    results = draft.signed.verify()
    return {
        "signed": True,
        "intact": all(results.values()) if results else None,  # None: the originals were destroyed
        "results": results,
        **presenters.signed(draft.signed),
    }


@router.post(
    "/drafts/{int:draft_id}/wording", summary="为文书某一栏建议措辞（有模型时由模型拟写，引用均经核对）"
)
def wording(request: HttpRequest, draft_id: int, payload: WordingIn) -> dict[str, Any]:
    actor = actor_of(request)
    draft = queries.draft_for(actor, draft_id)
    return answers.suggest_wording(draft, payload.field, actor=actor).as_dict()


@router.post("/cases/{int:case_id}/summary", summary="案情摘要（有模型时由模型撰写，引用均经核对）")
def summary(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    d = case_queries.dispute_for(actor, case_id)
    return answers.case_summary(d, actor=actor).as_dict()


@router.post("/ask", summary="法律问答（依据检索到的法条作答，引用均经核对）")
def ask(request: HttpRequest, payload: QuestionIn) -> dict[str, Any]:
    return answers.answer_question(payload.question, actor=actor_of(request)).as_dict()
