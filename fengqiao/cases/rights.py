"""Persons' rights over their data (个人信息保护法 Arts. 44–47): a complete copy, correction,
and deletion or anonymisation once the retention period has passed.

Requests are handled by the security administrator (who has no case jurisdiction, so
a person's records are found wherever they are); every use is audited. A person is
found through the blind indexes of the ID number and phone — the numbers themselves
are encrypted.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fengqiao.accounts import audit
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import User
from fengqiao.cases.choices import Status
from fengqiao.cases.models import Dispute, FollowUpVisit, Party, SessionRecord
from fengqiao.core import clock, crypto
from fengqiao.core.errors import DomainError, PermissionDenied
from fengqiao.core.privacy import CASE_RETENTION_YEARS


def _officer(actor: User) -> None:
    if actor.role != Role.SECURITY_ADMIN:
        raise PermissionDenied("个人信息权利请求由安全管理员受理")


def _find(id_number: str = "", phone: str = "") -> Q:
    if not id_number and not phone:
        raise DomainError("请提供身份证号码或手机号码", field="id_number")
    q = Q(pk__in=[])
    if id_number:
        q |= Q(id_number_bidx=crypto.blind_index("id_number", id_number))
    if phone:
        q |= Q(phone_bidx=crypto.blind_index("phone", phone))
    return q


def export_person(*, actor: User, id_number: str = "", phone: str = "") -> dict[str, Any]:
    """Everything held about a person as a party (Art. 45: the right to a copy)."""
    _officer(actor)
    parties = Party.objects.filter(_find(id_number, phone)).select_related("dispute", "dispute__admin_unit")
    records = [
        {
            "案号": p.dispute.number,
            "纠纷概要": p.dispute.summary,
            "发生地": p.dispute.admin_unit.name,
            "登记时间": p.dispute.received_at.isoformat(),
            "状态": p.dispute.get_status_display(),
            "当事人地位": p.get_role_display(),
            "姓名或名称": p.name,
            "身份证号码": p.id_number,
            "性别": p.get_gender_display() if p.gender else "",
            "联系电话": p.phone,
            "住址": p.address,
            "使用语言": p.language,
            "纠纷事实经过": p.dispute.narrative,
        }
        for p in parties
    ]
    with transaction.atomic():
        audit.record(actor, "export_person", object_type="cases.party", object_id="", records=len(records))
    return {"生成时间": clock.now().isoformat(), "记录数": len(records), "记录": records}


def record_read(actor: User, d: Dispute, what: str) -> None:
    """Every read of a case's personal data is in the audit log: who, when, which case and
    what (等保 安全审计; 个人信息保护法 Art. 51). Called by the pages and API operations that
    show parties: the case, its agreement (print, DOCX)."""
    audit.record(actor, f"read_{what}", d)


REMOVED = "（保存期限届满，已匿名化）"


@transaction.atomic
def anonymise_expired(*, actor: User | None, today: dt.date | None = None) -> int:
    """Remove personal data from parties of disputes closed more than the retention period
    ago (Art. 19; Art. 47 deletion): names become 当事人甲/乙…, numbers and addresses go,
    and so does the free text that may name them. Statistics (types, places, outcomes) stay.

    ``actor`` is the security administrator who runs it by hand, or None for the nightly
    job (``jobs.retention_step``), which is audited as the system."""
    if actor is not None:
        _officer(actor)
    today = today or clock.today()
    cutoff = timezone.make_aware(
        dt.datetime.combine(today.replace(year=today.year - CASE_RETENTION_YEARS), dt.time())
    )
    expired = Dispute.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff).values("pk")
    parties = list(
        Party.objects.filter(dispute__in=expired).exclude(name__startswith="当事人").order_by("dispute", "id")
    )
    letters = "甲乙丙丁戊己庚辛壬癸"
    seen: dict[int, int] = {}
    for p in parties:
        n = seen.get(p.dispute_id, 0)
        seen[p.dispute_id] = n + 1
        p.name = f"当事人{letters[n % 10]}"
        p.id_number = p.phone = p.address = ""
        p.id_number_bidx = p.phone_bidx = ""
    Party.objects.bulk_update(
        parties, ["name", "id_number", "phone", "address", "id_number_bidx", "phone_bidx"], batch_size=1000
    )
    # The free text around them ends with the same retention (core/privacy.py REGISTER):
    # the facts as told, the mediation records, visit notes, the alerts quoting them and the
    # documents drawn up from the case.
    from fengqiao.assist.actions import remove_expired
    from fengqiao.warning.models import Alert

    Dispute.objects.filter(pk__in=expired).exclude(narrative=REMOVED).update(narrative=REMOVED, address="")
    SessionRecord.objects.filter(dispute__in=expired).update(content=REMOVED, attendees="")
    FollowUpVisit.objects.filter(dispute__in=expired).update(note="")
    Alert.objects.filter(dispute__in=expired).update(title=REMOVED, reason=REMOVED, evidence={})
    documents = remove_expired(Dispute.objects.filter(pk__in=expired))
    audit.record(
        actor,
        "anonymise_expired",
        object_type="cases.party",
        object_id="",
        parties=len(parties),
        before=cutoff.isoformat(),
        signed_documents=documents["signed_documents"],
        drafts=documents["drafts"],
        answers=documents["answers"],
    )
    return len(parties)
