"""Every column holding personal information is registered with its purpose and retention."""

from django.apps import apps

from fengqiao.core.fields import EncryptedCharField
from fengqiao.core.privacy import NOT_PERSONAL, PERSONAL_NAMES, REGISTER


def _ours() -> list[tuple[str, str, object]]:
    out: list[tuple[str, str, object]] = []
    for model in apps.get_models():
        if not model.__module__.startswith("fengqiao."):
            continue
        for field in model._meta.concrete_fields:
            out.append((model._meta.label_lower, field.name, field))
    return out


def test_every_personal_column_is_registered() -> None:
    missing = [
        f"{label}.{name}"
        for label, name, field in _ours()
        if (name in PERSONAL_NAMES or isinstance(field, EncryptedCharField))
        and (label, name) not in REGISTER
        and (label, name) not in NOT_PERSONAL
    ]
    assert not missing, "personal-data columns not in core/privacy.py REGISTER: " + ", ".join(missing)


def test_the_register_names_real_columns_and_sensitive_ones_are_encrypted() -> None:
    columns = {(label, name): field for label, name, field in _ours()}
    for key, entry in REGISTER.items():
        assert key in columns, f"{key} is registered but no such column exists"
        assert entry.purpose and entry.retention
    for key in (
        ("cases.party", "id_number"),
        ("cases.party", "phone"),
        ("cases.party", "address"),
        ("accounts.user", "phone"),
    ):
        assert isinstance(columns[key], EncryptedCharField), key
