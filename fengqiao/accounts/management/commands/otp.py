from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from fengqiao.accounts import audit, two_factor
from fengqiao.accounts.models import User


class Command(BaseCommand):
    help = "双因素认证：code 显示演示账号身份验证器的当前验证码（仅限演示账号，供试用者无手机时登录）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        code = sub.add_parser("code", help="演示账号的当前6位验证码（首次登录时先打开绑定页面）")
        code.add_argument("username")

    def handle(self, *args: Any, verb: str, username: str, **opts: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在")
        if not user.is_demo:
            raise CommandError("只能显示演示账号的验证码；真实账号请使用本人手机上的身份验证器")
        device = two_factor.device_of(user) or two_factor.pending_device(user)
        audit.record(None, "demo_two_factor_code", user)
        self.stdout.write(f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
