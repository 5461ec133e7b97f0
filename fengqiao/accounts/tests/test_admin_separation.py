"""三权分立: every administrative page × every role — only the right administrator gets in,
and none of the three reads cases."""

import pytest
from django.test import Client

from fengqiao.accounts import actions
from fengqiao.accounts.choices import Role
from fengqiao.core.errors import PermissionDenied
from fengqiao.core.testing import Personas, register, sign_in

pytestmark = pytest.mark.django_db

PAGES = {
    ("get", "/manage/users/"): Role.SYSTEM_ADMIN,
    ("post", "/manage/users/{user}/active/"): Role.SYSTEM_ADMIN,
    ("post", "/manage/users/{user}/password/"): Role.SYSTEM_ADMIN,
    ("get", "/manage/security/"): Role.SECURITY_ADMIN,
    ("post", "/manage/security/{user}/unlock/"): Role.SECURITY_ADMIN,
    ("post", "/manage/security/{user}/otp/"): Role.SECURITY_ADMIN,
    ("get", "/manage/audit/"): Role.AUDIT_ADMIN,
    ("get", "/manage/audit/?verify=1"): Role.AUDIT_ADMIN,
}


def test_each_admin_page_opens_only_for_its_administrator(personas: Personas) -> None:
    target = personas.village_mediator
    for user in personas.all():
        c = Client()
        sign_in(c, user)
        for (method, path), role in PAGES.items():
            url = path.format(user=target.pk)
            r = c.get(url) if method == "get" else c.post(url, {"active": "1", "reason": "测试"})
            if user.role == role:
                assert r.status_code in (200, 302), (user.role, url, r.status_code)
            else:
                assert r.status_code in (404, 302), (user.role, url, r.status_code)
                if r.status_code == 302:
                    assert r["Location"].startswith("/login/")


def test_administrators_read_no_cases(personas: Personas) -> None:
    d = register(personas.village_mediator)
    for admin in (personas.system_admin, personas.security_admin, personas.audit_admin):
        c = Client()
        sign_in(c, admin)
        assert c.get(f"/cases/{d.pk}/").status_code == 404
        assert c.get(f"/api/v1/cases/{d.pk}").status_code == 404
        assert "宅旁排水沟" not in c.get("/api/v1/cases").content.decode()


def test_actions_refuse_the_wrong_administrator(personas: Personas) -> None:
    p = personas
    with pytest.raises(PermissionDenied):
        actions.create_user(username="x1", password=None, role=Role.CITIZEN, actor=p.security_admin)
    with pytest.raises(PermissionDenied):
        actions.unlock_user(p.township_officer, actor=p.system_admin)
    with pytest.raises(PermissionDenied):
        actions.reset_two_factor(p.township_officer, actor=p.audit_admin)
    with pytest.raises(PermissionDenied):
        actions.issue_api_token(p.partner_court, name="x", actor=p.system_admin)
    created = actions.create_user(username="x2", password=None, role=Role.CITIZEN, actor=p.system_admin)
    assert created.role == Role.CITIZEN


def test_audit_admin_sees_the_log_and_its_verification(personas: Personas) -> None:
    c = Client()
    sign_in(c, personas.audit_admin)
    page = c.get("/manage/audit/", {"verify": "1"}).content.decode()
    assert "日志链完整" in page and "create_user" in page
