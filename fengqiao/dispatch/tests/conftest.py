"""Helpers for dispatch tests on the real divisions: rosters and accepted disputes."""

from collections.abc import Callable
from typing import Any

import pytest

from fengqiao.accounts import actions as account_actions
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import Mediator, User
from fengqiao.cases import actions as case_actions
from fengqiao.cases.models import Dispute
from fengqiao.core.testing import PASSWORD, Personas, make_id_number, register
from fengqiao.geography.choices import OrgKind
from fengqiao.geography.models import AdminUnit, Organisation

MAERKANG = 513201000000  # 马尔康市, 阿坝州
MAERKANG_TOWNSHIP = 513201100000
MAERKANG_VILLAGE = 513201100200  # 阿底村
MAERKANG_OTHER_VILLAGE = 513201100202  # 查北村


def committee(unit: int) -> Organisation:
    kind = OrgKind.RESOLUTION_CENTER if unit % 10**6 == 0 else OrgKind.MEDIATION_COMMITTEE
    return Organisation.objects.get(admin_unit_id=unit, kind=kind)


def add_mediator(unit: int, name: str, **kw: Any) -> Mediator:
    kw.setdefault("specialties", ["neighbour"])
    kw.setdefault("languages", ["zh"])
    return Mediator.objects.create(name=name, organisation=committee(unit), **kw)


def staff(username: str, role: Role, unit: int) -> User:
    return account_actions.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        full_name=username,
        admin_unit=AdminUnit.objects.get(pk=unit),
        check_password=False,
    )


def party(name: str, seq: int, **kw: Any) -> dict[str, Any]:
    return {"role": "applicant", "name": name, "id_number": make_id_number(seq=seq), **kw}


@pytest.fixture
def accepted(personas: Personas) -> Callable[..., Dispute]:
    """An accepted dispute at the village tier (handled by the village committee)."""

    def make(actor: User | None = None, **overrides: Any) -> Dispute:
        d = register(actor or personas.township_officer, **overrides)
        return case_actions.accept_dispute(d, actor=actor or personas.township_officer)

    return make
