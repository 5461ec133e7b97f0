"""Writes on users, mediators and tokens. Each is atomic and audited."""

from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from fengqiao.accounts import audit
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import ApiToken, User
from fengqiao.accounts.roles import ADMIN_ROLES, HOME_LEVEL
from fengqiao.core import clock
from fengqiao.core.errors import DomainError
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
    """Issue a bearer token for ``user`` and return the key, which is shown once and never stored."""
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
