from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "fengqiao.dispatch"
    verbose_name = "调度"
