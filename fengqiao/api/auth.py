"""API authentication: the browser's session (with CSRF) or a bearer token for programs."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

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
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


AUTH = [TokenAuth(), StaffSession()]


def actor_of(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
