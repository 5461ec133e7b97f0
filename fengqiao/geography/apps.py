from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "fengqiao.geography"
    verbose_name = "行政区划与机构"
