from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dtis.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards and targets")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from dtis.dashboards import freshness

        connection_created.connect(freshness.watch, dispatch_uid="dtis-data-version")
        pre_migrate.connect(freshness.pause, dispatch_uid="dtis-data-version-pause")
        post_migrate.connect(freshness.resume, dispatch_uid="dtis-data-version-resume")
