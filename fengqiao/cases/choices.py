from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeType(models.TextChoices):
    """The official statistical categories of people's mediation (DESIGN.md §4)."""

    MARRIAGE_FAMILY = "marriage_family", _("婚姻家庭")
    NEIGHBOUR = "neighbour", _("邻里")
    HOUSING_HOMESTEAD = "housing_homestead", _("房屋宅基地")
    CONTRACT = "contract", _("合同")
    PRODUCTION_OPERATION = "production_operation", _("生产经营")
    DAMAGES = "damages", _("损害赔偿")
    FOREST_LAND = "forest_land", _("山林土地")
    LAND_REQUISITION = "land_requisition", _("征地拆迁")
    ENVIRONMENT = "environment", _("环境污染")
    LABOUR = "labour", _("劳动争议")
    MEDICAL = "medical", _("医疗")
    TRAFFIC = "traffic", _("道路交通事故")
    PROPERTY_MANAGEMENT = "property_management", _("物业")
    CONSUMER = "consumer", _("消费")
    TOURISM = "tourism", _("旅游")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权")
    ECOMMERCE = "ecommerce", _("电子商务")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("来访")
    PHONE_12348 = "phone_12348", _("12348热线")
    GRID_SWEEP = "grid_sweep", _("网格排查")
    ONLINE = "online", _("网上申请")
    COURT_REFERRAL = "court_referral", _("法院委派")
    POLICE_REFERRAL = "police_referral", _("公安移送")
    PETITION_REFERRAL = "petition_referral", _("信访移送")


REFERRAL_CHANNELS = frozenset({Channel.COURT_REFERRAL, Channel.POLICE_REFERRAL, Channel.PETITION_REFERRAL})


class Status(models.TextChoices):
    REGISTERED = "registered", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("已达成协议")
    CONFIRMING = "confirming", _("司法确认中")
    CONFIRMED = "confirmed", _("已司法确认")
    PERFORMED = "performed", _("已履行")
    FAILED = "failed", _("调解不成")
    CLOSED = "closed", _("已结案")


OPEN_STATUSES = tuple(s for s in Status if s != Status.CLOSED)


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("调解成功")
    FAILED = "failed", _("调解不成")
    TRANSFERRED = "transferred", _("移交其他途径")
    WITHDRAWN = "withdrawn", _("当事人撤回")
    DECLINED = "declined", _("不予受理")


class Tier(models.TextChoices):
    """The level of the body handling the dispute (分层递进). Ordered low to high."""

    VILLAGE = "village", _("村(社区)级")
    TOWNSHIP = "township", _("乡镇(街道)级")
    COUNTY = "county", _("县级")


TIER_ORDER = {Tier.VILLAGE: 0, Tier.TOWNSHIP: 1, Tier.COUNTY: 2}


class TransferTarget(models.TextChoices):
    """Routes outside people's mediation (人民调解法 Art. 26: arbitration, administrative, judicial)."""

    COURT = "court", _("人民法院(诉讼)")
    ARBITRATION = "arbitration", _("仲裁")
    LEGAL_AID = "legal_aid", _("法律援助")
    ADMIN_RECONSIDERATION = "admin_reconsideration", _("行政复议")
    POLICE = "police", _("公安机关")


class Action(models.TextChoices):
    REGISTER = "register", _("登记")
    ACCEPT = "accept", _("受理")
    DECLINE = "decline", _("不予受理")
    ASSIGN_MEDIATOR = "assign_mediator", _("指派调解员")
    RECORD_SESSION = "record_session", _("记录调解")
    EXTEND_DEADLINE = "extend_deadline", _("延长调解期限")
    REACH_AGREEMENT = "reach_agreement", _("达成调解协议")
    FAIL_MEDIATION = "fail_mediation", _("终止调解")
    APPLY_CONFIRMATION = "apply_confirmation", _("申请司法确认")
    RECORD_CONFIRMATION = "record_confirmation", _("登记司法确认结果")
    RECORD_PERFORMANCE = "record_performance", _("登记履行情况")
    RECORD_FOLLOW_UP = "record_follow_up", _("回访")
    CLOSE = "close", _("结案")
    ESCALATE = "escalate", _("上报")
    REFER_BACK = "refer_back", _("退回下级")
    TRANSFER = "transfer", _("移交")
    WITHDRAW = "withdraw", _("撤回")
    RECORD_REFUSAL = "record_refusal", _("登记当事人拒绝调解")
    RECLASSIFY = "reclassify", _("确认分流")
    LINK = "link", _("关联并案")
    CORRECT_PARTY = "correct_party", _("更正当事人信息")


class RiskLevel(models.TextChoices):
    """Triage's risk level (triage/data/RISK_GUIDE.md), as confirmed by the officer."""

    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    THIRD_PARTY = "third_party", _("第三人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("书面协议")
    ORAL = "oral", _("口头协议")


class ConfirmationResult(models.TextChoices):
    PENDING = "pending", _("审查中")
    VALID = "valid", _("确认有效")
    INVALID = "invalid", _("确认无效")
    REJECTED = "rejected", _("裁定驳回申请")


class PerformanceStatus(models.TextChoices):
    FULL = "full", _("已全部履行")
    PARTIAL = "partial", _("部分履行")
    NONE = "none", _("未履行")


class VisitMethod(models.TextChoices):
    PHONE = "phone", _("电话回访")
    HOME = "home", _("上门回访")
    ONLINE = "online", _("线上回访")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY = "fairly", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class GroupKind(models.TextChoices):
    SAME_PARTIES = "same_parties", _("同一当事人")
    SAME_MATTER = "same_matter", _("同一地点同一事项")
    MASS = "mass", _("群体性（多人对同一方）")
