from django.apps import AppConfig


class LegalAidConfig(AppConfig):
    name = "fengqiao.legalaid"
    verbose_name = "公共法律服务"
    default_auto_field = "django.db.models.BigAutoField"
