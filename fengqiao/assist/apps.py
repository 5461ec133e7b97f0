from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "fengqiao.assist"
    verbose_name = "智能辅助与文书"
