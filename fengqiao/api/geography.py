"""/api/v1/units — the administrative divisions (public reference data)."""

from django.http import HttpRequest
from ninja import Router

from fengqiao.api.schemas import UnitOut
from fengqiao.core.errors import NotFound
from fengqiao.geography import queries
from fengqiao.geography.models import AdminUnit

router = Router(tags=["行政区划"])


@router.get("/{int:code}", response=UnitOut, summary="区划")
def get_unit(request: HttpRequest, code: int) -> AdminUnit:
    unit = AdminUnit.objects.filter(code=code).first()
    if unit is None:
        raise NotFound("区划代码不存在")
    return unit


@router.get("/{int:code}/children", response=list[UnitOut], summary="下级区划")
def children(request: HttpRequest, code: int) -> list[AdminUnit]:
    if not AdminUnit.objects.filter(code=code).exists():
        raise NotFound("区划代码不存在")
    return list(queries.children_of(code))


@router.get("", response=list[UnitOut], summary="按名称查找区划")
def search_units(request: HttpRequest, q: str, within: int | None = None) -> list[AdminUnit]:
    qs = queries.units_within(within) if within else AdminUnit.objects.all()
    return list(qs.filter(name__contains=q.strip()).order_by("level", "code")[:30])
