"""HTTP hardening the framework does not do by itself.

- A Content Security Policy: scripts and styles only from our own origin (the vendored
  htmx and ECharts, our CSS); no inline script, no framing, no plugins; forms post only
  to us. Templates therefore carry no inline handlers (see web/static/fengqiao/print.js).
- Permissions-Policy turning off device APIs the platform never uses.
- A per-address limit on login attempts, on top of the per-account lockout (axes):
  LOGIN_RATE attempts per minute from one address (per process cache).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == "/login/" and _over_login_rate(request):
            return HttpResponse(
                "登录尝试过于频繁，请一分钟后再试。", status=429, content_type="text/plain; charset=utf-8"
            )
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):  # the API docs page loads its own assets
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if "Cache-Control" not in response.headers and request.user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"  # pages with personal data stay off shared caches
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """An id beyond what the database stores (a probe with a 30-digit id) names nothing:
        404, like any id that does not exist, rather than a server error."""
        if isinstance(exc, (OverflowError, DataError)):
            return page_not_found(request, Http404())
        return None


def _over_login_rate(request: HttpRequest) -> bool:
    address = request.META.get("REMOTE_ADDR", "")
    key = f"login-rate:{address}:{int(time.time() // 60)}"
    count = cache.get_or_set(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 120)
        count = 1
    return bool(count > settings.LOGIN_RATE)
