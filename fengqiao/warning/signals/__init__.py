"""The early-warning signals (智慧监测预警): what just happened, turned into alerts.

Each signal looks at one new fact — a registration, a session record, a failed
mediation, a move between tiers — with bounded, indexed lookups, and answers at most
one ``AlertSpec`` per situation. The spec's ``key`` names the situation, so the next
fact about the same situation updates the open alert instead of adding one (digest,
not flood). Owners are the units whose officers must act: the village for a village
case, the body at the tier now handling it, the township or county when a situation
spans villages or townships.

| signal | module | key |
|---|---|---|
| repeat disputes between the same parties | ``repeat`` | ``repeat:<first dispute>`` |
| escalation language in narratives and session records | ``escalation`` | ``escalation:dispute:<id>`` |
| failed mediation on a dispute with risk flags (民转刑) | ``escalation`` | ``civil_to_criminal:dispute:<id>`` |
| many claimants against one respondent / about one project | ``mass`` | ``mass:<county>:<person>`` / ``mass:matter:<village>:<matter>`` |
| disputes bouncing between tiers | ``bouncing`` | ``bouncing:dispute:<id>`` |
| hotspots by unit and type | ``warning.hotspots`` | ``hotspot:<unit>:<type>`` |

Overdue cases and deadlines about to expire are the deadline engine's
(``deadlines.jobs.sweep``, alert kinds ``deadline_soon`` / ``deadline_expired``); a
high-risk narrative at registration is triage's (``triage.actions.alert_if_high``).
Neither is repeated here.

History does not raise alerts: a situation whose newest dispute is closed, or was
received more than ``RECENT_DAYS`` ago (a bulk import of old cases), is indexed and
counted but not alerted.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from fengqiao.cases.choices import Status, Tier
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.geography.models import AdminUnit
from fengqiao.warning.choices import ACTIVE_STATUSES
from fengqiao.warning.models import Alert

RECENT_DAYS = 30

# The law the signals act on, quoted where an alert tells officers what to do.
ART_25 = (
    "人民调解法第二十五条：调解中发现纠纷有可能激化的，应当采取有针对性的预防措施；"
    "对有可能引起治安案件、刑事案件的纠纷，应当及时向当地公安机关或者其他有关部门报告"
)
ART_26 = "人民调解法第二十六条：调解不成的，应当终止调解，并告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利"
TERM_33 = "人民调解工作若干规定第三十三条：调解一般在一个月内调结"

TIER_LEVEL = {Tier.VILLAGE: Level.VILLAGE, Tier.TOWNSHIP: Level.TOWNSHIP, Tier.COUNTY: Level.COUNTY}


def owner_at_tier(unit: int, tier: str) -> int:
    """The unit of the body handling a case at ``tier``: the village for a village case,
    the township or county once it has gone up."""
    return codes.ancestor_at(unit, TIER_LEVEL[Tier(tier)]) or unit


def common_owner(units: Iterable[int]) -> int:
    """The lowest unit containing all ``units``: a village, a township for several
    villages, a county for several townships (or higher)."""
    units = set(units)
    for level in (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE):
        above = {codes.ancestor_at(u, level) or u for u in units}
        if len(above) == 1 and all(codes.level_of(u) >= level for u in units):
            return above.pop()
    return min(units)


def is_live(dispute: Dispute, at: dt.datetime | None = None) -> bool:
    """Whether a situation ending in this dispute (or in a step of it at ``at``) should
    raise an alert now: the dispute is open and the newest fact is recent."""
    recent = (at or dispute.received_at) >= clock.now() - dt.timedelta(days=RECENT_DAYS)
    return recent and dispute.status != Status.CLOSED


def dispute_ref(d: Dispute) -> dict[str, Any]:
    """How an alert's evidence cites a dispute (the alerts page links it; the case page
    itself is scoped, so a dispute outside the reader's jurisdiction does not open)."""
    return {
        "id": d.pk,
        "number": d.number,
        "summary": d.summary,
        "received_on": d.received_at.date().isoformat(),
        "unit": d.admin_unit_id,
        "dispute_type": d.dispute_type,
        "risk_level": d.risk_level,
    }


def active_key(candidates: Iterable[str]) -> str | None:
    """The key of an open alert among ``candidates`` (a situation first keyed by an
    earlier dispute keeps that key as it grows)."""
    keys = list(dict.fromkeys(candidates))
    if not keys:
        return None
    found = (
        Alert.objects.filter(key__in=keys, status__in=ACTIVE_STATUSES)
        .order_by("created_at")
        .values_list("key", flat=True)
        .first()
    )
    return found


def accumulated(key: str, evidence: dict[str, Any], lists: Iterable[str]) -> dict[str, Any]:
    """``evidence`` with the named list fields joined to those of the open alert for
    ``key`` (raising an alert replaces its fields; a record that adds words adds to them)."""
    alert = Alert.objects.filter(key=key, status__in=ACTIVE_STATUSES).only("evidence").first()
    if alert is None:
        return evidence
    out = dict(evidence)
    for name in lists:
        old, new = alert.evidence.get(name, []), evidence.get(name, [])
        merged = list(old)
        for item in new:
            if item not in merged:
                merged.append(item)
        out[name] = merged
    return out


def unit_names(units: Iterable[int]) -> dict[int, str]:
    return dict(AdminUnit.objects.filter(code__in=set(units)).values_list("code", "name"))
