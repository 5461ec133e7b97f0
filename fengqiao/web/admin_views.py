"""The three administrators' pages (三权分立): each sees only his own work.

- 系统管理员: accounts (create, enable/disable, reset password);
- 安全管理员: lockouts, authenticators, API tokens, the security policy in force;
- 审计管理员: the audit log and its chain verification — read only.
Anyone else gets 404, as for anything outside their reach.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from fengqiao.accounts import actions, audit
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import ApiToken, AuditEntry, User
from fengqiao.accounts.roles import ADMIN_ROLES
from fengqiao.core.errors import DomainError
from fengqiao.geography.models import AdminUnit, Organisation

View = Callable[..., HttpResponse]


def only(role: Role) -> Callable[[View], View]:
    def wrap(view: View) -> View:
        @login_required
        @wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) != role:
                raise Http404()
            return view(request, *args, **kwargs)

        return inner

    return wrap


@only(Role.SYSTEM_ADMIN)
def users(request: HttpRequest) -> HttpResponse:
    error, created, temporary = "", None, ""
    if request.method == "POST":
        p = request.POST
        try:
            unit = AdminUnit.objects.filter(code=p.get("admin_unit") or 0).first()
            org = Organisation.objects.filter(pk=p.get("organisation") or 0).first()
            created = actions.create_user(
                username=p.get("username", "").strip(),
                password=None,
                role=Role(p.get("role", "")),
                full_name=p.get("full_name", "").strip(),
                admin_unit=unit,
                organisation=org,
                actor=request.user,  # type: ignore[arg-type]
            )
            temporary = actions.reset_password(created, actor=request.user)  # type: ignore[arg-type]
        except ValueError:
            error = "请选择角色"
        except DomainError as e:
            error = e.message
    q = request.GET.get("q", "").strip()
    qs = User.objects.select_related("admin_unit").order_by("role", "username")
    if q:
        qs = qs.filter(username__contains=q) | qs.filter(full_name__contains=q)
    return render(
        request,
        "web/admin/users.html",
        {
            "users": qs[:200],
            "roles": Role.choices,
            "error": error,
            "created": created,
            "temporary": temporary,
            "q": q,
        },
        status=422 if error else 200,
    )


@require_POST
@only(Role.SYSTEM_ADMIN)
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        actions.set_user_active(
            user,
            actor=request.user,  # type: ignore[arg-type]
            active=request.POST.get("active") == "1",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as e:
        return render(
            request,
            "web/admin/users.html",
            {"users": User.objects.order_by("role")[:200], "error": e.message},
            status=422,
        )
    return redirect("web:admin_users")


@require_POST
@only(Role.SYSTEM_ADMIN)
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    temporary = actions.reset_password(user, actor=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "web/admin/users.html",
        {"users": User.objects.order_by("role")[:200], "created": user, "temporary": temporary},
    )


@only(Role.SECURITY_ADMIN)
def security(request: HttpRequest) -> HttpResponse:
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.order_by("-attempt_time")[:100]
    return render(
        request,
        "web/admin/security.html",
        {
            "attempts": attempts,
            "tokens": ApiToken.objects.select_related("user").order_by("-created_at")[:100],
            "policy": {
                "密码最小长度": 10,
                "密码复杂度": "至少三类字符",
                "工作人员密码有效期（天）": settings.PASSWORD_ROTATION_DAYS,
                "连续失败锁定次数": settings.AXES_FAILURE_LIMIT,
                "锁定时长（分钟）": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
                "工作人员空闲超时（分钟）": settings.STAFF_IDLE_MINUTES,
                "群众空闲超时（分钟）": settings.CITIZEN_IDLE_MINUTES,
                "会话最长（小时）": settings.SESSION_ABSOLUTE_HOURS,
            },
        },
    )


@require_POST
@only(Role.SECURITY_ADMIN)
def security_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    actions.unlock_user(get_object_or_404(User, pk=pk), actor=request.user)  # type: ignore[arg-type]
    return redirect("web:admin_security")


@require_POST
@only(Role.SECURITY_ADMIN)
def security_reset_otp(request: HttpRequest, pk: int) -> HttpResponse:
    actions.reset_two_factor(get_object_or_404(User, pk=pk), actor=request.user)  # type: ignore[arg-type]
    return redirect("web:admin_security")


@require_POST
@only(Role.SECURITY_ADMIN)
def security_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actions.revoke_api_token(get_object_or_404(ApiToken, pk=pk), actor=request.user)  # type: ignore[arg-type]
    return redirect("web:admin_security")


@require_GET
@only(Role.AUDIT_ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = AuditEntry.objects.order_by("-seq")
    for key in ("action", "actor_label", "object_type", "object_id"):
        if value := request.GET.get(key, "").strip():
            qs = qs.filter(**{key: value})
    findings = audit.verify() if request.GET.get("verify") else None
    return render(
        request, "web/admin/audit.html", {"entries": qs[:300], "findings": findings, "query": request.GET}
    )


ADMIN_HOME = {
    Role.SYSTEM_ADMIN: "web:admin_users",
    Role.SECURITY_ADMIN: "web:admin_security",
    Role.AUDIT_ADMIN: "web:admin_audit",
}
__all__ = ["ADMIN_HOME", "ADMIN_ROLES"]
