"""Writes of the consultation register: record a consultation (triaged at once) at a desk
or, for a citizen, leave one online to be called back; the officer's decision on its
topic; the reply. One write path each, audited."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fengqiao.accounts import audit
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import CONSULTATION_DESKS
from fengqiao.cases.choices import Channel
from fengqiao.core import clock, identity
from fengqiao.core.errors import DomainError, NotFound, PermissionDenied
from fengqiao.core.privacy import CONSULTATION_RETENTION_YEARS
from fengqiao.geography import codes
from fengqiao.geography.choices import Level as AdminLevel
from fengqiao.geography.models import AdminUnit
from fengqiao.legalaid import queries
from fengqiao.legalaid.models import Consultation
from fengqiao.triage import actions as triage_actions
from fengqiao.triage import service
from fengqiao.triage.models import Decision
from fengqiao.triage.risk import Level
from fengqiao.triage.taxonomies import CONSULT_TOPICS, Taxonomy
from fengqiao.warning import actions as warning_actions
from fengqiao.warning.choices import AlertKind, Severity

# A consultation comes in person, by the 12348 line, online or through the grid worker;
# referrals from courts, police and petition offices are disputes, not consultations.
CONSULTATION_CHANNELS = (Channel.WALK_IN, Channel.PHONE_12348, Channel.ONLINE, Channel.GRID_SWEEP)
MAX_QUESTION = 5000
# A citizen's questions left online in 24 hours: enough for anyone's matters, and a desk is
# not flooded from one account (the index on received_by, received_at counts them).
CALLBACKS_PER_DAY = 5
REMOVED = "（保存期限届满，已删除）"


def alert_key(pk: int) -> str:
    """The key of the alert a high-risk consultation raises (one per consultation)."""
    return f"high_risk:consultation:{pk}"


def _desk(actor: User) -> None:
    if actor.role not in CONSULTATION_DESKS or actor.admin_unit_id is None:
        raise PermissionDenied("只有网格员、调解员和司法所、矛调中心工作人员可以登记法律咨询")


@transaction.atomic
def record_consultation(
    *,
    actor: User,
    question: str,
    channel: str,
    asker_name: str = "",
    asker_phone: str = "",
    reply: str = "",
    admin_unit: int | None = None,
) -> Consultation:
    """Record a citizen's legal question where it was received, with triage's proposal of
    its topic, risk and route; a high-risk one raises an alert to the officers there."""
    _desk(actor)
    if channel not in [c.value for c in CONSULTATION_CHANNELS]:
        raise DomainError("咨询方式应为来访、12348热线、网上申请或网格排查", field="channel")
    unit = admin_unit or actor.admin_unit_id
    assert actor.admin_unit_id is not None and unit is not None
    if not codes.contains(actor.admin_unit_id, unit) or not AdminUnit.objects.filter(pk=unit).exists():
        raise DomainError("受理地应为您管辖范围内的行政区划", field="admin_unit")
    c = _create(actor, unit, channel, question, asker_name, asker_phone, reply)
    audit.record(actor, "record_consultation", c, topic=c.proposed_topic, risk=c.risk_level)
    return c


@transaction.atomic
def request_callback(
    *,
    actor: User,
    question: str,
    admin_unit: int | None,
    asker_phone: str,
    asker_name: str = "",
    consent: bool,
) -> Consultation:
    """A citizen leaves a legal question online for the desk of the place they choose, to be
    called back (请工作人员联系我). It is triaged and listed there as awaiting a reply.

    The name and phone are given for this purpose only, with the citizen's explicit consent
    after being told who receives them, why and for how long (个人信息保护法 Arts. 13(1),
    14, 17); they are kept as a desk's records are (``core.privacy``)."""
    if actor.role != Role.CITIZEN:
        raise PermissionDenied("工作人员请在“法律咨询登记”中登记咨询")
    if not asker_phone.strip():
        raise DomainError("请填写联系电话，以便工作人员与您联系", field="asker_phone")
    level = (
        AdminUnit.objects.filter(pk=admin_unit).values_list("level", flat=True).first()
        if admin_unit
        else None
    )
    if admin_unit is None or level is None:
        raise DomainError("请选择您所在的县(区)、乡镇(街道)", field="admin_unit")
    if level < AdminLevel.COUNTY:
        raise DomainError("请至少选到县(区)一级，最好选到乡镇(街道)", field="admin_unit")
    if not consent:
        raise DomainError("请阅读并勾选同意后再提交", field="consent")
    since = clock.now() - dt.timedelta(days=1)
    if queries.own_consultations(actor).filter(received_at__gte=since).count() >= CALLBACKS_PER_DAY:
        raise DomainError(
            f"您24小时内已留言{CALLBACKS_PER_DAY}条，工作人员会逐一联系您；情况紧急请拨打12348公共法律服务热线或110"
        )
    c = _create(actor, admin_unit, Channel.ONLINE, question, asker_name, asker_phone, "", from_citizen=True)
    audit.record(actor, "request_callback", c, topic=c.proposed_topic, risk=c.risk_level)
    return c


def _create(
    actor: User,
    unit: int,
    channel: str,
    question: str,
    asker_name: str,
    asker_phone: str,
    reply: str,
    *,
    from_citizen: bool = False,
) -> Consultation:
    """Check what was asked and who asks, triage it, save it, and raise the alert of a
    high-risk question to the officers of ``unit``: the one write path of both ways in."""
    question = question.strip()
    if not question:
        raise DomainError("请填写咨询内容", field="question")
    if len(question) > MAX_QUESTION:
        raise DomainError(f"咨询内容不超过{MAX_QUESTION}字，请概括后登记", field="question")
    if len(asker_name.strip()) > 60:
        raise DomainError("咨询人姓名不超过60字", field="asker_name")
    if len(reply) > MAX_QUESTION:
        raise DomainError(f"答复要点不超过{MAX_QUESTION}字", field="reply")
    phone = ""
    if asker_phone.strip():
        try:
            phone = identity.parse_phone(asker_phone)
        except ValueError as e:
            raise DomainError(str(e), field="asker_phone") from None

    result = service.triage(service.Case(question))
    topic = service.classify([question], Taxonomy.CONSULT)[0]
    now = clock.now()
    c = Consultation.objects.create(
        admin_unit_id=unit,
        channel=channel,
        question=question,
        asker_name=asker_name.strip(),
        asker_phone=phone,
        reply=reply.strip(),
        replied_by=actor if reply.strip() else None,
        replied_at=now if reply.strip() else None,
        received_by=actor,
        received_at=now,
        from_citizen=from_citizen,
        model_version=service.model_version(Taxonomy.CONSULT),
        rules_version=result.rules_version,
        proposed_topic=topic.label,
        topic_confidence=topic.confidence,
        topic_reasons=topic.reasons + result.notes,
        risk_level=result.risk.level.value,
        risk_flags=[f.value for f in result.risk.flags],
        risk_reasons=result.risk.reasons,
        route=result.routing.channel,
        route_reasons=result.routing.reasons,
        needs_review=topic.needs_review,
    )
    if result.risk.level == Level.HIGH:
        warning_actions.raise_alert(
            key=alert_key(c.pk),
            kind=AlertKind.HIGH_RISK,
            severity=Severity.HIGH,
            owner_unit=unit,
            title=f"高风险法律咨询：{question}"[:200],
            reason=triage_actions.risk_reason(result),
            evidence={"consultation": c.pk, "flags": c.risk_flags, "rules_version": c.rules_version},
        )
    return c


@transaction.atomic
def reply_to(consultation: Consultation, *, actor: User, reply: str) -> Consultation:
    """Record the reply given to a consultation that has none yet (a citizen's online
    question, once the desk has called back), with who and when."""
    _desk(actor)
    c = queries.consultations_for(actor).select_for_update().filter(pk=consultation.pk).first()
    if c is None:
        raise NotFound()
    if c.reply:
        raise DomainError("该咨询已有答复")
    reply = reply.strip()
    if not reply:
        raise DomainError("请填写答复要点", field="reply")
    if len(reply) > MAX_QUESTION:
        raise DomainError(f"答复要点不超过{MAX_QUESTION}字", field="reply")
    c.reply, c.replied_by, c.replied_at = reply, actor, clock.now()
    c.save(update_fields=["reply", "replied_by", "replied_at"])
    audit.record(actor, "reply_to_consultation", c)
    return c


@transaction.atomic
def decide_topic(consultation: Consultation, *, actor: User, topic: str = "", note: str = "") -> Consultation:
    """Confirm the proposed topic, or correct it with a reason. The decided topic is a
    training example of the next topic model (``triage.training``)."""
    _desk(actor)
    c = queries.consultations_for(actor).select_for_update().filter(pk=consultation.pk).first()
    if c is None:
        raise NotFound()
    if c.decision != Decision.PROPOSED:
        raise DomainError("该咨询类别已确认")
    final = topic or c.proposed_topic
    if final not in CONSULT_TOPICS:
        raise DomainError("咨询类别无效", field="topic")
    overridden = final != c.proposed_topic
    if overridden and not note.strip():
        raise DomainError("与系统建议不一致时，请说明理由", field="note")
    if len(note) > 500:
        raise DomainError("改判理由不超过500字", field="note")
    c.decision = Decision.OVERRIDDEN if overridden else Decision.CONFIRMED
    c.topic = final
    c.decided_by = actor
    c.decided_at = clock.now()
    c.decision_note = note.strip()
    c.save(update_fields=["decision", "topic", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, "decide_consultation_topic", c, decision=c.decision, topic=final)
    return c


def remove_expired(today: dt.date) -> int:
    """Empty what identifies the asker in consultations received more than the retention
    period ago (个人信息保护法 Arts. 19, 47; ``core.privacy``): the question, name, phone and
    reply, and the alert that quoted the question. Topic, channel, place and dates stay
    for the statistics. Run by the nightly retention job; returns how many were emptied."""
    from fengqiao.warning.models import Alert

    cutoff = timezone.make_aware(
        dt.datetime.combine(today.replace(year=today.year - CONSULTATION_RETENTION_YEARS), dt.time())
    )
    expired = Consultation.objects.filter(received_at__lt=cutoff).exclude(question=REMOVED)
    ids = list(expired.values_list("pk", flat=True))
    if not ids:
        return 0
    Alert.objects.filter(key__in=[alert_key(pk) for pk in ids]).update(
        title=REMOVED, reason=REMOVED, evidence={}
    )
    Consultation.objects.filter(pk__in=ids).update(
        question=REMOVED, asker_name="", asker_phone="", reply="", topic_reasons=[], risk_reasons=[]
    )
    audit.record(None, "remove_expired_consultations", object_type="legalaid.consultation", count=len(ids))
    return len(ids)
