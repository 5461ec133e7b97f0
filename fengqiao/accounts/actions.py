"""Writes on users, mediators and tokens. Each is atomic and audited."""

import datetime as dt
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from fengqiao.accounts import audit
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import ApiToken, User
from fengqiao.accounts.roles import ADMIN_ROLES, HOME_LEVEL
from fengqiao.core import clock
from fengqiao.core.errors import DomainError, PermissionDenied
from fengqiao.geography import codes
from fengqiao.geography.models import AdminUnit, Organisation


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    role: Role,
    full_name: str = "",
    admin_unit: AdminUnit | None = None,
    organisation: Organisation | None = None,
    phone: str = "",
    actor: User | None = None,
    is_demo: bool = False,
    check_password: bool = True,
) -> User:
    """Create a user whose jurisdiction fits the role (a township officer sits at a township).

    Staff roles need an admin unit at their home level; partners need their
    organisation; citizens and the three administrators have no jurisdiction.
    """
    if actor is not None:
        _require(actor, Role.SYSTEM_ADMIN)
    if User.objects.filter(username=username).exists():
        raise DomainError("用户名已存在", field="username")
    expected = HOME_LEVEL.get(role)
    if expected is not None:
        if admin_unit is None:
            raise DomainError("该角色必须指定管辖区划", field="admin_unit")
        if codes.level_of(admin_unit.code) != expected and role != Role.CORRECTIONS_OFFICER:
            raise DomainError(f"{role.label}的管辖区划应为{expected.label}级", field="admin_unit")
    elif role == Role.PARTNER:
        if organisation is None:
            raise DomainError("协作部门账号必须指定所属机构", field="organisation")
        admin_unit = organisation.admin_unit
    elif role in ADMIN_ROLES or role == Role.CITIZEN:
        admin_unit = None
    if password is not None and check_password:
        try:
            validate_password(password)
        except ValidationError as e:
            raise DomainError("；".join(e.messages), field="password") from None
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        admin_unit=admin_unit,
        organisation=organisation,
        phone=phone,
        is_demo=is_demo,
        is_staff=role == Role.SYSTEM_ADMIN,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    audit.record(actor, "create_user", user, role=role)
    return user


@transaction.atomic
def issue_api_token(user: User, *, name: str, days: int = 365, actor: User | None = None) -> str:
    """Issue a bearer token for ``user`` and return the key, which is shown once and never stored.
    Through the UI only the security administrator issues tokens."""
    if actor is not None:
        _require(actor, Role.SECURITY_ADMIN)
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=ApiToken.digest_of(key),
        prefix=key[:8],
        expires_at=clock.now() + timedelta(days=days),
    )
    audit.record(actor or user, "issue_api_token", token, user=user.username)
    return key


def _require(actor: User, role: Role) -> None:
    # 三权分立 (GB/T 22239-2019 8.1.4.3 安全审计, 8.1.4.4 访问控制): each administrator does only
    # his own work; no account holds two of these roles (User.role is a single value).
    if actor.role != role:
        raise PermissionDenied(f"此操作须由{role.label}执行")


@transaction.atomic
def set_user_active(user: User, *, actor: User, active: bool, reason: str) -> User:
    """系统管理员 enables or disables an account (never his own, never another administrator's)."""
    _require(actor, Role.SYSTEM_ADMIN)
    if user.pk == actor.pk or user.role in ADMIN_ROLES:
        raise DomainError("不能停用管理员账号或本人账号")
    if not reason.strip():
        raise DomainError("请说明理由", field="reason")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor, "enable_user" if active else "disable_user", user, reason=reason)
    return user


@transaction.atomic
def reset_password(user: User, *, actor: User) -> str:
    """系统管理员 sets a one-time random password; the user must change it at next login."""
    _require(actor, Role.SYSTEM_ADMIN)
    temporary = secrets.token_urlsafe(9) + "Aa1!"
    user.set_password(temporary)
    user.password_changed_at = clock.now() - dt.timedelta(days=3650)  # forces a change at login
    user.save(update_fields=["password", "password_changed_at"])
    audit.record(actor, "reset_password", user)
    return temporary


@transaction.atomic
def unlock_user(user: User, *, actor: User) -> int:
    """安全管理员 lifts a lockout after repeated login failures."""
    from axes.utils import reset

    _require(actor, Role.SECURITY_ADMIN)
    cleared = int(reset(username=user.username) or 0)
    audit.record(actor, "unlock_user", user, cleared=cleared)
    return cleared


@transaction.atomic
def reset_two_factor(user: User, *, actor: User) -> int:
    """安全管理员 removes a user's authenticator (lost phone); he enrols again at next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require(actor, Role.SECURITY_ADMIN)
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor, "reset_two_factor", user, removed=removed)
    return removed


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor: User) -> None:
    _require(actor, Role.SECURITY_ADMIN)
    token.expires_at = clock.now()
    token.save(update_fields=["expires_at"])
    audit.record(actor, "revoke_api_token", token, user=token.user.username)
