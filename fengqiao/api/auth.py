"""API authentication: the browser's session (with CSRF) or a bearer token for programs."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from fengqiao.accounts import two_factor
from fengqiao.accounts.models import ApiToken, User
from fengqiao.core import clock


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token)).first()
            if token
            else None
        )
        if found is None or not found.user.is_active:
            return None
        now = clock.now()
        if found.expires_at is not None and found.expires_at <= now:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class StaffSession(SessionAuth):
    """The browser's session, once it has passed its second factor (accounts.two_factor)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated or not two_factor.verified(request):
            return None
        return request.user


AUTH = [TokenAuth(), StaffSession()]


def actor_of(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
