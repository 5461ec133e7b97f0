"""How a consultation is shown (web and API alike). The asker's phone is masked for roles
that do not contact people (个人信息保护法 Art. 28)."""

from typing import Any

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import CONSULTATION_DESKS
from fengqiao.core import identity
from fengqiao.legalaid.models import Consultation
from fengqiao.triage.presenters import CHANNEL_NAMES, risk


def consultation(c: Consultation, viewer: User) -> dict[str, Any]:
    phone = c.asker_phone if viewer.role in CONSULTATION_DESKS else identity.mask_phone(c.asker_phone)
    return {
        "id": c.pk,
        "admin_unit": c.admin_unit_id,
        "channel": c.channel,
        "channel_name": c.get_channel_display(),
        "question": c.question,
        "asker_name": c.asker_name,
        "asker_phone": phone,
        "reply": c.reply,
        "replied_by": c.replied_by.display_name if c.replied_by else "",
        "replied_at": c.replied_at,
        "from_citizen": c.from_citizen,
        "awaits_reply": c.awaits_reply,
        "received_at": c.received_at,
        "received_by": c.received_by.display_name,
        "topic": c.shown_topic,
        "proposed_topic": c.proposed_topic,
        "topic_confidence": c.topic_confidence,
        "topic_reasons": c.topic_reasons,
        "needs_review": c.needs_review,
        **risk(c.risk_level, c.risk_flags, c.risk_reasons),
        "route": c.route,
        "route_name": CHANNEL_NAMES.get(c.route, c.route),
        "route_reasons": c.route_reasons,
        "model_version": c.model_version,
        "rules_version": c.rules_version,
        "decision": c.decision,
        "decision_name": c.get_decision_display(),
        "decided_by": c.decided_by.display_name if c.decided_by else "",
        "decided_at": c.decided_at,
        "decision_note": c.decision_note,
        "is_demo": c.is_demo,
    }
