"""Errors that reach users. Messages are Chinese and name the field they concern."""


class DomainError(Exception):
    """A rule of the domain refused the request. ``message`` is shown to the user as is."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class PermissionDenied(DomainError):
    """The actor may see the object but may not do this to it."""

    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限。") -> None:
        super().__init__(message, code="forbidden")


class NotFound(DomainError):
    """The object does not exist or lies outside the actor's jurisdiction (never say which)."""

    status = 404

    def __init__(self, message: str = "未找到该记录，或不在您的管辖范围内。") -> None:
        super().__init__(message, code="not_found")


class Gone(DomainError):
    """What was asked for existed, and was destroyed when its retention period ended."""

    status = 410

    def __init__(self, message: str) -> None:
        super().__init__(message, code="gone")
