from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import (
    Action,
    AgreementForm,
    Channel,
    ConfirmationResult,
    DisputeType,
    Gender,
    GroupKind,
    Outcome,
    PartyKind,
    PartyRole,
    PerformanceStatus,
    RiskLevel,
    Satisfaction,
    Status,
    Tier,
    TransferTarget,
    VisitMethod,
)
from fengqiao.core import clock
from fengqiao.core.fields import BlindIndexField, EncryptedCharField


class DisputeGroup(models.Model):
    """Related disputes handled together (一揽子调处): the same parties, the same place and
    matter, or many claimants against one respondent (群体性). Each dispute keeps its own
    record; joint sessions and agreements are written into every member."""

    kind = models.CharField(_("关联类型"), max_length=16, choices=GroupKind.choices)
    title = models.CharField(_("名称"), max_length=120)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("关联纠纷组")
        verbose_name_plural = _("关联纠纷组")

    def __str__(self) -> str:
        return self.title


class Dispute(models.Model):
    """A dispute (矛盾纠纷) and its case file, from registration to closing.

    ``admin_unit`` is where the dispute arose and decides who may see it; ``tier`` and
    ``handling_org`` say who is handling it now. ``status`` and the lifecycle
    timestamps are written only by ``cases.actions``, each change with a Transition.
    """

    received_at = models.DateTimeField(_("登记时间"), default=clock.now)
    channel = models.CharField(_("来源渠道"), max_length=32, choices=Channel.choices)
    dispute_type = models.CharField(_("纠纷类型"), max_length=32, choices=DisputeType.choices)
    summary = models.CharField(_("纠纷概要"), max_length=120)
    narrative = models.TextField(_("纠纷事实经过"))
    # Indexed by the (admin_unit, status, received_at) index below, not on its own.
    admin_unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("纠纷发生地"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    amount = models.DecimalField(_("涉及金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    people_involved = models.PositiveIntegerField(_("涉及人数"), default=2)

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, blank=True)
    tier = models.CharField(_("办理层级"), max_length=16, choices=Tier.choices, default=Tier.VILLAGE)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, blank=True)
    handling_org = models.ForeignKey(
        "geography.Organisation",
        verbose_name=_("承办组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_disputes",
        db_index=False,  # covered by the (handling_org, status) index
    )
    mediator = models.ForeignKey(
        "accounts.Mediator",
        verbose_name=_("调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    referred_by_org = models.ForeignKey(
        "geography.Organisation",
        verbose_name=_("委派/移送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_disputes",
    )
    transfer_target = models.CharField(
        _("移交去向"), max_length=32, choices=TransferTarget.choices, blank=True
    )
    transferred_to_org = models.ForeignKey(
        "geography.Organisation",
        verbose_name=_("移交单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_disputes",
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    group = models.ForeignKey(
        DisputeGroup,
        verbose_name=_("关联纠纷组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    # Set on bulk imports: triage runs on these afterwards (triage.jobs), not inline.
    triage_pending = models.BooleanField(_("待智能分流"), default=False)
    external_id = models.CharField(_("外部编号"), max_length=64, null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=models.Q(external_id__isnull=False),
                name="dispute_unique_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(people_involved__gte=1), name="dispute_people_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["admin_unit", "status", "received_at"], name="dispute_unit_status_recv"),
            models.Index(fields=["status", "received_at"], name="dispute_status_recv"),
            models.Index(fields=["received_at"], name="dispute_recv"),
            # a county's disputes within a window (cases.related), read from the index alone
            models.Index(fields=["admin_unit", "received_at"], include=["id"], name="dispute_unit_recv"),
            models.Index(fields=["handling_org", "status"], name="dispute_org_status"),
            models.Index(
                fields=["id"], condition=models.Q(triage_pending=True), name="dispute_triage_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.summary}"

    @property
    def number(self) -> str:
        """The case number people quote: 川调 + year + id (derived, never stored)."""
        return f"川调{self.received_at.year}-{self.pk:07d}" if self.pk else "（未编号）"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class Party(models.Model):
    """A party (当事人) to a dispute: a person or an organisation.

    ``refuses_mediation`` records a clear refusal, which bars mediation
    (人民调解法 Art. 17) until withdrawn.
    """

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="parties", db_index=False
    )  # covered by the (dispute, role, name) index
    role = models.CharField(_("当事人地位"), max_length=16, choices=PartyRole.choices)
    kind = models.CharField(_("类别"), max_length=16, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("姓名或名称"), max_length=100)
    # Personal data (个人信息保护法 Art. 28: identity numbers are sensitive): encrypted at
    # rest; searched through their blind indexes.
    id_number = EncryptedCharField(_("身份证号码"), max_length=18)
    id_number_bidx = BlindIndexField(source="id_number", kind="id_number", db_index=True)
    org_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=20)
    phone_bidx = BlindIndexField(source="phone", kind="phone", db_index=True)
    address = EncryptedCharField(_("住址"), max_length=200)
    language = models.CharField(_("使用语言"), max_length=8, default="zh")
    refuses_mediation = models.BooleanField(_("明确拒绝调解"), default=False)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        indexes = [
            models.Index(fields=["name", "role"]),
            # a dispute's parties; covering for the mass-dispute lookup (cases.related)
            models.Index(fields=["dispute", "role", "name"], name="party_dispute_role_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Transition(models.Model):
    """One step in a case's life: who did what, when, from which status to which, and why."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="transitions", db_index=False
    )  # covered by the (dispute, at) index
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=64, blank=True)
    at = models.DateTimeField(_("时间"), default=clock.now)
    reason = models.TextField(_("理由/说明"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        indexes = [models.Index(fields=["dispute", "at"])]
        ordering = ["at", "id"]


class SessionRecord(models.Model):
    """A mediation session and its record (调解笔录); 人民调解法 Art. 27 requires records."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("调解地点"), max_length=200)
    mediator = models.ForeignKey(
        "accounts.Mediator", verbose_name=_("主持调解员"), null=True, blank=True, on_delete=models.PROTECT
    )
    attendees = models.CharField(_("参加人员"), max_length=500, blank=True)
    content = models.TextField(_("调解经过及笔录"))
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("记录人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=clock.now)

    class Meta:
        verbose_name = _("调解笔录")
        verbose_name_plural = _("调解笔录")
        ordering = ["held_at", "id"]


class Agreement(models.Model):
    """A mediation agreement (调解协议). Written agreements carry the contents required by
    人民调解法 Art. 29 and 人民调解工作若干规定 Art. 35; an oral one is recorded (Art. 28).

    ``effective_on``: a written agreement takes effect when signed and sealed (Art. 29),
    an oral one when reached (Art. 30). It starts the 30-day confirmation period.
    """

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="agreements")
    form = models.CharField(_("协议形式"), max_length=16, choices=AgreementForm.choices)
    facts = models.TextField(_("纠纷主要事实及争议事项"))
    responsibilities = models.TextField(_("各方当事人的责任"), blank=True)
    terms = models.TextField(_("协议内容(当事人的权利义务)"))
    performance_method = models.CharField(_("履行方式"), max_length=200)
    performance_place = models.CharField(_("履行地点"), max_length=200, blank=True)
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"))
    copies = models.PositiveSmallIntegerField(_("份数"), default=3)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")
        ordering = ["created_at", "id"]


class JudicialConfirmation(models.Model):
    """A joint application to a court to confirm an agreement (司法确认, 人民调解法 Art. 33)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="confirmations")
    court = models.ForeignKey(
        "geography.Organisation", verbose_name=_("受理法院"), on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField(_("申请日期"))
    result = models.CharField(
        _("审查结果"), max_length=16, choices=ConfirmationResult.choices, default=ConfirmationResult.PENDING
    )
    decided_on = models.DateField(_("裁定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("司法确认")
        verbose_name_plural = _("司法确认")


class Performance(models.Model):
    """How an agreement has been performed (履行情况); the committee supervises it (Art. 31)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="performances")
    status = models.CharField(_("履行情况"), max_length=16, choices=PerformanceStatus.choices)
    recorded_on = models.DateField(_("登记日期"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("履行情况")
        verbose_name_plural = _("履行情况")


class FollowUpVisit(models.Model):
    """A follow-up visit (回访) after agreement or closing, with the parties' satisfaction."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("回访日期"))
    method = models.CharField(_("回访方式"), max_length=16, choices=VisitMethod.choices)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices)
    note = models.TextField(_("回访情况"), blank=True)
    visitor = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")


class AccessGrant(models.Model):
    """A recorded, time-bounded grant letting a unit or an organisation outside the case's
    jurisdiction see it (cross-region dispatch, a transfer to a partner)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="grants")
    grantee_unit = models.ForeignKey(
        "geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grantee_org = models.ForeignKey(
        "geography.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateTimeField(_("有效期至"))
    reason = models.CharField(_("理由"), max_length=200)
    granted_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("跨辖区授权")
        verbose_name_plural = _("跨辖区授权")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(grantee_unit__isnull=False, grantee_org__isnull=True)
                    | models.Q(grantee_unit__isnull=True, grantee_org__isnull=False)
                ),
                name="grant_exactly_one_grantee",
            )
        ]
        indexes = [
            models.Index(fields=["grantee_unit", "valid_until"]),
            models.Index(fields=["grantee_org", "valid_until"]),
        ]
