from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fengqiao.deadlines"
    verbose_name = "期限"
