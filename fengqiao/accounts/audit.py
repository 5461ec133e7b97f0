"""The audit write. Call it inside the transaction of the change it records."""

from typing import Any

from django.db import models

from fengqiao.accounts.choices import AuditResult
from fengqiao.accounts.models import AuditEntry, User
from fengqiao.core import clock


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
    """Write one audit entry. ``obj`` fills object type and id; detail must be JSON-safe."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEntry.objects.create(
        at=clock.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.username if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        result=result,
        detail=detail,
    )


def entry(actor: User | None, action: str, object_type: str, object_id: str, **detail: Any) -> AuditEntry:
    """An unsaved entry, for bulk writes (imports) that save many at once."""
    return AuditEntry(
        at=clock.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.username if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
