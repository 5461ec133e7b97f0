"""The demo accounts: one per role, in 大邑县 / 王泗镇 / 飞羊村, sharing one published password.

They are created through ``accounts.actions.create_user`` (jurisdiction rules, audit
entry) and marked ``is_demo``. The password is hashed once and the hash shared: every
account has the same published password anyway, and hashing it twelve times would
cost several seconds of PBKDF2 on each run.
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from fengqiao.accounts import actions as account_actions
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import Mediator, User
from fengqiao.cases.choices import DisputeType
from fengqiao.demo import people
from fengqiao.demo.places import DEMO_COUNTY, DEMO_TOWNSHIP, DEMO_VILLAGE, Atlas
from fengqiao.geography.choices import OrgKind
from fengqiao.geography.models import AdminUnit, Organisation

DEMO_PASSWORD = "Fengqiao@2026"
PROVINCE = 510000000000
CITY = 510100000000


@dataclass(frozen=True)
class DemoUser:
    """One demo account: where it sits and which body it belongs to."""

    username: str
    role: Role
    full_name: str
    unit: int | None = None
    org_unit: int | None = None
    org_kind: OrgKind | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("sheng", Role.PROVINCE_ANALYST, "周明远", PROVINCE, PROVINCE, OrgKind.JUSTICE_BUREAU),
    DemoUser("chengdu", Role.CITY_ANALYST, "陈思雨", CITY, CITY, OrgKind.JUSTICE_BUREAU),
    DemoUser("dayi", Role.COUNTY_OFFICER, "杨志强", DEMO_COUNTY, DEMO_COUNTY, OrgKind.RESOLUTION_CENTER),
    DemoUser(
        "wangsi", Role.TOWNSHIP_OFFICER, "刘建华", DEMO_TOWNSHIP, DEMO_TOWNSHIP, OrgKind.JUDICIAL_OFFICE
    ),
    DemoUser(
        "feiyang", Role.VILLAGE_MEDIATOR, "王秀英", DEMO_VILLAGE, DEMO_VILLAGE, OrgKind.MEDIATION_COMMITTEE
    ),
    DemoUser("wangge", Role.GRID_WORKER, "李小军", DEMO_VILLAGE),
    DemoUser("qunzhong", Role.CITIZEN, "张桂芳"),
    DemoUser("fayuan", Role.PARTNER, "赵立新", None, DEMO_COUNTY, OrgKind.COURT),
    DemoUser(
        "jiaozheng", Role.CORRECTIONS_OFFICER, "孙国庆", DEMO_TOWNSHIP, DEMO_TOWNSHIP, OrgKind.JUDICIAL_OFFICE
    ),
    DemoUser("sysadmin", Role.SYSTEM_ADMIN, "系统管理员"),
    DemoUser("secadmin", Role.SECURITY_ADMIN, "安全管理员"),
    DemoUser("auditadmin", Role.AUDIT_ADMIN, "审计管理员"),
)
USERNAMES = tuple(u.username for u in DEMO_USERS)


def create_demo_users(atlas: Atlas, rng: random.Random) -> dict[str, User]:
    """Create every demo account (username → user); the village mediator also gets a Mediator row."""
    units = AdminUnit.objects.in_bulk([u.unit for u in DEMO_USERS if u.unit])
    org_ids = {u.username: atlas.org(u.org_unit, u.org_kind) for u in DEMO_USERS if u.org_unit and u.org_kind}
    orgs = Organisation.objects.in_bulk([pk for pk in org_ids.values() if pk])
    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        org_id = org_ids.get(spec.username)
        users[spec.username] = account_actions.create_user(
            username=spec.username,
            password=None,
            role=spec.role,
            full_name=spec.full_name,
            admin_unit=units[spec.unit] if spec.unit else None,
            organisation=orgs.get(org_id) if org_id else None,
            phone=people.mobile(rng),
            is_demo=True,
            check_password=False,
        )
    hashed = make_password(DEMO_PASSWORD)
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(password=hashed)
    for user in users.values():
        user.password = hashed
    return users


def create_demo_mediator(user: User) -> Mediator:
    """The village mediator's own roster entry, so cases can be assigned to the person who logs in."""
    assert user.organisation_id is not None
    return Mediator.objects.create(
        name=user.display_name,
        organisation_id=user.organisation_id,
        user=user,
        phone=user.phone,
        specialties=[DisputeType.NEIGHBOUR, DisputeType.MARRIAGE_FAMILY, DisputeType.HOUSING_HOMESTEAD],
        languages=["zh"],
        is_full_time=True,
        is_demo=True,
    )


def account_rows() -> list[tuple[str, str, str, str]]:
    """(username, role, name, jurisdiction or body) of the demo accounts that exist, for printing."""
    rows = []
    users = User.objects.filter(username__in=USERNAMES, is_demo=True).select_related(
        "admin_unit", "organisation"
    )
    by_name = {u.username: u for u in users}
    for spec in DEMO_USERS:
        user = by_name.get(spec.username)
        if user is None:
            continue
        where = (
            user.organisation.name
            if user.organisation
            else (user.admin_unit.name if user.admin_unit else "—")
        )
        rows.append((user.username, str(Role(user.role).label), user.display_name, where))
    return rows
