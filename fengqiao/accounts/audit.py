"""The audit log: written in the transaction of the change it records, chained by MACs.

Every entry's ``mac`` is HMAC-SM3 (key outside the database, ``core.crypto`` key
directory) over the previous entry's MAC and this entry's content; ``AuditHead`` holds
the last sequence number and MAC. Verification recomputes the chain:
- an edited entry no longer matches its MAC;
- a deleted entry leaves a gap in the sequence;
- reordered entries break the previous-MAC links;
- a truncated tail leaves the head pointing past the last entry.
A failure to write the entry fails the whole operation (same transaction). Entries
younger than 180 days cannot be purged (网络安全法 Art. 21 requires at least six months).
"""

import base64
import datetime as dt
import functools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from django.db import models, transaction

from fengqiao.accounts.choices import AuditResult
from fengqiao.accounts.models import AuditEntry, AuditHead, User
from fengqiao.core import clock, crypto
from fengqiao.core.errors import DomainError

RETENTION = dt.timedelta(days=180)
GENESIS = "0" * 64


@functools.cache
def _key() -> bytes:
    env = os.environ.get("FENGQIAO_AUDIT_KEY")
    if env:
        return base64.b64decode(env)
    return crypto._read_or_create(crypto.keys_dir() / "audit.key", 32)


def _content(e: AuditEntry) -> bytes:
    """What the MAC covers. The actor is named by its label (a username snapshot), so the
    chain survives an account's later deletion."""
    return json.dumps(
        [
            e.seq,
            e.at.astimezone(dt.UTC).isoformat(),
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            e.result,
            e.detail,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode()


def mac_of(prev_mac: str, e: AuditEntry) -> str:
    h = hmac.HMAC(_key(), hashes.SM3())
    h.update(prev_mac.encode())
    h.update(_content(e))
    return h.finalize().hex()


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    result: str = AuditResult.OK,
    object_type: str = "",
    object_id: str = "",
    **detail: Any,
) -> AuditEntry:
    """Append one entry to the chain. ``obj`` fills object type and id; detail must be JSON-safe."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=clock.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=actor.username if actor is not None else "system",
            action=action,
            object_type=object_type,
            object_id=object_id,
            result=result,
            detail=json.loads(json.dumps(detail, default=str)),
            prev_mac=head.mac or GENESIS,
        )
        entry.mac = mac_of(entry.prev_mac, entry)
        entry.save()
        head.seq, head.mac = entry.seq, entry.mac
        head.save(update_fields=["seq", "mac"])
    return entry


@dataclass(frozen=True)
class Finding:
    seq: int
    problem: str


def verify(batch: int = 5000) -> list[Finding]:
    """Recompute the chain; an empty list means it is intact."""
    findings: list[Finding] = []
    head = AuditHead.objects.filter(pk=1).first()
    expected_seq, prev = (head.base_seq, head.base_prev_mac) if head else (1, GENESIS)
    for e in _entries(batch):
        if e.seq != expected_seq:
            findings.append(
                Finding(e.seq, f"序号不连续：应为{expected_seq}，实为{e.seq}（有记录被删除或插入）")
            )
        if e.prev_mac != prev:
            findings.append(Finding(e.seq, "与前一条记录的链接不符（记录被删除、插入或调换顺序）"))
        if mac_of(e.prev_mac, e) != e.mac:
            findings.append(Finding(e.seq, "记录内容与校验码不符（记录被篡改）"))
        expected_seq, prev = e.seq + 1, e.mac
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or (head.mac or GENESIS) != prev):
        findings.append(
            Finding(head.seq, f"链尾不符：记录止于第{last_seq}条，链头为第{head.seq}条（日志被截断）")
        )
    return findings


def _entries(batch: int) -> Iterator[AuditEntry]:
    last = 0
    while True:
        chunk = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


@transaction.atomic
def purge(before: dt.datetime) -> int:
    """Delete the entries older than ``before`` — never any younger than 180 days. The
    retained chain then starts at the first kept entry, whose previous MAC is recorded
    in the head, so verification still covers every kept entry and the tail."""
    if before > clock.now() - RETENTION:
        raise DomainError("审计日志至少保存六个月，不得删除180天以内的记录（网络安全法第二十一条）")
    head = AuditHead.objects.select_for_update().get(pk=1)
    first_kept = AuditEntry.objects.filter(at__gte=before).order_by("seq").first()
    if first_kept is None:
        raise DomainError("不能删除全部审计记录")
    deleted, _ = AuditEntry.objects.filter(seq__lt=first_kept.seq).delete()
    head.base_seq, head.base_prev_mac = first_kept.seq, first_kept.prev_mac
    head.save(update_fields=["base_seq", "base_prev_mac"])
    record(None, "purge_audit", object_type="accounts.auditentry", before=before.isoformat(), deleted=deleted)
    return deleted
