from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.geography import codes
from fengqiao.geography.choices import Level, OrgKind
from fengqiao.geography.naming import short_village_name


class AdminUnit(models.Model):
    """An administrative division (行政区划) at one of five levels, keyed by its 12-digit NBS code.

    The code is the primary key because it is stable, public and hierarchical: every
    unit's subtree is the integer range ``codes.subtree(code)``, so "everything in my
    jurisdiction" is one indexed range condition on any table that stores a unit code,
    and a national deployment can shard by code range.
    """

    code = models.BigIntegerField(_("区划代码"), primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def subtree(self) -> tuple[int, int]:
        return codes.subtree(self.code)

    def contains(self, code: int) -> bool:
        return codes.contains(self.code, code)

    def ancestor_codes(self) -> list[int]:
        return codes.ancestors(self.code)

    @property
    def short_name(self) -> str:
        """The name people use: '飞羊村' rather than the register's '飞羊村村委会'."""
        return short_village_name(self.name) if self.level == Level.VILLAGE else self.name

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


class Organisation(models.Model):
    """A body that takes part in resolving disputes, tied to the admin unit it serves.

    Mediation committees exist for every village and township (人民调解法 Art. 8);
    judicial offices per township; resolution centres, legal-aid centres and partner
    bodies (court, police, petition office, arbitration) per county. ``generated``
    marks bodies derived from the division list rather than from a roster.
    """

    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=128)
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="organisations"
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    generated = models.BooleanField(_("由区划生成"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            models.UniqueConstraint(fields=["kind", "admin_unit", "name"], name="org_unique_kind_unit_name")
        ]
        indexes = [models.Index(fields=["admin_unit", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> Level:
        return codes.level_of(self.admin_unit_id)
