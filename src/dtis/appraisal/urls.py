"""URLs of appraisal (the council's workspace), explanations and results."""

from django.urls import path

from dtis.appraisal.views import council, explanations, results

app_name = "appraisal"

CYCLE = "tham-dinh/<int:cycle_id>/"
ITEM = "tham-dinh/muc/<int:item_id>/"
RESULTS = "ket-qua/<int:cycle_id>/"

urlpatterns = [
    # The council's workspace (views/council.py)
    path("tham-dinh/", council.cycle_list, name="cycles"),
    path(CYCLE, council.queue, name="queue"),
    path(CYCLE + "hoi-dong/", council.council_page, name="council"),
    path(CYCLE + "hoi-dong/<int:seat_id>/xoa/", council.council_remove, name="council-remove"),
    path(CYCLE + "don-vi/<int:assessed_id>/", council.unit_items, name="unit"),
    path(
        CYCLE + "don-vi/<int:assessed_id>/chap-nhan-tat-ca/",
        council.unit_bulk_accept,
        name="bulk-accept",
    ),
    path(ITEM + "chap-nhan/", council.item_accept_view, name="item-accept"),
    path(ITEM + "dieu-chinh/", council.item_correct_view, name="item-correct"),
    path(ITEM + "giai-trinh/", council.item_request_view, name="item-request"),
    path(CYCLE + "ky-duyet/", council.sign_off_view, name="sign-off"),
    path(CYCLE + "mo-lai/", council.reopen_view, name="reopen"),
    path(CYCLE + "cong-bo/", council.publish_view, name="publish"),
    # The unit's side: explanation requests (views/explanations.py)
    path("giai-trinh/", explanations.my_requests, name="explanations"),
    path("giai-trinh/<int:request_id>/", explanations.answer, name="explanation"),
    # Results, rankings, gaps, emulation (views/results.py)
    path("ket-qua/", results.index, name="results"),
    path(RESULTS, results.ranking, name="ranking"),
    path(RESULTS + "xlsx/", results.ranking_xlsx, name="ranking-xlsx"),
    path(RESULTS + "don-vi/<int:assessed_id>/", results.unit_result, name="unit-result"),
    path(RESULTS + "chenh-lech/", results.gaps, name="gaps"),
    path(RESULTS + "thi-dua/", results.emulation, name="emulation"),
    path(RESULTS + "thi-dua/xlsx/", results.emulation_xlsx, name="emulation-xlsx"),
]
