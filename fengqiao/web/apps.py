from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fengqiao.web"
    verbose_name = "网页"
