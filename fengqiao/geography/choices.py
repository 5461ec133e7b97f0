from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("省")
    CITY = 2, _("市")
    COUNTY = 3, _("县")
    TOWNSHIP = 4, _("乡镇")
    VILLAGE = 5, _("村(社区)")


# How many 12-digit codes a unit of each level spans: its subtree is [code, code + span).
SPAN = {
    Level.PROVINCE: 10**10,
    Level.CITY: 10**8,
    Level.COUNTY: 10**6,
    Level.TOWNSHIP: 10**3,
    Level.VILLAGE: 1,
}


class OrgKind(models.TextChoices):
    MEDIATION_COMMITTEE = "mediation_committee", _("人民调解委员会")
    JUDICIAL_OFFICE = "judicial_office", _("司法所")
    JUSTICE_BUREAU = "justice_bureau", _("司法局")
    RESOLUTION_CENTER = "resolution_center", _("矛盾纠纷调处化解中心")
    STATIONED_MEDIATION_ROOM = "stationed_mediation_room", _("派驻调解室")
    LEGAL_AID_CENTER = "legal_aid_center", _("法律援助中心")
    COURT = "court", _("人民法院")
    POLICE_STATION = "police_station", _("公安派出所")
    PETITION_OFFICE = "petition_office", _("信访局")
    ARBITRATION_COMMISSION = "arbitration_commission", _("劳动人事争议仲裁委员会")


# Partner bodies reached through the exchange API rather than mediated in.
PARTNER_KINDS = frozenset({OrgKind.COURT, OrgKind.POLICE_STATION, OrgKind.PETITION_OFFICE})
