"""The JSON API under /api/v1, with its OpenAPI schema at /api/v1/openapi.json."""

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from fengqiao.analytics.api import router as analytics_router
from fengqiao.api import alerts, cases, geography, triage
from fengqiao.api.auth import AUTH, actor_of
from fengqiao.api.schemas import MeOut
from fengqiao.assist.api import router as assist_router
from fengqiao.cases.schemas import describe, error_item
from fengqiao.core.errors import DomainError
from fengqiao.dispatch import api as dispatch
from fengqiao.legalaid.api import router as legalaid_router
from fengqiao.statutes.api import router as statutes_router
from fengqiao.warning.api import router as warning_router

api = NinjaAPI(
    title="枫桥 矛盾纠纷多元化解平台 API",
    version="1",
    description="基层矛盾纠纷受理、调解、流转与协作接口。认证：浏览器会话（需CSRF）或 Bearer 令牌。",
    auth=AUTH,
    urls_namespace="api",
    # 等保: limit the rate of requests per client (anonymous by address, users by account)
    throttle=[AnonRateThrottle(settings.API_RATE_ANON), AuthRateThrottle(settings.API_RATE_USER)],
)
api.add_router("/cases", cases.router)
api.add_router("/units", geography.router)
api.add_router("/alerts", alerts.router)
api.add_router("", triage.router)
api.add_router("/statutes", statutes_router)
api.add_router("/analytics", analytics_router)
api.add_router("/assist", assist_router)
api.add_router("", dispatch.router)
api.add_router("/warning", warning_router)
api.add_router("/consultations", legalaid_router)


@api.get("/me", response=MeOut, tags=["账号"], summary="当前用户")
def me(request: HttpRequest) -> dict[str, Any]:
    u = actor_of(request)
    return {
        "username": u.username,
        "full_name": u.full_name,
        "role": u.role,
        "role_label": u.get_role_display(),
        "admin_unit": u.admin_unit_id,
        "admin_unit_name": u.admin_unit.name if u.admin_unit else "",
    }


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """An id or code beyond what the database stores (e.g. a 30-digit id) names nothing."""
    return api.create_response(request, {"code": "not_found", "message": "未找到该记录"}, status=404)


# ninja prefixes an error's location with where the value came from
_SOURCES = ("body", "payload", "query", "params", "path", "form")


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [error_item(err, skip=_SOURCES) for err in exc.errors]
    body = {
        "code": "invalid",
        "message": describe(errors) or "请求格式不正确",
        "field": None,
        "errors": errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    # Unauthenticated calls never reach ninja's throttles; count them here so guessing
    # tokens from one address is slowed down too.
    if _over_anonymous_rate(request):
        return api.create_response(
            request, {"code": "throttled", "message": "请求过于频繁，请稍后再试"}, status=429
        )
    return api.create_response(
        request, {"code": "unauthenticated", "message": "请先登录或提供有效的令牌"}, status=401
    )


def _over_anonymous_rate(request: HttpRequest) -> bool:
    limit = int(settings.API_RATE_ANON.split("/")[0])
    key = f"api-anon:{request.META.get('REMOTE_ADDR', '')}:{int(time.time() // 60)}"
    cache.add(key, 0, 120)
    return bool(cache.incr(key) > limit)
