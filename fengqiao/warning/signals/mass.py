"""Mass disputes in the making (群体性纠纷苗头): many claimants, one respondent or one matter.

Workers of one site file one by one against the firm that owes them; households of
one project each complain about the same compensation. Each dispute alone is small;
together they are a mass dispute, and the alert grows as the claims come in.

Two ways claims are gathered, within ``WINDOW_DAYS`` (30) of the newest:

- **one respondent** in one county: the same person or organisation as resolved by
  ``warning.resolution`` (an organisation by credit code or name without place prefix
  and company form);
- **one project or place** in one village (community): the same named site in the
  narrative (``matter_of``: the words before 项目/工地/小区/… as the registrar wrote
  them). Kept to one village because a site name alone is weak evidence — many
  villages have a 高标准农田 project at the same time; across villages, claims about
  one project are found through their common respondent.

Thresholds: at least ``MIN_DISPUTES`` (3) disputes and ``MIN_CLAIMANTS`` (5)
claimants — named applicants counted once each, plus the unnamed co-claimants a
dispute declares in its number of people involved. Severity is high from
``MASS_CLAIMANTS`` (10): the risk guide's threshold for 群体性 (triage.risk).
A single registered collective dispute is triage's (its 群体性 flag), not this signal.
Owner: the village if all claims come from one, else the township or county
containing them.
"""

import datetime as dt
from collections import Counter

import rjieba

from fengqiao.cases.choices import DisputeType, PartyRole
from fengqiao.cases.models import Dispute
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.warning.actions import AlertSpec
from fengqiao.warning.choices import AlertKind, Severity
from fengqiao.warning.models import PartyKey
from fengqiao.warning.resolution import LIMIT, Resolved, persons_rows
from fengqiao.warning.signals import ART_25, active_key, common_owner, dispute_ref, is_live, unit_names

WINDOW_DAYS = 30
MIN_DISPUTES = 3
MIN_CLAIMANTS = 5
MASS_CLAIMANTS = 10
CITED = 30  # disputes cited in one alert

SITE_WORDS = frozenset(
    {
        "项目",
        "工地",
        "工程",
        "小区",
        "楼盘",
        "安置点",
        "园区",
        "产业园",
        "电站",
        "水库",
        "市场",
        "工厂",
        "煤矿",
        "景区",
    }
)
GENERIC = frozenset(
    {"该", "这个", "此", "某", "本", "施工", "建设", "相关", "所在", "上述", "一个", "这些", "那个"}
)


def matter_of(text: str) -> str:
    """The named project or site a narrative is about ('乡村道路硬化工地'), or ''.

    Up to three words before a site word, stopping at a one-character word (的, 在,
    因…) or a generic one (该, 施工…), and at least two words or three characters."""
    words = list(rjieba.cut(text[:600]))
    for i, w in enumerate(words):
        if w not in SITE_WORDS:
            continue
        name: list[str] = []
        for prev in reversed(words[max(0, i - 3) : i]):
            if len(prev) < 2 or prev in GENERIC or not all("\u4e00" <= ch <= "\u9fff" for ch in prev):
                break
            name.insert(0, prev)
        if len(name) >= 2 or sum(map(len, name)) >= 3:
            return "".join(name) + w
    return ""


def _claimants(disputes: list[Dispute]) -> int:
    """Named applicants (each person once) plus the co-claimants disputes declare unnamed."""
    rows = list(
        PartyKey.objects.filter(dispute_id__in=[d.pk for d in disputes]).values(
            "dispute_id", "person", "role"
        )
    )
    named: dict[int, set[int]] = {}
    respondents: Counter[int] = Counter()
    for r in rows:
        if r["role"] == PartyRole.APPLICANT:
            named.setdefault(r["dispute_id"], set()).add(r["person"])
        elif r["role"] == PartyRole.RESPONDENT:
            respondents[r["dispute_id"]] += 1
    people = set().union(*named.values()) if named else set()
    extra = sum(
        max(0, d.people_involved - max(respondents[d.pk], 1) - len(named.get(d.pk, ()))) for d in disputes
    )
    return len(people) + extra


def _spec(
    key: str, newest: Dispute, disputes: list[Dispute], claimants: int, against: str, area: str
) -> AlertSpec:
    disputes = sorted(disputes, key=lambda d: (d.received_at, d.pk))
    owner = common_owner(d.admin_unit_id for d in disputes)
    types = Counter(DisputeType(d.dispute_type).label for d in disputes)
    kinds = "、".join(f"{t}{n}件" for t, n in types.most_common())
    severity = Severity.HIGH if claimants >= MASS_CLAIMANTS else Severity.MEDIUM
    reason = (
        f"近{WINDOW_DAYS}天{area}已登记{len(disputes)}件纠纷（{kinds}），申请人共{claimants}人，均{against}。"
        "多人就同一事项提出请求，有演变为群体性事件的风险：请关联并案、一揽子调处，指定专人统一答复；"
        "涉及拖欠工资的，告知劳动保障监察、劳动仲裁和法律援助途径；"
        f"发现聚集、越级上访苗头的，依据{ART_25}。"
    )
    per_day = Counter(d.received_at.date().isoformat() for d in disputes)
    return AlertSpec(
        key=key,
        kind=AlertKind.MASS_DISPUTE,
        severity=severity,
        owner_unit=owner,
        dispute_id=newest.pk,
        title=f"群体性纠纷苗头：{claimants}人{against}（{len(disputes)}件）"[:200],
        reason=reason,
        evidence={
            "disputes": [dispute_ref(d) for d in disputes[-CITED:]],
            "count": len(disputes),
            "claimants": claimants,
            "against": against,
            "per_day": sorted(per_day.items()),
            "window_days": WINDOW_DAYS,
        },
    )


_FIELDS = ("id", "received_at", "summary", "risk_level", "admin_unit_id", "people_involved", "dispute_type")


def by_respondent(dispute: Dispute, resolved: list[Resolved]) -> AlertSpec | None:
    """Many claims in one county against the same respondent."""
    county = codes.ancestor_at(dispute.admin_unit_id, Level.COUNTY)
    if county is None:
        return None
    lo, hi = codes.subtree(county)
    since = dispute.received_at - dt.timedelta(days=WINDOW_DAYS)
    for r in resolved:
        if r.role != PartyRole.RESPONDENT or len(r.matches) + 1 < MIN_DISPUTES:
            continue  # a respondent seen fewer than three times cannot be one yet
        rows = persons_rows(sorted(r.persons), since)
        ids = {d for d, _person, role, unit in rows if role == PartyRole.RESPONDENT and lo <= unit < hi}
        ids.add(dispute.pk)
        if len(ids) < MIN_DISPUTES:
            continue
        disputes = list(Dispute.objects.filter(pk__in=ids).only(*_FIELDS))
        claimants = _claimants(disputes)
        if claimants < MIN_CLAIMANTS:
            continue
        key = active_key(f"mass:{county}:{p}" for p in sorted(r.persons)) or f"mass:{county}:{min(r.persons)}"
        where = common_owner(d.admin_unit_id for d in disputes)
        area = unit_names([where]).get(where, "本地")
        return _spec(key, dispute, disputes, claimants, f"针对“{r.name}”", area)
    return None


def by_matter(dispute: Dispute) -> AlertSpec | None:
    """Many claims in one village about the same named project or site."""
    matter = matter_of(f"{dispute.summary}。{dispute.narrative}")
    if not matter or codes.level_of(dispute.admin_unit_id) != Level.VILLAGE:
        return None
    since = dispute.received_at - dt.timedelta(days=WINDOW_DAYS)
    nearby = list(
        Dispute.objects.filter(
            admin_unit_id=dispute.admin_unit_id, received_at__gte=since, received_at__lte=dispute.received_at
        ).only(*_FIELDS, "narrative")[: LIMIT * 2]
    )
    same = [d for d in nearby if d.pk == dispute.pk or matter_of(f"{d.summary}。{d.narrative}") == matter]
    if dispute.pk not in {d.pk for d in same}:
        same.append(dispute)
    if len(same) < MIN_DISPUTES:
        return None
    claimants = _claimants(same)
    if claimants < MIN_CLAIMANTS:
        return None
    village = dispute.admin_unit_id
    key = f"mass:matter:{village}:{matter}"[:120]
    area = unit_names([village]).get(village, "本村")
    return _spec(key, dispute, same, claimants, f"涉及“{matter}”", area)


def evaluate(dispute: Dispute, resolved: list[Resolved]) -> AlertSpec | None:
    """The mass-dispute alert a newly registered dispute raises or grows, or None."""
    if not is_live(dispute):
        return None
    return by_respondent(dispute, resolved) or by_matter(dispute)
