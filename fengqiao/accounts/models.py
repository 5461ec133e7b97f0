import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts.choices import AuditResult, Language, Role
from fengqiao.core import clock
from fengqiao.core.fields import EncryptedCharField


class User(AbstractUser):
    """Anyone who logs in: a citizen, a staff member at some level, a partner, an admin.

    ``admin_unit`` is the jurisdiction: a staff user sees and acts on what lies in
    that unit's subtree and nothing else. Citizens and admins have none.
    """

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.CITIZEN)
    admin_unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("管辖区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "geography.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = EncryptedCharField(_("手机号码"), max_length=20)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = clock.now()  # staff must change it again within 90 days


class Mediator(models.Model):
    """A people's mediator (人民调解员) on a committee's roster; may or may not log in.

    人民调解法 Arts. 13–14: mediators are committee members and persons the committee
    engages. Specialties and languages let dispatch choose well (Art. 19: the
    committee appoints, or the parties choose).
    """

    name = models.CharField(_("姓名"), max_length=64)
    organisation = models.ForeignKey(
        "geography.Organisation",
        verbose_name=_("所属调解组织"),
        on_delete=models.PROTECT,
        related_name="mediators",
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator",
    )
    phone = EncryptedCharField(_("联系电话"), max_length=20)
    specialties = models.JSONField(_("擅长纠纷类型"), default=list, blank=True)
    languages = models.JSONField(_("工作语言"), default=list, blank=True)
    is_full_time = models.BooleanField(_("专职"), default=False)
    # Open cases a mediator can carry at once; dispatch never assigns beyond it.
    max_load = models.PositiveSmallIntegerField(_("在办案件上限"), default=8)
    is_active = models.BooleanField(_("在册"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("人民调解员")
        verbose_name_plural = _("人民调解员")
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def speaks(self, language: str) -> bool:
        return language == Language.MANDARIN or language in self.languages


class AuditEntry(models.Model):
    """One audited event: who did what to which object, when, with what result.

    Written in the same transaction as the change it records (网络安全法 Art. 21:
    logs kept at least six months), so a change without its entry cannot exist.
    Entries form a chain: ``mac`` is HMAC-SM3 over the previous entry's ``mac`` and this
    entry's content (``accounts.audit``), so an edit, a deletion, a reordering or a
    truncation is detected by ``fengqiao audit verify``.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("操作人标识"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=AuditResult.choices, default=AuditResult.OK)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        indexes = [models.Index(fields=["object_type", "object_id"])]


class AuditHead(models.Model):
    """The end of the audit chain: the last sequence number and its MAC. One row, locked by
    every audit write, so entries are chained in commit order and a truncated tail shows."""

    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, default="")
    # Where the retained chain starts after a lawful purge of old entries.
    base_seq = models.BigIntegerField(default=1)
    base_prev_mac = models.CharField(max_length=64, default="0" * 64)


def _token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for programs (partner departments, scripts). Only its digest is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    @staticmethod
    def new_key() -> str:
        return "fq_" + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(key: str) -> str:
        return _token_digest(key)
