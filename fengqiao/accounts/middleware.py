"""Session rules (等保 level 3, GB/T 22239-2019 8.1.4.1): idle timeout — 15 minutes for
staff, 30 for citizens — an absolute limit of 12 hours, and periodic password change
for staff. Times come from ``core.clock`` so the rules are tested with a frozen clock.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from fengqiao.accounts.choices import Role
from fengqiao.core import clock

LOGIN_AT, SEEN_AT = "fq_login_at", "fq_seen_at"
OPEN_PATHS = ("/static/", "/healthz", "/login/", "/logout/")


def idle_limit(role: str) -> dt.timedelta:
    minutes = settings.CITIZEN_IDLE_MINUTES if role == Role.CITIZEN else settings.STAFF_IDLE_MINUTES
    return dt.timedelta(minutes=minutes)


def password_expired(user: object) -> bool:
    days = settings.PASSWORD_ROTATION_DAYS
    changed = getattr(user, "password_changed_at", None)
    if not days or getattr(user, "role", Role.CITIZEN) == Role.CITIZEN or changed is None:
        return False
    return bool(clock.now() - changed > dt.timedelta(days=days))


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/static/", "/healthz"))
        ):
            now = clock.now().timestamp()
            session = request.session
            login_at = session.setdefault(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            too_idle = now - seen_at > idle_limit(user.role).total_seconds()
            too_old = now - login_at > settings.SESSION_ABSOLUTE_HOURS * 3600
            if too_idle or too_old:
                logout(request)  # flushes the session: a new id next time
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # the API answers 401 to the anonymous request
                messages.info(
                    request,
                    "长时间未操作，已自动退出，请重新登录" if too_idle else "登录已超过12小时，请重新登录",
                )
                return HttpResponseRedirect(f"{reverse('web:login')}?next={request.path}")
            session[SEEN_AT] = now
            if password_expired(user) and not request.path.startswith(
                ("/account/password/", *OPEN_PATHS, "/api/")
            ):
                messages.warning(
                    request, f"密码已超过{settings.PASSWORD_ROTATION_DAYS}天未更换，请先修改密码"
                )
                return HttpResponseRedirect(reverse("web:password_change"))
        return self.get_response(request)


# Paths a signed-in user may reach before his second factor: the two-factor pages
# themselves, signing out, static files and the health check. The API answers 401
# instead (api.auth does not accept an unverified session).
SECOND_FACTOR_OPEN = ("/login/", "/logout/", "/static/", "/healthz", "/api/")


class SecondFactorMiddleware:
    """Staff and administrators reach nothing until the session passed its TOTP code
    (accounts.two_factor); without an enrolled authenticator they are sent to enrol one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from fengqiao.accounts import two_factor

        if two_factor.verified(request) or request.path.startswith(SECOND_FACTOR_OPEN):
            return self.get_response(request)
        return HttpResponseRedirect(f"{reverse('web:second_factor')}?next={request.path}")
