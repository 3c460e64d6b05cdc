from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "dtis.ops"
    label = "ops"
    verbose_name = "Operations"
