"""Turning posted HTML forms into the shapes the schemas validate (no rules here)."""

import re
from typing import Any

from django.http import QueryDict

from fengqiao.geography.queries import PLACE_SELECTS

_PARTY_FIELD = re.compile(r"^parties-(\d+)-(\w+)$")
PLACE_FIELDS = tuple(name for _, name, _ in PLACE_SELECTS)  # city … village


def chosen_place(post: QueryDict) -> str:
    """The place chosen in the cascading selects (``_place_selects.html``): the deepest one
    chosen wins; "" when none is."""
    return next((str(post[k]) for k in reversed(PLACE_FIELDS) if post.get(k)), "")


def unit_code(raw: object) -> int | None:
    """A posted unit code as an int, or None when it is not one."""
    text = str(raw or "")
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def place_code(post: QueryDict) -> int | None:
    """``chosen_place`` as a unit code, or None."""
    return unit_code(chosen_place(post))


def dispute_payload(post: QueryDict) -> dict[str, Any]:
    """The registration form as a DisputeIn-shaped dict; empty party rows are dropped."""
    data: dict[str, Any] = {
        k: str(v).strip()
        for k, v in post.items()
        if not k.startswith("parties-") and k != "csrfmiddlewaretoken" and k not in PLACE_FIELDS
    }
    place = chosen_place(post)
    if place:
        data["admin_unit"] = place
    parties: dict[int, dict[str, Any]] = {}
    for key, value in post.items():
        m = _PARTY_FIELD.match(key)
        if m:
            parties.setdefault(int(m.group(1)), {})[m.group(2)] = str(value).strip()
    data["parties"] = [
        {**p, "refuses_mediation": p.get("refuses_mediation") == "on"}
        for _, p in sorted(parties.items())
        if p.get("name")
    ]
    for key in ("amount", "external_id", "referred_by_org", "dispute_type"):
        if data.get(key) == "":
            data[key] = None
    return data


def command_payload(post: QueryDict) -> dict[str, Any]:
    """A command form: blanks become absent (schema defaults), checkboxes become booleans."""
    data: dict[str, Any] = {}
    for key, raw in post.items():
        value = str(raw).strip()
        if key == "csrfmiddlewaretoken":
            continue
        if value == "on":
            data[key] = True
        elif value:
            data[key] = value
    return data
