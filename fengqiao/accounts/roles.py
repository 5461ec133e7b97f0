"""What each role may do, as plain data (no ORM): the one table every edge consults.

Jurisdiction (where) is separate from capability (what): a role's capabilities apply
only inside the actor's admin unit and, for mediation work, only up to the tier the
role serves (a village mediator does not act on a case the county has taken over).
"""

from fengqiao.accounts.choices import Role
from fengqiao.geography.choices import Level

# Roles that see disputes of their admin unit's subtree.
CASE_READERS = frozenset(
    {
        Role.GRID_WORKER,
        Role.VILLAGE_MEDIATOR,
        Role.TOWNSHIP_OFFICER,
        Role.COUNTY_OFFICER,
        Role.CITY_ANALYST,
        Role.PROVINCE_ANALYST,
    }
)
# Roles that may record a new dispute.
REGISTRARS = frozenset(
    {
        Role.CITIZEN,
        Role.GRID_WORKER,
        Role.VILLAGE_MEDIATOR,
        Role.TOWNSHIP_OFFICER,
        Role.COUNTY_OFFICER,
        Role.PARTNER,
    }
)
# Roles that record citizens' legal consultations (法律咨询登记) and decide their topic:
# the village's legal adviser and mediator, the grid worker, the 12348 desk of the judicial
# office and of the county centre. Consultations are read by CASE_READERS in jurisdiction.
CONSULTATION_DESKS = frozenset(
    {Role.GRID_WORKER, Role.VILLAGE_MEDIATOR, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
)
# Roles that run mediation, with the highest tier (as admin level) each may act at.
MEDIATION_REACH = {
    Role.VILLAGE_MEDIATOR: Level.VILLAGE,
    Role.TOWNSHIP_OFFICER: Level.TOWNSHIP,
    Role.COUNTY_OFFICER: Level.COUNTY,
}
# Grid workers find disputes and visit afterwards; they do not mediate.
FOLLOW_UP_ONLY = frozenset({Role.GRID_WORKER})
# Roles that may import in bulk.
IMPORTERS = frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})
# 三权分立: the three administrators are separate and none of them reads case files.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# The admin level a staff role's jurisdiction must be at.
HOME_LEVEL = {
    Role.GRID_WORKER: Level.VILLAGE,
    Role.VILLAGE_MEDIATOR: Level.VILLAGE,
    Role.TOWNSHIP_OFFICER: Level.TOWNSHIP,
    Role.COUNTY_OFFICER: Level.COUNTY,
    Role.CITY_ANALYST: Level.CITY,
    Role.PROVINCE_ANALYST: Level.PROVINCE,
    Role.CORRECTIONS_OFFICER: Level.TOWNSHIP,
}


def may_mediate_at(role: str, tier_level: int) -> bool:
    """Whether ``role`` may run mediation steps on a case handled at ``tier_level``."""
    reach = MEDIATION_REACH.get(Role(role))
    return reach is not None and tier_level >= reach


# Roles that see parties' identity numbers and phones in full (they contact the
# parties); everyone else sees them masked (个人信息保护法 Art. 28: sensitive data
# only where the task needs it).
FULL_IDENTITY_ROLES = frozenset(
    {Role.VILLAGE_MEDIATOR, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.PARTNER}
)
