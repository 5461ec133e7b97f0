"""Shared test personas and factories, after Healthchecks' ``hc/test.py``.

The personas live in real Sichuan divisions: 大邑县 (Chengdu) and 蒲江县, two of their
townships each and two villages in each township, so jurisdiction tests run on the
real code tree that production uses.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fengqiao.accounts import actions as account_actions
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import Mediator, User
from fengqiao.cases import actions
from fengqiao.cases.models import Dispute
from fengqiao.cases.schemas import DisputeIn
from fengqiao.core.identity import id_check_char
from fengqiao.geography.choices import OrgKind
from fengqiao.geography.models import AdminUnit, Organisation

PASSWORD = "Fq-test-2026!"

PROVINCE = 510000000000
CITY = 510100000000
COUNTY = 510129000000  # 大邑县
TOWNSHIP = 510129101000  # 王泗镇
VILLAGE = 510129101203  # 飞羊村
OTHER_VILLAGE = 510129101206  # 庙湾村, same township
SECOND_TOWNSHIP = 510129105000  # 安仁镇, same county
OTHER_COUNTY = 510131000000  # 蒲江县
OTHER_TOWNSHIP = 510131101000  # 大塘镇
OTHER_COUNTY_VILLAGE = 510131101200  # 东岳村


def make_id_number(region: str = "510129", born: dt.date = dt.date(1980, 5, 17), seq: int = 123) -> str:
    """A valid 18-digit resident ID number (GB 11643) for tests."""
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


@dataclass
class Personas:
    village_mediator: User
    grid_worker: User
    township_officer: User
    county_officer: User
    city_analyst: User
    province_analyst: User
    citizen: User
    partner_court: User
    other_township_officer: User
    other_county_officer: User
    system_admin: User
    security_admin: User
    audit_admin: User
    mediator: Mediator

    def all(self) -> list[User]:
        return [v for v in vars(self).values() if isinstance(v, User)]


def make_user(username: str, role: Role, unit: int | None = None, org: Organisation | None = None) -> User:
    return account_actions.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        full_name=username,
        admin_unit=AdminUnit.objects.get(pk=unit) if unit else None,
        organisation=org,
        check_password=False,
    )


def make_personas() -> Personas:
    court = Organisation.objects.get(admin_unit_id=COUNTY, kind=OrgKind.COURT)
    committee = Organisation.objects.get(admin_unit_id=VILLAGE, kind=OrgKind.MEDIATION_COMMITTEE)
    village_mediator = make_user("cun_tiaojie", Role.VILLAGE_MEDIATOR, VILLAGE, committee)
    mediator = Mediator.objects.create(
        name="王调解",
        organisation=committee,
        user=village_mediator,
        specialties=["neighbour"],
        languages=["zh"],
    )
    return Personas(
        village_mediator=village_mediator,
        grid_worker=make_user("wangge", Role.GRID_WORKER, VILLAGE),
        township_officer=make_user("sifasuo", Role.TOWNSHIP_OFFICER, TOWNSHIP),
        county_officer=make_user("xian_maotiao", Role.COUNTY_OFFICER, COUNTY),
        city_analyst=make_user("shi_fenxi", Role.CITY_ANALYST, CITY),
        province_analyst=make_user("sheng_fenxi", Role.PROVINCE_ANALYST, PROVINCE),
        citizen=make_user("qunzhong", Role.CITIZEN),
        partner_court=make_user("fayuan", Role.PARTNER, org=court),
        other_township_officer=make_user("datang_sifasuo", Role.TOWNSHIP_OFFICER, OTHER_TOWNSHIP),
        other_county_officer=make_user("pujiang_maotiao", Role.COUNTY_OFFICER, OTHER_COUNTY),
        system_admin=make_user("sysadmin", Role.SYSTEM_ADMIN),
        security_admin=make_user("secadmin", Role.SECURITY_ADMIN),
        audit_admin=make_user("auditadmin", Role.AUDIT_ADMIN),
        mediator=mediator,
    )


def dispute_payload(**overrides: Any) -> dict[str, Any]:
    """A valid submission (as the API or the form would send it), with overrides."""
    data: dict[str, Any] = {
        "channel": "walk_in",
        "dispute_type": "neighbour",
        "summary": "宅旁排水沟堵塞引发邻里纠纷",
        "narrative": "申请人称被申请人修建院墙时堵塞了两家之间的排水沟，雨季积水倒灌入申请人家中，双方多次争吵。",
        "admin_unit": VILLAGE,
        "amount": "3000",
        "people_involved": 2,
        "parties": [
            {
                "role": "applicant",
                "name": "张三",
                "id_number": make_id_number(seq=101),
                "phone": "13812345678",
            },
            {
                "role": "respondent",
                "name": "李四",
                "id_number": make_id_number(seq=202),
                "phone": "13987654321",
            },
        ],
    }
    data.update(overrides)
    return data


def register(actor: User, **overrides: Any) -> Dispute:
    return actions.register_dispute(DisputeIn.model_validate(dispute_payload(**overrides)), actor=actor)


def sign_in(client: Any, user: User) -> Any:
    """Sign ``user`` in on a test client as he would after password and TOTP code: the
    session is logged in and, for staff, verified with a confirmed authenticator."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fengqiao.accounts import two_factor

    client.force_login(user)
    if two_factor.required_for(user):
        device = two_factor.device_of(user) or TOTPDevice.objects.create(
            user=user, name="测试", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def browser_sign_in(page: Any, user: User) -> None:
    """The browser carries the session of ``user`` after password and second factor (the
    sign-in pages are the accounts app's journey, tested there)."""
    from django.conf import settings
    from django.test import Client

    cookie = sign_in(Client(), user).cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base_url}])


def totp_code(user: User) -> str:
    """The current code of ``user``'s authenticator (a confirmed one is made if missing),
    as his phone would show it. Tests sign in many times a minute, so the record of the
    last code used is cleared first (a real second use of a code is refused)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fengqiao.accounts import two_factor

    device = two_factor.device_of(user) or TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    device.last_t = -1
    device.throttling_failure_count = 0
    device.save(update_fields=["last_t", "throttling_failure_count"])
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_login(client: Any, username: str, password: str) -> int:
    """Sign in through the pages: password, then (for staff) the TOTP code. Answers the
    status of the password step (302 when accepted)."""
    from fengqiao.accounts import two_factor

    status = int(client.post("/login/", {"username": username, "password": password}).status_code)
    user = User.objects.get(username=username) if status == 302 else None
    if user is not None and two_factor.required_for(user):
        done = client.post("/login/second-factor/", {"code": totp_code(user)})
        assert done.status_code == 302, done.content.decode()[:500]
    return status
