"""等保 身份鉴别: password rules, lockout, idle and absolute timeouts, session rotation,
periodic password change — each with a frozen clock."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from fengqiao.core import clock
from fengqiao.core.testing import PASSWORD, Personas, password_login

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0)


@pytest.mark.parametrize(
    "password", ["short1A!", "alllowercaseletters", "Aa123456!", "woaini1314", "1234567890", "Fengqiao@123"]
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_mixed_password_is_accepted() -> None:
    validate_password("Tiao-jie-2026-feng")


def _login(c: Client, username: str, password: str) -> int:
    return password_login(c, username, password)


@pytest.fixture
def axes_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """django-axes reads the time itself (django.utils.timezone.now); let it see the
    project's frozen clock."""
    import axes.attempts
    import axes.handlers.proxy
    from django.utils import timezone

    real = timezone.now

    def now() -> dt.datetime:
        return clock._frozen or real()

    monkeypatch.setattr(timezone, "now", now)
    monkeypatch.setattr(axes.attempts, "now", now)
    monkeypatch.setattr(axes.handlers.proxy, "now", now)


def test_five_failures_lock_the_account_for_fifteen_minutes(personas: Personas, axes_clock: None) -> None:
    c = Client()
    with clock.frozen(T0):
        for _ in range(4):
            assert _login(c, "sifasuo", "wrong-password") == 200
        assert _login(c, "sifasuo", "wrong-password") == 429
    with clock.frozen(T0 + dt.timedelta(minutes=16)):
        assert _login(Client(), "sifasuo", PASSWORD) == 302


def test_the_right_password_does_not_open_a_locked_account(personas: Personas, axes_clock: None) -> None:
    c = Client()
    with clock.frozen(T0):
        for _ in range(5):
            _login(c, "sifasuo", "wrong-password")
    with clock.frozen(T0 + dt.timedelta(minutes=14)):
        locked = Client().post("/login/", {"username": "sifasuo", "password": PASSWORD})
        assert locked.status_code == 429 and "已临时锁定" in locked.content.decode()


def test_session_id_changes_at_login(personas: Personas) -> None:
    c = Client()
    c.get("/login/")
    before = c.cookies.get("sessionid")
    assert _login(c, "sifasuo", PASSWORD) == 302
    assert c.cookies["sessionid"].value != (before.value if before else None)


def test_staff_are_logged_out_after_fifteen_idle_minutes(personas: Personas) -> None:
    c = Client()
    with clock.frozen(T0):
        assert _login(c, "sifasuo", PASSWORD) == 302
    with clock.frozen(T0 + dt.timedelta(minutes=14)):
        assert c.get("/").status_code == 200
    with clock.frozen(T0 + dt.timedelta(minutes=28)):  # 14 minutes after the last request: still in
        assert c.get("/").status_code == 200
    with clock.frozen(T0 + dt.timedelta(minutes=44)):
        r = c.get("/")
        assert r.status_code == 302 and r["Location"].startswith("/login/")
        assert c.get("/").status_code == 302  # really logged out


def test_citizens_get_thirty_idle_minutes(personas: Personas) -> None:
    c = Client()
    with clock.frozen(T0):
        assert _login(c, "qunzhong", PASSWORD) == 302
    with clock.frozen(T0 + dt.timedelta(minutes=25)):
        assert c.get("/").status_code == 200
    with clock.frozen(T0 + dt.timedelta(minutes=56)):
        assert c.get("/").status_code == 302


def test_no_session_lasts_longer_than_twelve_hours(personas: Personas) -> None:
    c = Client()
    with clock.frozen(T0):
        assert _login(c, "sifasuo", PASSWORD) == 302
    for minutes in range(10, 12 * 60, 10):  # active all day long
        with clock.frozen(T0 + dt.timedelta(minutes=minutes)):
            assert c.get("/").status_code == 200, minutes
    with clock.frozen(T0 + dt.timedelta(hours=12, minutes=5)):
        assert c.get("/").status_code == 302


def test_staff_must_change_a_password_older_than_ninety_days(personas: Personas) -> None:
    officer = personas.township_officer
    with clock.frozen(T0):
        officer.set_password("Tiao-jie-2026-feng")
        officer.save()
    c = Client()
    with clock.frozen(T0 + dt.timedelta(days=91)):
        assert _login(c, "sifasuo", "Tiao-jie-2026-feng") == 302
        r = c.get("/")
        assert r.status_code == 302 and r["Location"] == "/account/password/"
        done = c.post(
            "/account/password/",
            {
                "old_password": "Tiao-jie-2026-feng",
                "new_password1": "Xin-mi-ma-2026!",
                "new_password2": "Xin-mi-ma-2026!",
            },
        )
        assert done.status_code == 302
        assert c.get("/").status_code == 200
    # citizens are not forced to rotate
    citizen = personas.citizen
    with clock.frozen(T0):
        citizen.set_password("Qun-zhong-2026!")
        citizen.save()
    with clock.frozen(T0 + dt.timedelta(days=200)):
        c2 = Client()
        assert _login(c2, "qunzhong", "Qun-zhong-2026!") == 302
        assert c2.get("/").status_code == 200
