"""The early-warning index holds no ID number or phone in clear, forgets what the
retention rules or a correction remove, and an anonymised party links to no one."""

import datetime as dt

import pytest
from django.db import connection

from fengqiao.cases import actions, rights
from fengqiao.core import clock
from fengqiao.core.testing import Personas, register
from fengqiao.warning import jobs
from fengqiao.warning.choices import AlertKind
from fengqiao.warning.models import Alert, PartyKey

pytestmark = pytest.mark.django_db

ID = "510129198808086666"
PHONE = "13999887766"


def canaries(name: str = "金丝雀", phone: str = PHONE, id_number: str = ID) -> list[dict[str, str]]:
    return [
        {"role": "applicant", "name": name, "id_number": id_number, "phone": phone},
        {"role": "respondent", "name": "邻居老王", "phone": "13700001111"},
    ]


def text_columns_holding(values: list[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cast = f"CAST({name} AS TEXT)"
                where = " OR ".join([f"{cast} LIKE %s"] * len(values))
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {where}",
                    [f"%{v}%" for v in values],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def test_resolution_and_alerts_keep_no_id_number_or_phone_in_clear(personas: Personas) -> None:
    p = personas
    with clock.frozen(dt.datetime(2026, 3, 2, 9, 0)):
        register(p.village_mediator, parties=canaries())
        jobs.drain()
    with clock.frozen(dt.datetime(2026, 3, 9, 9, 0)):  # a repeat, the phone's digits swapped
        register(p.village_mediator, summary="纠纷再起", parties=canaries(phone="13999887676", id_number=""))
        jobs.drain()
        jobs.nightly()
    assert Alert.objects.filter(kind=AlertKind.REPEAT_DISPUTE).count() == 1
    assert PartyKey.objects.filter(phone_head__gt="").count() == 4
    assert len(set(PartyKey.objects.filter(role="applicant").values_list("person", flat=True))) == 1
    # neither the whole numbers nor their distinctive halves are anywhere in clear
    assert text_columns_holding([ID, PHONE, "13999887676", ID[-10:], PHONE[-6:]]) == []


def test_anonymised_and_corrected_parties_lose_their_keys(personas: Personas) -> None:
    p = personas
    with clock.frozen(dt.datetime(2014, 5, 1, 9, 0)):
        old = [register(p.village_mediator, parties=canaries()) for _ in range(2)]
        for d in old:
            actions.withdraw_dispute(d, actor=p.village_mediator, reason="和解")
    with clock.frozen(dt.datetime(2026, 3, 2, 9, 0)):
        recent = register(p.village_mediator, parties=canaries(name="张建国", phone="13812345678"))
        jobs.drain()
        jobs.nightly()
        assert PartyKey.objects.count() == 6
        rights.anonymise_expired(actor=p.security_admin)
        stats = jobs.nightly()
    assert stats["purged"] == 4 and stats["indexed"] == 4
    keys = PartyKey.objects.filter(dispute_id__in=[d.pk for d in old])
    assert all(k.block == f"anon:{k.party_id}" and k.phone_head == k.phone_tail == "" for k in keys)
    assert len({k.person for k in keys}) == 4  # 当事人甲 of one dispute is not 当事人甲 of the other
    # a corrected phone: the fragments of the old number go with it
    party = recent.parties.get(role="applicant")
    before = PartyKey.objects.get(party_id=party.pk).phone_head
    with clock.frozen(dt.datetime(2026, 3, 3, 9, 0)):
        actions.correct_party(
            recent,
            actor=p.village_mediator,
            party_id=party.pk,
            field="phone",
            value="13900001111",
            reason="当事人申请更正",
        )
        jobs.drain()
    after = PartyKey.objects.get(party_id=party.pk).phone_head
    assert after and after != before
