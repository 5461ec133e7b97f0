from django.db import models
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    """What ties a mediator to a person, as the mediator declares it (回避申报)."""

    KIN = "kin", _("近亲属")
    EMPLOYMENT = "employment", _("雇佣或上下级关系")
    BUSINESS = "business", _("经济往来")
    VILLAGE_OFFICIAL = "village_official", _("系其所在村(社区)干部")
    OTHER = "other", _("其他利害关系")


class ObjectionGround(models.TextChoices):
    """Why a party does not accept a mediator (人民调解法 Art. 23(1): choose or accept)."""

    RELATION = "relation", _("与对方当事人有利害关系")
    VILLAGE_OFFICIAL = "village_official", _("系对方当事人所在村(社区)干部")
    PRIOR_INVOLVEMENT = "prior_involvement", _("曾参与本纠纷相关事务")
    PARTIALITY = "partiality", _("认为其不能公正调解")
    OTHER = "other", _("其他")
