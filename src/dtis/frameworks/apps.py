from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "dtis.frameworks"
    label = "frameworks"
    verbose_name = _("Indicator frameworks")

    def ready(self) -> None:
        # The pure scoring core keeps English templates; render them in the
        # language of the request or command that shows them.
        from django.utils.translation import gettext

        from dtis.scoring.messages import set_translator

        set_translator(gettext)
