"""Read-side selectors for divisions and organisations."""

from itertools import pairwise
from typing import Any

from django.db.models import QuerySet

from fengqiao.geography import codes
from fengqiao.geography.choices import Level, OrgKind
from fengqiao.geography.models import AdminUnit, Organisation


def units_within(code: int) -> QuerySet[AdminUnit]:
    lo, hi = codes.subtree(code)
    return AdminUnit.objects.filter(code__gte=lo, code__lt=hi)


def children_of(code: int) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(parent_id=code).order_by("code")


def top_units() -> QuerySet[AdminUnit]:
    """The cities of the province the platform serves: where a place cascade starts for
    someone who has no unit of their own (a citizen, a partner department)."""
    return AdminUnit.objects.filter(parent__level=Level.PROVINCE).order_by("code")


# The cascading place selects of the forms, from the city down: field name and label.
PLACE_SELECTS = (
    (Level.CITY, "city", "市(州)"),
    (Level.COUNTY, "county", "县(市、区)"),
    (Level.TOWNSHIP, "township", "乡镇(街道)"),
    (Level.VILLAGE, "village", "村(社区)"),
)


def place_selects(root: AdminUnit | None, chosen: int | None = None) -> list[dict[str, Any]]:
    """The place selects below ``root`` (the actor's own unit; None: the whole province),
    each with its options and what is selected, so that a form sent back with an error
    shows the place already chosen (``chosen`` and its ancestors) and the options beside it."""
    root_level = root.level if root else Level.PROVINCE
    inside = chosen is not None and (root is None or codes.contains(root.code, chosen))
    path = {u.level: u.code for u in unit_path(chosen)} if inside and chosen is not None else {}
    out = []
    parent: int | None = root.code if root else None
    for level, name, label in PLACE_SELECTS:
        if level <= root_level:
            continue
        if parent is None and level == Level.CITY:
            options = list(top_units())
        else:
            options = list(children_of(parent)) if parent else []
        selected = path.get(level)
        out.append({"name": name, "label": label, "options": options, "selected": selected, "next": ""})
        parent = selected
    for above, below in pairwise(out):
        above["next"] = below["name"]
    return out


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
