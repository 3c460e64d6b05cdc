from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dtis.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from dtis.api import checks  # noqa: F401  (registers the settings check)
