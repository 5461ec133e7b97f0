from typing import Any

from django.http import HttpRequest

from fengqiao.accounts.choices import Role
from fengqiao.accounts.roles import ADMIN_ROLES, CASE_READERS, CONSULTATION_DESKS, IMPORTERS, REGISTRARS
from fengqiao.legalaid.queries import awaiting_reply
from fengqiao.warning.queries import alerts_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Who is signed in and what the menu offers them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit = user.admin_unit
    can_consult = user.role in CONSULTATION_DESKS and user.admin_unit_id is not None
    return {
        "me": {
            "name": user.display_name,
            "role": user.get_role_display(),
            "unit": unit.name if unit else "",
            "is_demo": user.is_demo,
            "can_register": user.role in REGISTRARS,
            "can_import": user.role in IMPORTERS,
            "can_analyse": user.role in CASE_READERS and user.admin_unit_id is not None,
            "can_consult": can_consult,
            "awaiting_reply": awaiting_reply(user) if can_consult else 0,
            "is_citizen": user.role == Role.CITIZEN,
            "alerts": alerts_for(user).count() if user.role in CASE_READERS else 0,
            "is_admin": user.role in ADMIN_ROLES,
        }
    }
