"""What dispatch needs beyond the roster: who may not mediate for whom, whom the parties
chose, interpreters, the standing county pairings, and a record of each batch run.

Mediators themselves live in ``accounts.Mediator`` and assignments in
``cases.Dispute.mediator``; this app only adds the facts that decide an assignment.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock
from fengqiao.core.fields import BlindIndexField, EncryptedCharField
from fengqiao.dispatch.choices import ObjectionGround, Relation


class CountyPairing(models.Model):
    """A standing pairing of an ethnic-area county with a helping county (民族地区结对帮扶).

    Dispatch treats the partner county as one step further than the county itself and
    nearer than the rest of the city: when the aided county lacks capacity, mediators of
    its partner's county-level bodies (resolution centre, county committees) are proposed
    before strangers, and the other way round (a Tibetan- or Yi-speaking mediator of the
    aided county's centre may help a party in the partner county).
    ``is_illustrative`` marks rows from the kept illustrative table (data/PROVENANCE.md),
    not from an official list.
    """

    aided_county = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("受援县"), on_delete=models.PROTECT, related_name="+"
    )
    partner_county = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("帮扶县"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_illustrative = models.BooleanField(_("示意数据"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)

    class Meta:
        verbose_name = _("结对帮扶县")
        verbose_name_plural = _("结对帮扶县")
        constraints = [
            models.UniqueConstraint(fields=["aided_county", "partner_county"], name="pairing_unique"),
            models.CheckConstraint(
                condition=~models.Q(aided_county=models.F("partner_county")), name="pairing_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aided_county_id}↔{self.partner_county_id}"


class ConflictDeclaration(models.Model):
    """A mediator's declaration of a relation to a person (利害关系申报).

    人民调解法 Art. 21 (主持公道) and Art. 15(1) (偏袒一方当事人 is misconduct): a mediator
    does not mediate a dispute of someone he is tied to. Matching is conservative: an
    identity number (or, for an organisation, its credit code) decides when both sides
    have one; otherwise the name does, so a namesake may be avoided needlessly but a
    relative is never missed. The number is personal data (个人信息保护法 Art. 28):
    encrypted at rest and matched through its blind index, of the same kind as the
    parties' (``cases.Party.id_number_bidx``). ``withdrawn_at`` ends a declaration
    without erasing it.
    """

    mediator = models.ForeignKey(
        "accounts.Mediator", verbose_name=_("调解员"), on_delete=models.CASCADE, related_name="declarations"
    )
    person_name = models.CharField(_("关系人姓名或名称"), max_length=100)
    id_number = EncryptedCharField(_("关系人身份证号码或统一社会信用代码"), max_length=18)
    id_number_bidx = BlindIndexField(source="id_number", kind="id_number", db_index=True)
    relation = models.CharField(_("关系"), max_length=32, choices=Relation.choices)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    declared_by = models.ForeignKey(
        "accounts.User", verbose_name=_("申报人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("申报时间"), default=clock.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        indexes = [models.Index(fields=["person_name"])]

    def __str__(self) -> str:
        return f"{self.mediator_id}:{self.person_name}"


class Objection(models.Model):
    """A party's objection to a mediator for one dispute (当事人不接受某调解员).

    人民调解法 Art. 23(1): a party has the right to choose or to accept a mediator, so a
    mediator one party does not accept is not assigned — e.g. the other side's own
    village official. Art. 3(1): mediation rests on the parties' free will and equality.
    """

    dispute = models.ForeignKey(
        "cases.Dispute", verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="objections"
    )
    party = models.ForeignKey(
        "cases.Party", verbose_name=_("提出异议的当事人"), on_delete=models.CASCADE, related_name="+"
    )
    mediator = models.ForeignKey(
        "accounts.Mediator", verbose_name=_("调解员"), on_delete=models.CASCADE, related_name="objections"
    )
    ground = models.CharField(_("异议理由"), max_length=32, choices=ObjectionGround.choices)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("记录人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=clock.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("当事人异议")
        verbose_name_plural = _("当事人异议")
        indexes = [models.Index(fields=["dispute", "mediator"])]


class PartyChoice(models.Model):
    """A party's choice of mediator (人民调解法 Art. 19: parties may choose one or several;
    Art. 23(1)). Dispatch honours it when the mediator is eligible and no party objects."""

    dispute = models.ForeignKey(
        "cases.Dispute", verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="mediator_choices"
    )
    party = models.ForeignKey(
        "cases.Party", verbose_name=_("选择的当事人"), on_delete=models.CASCADE, related_name="+"
    )
    mediator = models.ForeignKey(
        "accounts.Mediator", verbose_name=_("调解员"), on_delete=models.CASCADE, related_name="chosen_by"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("记录人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=clock.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("当事人选择调解员")
        verbose_name_plural = _("当事人选择调解员")
        indexes = [models.Index(fields=["dispute", "mediator"])]


class Interpreter(models.Model):
    """An interpreter for Tibetan (bo) or Yi (ii) on a county's roster (翻译人员).

    Not a people's mediator (人民调解法 Art. 13 names who mediators are): the mediator
    invites him, with the parties' consent, as a person with special knowledge
    (Art. 20). Kept per county because that is where such staff are held (the county's
    public legal service centre) and where travel to a village is reasonable.
    """

    name = models.CharField(_("姓名"), max_length=64)
    county = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("所在县"), on_delete=models.PROTECT, related_name="+"
    )
    languages = models.JSONField(_("翻译语言"), default=list)
    # personal information (个人信息保护法 Art. 28 treats contact data with care): encrypted at rest
    phone = EncryptedCharField(_("联系电话"), max_length=20)
    max_load = models.PositiveSmallIntegerField(_("在办案件上限"), default=6)
    is_active = models.BooleanField(_("在册"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("翻译人员")
        verbose_name_plural = _("翻译人员")
        indexes = [models.Index(fields=["county", "is_active"])]

    def __str__(self) -> str:
        return self.name


class InterpreterBooking(models.Model):
    """An interpreter booked for a dispute in one language; he counts against his cap
    while the dispute is open and the booking is not released."""

    dispute = models.ForeignKey(
        "cases.Dispute", verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="interpreter_bookings"
    )
    interpreter = models.ForeignKey(
        Interpreter, verbose_name=_("翻译人员"), on_delete=models.PROTECT, related_name="bookings"
    )
    language = models.CharField(_("语言"), max_length=8)
    booked_by = models.ForeignKey(
        "accounts.User", verbose_name=_("安排人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(_("安排时间"), default=clock.now)
    released_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("翻译安排")
        verbose_name_plural = _("翻译安排")
        indexes = [models.Index(fields=["interpreter", "released_at"]), models.Index(fields=["dispute"])]


class DispatchRun(models.Model):
    """One batch dispatch: who ran it over which unit, what it found and assigned, how long
    the solver took — the county's morning record, and what a reviewer asks for."""

    scope_unit = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("调度范围"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("开始时间"), default=clock.now)
    considered = models.PositiveIntegerField(_("待指派纠纷数"), default=0)
    assigned = models.PositiveIntegerField(_("已指派数"), default=0)
    unassigned = models.PositiveIntegerField(_("未能指派数"), default=0)
    total_cost = models.BigIntegerField(_("总成本"), default=0)
    solve_seconds = models.FloatField(_("求解用时(秒)"), default=0)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("批量调度记录")
        verbose_name_plural = _("批量调度记录")
        ordering = ["-started_at", "-id"]
