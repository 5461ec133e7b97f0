"""个人信息保护法 Arts. 44–47: copy, correction, anonymisation after retention."""

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.accounts.models import AuditEntry
from fengqiao.cases import actions, rights
from fengqiao.cases.models import Party
from fengqiao.core import clock
from fengqiao.core.errors import DomainError, PermissionDenied
from fengqiao.core.testing import Personas, make_id_number, register
from fengqiao.warning.actions import raise_alert
from fengqiao.warning.choices import AlertKind, Severity
from fengqiao.warning.models import Alert

pytestmark = pytest.mark.django_db
ID = make_id_number(seq=777)


def test_a_person_gets_a_complete_copy_found_through_the_blind_index(personas: Personas) -> None:
    p = personas
    register(
        p.village_mediator,
        parties=[{"role": "applicant", "name": "王五", "id_number": ID, "phone": "13611112222"}],
    )
    register(
        p.township_officer,
        admin_unit=510129101206,
        parties=[{"role": "respondent", "name": "王五", "phone": "13611112222"}],
    )
    register(p.village_mediator)  # someone else
    with pytest.raises(PermissionDenied):
        rights.export_person(actor=p.county_officer, id_number=ID)
    copy = rights.export_person(actor=p.security_admin, id_number=ID, phone="13611112222")
    assert copy["记录数"] == 2
    assert {r["身份证号码"] for r in copy["记录"]} == {ID, ""} and all(
        r["联系电话"] == "13611112222" for r in copy["记录"]
    )
    assert AuditEntry.objects.filter(action="export_person", actor=p.security_admin).exists()


def test_correction_is_validated_recorded_and_audited(personas: Personas) -> None:
    d = register(personas.village_mediator)
    party = d.parties.get(role="applicant")
    with pytest.raises(DomainError, match="校验位"):
        actions.correct_party(
            d,
            actor=personas.village_mediator,
            party_id=party.pk,
            field="id_number",
            value="510129198005171230",
            reason="当事人申请",
        )
    actions.correct_party(
        d,
        actor=personas.village_mediator,
        party_id=party.pk,
        field="phone",
        value="139 0000 1111",
        reason="当事人申请更正",
    )
    party.refresh_from_db()
    assert party.phone == "13900001111"
    step = d.transitions.get(action="correct_party")
    assert step.data["field"] == "联系电话" and "13900001111" not in str(step.data)
    assert AuditEntry.objects.filter(action="correct_party", object_id=str(party.pk)).exists()


def test_parties_of_long_closed_disputes_are_anonymised(personas: Personas) -> None:
    p = personas
    with clock.frozen(dt.datetime(2014, 5, 1, 9, 0)):
        old = register(
            p.village_mediator,
            parties=[
                {"role": "applicant", "name": "赵大", "id_number": ID, "phone": "13611112222"},
                {"role": "respondent", "name": "钱二"},
            ],
        )
        raise_alert(
            key=f"old-{old.pk}",
            kind=AlertKind.HIGH_RISK,
            severity=Severity.HIGH,
            owner_unit=old.admin_unit_id,
            dispute_id=old.pk,
            title="赵大扬言报复",
            reason="赵大称要找钱二算账",
        )
        actions.withdraw_dispute(old, actor=p.village_mediator, reason="和解")
    recent = register(p.village_mediator)
    n = rights.anonymise_expired(actor=p.security_admin)
    old.refresh_from_db()
    assert old.narrative == rights.REMOVED and recent.narrative != rights.REMOVED
    alert = Alert.objects.get(key=f"old-{old.pk}")
    assert "赵大" not in alert.title + alert.reason + str(alert.evidence)
    assert n == 2
    names = sorted(Party.objects.filter(dispute=old).values_list("name", flat=True))
    assert names == ["当事人乙", "当事人甲"]
    assert all(x.id_number == "" and x.phone == "" for x in Party.objects.filter(dispute=old))
    assert recent.parties.filter(name="张三").exists()
    assert rights.export_person(actor=p.security_admin, id_number=ID)["记录数"] == 0


def test_the_worker_removes_expired_personal_data_once_a_night_as_the_system(personas: Personas) -> None:
    from fengqiao.cases.jobs import retention_step
    from fengqiao.core.jobs import JOBS

    assert "retention" in dict(JOBS)  # `fengqiao worker` (started by make run) runs it
    with clock.frozen(dt.datetime(2014, 5, 1, 9, 0)):
        old = register(
            personas.village_mediator, parties=[{"role": "applicant", "name": "赵大", "id_number": ID}]
        )
        actions.withdraw_dispute(old, actor=personas.village_mediator, reason="和解")
    night = timezone.make_aware(dt.datetime(2026, 11, 28, 1, 0))
    assert retention_step(night) == 0  # not before 03:00
    old.refresh_from_db()
    assert old.narrative != rights.REMOVED
    assert retention_step(night.replace(hour=3)) == 1
    assert retention_step(night.replace(hour=4)) == 0  # once a day
    old.refresh_from_db()
    assert old.narrative == rights.REMOVED
    assert not old.parties.filter(name="赵大").exists()
    entry = AuditEntry.objects.get(action="anonymise_expired")
    assert entry.actor is None and entry.actor_label == "system"
    assert retention_step(night.replace(day=29, hour=3)) == 1  # and again the next night


def test_every_read_of_a_case_is_in_the_audit_log(personas: Personas) -> None:
    from django.test import Client

    from fengqiao.accounts.models import AuditEntry
    from fengqiao.core.testing import sign_in

    d = register(personas.village_mediator)
    c = sign_in(Client(), personas.township_officer)
    assert c.get(f"/cases/{d.pk}/").status_code == 200
    assert c.get(f"/api/v1/cases/{d.pk}").status_code == 200
    reads = AuditEntry.objects.filter(
        action="read_case", object_id=str(d.pk), actor=personas.township_officer
    )
    assert reads.count() == 2
    outsider = sign_in(Client(), personas.other_county_officer)
    assert outsider.get(f"/cases/{d.pk}/").status_code == 404
    assert not AuditEntry.objects.filter(action="read_case", actor=personas.other_county_officer).exists()
