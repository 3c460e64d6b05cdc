from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dtis.api"
    label = "api"
    verbose_name = "API"
