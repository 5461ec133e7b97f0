from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("群众")
    GRID_WORKER = "grid_worker", _("网格员")
    VILLAGE_MEDIATOR = "village_mediator", _("村(社区)调解员")
    TOWNSHIP_OFFICER = "township_officer", _("司法所工作人员")
    COUNTY_OFFICER = "county_officer", _("县级矛调中心工作人员")
    CITY_ANALYST = "city_analyst", _("市级分析人员")
    PROVINCE_ANALYST = "province_analyst", _("省级分析人员")
    PARTNER = "partner", _("协作部门(法院/公安/信访)")
    CORRECTIONS_OFFICER = "corrections_officer", _("社区矫正工作人员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


class Language(models.TextChoices):
    MANDARIN = "zh", _("汉语")
    TIBETAN = "bo", _("藏语")
    YI = "ii", _("彝语")


class AuditResult(models.TextChoices):
    OK = "ok", _("成功")
    DENIED = "denied", _("拒绝")
    FAILED = "failed", _("失败")
