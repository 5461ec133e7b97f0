from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fengqiao.accounts"
    verbose_name = "用户与权限"
