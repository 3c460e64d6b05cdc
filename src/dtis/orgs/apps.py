from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dtis.orgs"
    label = "orgs"
    verbose_name = _("Units and accounts")

    def ready(self) -> None:
        from dtis.orgs import second_factor, security_log  # noqa: F401 (signal receivers)

        security_log.connect()
