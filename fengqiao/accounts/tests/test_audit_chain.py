"""The audit chain detects any edit, deletion, reordering or truncation — and nothing else."""

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.db import transaction

from fengqiao.accounts import audit
from fengqiao.accounts.models import AuditEntry, AuditHead
from fengqiao.core import clock
from fengqiao.core.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=False)

TRIALS = 1000


class Rollback(Exception):
    pass


def _chain(n: int = 40) -> None:
    for i in range(n):
        audit.record(None, f"action_{i % 5}", object_type="cases.dispute", object_id=str(i), n=i)


def _tamper(r: random.Random) -> str:
    entries = list(AuditEntry.objects.order_by("seq"))
    kind = r.choice(["edit", "delete", "reorder", "truncate", "forge"])
    victim = r.choice(entries[:-1])
    if kind == "edit":
        field = r.choice(["action", "object_id", "result", "detail", "at", "actor_label"])
        value = {
            "action": "view_dispute",
            "object_id": "999999",
            "result": "denied",
            "detail": {"n": -1},
            "at": victim.at - dt.timedelta(seconds=1),
            "actor_label": "someone",
        }[field]
        AuditEntry.objects.filter(pk=victim.pk).update(**{field: value})
    elif kind == "delete":
        victim.delete()
    elif kind == "reorder":
        other = r.choice([e for e in entries if e.pk != victim.pk])
        AuditEntry.objects.filter(pk=victim.pk).update(seq=-1)
        AuditEntry.objects.filter(pk=other.pk).update(seq=victim.seq)
        AuditEntry.objects.filter(pk=victim.pk).update(seq=other.seq)
    elif kind == "truncate":
        k = r.randint(1, 5)
        AuditEntry.objects.filter(pk__in=[e.pk for e in entries[-k:]]).delete()
    else:  # insert a forged entry, with a MAC made without the key
        AuditEntry.objects.filter(seq__gt=victim.seq).update(seq=models_shift())
        AuditEntry.objects.create(
            seq=victim.seq + 1,
            at=victim.at,
            actor_label="attacker",
            action="forged",
            prev_mac=victim.mac,
            mac="f" * 64,
        )
    return kind


def models_shift() -> object:
    from django.db.models import F

    return F("seq") + 1000


def test_a_thousand_random_tamperings_are_all_detected_and_an_intact_chain_never_flagged() -> None:
    _chain()
    assert audit.verify() == []
    r = random.Random(2026)
    detected = {"edit": 0, "delete": 0, "reorder": 0, "truncate": 0, "forge": 0}
    for _ in range(TRIALS):
        try:
            with transaction.atomic():
                kind = _tamper(r)
                assert audit.verify(), f"{kind} not detected"
                detected[kind] += 1
                raise Rollback
        except Rollback:
            pass
        assert audit.verify() == []  # 0 false alarms on the intact chain
    assert sum(detected.values()) == TRIALS and all(detected.values())


def test_verify_command_reports_in_chinese() -> None:
    _chain(5)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "审计日志完整" in out.getvalue()
    AuditEntry.objects.filter(seq=3).update(action="tampered")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("audit", "verify", stdout=out, stderr=err)
    assert "第3条" in err.getvalue() and "篡改" in err.getvalue()


def test_entries_younger_than_180_days_cannot_be_purged_and_older_ones_keep_the_chain_valid() -> None:
    with clock.frozen(dt.datetime(2026, 1, 1, 9, 0)):
        _chain(10)
    with clock.frozen(dt.datetime(2026, 9, 1, 9, 0)):
        _chain(5)
        with pytest.raises(DomainError, match="六个月"):
            audit.purge(clock.now() - dt.timedelta(days=30))
        deleted = audit.purge(dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    assert deleted == 10
    assert audit.verify() == []
    assert AuditHead.objects.get().base_seq == 11


def test_a_failed_audit_write_fails_the_operation(personas: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from fengqiao.cases.models import Dispute
    from fengqiao.core.testing import Personas, register

    assert isinstance(personas, Personas)

    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "mac_of", broken)
    with pytest.raises(RuntimeError):
        register(personas.village_mediator)
    assert not Dispute.objects.exists()
