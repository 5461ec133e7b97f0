"""Drafts are edited until signed; a signed document is stored once with its SHA-256 hashes,
downloads byte for byte as signed, verifies, and refuses every change — in the action,
the model, the queryset and the database."""

import hashlib
import io
import json
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from pypdf import PdfReader

from fengqiao.accounts.models import AuditEntry
from fengqiao.assist import actions, queries
from fengqiao.assist.choices import DocumentKind, DraftStatus
from fengqiao.assist.models import Draft, ImmutableError, SignedDocument
from fengqiao.assist.tests.conftest import APPLICANT_ID
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import DomainError, NotFound, PermissionDenied
from fengqiao.core.testing import Personas, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas: Personas, agreed: Dispute) -> Draft:
    return actions.start_draft(agreed, actor=personas.village_mediator, kind=DocumentKind.AGREEMENT)


def test_starting_twice_reopens_the_open_draft(personas: Personas, agreed: Dispute, draft: Draft) -> None:
    again = actions.start_draft(agreed, actor=personas.village_mediator, kind=DocumentKind.AGREEMENT)
    assert again.pk == draft.pk
    assert AuditEntry.objects.filter(action="start_draft").count() == 1
    assert "id_number" not in str(draft.fields) and APPLICANT_ID not in str(
        draft.fields
    )  # identities stay encrypted


def test_edits_bump_the_revision_and_refuse_stale_ones_unknown_fields_and_outsiders(
    personas: Personas, draft: Draft
) -> None:
    mediator = personas.village_mediator
    edited = actions.edit_draft(draft, actor=mediator, fields={"terms": "李四赔偿1600元"}, revision=1)
    assert edited.revision == 2 and edited.fields["terms"] == "李四赔偿1600元"
    entry = AuditEntry.objects.filter(action="edit_draft").latest("seq")
    assert entry.detail["fields"] == ["terms"] and "1600" not in str(
        entry.detail
    )  # the audit names fields, not text
    with pytest.raises(DomainError, match="已被他人修改") as stale:
        actions.edit_draft(draft, actor=mediator, fields={"terms": "旧稿"}, revision=1)
    assert stale.value.code == "conflict"
    with pytest.raises(DomainError, match="没有“seal”这一栏"):
        actions.edit_draft(draft, actor=mediator, fields={"seal": "x"})
    with pytest.raises(DomainError, match="不能超过"):
        actions.edit_draft(draft, actor=mediator, fields={"basis": "法" * 1001})
    assert (
        actions.edit_draft(draft, actor=mediator, fields={"terms": "李四赔偿1600元"}).revision == 2
    )  # no change
    with pytest.raises(NotFound):
        actions.edit_draft(draft, actor=personas.other_county_officer, fields={"terms": "x"})
    with pytest.raises(NotFound):  # analysts see masked identities: they do not open documents at all
        actions.edit_draft(draft, actor=personas.city_analyst, fields={"terms": "x"})
    with pytest.raises(PermissionDenied):  # the court reads documents but does not write them
        queries.require_act(personas.partner_court, draft.dispute, "修改文书")


def test_signing_stores_the_files_with_their_hashes_and_they_verify(personas: Personas, draft: Draft) -> None:
    signed = actions.sign_draft(draft, actor=personas.village_mediator, confirmed=True)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SIGNED and signed.signed_by == personas.village_mediator
    assert signed.pdf_sha256 == hashlib.sha256(signed.pdf_bytes()).hexdigest()
    assert signed.docx_sha256 == hashlib.sha256(signed.docx_bytes()).hexdigest()
    assert signed.content_sha256 == hashlib.sha256(signed.content.encode()).hexdigest()
    assert signed.verify() == {"content": True, "pdf": True, "docx": True}
    assert "人民调解协议书" in PdfReader(io.BytesIO(signed.pdf_bytes())).pages[0].extract_text()
    assert signed.fonts  # which fonts the PDF embeds is recorded
    entry = AuditEntry.objects.filter(action="sign_document").latest("seq")
    assert entry.detail["pdf_sha256"] == signed.pdf_sha256 and entry.object_id == str(signed.pk)
    # stored encrypted: the identity number is not in the database in clear
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, pdf FROM assist_signeddocument WHERE id = %s", [signed.pk])
        content, pdf = cursor.fetchone()
    assert content.startswith("sm4gcm:") and APPLICANT_ID not in content and pdf.startswith("sm4gcm:")


def test_nothing_changes_after_signing(personas: Personas, draft: Draft) -> None:
    mediator = personas.village_mediator
    signed = actions.sign_draft(draft, actor=mediator, confirmed=True)
    with pytest.raises(ImmutableError):
        actions.edit_draft(draft, actor=mediator, fields={"terms": "改"})
    with pytest.raises(ImmutableError):
        actions.sign_draft(draft, actor=mediator, confirmed=True)
    stale = Draft.objects.get(pk=draft.pk)
    stale.status = DraftStatus.DRAFT  # a stale copy cannot reopen it
    with pytest.raises(ImmutableError):
        stale.save()
    with pytest.raises(ImmutableError):
        stale.delete()
    with pytest.raises(ImmutableError):
        Draft.objects.filter(pk=draft.pk).update(fields={})
    with pytest.raises(ImmutableError):
        Draft.objects.filter(pk=draft.pk).delete()
    signed.pdf_sha256 = "0" * 64
    with pytest.raises(ImmutableError):
        signed.save()
    with pytest.raises(ImmutableError):
        signed.delete()
    with pytest.raises(ImmutableError):
        SignedDocument.objects.filter(pk=signed.pk).update(pdf_sha256="0" * 64)
    with pytest.raises(ImmutableError):
        SignedDocument.objects.all().delete()
    # the database refuses too, against raw SQL
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assist_signeddocument SET pdf_sha256 = %s WHERE id = %s", ["0" * 64, signed.pk]
        )
    # a new draft of the same kind may be started (a corrected agreement), the signed one stays
    new = actions.start_draft(draft.dispute, actor=mediator, kind=DocumentKind.AGREEMENT)
    assert new.pk != draft.pk and SignedDocument.objects.get(pk=signed.pk).verify()["pdf"]


def test_tampering_with_the_stored_file_is_found(personas: Personas, draft: Draft) -> None:
    signed = actions.sign_draft(draft, actor=personas.village_mediator, confirmed=True)
    forged = SignedDocument(pdf=signed.pdf, docx=signed.docx, content=signed.content + " ")
    forged.pdf_sha256, forged.docx_sha256, forged.content_sha256 = (
        signed.pdf_sha256,
        signed.docx_sha256,
        signed.content_sha256,
    )
    assert forged.verify() == {"content": False, "pdf": True, "docx": True}


def test_signing_needs_confirmation_required_fields_and_clean_citations(
    personas: Personas, draft: Draft
) -> None:
    mediator = personas.village_mediator
    with pytest.raises(DomainError, match="确认已逐项核对"):
        actions.sign_draft(draft, actor=mediator, confirmed=False)
    actions.edit_draft(draft, actor=mediator, fields={"terms": ""})
    with pytest.raises(DomainError, match="请填写“协议内容（当事人的权利义务）”后再签署") as missing:
        actions.sign_draft(draft, actor=mediator, confirmed=True)
    assert missing.value.field == "terms"
    actions.edit_draft(
        draft,
        actor=mediator,
        fields={"terms": "李四赔偿1500元", "basis": "《中华人民共和国合同法》第一百零七条"},
    )
    with pytest.raises(DomainError, match="未通过核对") as bad:
        actions.sign_draft(draft, actor=mediator, confirmed=True)
    assert "已失效" in bad.value.message and bad.value.field == "citations"
    # a regulation the corpus does not hold cannot be verified, but citing it is not wrong
    actions.edit_draft(draft, actor=mediator, fields={"basis": "《人民调解工作若干规定》第三十五条"})
    assert actions.sign_draft(draft, actor=mediator, confirmed=True).pk
    with pytest.raises(NotFound):
        actions.sign_draft(draft, actor=personas.other_county_officer, confirmed=True)


def test_pages_edit_sign_download_and_verify(personas: Personas, draft: Draft) -> None:
    c = Client()
    sign_in(c, personas.village_mediator)
    page = c.get(f"/assist/drafts/{draft.pk}/").content.decode()
    assert "文书预览" in page and "法条核对" in page and "建议措辞" in page and "签署" in page
    r = c.post(
        f"/assist/drafts/{draft.pk}/", {"revision": "1", "terms": "李四赔偿1800元", "facts": "排水沟堵塞"}
    )
    assert r.status_code == 302 and r["Location"].endswith("?saved=1")
    assert "李四赔偿1800元" in c.get(r["Location"]).content.decode()
    r = c.post(f"/assist/drafts/{draft.pk}/", {"revision": "1", "terms": "旧"})
    assert r.status_code == 409 and "已被他人修改" in r.content.decode(), r.content.decode()[
        r.content.decode().find('role="alert"') :
    ][:300]

    pdf = c.get(f"/assist/drafts/{draft.pk}/document.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "草稿" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert pdf["Cache-Control"] == "no-store" and "filename*=UTF-8''" in pdf["Content-Disposition"]

    r = c.post(f"/assist/drafts/{draft.pk}/sign/", {})
    assert r.status_code == 422 and "确认已逐项核对" in r.content.decode()
    r = c.post(f"/assist/drafts/{draft.pk}/sign/", {"confirmed": "1"})
    assert r.status_code == 302
    signed = SignedDocument.objects.get(draft=draft)
    page = c.get(f"/assist/drafts/{draft.pk}/").content.decode()
    assert signed.pdf_sha256 in page and "保存修改" not in page
    for fmt, digest in (("pdf", signed.pdf_sha256), ("docx", signed.docx_sha256)):
        r = c.get(f"/assist/drafts/{draft.pk}/document.{fmt}")
        assert hashlib.sha256(r.content).hexdigest() == digest == r["X-Content-SHA256"]
    assert (
        AuditEntry.objects.filter(
            action="download_document", object_type="assist.signeddocument", object_id=str(signed.pk)
        ).count()
        == 2
    )
    r = c.post(f"/assist/drafts/{draft.pk}/", {"terms": "签署后再改"})
    assert r.status_code == 409 and "已签署" in r.content.decode()
    upload = io.BytesIO(signed.pdf_bytes())
    upload.name = "协议.pdf"
    page = c.post(f"/assist/drafts/{draft.pk}/verify/", {"file": upload}).content.decode()
    assert "与签署的 PDF 原件一致" in page and "内容一致" in page
    upload = io.BytesIO(b"%PDF-1.4 forged")
    upload.name = "forged.pdf"
    assert (
        "与签署原件不一致" in c.post(f"/assist/drafts/{draft.pk}/verify/", {"file": upload}).content.decode()
    )

    for who, status in (
        (personas.other_county_officer, 404),
        (personas.city_analyst, 404),
        (personas.citizen, 404),
    ):
        other = Client()
        sign_in(other, who)
        assert other.get(f"/assist/drafts/{draft.pk}/document.pdf").status_code == status
    court = Client()
    sign_in(court, personas.partner_court)
    assert court.get(f"/assist/drafts/{draft.pk}/").status_code == 404  # not referred by this court


def test_the_api_drafts_edits_signs_and_verifies(personas: Personas, agreed: Dispute) -> None:
    c = Client()
    sign_in(c, personas.village_mediator)

    def call(method: str, url: str, body: object | None = None) -> tuple[int, Any]:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        r = getattr(c, method)(url, **kwargs)
        return r.status_code, r.json()

    status, listing = call("get", f"/api/v1/assist/cases/{agreed.pk}/drafts")
    assert status == 200 and {k["kind"]: k["available"] for k in listing["kinds"]} == {
        "mediation_agreement": True,
        "confirmation_application": True,
        "legal_aid_application": True,
        "termination_notice": False,
    }
    status, body = call("post", f"/api/v1/assist/cases/{agreed.pk}/drafts", {"kind": "termination_notice"})
    assert status == 400 and "人民调解法第二十六条" in body["message"] and body["field"] == "kind"
    status, body = call(
        "post", f"/api/v1/assist/cases/{agreed.pk}/drafts", {"kind": "confirmation_application"}
    )
    assert status == 201 and body["status"] == "draft" and body["failing"] == 0
    assert any("申请期限截至" in text for _, text in body["blocks"])
    draft_id = body["id"]
    status, body = call(
        "patch", f"/api/v1/assist/drafts/{draft_id}", {"fields": {"court": "大邑县人民法院"}, "revision": 1}
    )
    assert status == 200 and body["revision"] == 2
    status, body = call("post", f"/api/v1/assist/drafts/{draft_id}/sign", {"confirmed": True})
    assert status == 201 and body["signed"]["pdf_sha256"]
    status, body = call("get", f"/api/v1/assist/drafts/{draft_id}/verify")
    assert (
        status == 200 and body["intact"] and body["results"] == {"content": True, "pdf": True, "docx": True}
    )
    status, body = call("patch", f"/api/v1/assist/drafts/{draft_id}", {"fields": {"court": "x"}})
    assert status == 409 and body["code"] == "immutable"
    r = c.get(f"/api/v1/assist/drafts/{draft_id}/document.docx")
    assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == r["X-Content-SHA256"]
    assert c.get(f"/api/v1/assist/drafts/{draft_id}/document.exe").status_code == 404
    other = Client()
    sign_in(other, personas.other_county_officer)
    assert other.get(f"/api/v1/assist/drafts/{draft_id}").status_code == 404
    assert (
        other.post(
            f"/api/v1/assist/cases/{agreed.pk}/drafts",
            data=json.dumps({"kind": "mediation_agreement"}),
            content_type="application/json",
        ).status_code
        == 404
    )


def test_the_verify_command_finds_a_document_changed_behind_the_applications_back(
    personas: Personas, draft: Draft, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    from fengqiao.core import crypto

    signed = actions.sign_draft(draft, actor=personas.village_mediator, confirmed=True)
    call_command("assist", "verify")
    assert "共校验 1 份已签署文书，0 份不一致" in capsys.readouterr().out
    forged = crypto.encrypt(signed.content.replace("1500", "15000"))
    with connection.cursor() as cursor:  # the guard lets ciphertext be rewritten (key rotation) …
        cursor.execute("UPDATE assist_signeddocument SET content = %s WHERE id = %s", [forged, signed.pk])
    with pytest.raises(SystemExit):  # … and the hashes find what changed
        call_command("assist", "verify")
    out = capsys.readouterr().out
    assert f"已签署文书 {signed.pk}" in out and "content 与哈希不符" in out and "1 份不一致" in out


def test_at_the_end_of_retention_the_originals_go_and_their_hashes_stay(
    personas: Personas, draft: Draft, capsys: Any
) -> None:
    """个人信息保护法 Arts. 19 and 47: the signed agreement states names and identity numbers;
    when the case file's retention ends it is destroyed like the rest, and stays provable."""
    import datetime as dt

    from django.core.management import call_command

    from fengqiao.cases import rights
    from fengqiao.cases.choices import Status
    from fengqiao.core import clock
    from fengqiao.core.privacy import CASE_RETENTION_YEARS

    signed = actions.sign_draft(draft, actor=personas.village_mediator, confirmed=True)
    original_pdf, hashes = signed.pdf_bytes(), (signed.content_sha256, signed.pdf_sha256, signed.docx_sha256)
    closed = clock.now()
    Dispute.objects.filter(pk=draft.dispute_id).update(status=Status.CLOSED, closed_at=closed)
    rights.anonymise_expired(actor=personas.security_admin)  # within the period: nothing happens
    assert SignedDocument.objects.get(pk=signed.pk).verify() == {"content": True, "pdf": True, "docx": True}

    later = closed.date() + dt.timedelta(days=366 * CASE_RETENTION_YEARS + 1)
    rights.anonymise_expired(actor=personas.security_admin, today=later)
    signed = SignedDocument.objects.get(pk=signed.pk)
    assert signed.destroyed_at is not None and (signed.content, signed.pdf, signed.docx) == ("", "", "")
    assert (signed.content_sha256, signed.pdf_sha256, signed.docx_sha256) == hashes
    assert signed.verify() == {} and Draft.objects.get(pk=draft.pk).fields == {}
    entry = AuditEntry.objects.filter(action="anonymise_expired").latest("seq")
    assert entry.detail["signed_documents"] == 1 and entry.detail["drafts"] == 1
    with pytest.raises(ImmutableError):  # destroyed, and still not to be changed
        SignedDocument.objects.filter(pk=signed.pk).update(destroyed_at=None)
    rights.anonymise_expired(actor=personas.security_admin, today=later)  # a second run changes nothing
    assert AuditEntry.objects.filter(action="anonymise_expired").latest("seq").detail["signed_documents"] == 0

    c = sign_in(Client(), personas.township_officer)
    r = c.get(f"/assist/drafts/{draft.pk}/document.pdf")
    assert r.status_code == 410 and "签署原件已销毁" in r.content.decode()
    page = c.get(f"/assist/drafts/{draft.pk}/").content.decode()
    assert 'id="destroyed"' in page and hashes[1] in page and "下载 PDF" not in page
    upload = io.BytesIO(original_pdf)  # a party's copy can still be proved to be the signed one
    upload.name = "协议.pdf"
    assert (
        "与签署的 PDF 原件一致"
        in c.post(f"/assist/drafts/{draft.pk}/verify/", {"file": upload}).content.decode()
    )
    api = c.get(f"/api/v1/assist/drafts/{draft.pk}/verify").json()
    assert api["intact"] is None and api["destroyed_at"]
    assert c.get(f"/api/v1/assist/drafts/{draft.pk}/document.pdf").status_code == 410
    call_command("assist", "verify")
    assert "0 份不一致（另有 1 份因保存期限届满已销毁原件" in capsys.readouterr().out
