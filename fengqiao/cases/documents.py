"""Printable documents of a case: the mediation agreement as an HTML print view and DOCX.

The agreement carries what 人民调解法 Art. 29 and 人民调解工作若干规定 Art. 35 require:
the parties' particulars; the main facts, the matters in dispute and each side's
responsibility; the rights and obligations agreed; the manner, place and time of
performance; signatures of the parties and the mediator and the committee's seal.
Its content is written in one place, the agreement kind of ``assist.drafting`` (with the
GB/T 9704 DOCX renderer there); this module fits it to the case page's print view and
download, printing a signed agreement as signed.
"""

from typing import Any

from django.http import HttpResponse

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import FULL_IDENTITY_ROLES
from fengqiao.assist.drafting import document, render_docx
from fengqiao.cases import workflow
from fengqiao.cases.choices import AgreementForm
from fengqiao.cases.models import Agreement, Dispute
from fengqiao.core.errors import DomainError

# the print view's styles for the document's blocks (anything else is a plain paragraph)
PRINT_STYLES = {"title": "title", "heading": "heading", "number": "right", "date": "right", "sign": "sign"}


def agreement_context(
    d: Dispute, actor: User | None = None, agreement: Agreement | None = None
) -> dict[str, Any]:
    agreement = agreement or d.agreements.order_by("-created_at", "-id").first()
    if agreement is None:
        raise DomainError("该纠纷尚未达成调解协议")
    full = actor is None or actor.role in FULL_IDENTITY_ROLES
    return {
        "dispute": d,
        "number": d.number.replace("川调", "川调协"),
        "agreement": agreement,
        "document": document.agreement_of_case(d, full=full),
        "committee": d.handling_org.name if d.handling_org else "",
        "mediator": d.mediator.name if d.mediator else "",
        "copies": agreement.copies,
        "written": agreement.form == AgreementForm.WRITTEN,
        "confirmation_due": workflow.confirmation_due(agreement.effective_on),
    }


def agreement_docx(ctx: dict[str, Any]) -> bytes:
    return render_docx.render(ctx["document"])


def agreement_response(d: Dispute, actor: User | None = None) -> HttpResponse:
    ctx = agreement_context(d, actor)
    response = HttpResponse(
        agreement_docx(ctx),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''agreement-{d.pk}.docx"
    return response


def agreement_lines(ctx: dict[str, Any]) -> list[tuple[str, str]]:
    """(style, text) pairs in reading order for the HTML print view."""
    return [(PRINT_STYLES.get(b.style, "body"), b.text) for b in ctx["document"].blocks]
