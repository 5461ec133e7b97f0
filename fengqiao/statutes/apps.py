from django.apps import AppConfig


class StatutesConfig(AppConfig):
    name = "fengqiao.statutes"
    verbose_name = "法律法规"
