"""Model fields for personal data: encrypted at rest, and their blind indexes."""

from typing import Any

from django.db import models

from fengqiao.core import crypto


class EncryptedCharField(models.TextField):
    """Plaintext in Python, SM4-GCM ciphertext in the database (core.crypto).

    ``max_length`` limits the plaintext (validated), not the column, which holds the
    longer ciphertext. ``encrypts`` lets the bulk writer recognise it."""

    encrypts = True

    def __init__(self, *args: Any, max_length: int | None = None, **kwargs: Any) -> None:
        self.plain_max_length = max_length
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or (isinstance(value, str) and crypto.is_ciphertext(value)):
            return value
        return crypto.encrypt(str(value))


class BlindIndexField(models.CharField):
    """HMAC-SM3 of another field's normalised value, for equality search without plaintext.

    It is derived: ``pre_save`` (and the bulk writer) compute it from ``source``; nobody
    assigns it."""

    def __init__(self, *args: Any, source: str = "", kind: str = "", **kwargs: Any) -> None:
        self.source, self.kind = source, kind or source
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["kind"] = self.source, self.kind
        return name, path, args, kwargs

    def index_of(self, value: str | None) -> str:
        return crypto.blind_index(self.kind, value or "")

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
