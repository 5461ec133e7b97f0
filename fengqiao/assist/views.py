"""Pages and htmx fragments: the case page's articles and drafts, the draft editor, the
assistant, and 法律问答. Each view parses input, calls one query or action, renders.

The case page itself belongs to ``web``; it includes ``assist/_case_assist.html`` with the
context of ``assist_context``. Proposals are searched only when the fragment asks for them
(htmx on load), so the case page costs no search.
"""

import hashlib
import urllib.parse
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.accounts.models import User
from fengqiao.assist import actions, answers, llm, presenters, queries
from fengqiao.assist.drafting import document, render_docx, render_pdf
from fengqiao.assist.drafting.base import record_of
from fengqiao.assist.drafting.kinds import KINDS
from fengqiao.assist.models import Draft
from fengqiao.cases import queries as case_queries
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import DomainError, Gone, NotFound

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_UPLOAD = 20 * 1024 * 1024
DESTROYED = "案卷保存期限届满，签署原件已销毁；存档的哈希值仍可用于核对当事人手中的文件"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _dispute(request: HttpRequest, pk: int) -> Dispute:
    try:
        return case_queries.dispute_for(_actor(request), pk)
    except NotFound:
        raise Http404("未找到该记录，或不在您的管辖范围内。") from None


def _draft(request: HttpRequest, pk: int) -> Draft:
    try:
        return queries.draft_for(_actor(request), pk)
    except NotFound:
        raise Http404("未找到该文书，或您无权查看。") from None


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def assist_context(actor: User, d: Dispute) -> dict[str, Any]:
    """What the case page shows of this app (cheap: no search; proposals load afterwards)."""
    can_act = queries.may_act(actor, d)
    readable = queries.may_read_documents(actor)
    return {
        "assist": {
            "pinned": [presenters.pin(p) for p in queries.pinned(d)],
            "can_pin": can_act,
            "can_draft": can_act,
            "kinds": presenters.kinds_for(actor, d) if can_act else [],
            "drafts": [presenters.draft(x) for x in queries.drafts(d)] if readable else [],
            "llm": llm.config() is not None,
        }
    }


# ---------------------------------------------------------------- articles


def _articles(request: HttpRequest, d: Dispute, *, error: str = "", status: int = 200) -> HttpResponse:
    actor = _actor(request)
    context = {
        "case_id": d.pk,
        "pinned": [presenters.pin(p) for p in queries.pinned(d)],
        "proposals": [presenters.proposal(p) for p in queries.proposals(d)],
        "can_pin": queries.may_act(actor, d),
        "error": error,
    }
    return render(request, "assist/_articles.html", context, status=status)


@login_required
@require_GET
def proposals(request: HttpRequest, pk: int) -> HttpResponse:
    d = _dispute(request, pk)
    context = {
        "case_id": d.pk,
        "proposals": [presenters.proposal(p) for p in queries.proposals(d)],
        "can_pin": queries.may_act(_actor(request), d),
    }
    return render(request, "assist/_proposals.html", context)


def _back_to_case(pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("web:case", kwargs={"pk": pk}) + anchor)


@login_required
@require_POST
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    d = _dispute(request, pk)
    try:
        article_id = int(request.POST.get("article_id", ""))
    except ValueError:
        return _articles(request, d, error="请选择要固定的法条", status=422)
    proposal = next((p for p in queries.proposals(d) if p.article_id == article_id), None)
    why = (
        {"rank": proposal.rank, "score": proposal.hit.score, "reasons": proposal.hit.reasons}
        if proposal
        else {}
    )
    try:
        actions.pin_article(
            d, actor=actor, article_id=article_id, reason=request.POST.get("reason", ""), proposal=why
        )
    except DomainError as e:
        return _articles(request, d, error=e.message, status=e.status if e.status != 400 else 422)
    return _articles(request, d) if _htmx(request) else _back_to_case(d.pk, "#assist-articles")


@login_required
@require_POST
def unpin(request: HttpRequest, pk: int, pin_id: int) -> HttpResponse:
    d = _dispute(request, pk)
    try:
        actions.unpin_article(d, actor=_actor(request), pin_id=pin_id, reason=request.POST.get("reason", ""))
    except DomainError as e:
        return _articles(request, d, error=e.message, status=e.status if e.status != 400 else 422)
    return _articles(request, d) if _htmx(request) else _back_to_case(d.pk, "#assist-articles")


# ---------------------------------------------------------------- drafts


def _refused(request: HttpRequest, message: str, back: str, status: int = 422) -> HttpResponse:
    return render(request, "assist/refused.html", {"message": message, "back": back}, status=status)


@login_required
@require_POST
def start_draft(request: HttpRequest, pk: int) -> HttpResponse:
    d = _dispute(request, pk)
    party = request.POST.get("party_id", "")
    try:
        draft = actions.start_draft(
            d,
            actor=_actor(request),
            kind=request.POST.get("kind", ""),
            party_id=int(party) if party.isdecimal() else None,
        )
    except DomainError as e:
        return _refused(request, e.message, reverse("web:case", kwargs={"pk": d.pk}), e.status)
    return redirect("assist:draft", pk=draft.pk)


def _draft_page(
    request: HttpRequest, draft: Draft, *, error: str = "", status: int = 200, **extra: Any
) -> HttpResponse:
    actor = _actor(request)
    d = draft.dispute
    data = presenters.draft(draft, with_document=True)
    if values := extra.pop("values", None):
        for f in data["fields"]:
            f["value"] = values.get(f["key"], f["value"])
    context = {
        "draft": data,
        "case": {"id": d.pk, "number": d.number, "summary": d.summary},
        "can_edit": not draft.is_signed and queries.may_act(actor, d),
        "llm": llm.config() is not None,
        "error": error,
        **extra,
    }
    return render(request, "assist/draft.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def draft_page(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if request.method == "GET":
        return _draft_page(request, draft, saved=request.GET.get("saved") == "1")
    keys = [s.key for s in KINDS[draft.kind].fields]
    values = {k: request.POST.get(k, "") for k in keys if k in request.POST}
    revision = request.POST.get("revision", "")
    try:
        actions.edit_draft(
            draft,
            actor=_actor(request),
            fields=values,
            revision=int(revision) if revision.isdecimal() else None,
        )
    except DomainError as e:
        return _draft_page(
            request,
            _draft(request, pk),
            error=e.message,
            status=409 if e.status == 409 else 422,
            values=values,
        )
    return redirect(reverse("assist:draft", kwargs={"pk": pk}) + "?saved=1")


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        actions.sign_draft(draft, actor=_actor(request), confirmed=request.POST.get("confirmed") == "1")
    except DomainError as e:
        return _draft_page(
            request,
            _draft(request, pk),
            error=f"未能签署：{e.message}",
            status=409 if e.status == 409 else 422,
        )
    return redirect("assist:draft", pk=pk)


def file_response(actor: User, draft: Draft, fmt: str) -> HttpResponse:
    """The signed original when signed (byte for byte what was hashed), else the draft rendered
    now with its 草稿 mark. Either way the download is audited: it states identities in full."""
    if fmt not in CONTENT_TYPES:
        raise NotFound("不支持的文件格式")
    kind = KINDS[draft.kind]
    if draft.is_signed:
        signed = draft.signed
        if signed.destroyed:
            raise Gone(DESTROYED)
        data = signed.pdf_bytes() if fmt == "pdf" else signed.docx_bytes()
        actions.record_document_access(actor, signed, fmt)
        suffix = "签署版"
    else:
        doc = document.build(draft, record_of(draft.dispute, draft.party)).marked_as_draft()
        data = render_pdf.render(doc) if fmt == "pdf" else render_docx.render(doc)
        actions.record_document_access(actor, draft, fmt)
        suffix = "草稿"
    name = f"{kind.label}-{draft.dispute.number}-{suffix}.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{draft.kind}-{draft.dispute_id}-{draft.pk}.{fmt}"; '
        f"filename*=UTF-8''{urllib.parse.quote(name)}"
    )
    response["X-Content-SHA256"] = hashlib.sha256(data).hexdigest()
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        return file_response(_actor(request), draft, fmt)
    except NotFound:
        raise Http404() from None
    except Gone as e:
        return _draft_page(request, draft, error=e.message, status=e.status)


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the stored original against its hashes, and an uploaded file against them."""
    draft = _draft(request, pk)
    if not draft.is_signed:
        return _draft_page(request, draft, error="文书尚未签署，没有可校验的存档", status=422)
    upload = request.FILES.get("file")
    uploaded = None
    if upload is not None:
        if upload.size is not None and upload.size > MAX_UPLOAD:
            return _draft_page(request, draft, error="上传的文件过大", status=422)
        digest = hashlib.sha256(upload.read()).hexdigest()
        s = draft.signed
        match = {s.pdf_sha256: "PDF", s.docx_sha256: "DOCX"}.get(digest, "")
        uploaded = {"name": upload.name, "sha256": digest, "match": match}
    return _draft_page(request, draft, verified=draft.signed.verify(), uploaded=uploaded)


# ---------------------------------------------------------------- the assistant


def _answer(request: HttpRequest, answer: answers.Answer, title: str) -> HttpResponse:
    context = {"answer": answer, "title": title}
    if _htmx(request):
        return render(request, "assist/_answer.html", context)
    return render(request, "assist/answer_page.html", context)


@login_required
@require_POST
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    d = _dispute(request, pk)
    return _answer(request, answers.case_summary(d, actor=_actor(request)), f"{d.number} 案情摘要")


@login_required
@require_POST
def wording(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        answer = answers.suggest_wording(draft, field, actor=_actor(request))
    except DomainError as e:
        return render(request, "assist/_answer.html", {"error": e.message}, status=422)
    return render(request, "assist/_wording.html", {"answer": answer, "field": field})


@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """法律问答 for citizens and staff: an answer grounded in the statute book."""
    question = request.POST.get("question", "") if request.method == "POST" else ""
    context: dict[str, Any] = {"question": question, "llm": llm.config() is not None}
    status = 200
    if request.method == "POST":
        try:
            context["answer"] = answers.answer_question(question, actor=_actor(request))
        except DomainError as e:
            context["error"], status = e.message, 422
    if _htmx(request):
        return render(request, "assist/_answer.html", context, status=status)
    return render(request, "assist/ask.html", context, status=status)
