"""URLs of the reporting app's entry screens (included by dtis.reporting.urls)."""

from django.urls import path

from dtis.reporting.views import entry, review

REPORT = "bao-cao/<int:period_id>/<int:assessed_id>/"
INDICATOR = REPORT + "chi-so/<str:code>/"

urlpatterns = [
    path("bao-cao/", entry.my_reports, name="my-reports"),
    path(REPORT, entry.entry_page, name="entry"),
    path(REPORT + "chep-ky-truoc/", entry.entry_copy_all, name="entry-copy-all"),
    path(REPORT + "thay-doi/", entry.entry_changes, name="entry-changes"),
    path(REPORT + "gui/", entry.entry_submit, name="entry-submit"),
    path(REPORT + "bao-thu-truong/", entry.entry_tell_head, name="entry-tell-head"),
    path(REPORT + "de-nghi-sua/", entry.entry_ask_fix, name="entry-ask-fix"),
    path(INDICATOR + "luu/", entry.figure_save_view, name="figure-save"),
    path(INDICATOR + "tinh-diem/", entry.entry_preview, name="entry-preview"),
    path(INDICATOR + "chep-ky-truoc/", entry.figure_copy, name="figure-copy"),
    path(INDICATOR + "phoi-hop/", entry.contribution_save_view, name="contribution-save"),
    path(REPORT + "tham-dinh/", review.review, name="review"),
    path(REPORT + "tham-dinh/tra-lai/", review.review_return, name="review-return"),
    path(REPORT + "tham-dinh/tiep-nhan/", review.review_accept, name="review-accept"),
]
