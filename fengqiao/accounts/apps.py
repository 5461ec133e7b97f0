from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fengqiao.accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_stamp_login, dispatch_uid="fengqiao-login-at")


def _stamp_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Start the session's clocks at login (the absolute limit counts from here)."""
    from fengqiao.accounts.middleware import LOGIN_AT, SEEN_AT
    from fengqiao.core import clock

    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
