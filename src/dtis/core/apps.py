from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dtis.core"
    label = "core"
    verbose_name = "DTIS"
