from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "fengqiao.intake"
    verbose_name = "受理登记与导入"
