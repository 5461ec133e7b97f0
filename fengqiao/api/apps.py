from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fengqiao.api"
    verbose_name = "接口"
