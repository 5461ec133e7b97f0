"""Read-side selectors for divisions and organisations."""

from django.db.models import QuerySet

from fengqiao.geography import codes
from fengqiao.geography.choices import Level, OrgKind
from fengqiao.geography.models import AdminUnit, Organisation


def units_within(code: int) -> QuerySet[AdminUnit]:
    lo, hi = codes.subtree(code)
    return AdminUnit.objects.filter(code__gte=lo, code__lt=hi)


def children_of(code: int) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(parent_id=code).order_by("code")


def unit_path(code: int) -> list[AdminUnit]:
    """The unit and its ancestors, province first (one query)."""
    return list(AdminUnit.objects.filter(code__in=codes.ancestors(code)).order_by("level"))


def full_name(code: int, *, from_level: Level = Level.PROVINCE) -> str:
    """'四川省成都市大邑县王泗镇飞羊村' — the unit's path as people write an address."""
    return "".join(u.short_name for u in unit_path(code) if u.level >= from_level)


def committee_for(code: int, level: Level) -> Organisation | None:
    """The body that mediates at ``level`` for a dispute located at ``code``.

    Village and township: the people's mediation committee of that unit. County: the
    county resolution centre (矛调中心), which hosts county-level mediation.
    """
    anc = codes.ancestor_at(code, level)
    if anc is None:
        return None
    kind = OrgKind.RESOLUTION_CENTER if level == Level.COUNTY else OrgKind.MEDIATION_COMMITTEE
    return Organisation.objects.filter(admin_unit_id=anc, kind=kind, is_active=True).order_by("id").first()


def nearest_org(code: int, kind: OrgKind) -> Organisation | None:
    """The organisation of ``kind`` closest above ``code`` (e.g. the county court for a village)."""
    for anc in reversed(codes.ancestors(code)):
        org = Organisation.objects.filter(admin_unit_id=anc, kind=kind, is_active=True).order_by("id").first()
        if org:
            return org
    return None
