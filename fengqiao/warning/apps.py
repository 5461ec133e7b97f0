from django.apps import AppConfig


class WarningConfig(AppConfig):
    name = "fengqiao.warning"
    verbose_name = "预警"
