"""TOTP second factor for every staff and administrator account (等保 身份鉴别; accounts.two_factor)."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fengqiao.accounts import actions
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import AuditEntry, User
from fengqiao.core.testing import PASSWORD, Personas, password_login, register, totp_code

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_staff_enrol_an_authenticator_at_first_sign_in(personas: Personas) -> None:
    user = personas.township_officer
    c = Client()
    assert c.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    case = register(personas.village_mediator)
    # Nothing is reachable yet: pages send him to enrol, the API does not know him.
    assert c.get(f"/cases/{case.pk}/")["Location"] == f"/login/second-factor/?next=/cases/{case.pk}/"
    assert c.get(f"/api/v1/cases/{case.pk}").status_code == 401
    page = c.get("/login/second-factor/").content.decode()
    assert "绑定身份验证器" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page)
    assert shown is not None and len(shown.group(1).replace(" ", "")) == 32  # 160-bit key
    # The same key until confirmed (the app scanned it once).
    c.get("/login/second-factor/")
    assert TOTPDevice.objects.filter(user=user).count() == 1

    bad = c.post("/login/second-factor/", {"code": _wrong(_code(device))})
    assert bad.status_code == 400 and "验证码不正确" in bad.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.refresh_from_db()
    device.throttling_failure_count = 0  # (the wrong code above delays the next try)
    device.save()

    done = c.post("/login/second-factor/", {"code": _code(device), "next": f"/cases/{case.pk}/"})
    assert done["Location"] == f"/cases/{case.pk}/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert c.get(f"/cases/{case.pk}/").status_code == 200
    assert c.get(f"/api/v1/cases/{case.pk}").status_code == 200
    actions_logged = list(
        AuditEntry.objects.filter(actor=user, action="enrol_two_factor").values_list("result", flat=True)
    )
    assert actions_logged == ["failed", "ok"]


def test_every_staff_and_admin_role_needs_the_code_citizens_do_not(personas: Personas) -> None:
    for user in User.objects.filter(
        username__in=[p.username for p in vars(personas).values() if isinstance(p, User)]
    ):
        c = Client()
        assert c.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
        landing = c.get("/")
        if user.role == Role.CITIZEN:
            assert landing.status_code in (200, 302)
            assert "second-factor" not in landing.get("Location", ""), user.role
        else:
            assert landing["Location"].startswith("/login/second-factor/"), user.role


def test_a_code_works_once_and_wrong_codes_slow_the_next_try(personas: Personas) -> None:
    user = personas.county_officer
    totp_code(user)  # he has a confirmed authenticator
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    first = Client()
    assert password_login(first, user.username, PASSWORD) == 302  # uses the current code
    used = _code(device)
    second = Client()
    second.post("/login/", {"username": user.username, "password": PASSWORD})
    replay = second.post("/login/second-factor/", {"code": used})
    assert replay.status_code == 400  # the code was already used: refused

    third = Client()
    third.post("/login/", {"username": user.username, "password": PASSWORD})
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    third.post("/login/second-factor/", {"code": _wrong(_code(device))})
    third.post("/login/second-factor/", {"code": _wrong(_code(device))})
    locked = third.post("/login/second-factor/", {"code": _code(device)})  # right, but too soon
    assert locked.status_code == 400 and "秒后再试" in locked.content.decode()
    assert third.get("/")["Location"].startswith("/login/second-factor/")


def test_security_admin_resets_a_lost_authenticator(personas: Personas) -> None:
    user = personas.village_mediator
    totp_code(user)
    actions.reset_two_factor(user, actor=personas.security_admin)
    assert not TOTPDevice.objects.filter(user=user).exists()
    c = Client()
    c.post("/login/", {"username": user.username, "password": PASSWORD})
    assert "绑定身份验证器" in c.get("/login/second-factor/").content.decode()


def test_next_is_kept_on_this_site_only(personas: Personas) -> None:
    user = personas.township_officer
    c = Client()
    c.post("/login/", {"username": user.username, "password": PASSWORD})
    r = c.post("/login/second-factor/", {"code": totp_code(user), "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_the_demo_code_command_serves_demo_accounts_only(personas: Personas) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    user = personas.township_officer
    with pytest.raises(CommandError, match="只能显示演示账号"):
        call_command("otp", "code", user.username)
    User.objects.filter(pk=user.pk).update(is_demo=True)
    out = StringIO()
    call_command("otp", "code", user.username, stdout=out)
    c = Client()
    c.post("/login/", {"username": user.username, "password": PASSWORD})
    assert c.post("/login/second-factor/", {"code": out.getvalue().strip()}).status_code == 302
    assert c.get("/").status_code == 200
