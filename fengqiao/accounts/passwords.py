"""Password rules for 等保 level 3 (GB/T 22239-2019 8.1.4.1 身份鉴别: passwords of adequate
length and complexity, changed periodically).

Length and the common-password blocklist come from Django's validators (settings);
these add character-class complexity and a Chinese blocklist.
"""

from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

CLASSES = ("小写字母", "大写字母", "数字", "符号")


def _classes(password: str) -> int:
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class ComplexityValidator:
    """At least three of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if _classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须至少包含{'、'.join(CLASSES)}中的{self.min_classes}类", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含{'、'.join(CLASSES)}中的{self.min_classes}类。"


class ChineseCommonPasswordValidator(CommonPasswordValidator):
    """Django's list of common passwords plus those common among Chinese users."""

    def __init__(self) -> None:
        super().__init__()
        extra = Path(__file__).resolve().parent / "data" / "common-passwords-zh.txt"
        self.passwords |= {
            line.strip().lower()
            for line in extra.read_text(encoding="utf-8").splitlines()
            if line and line[0] != "#"
        }

    def validate(self, password: str, user: Any = None) -> None:
        if password.lower().strip() in self.passwords:
            raise ValidationError("该密码过于常见，请换一个", code="password_too_common")
