"""Dispatch's personal data is encrypted at rest and matched through blind indexes only."""

import pytest
from django.db import connection

from fengqiao.accounts.choices import Role
from fengqiao.core import crypto
from fengqiao.core.testing import Personas, make_id_number
from fengqiao.dispatch import actions, queries
from fengqiao.dispatch.choices import Relation
from fengqiao.dispatch.models import ConflictDeclaration, Interpreter
from fengqiao.dispatch.tests.conftest import MAERKANG, staff

pytestmark = pytest.mark.django_db

PHONE = "13988776655"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as c:
        c.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(c.fetchone()[0])


def test_a_declared_identity_number_and_an_interpreters_phone_are_ciphertext_in_the_database(
    personas: Personas,
) -> None:
    number = make_id_number(seq=777)
    decl = actions.declare_conflict(
        personas.mediator,
        actor=personas.township_officer,
        person_name="张三",
        id_number=number,
        relation=Relation.KIN,
    )
    stored = raw("dispatch_conflictdeclaration", "id_number", decl.pk)
    assert number not in stored and crypto.is_ciphertext(stored)
    assert ConflictDeclaration.objects.get(pk=decl.pk).id_number == number  # clear in the application
    assert decl.id_number_bidx == crypto.blind_index("id_number", number)
    officer = staff("maerkang_privacy", Role.COUNTY_OFFICER, MAERKANG)
    interpreter = actions.add_interpreter(actor=officer, name="卓玛", languages=["bo"], phone=PHONE)
    stored = raw("dispatch_interpreter", "phone", interpreter.pk)
    assert PHONE not in stored and crypto.is_ciphertext(stored)
    assert Interpreter.objects.get(pk=interpreter.pk).phone == PHONE


def test_a_party_is_matched_to_a_declaration_by_the_blind_index_of_his_number(
    personas: Personas,
) -> None:
    number = make_id_number(seq=778)
    actions.declare_conflict(
        personas.mediator,
        actor=personas.township_officer,
        person_name="别名",
        id_number=number,
        relation=Relation.KIN,
    )
    party = queries.PartyFacts(1, "张三", crypto.blind_index("id_number", number))
    found = queries.declarations_about([party])
    assert [d.mediator_id for d in found] == [personas.mediator.pk]
    assert found[0].id_number != number  # the key compared is the index, never the number
