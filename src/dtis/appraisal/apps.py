from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "dtis.appraisal"
    label = "appraisal"
    verbose_name = _("Appraisal and results")

    def ready(self) -> None:
        # Reporting announces an accepted report; appraisal opens its items.
        # A signal keeps reporting free of imports from this app.
        from dtis.appraisal import items, lessons
        from dtis.reporting.evidence import ADVISORS
        from dtis.reporting.workflow import report_accepted

        report_accepted.connect(items.on_report_accepted, dispatch_uid="appraisal-open-items")
        # Last year's corrections warn this year's pre-check.
        if lessons.last_year_corrections not in ADVISORS:
            ADVISORS.append(lessons.last_year_corrections)
