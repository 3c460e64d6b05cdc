"""The framework screens: read for everyone, change for the framework's managers."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from dtis.frameworks import files
from dtis.frameworks.describe import RULE_KIND_LABELS, describe_rule
from dtis.frameworks.models import Framework, Indicator, PublishedResult, Status
from dtis.frameworks.services import check_dict, framework_new_version
from dtis.frameworks.views.frameworks import RULE_EXAMPLES
from dtis.scoring.rules import RULE_KINDS, parse_rule
from tests.factories import Org

DATA = Path(__file__).resolve().parent.parent / "data"
DETAIL = "/bo-chi-so/vn-province-2025/v1/"
DRAFT = "/bo-chi-so/vn-province-2025/v2/"


@pytest.fixture
def frameworks(db):  # type: ignore[no-untyped-def]
    call_command("load-frameworks", stdout=io.StringIO())


@pytest.fixture
def draft(frameworks, org: Org) -> Framework:  # type: ignore[no-untyped-def]
    """Version 2 of the 2025 provincial framework, a draft made from version 1."""
    return framework_new_version(fw("vn-province-2025"), actor=org.superuser)


def fw(code: str, version: int = 1) -> Framework:
    return Framework.objects.get(code=code, version=version)


def ind(framework: Framework, code: str) -> Indicator:
    return framework.indicators.get(code=code)


def edit_form(indicator: Indicator, **changes: object) -> dict[str, object]:
    """The edit form as the page fills it, with some fields changed."""
    rule = dict(indicator.rule or {})
    kind = rule.pop("kind", "")
    data: dict[str, object] = {
        "name": indicator.name,
        "max_points": str(indicator.max_points).replace(".", ","),
        "rule_kind": kind,
        "rule_params": json.dumps(rule, ensure_ascii=False),
        "inputs": json.dumps(indicator.inputs, ensure_ascii=False),
        "guidance": indicator.guidance,
        "evidence": indicator.evidence,
        "tasks": indicator.tasks,
        "lead_unit": indicator.lead_unit,
        "coordinating_units": "\n".join(indicator.coordinating_units),
    }
    data.update(changes)
    return data


def edit_url(framework: Framework, code: str) -> str:
    return f"/bo-chi-so/{framework.code}/v{framework.version}/chi-so/{code}/"


# --- reading ------------------------------------------------------------------


def test_a_reporter_reads_the_list_without_manager_buttons(client: Client, org: Org, frameworks):
    client.force_login(org.reporter)
    page = client.get("/bo-chi-so/").content.decode()
    assert "vn-province-2025" in page and "405/QĐ-BKHCN" in page
    assert "hy-department-2023" in page
    assert "/bo-chi-so/nhap/" not in page  # no "Import a framework"
    assert "/bo-chi-so/so-sanh/" in page


def test_the_list_shows_points_and_counts(client: Client, org: Org, frameworks):
    client.force_login(org.reporter)
    response = client.get("/bo-chi-so/")
    row = next(f for f in response.context["frameworks"] if f.code == "vn-province-2025")
    assert (row.stats["total"], row.stats["mains"], row.stats["leaves"]) == (D(1000), 8, 47)
    assert ">1000<" in response.content.decode()


def test_a_reporter_reads_the_tree_but_cannot_change_it(client: Client, org: Org, frameworks):
    client.force_login(org.reporter)
    page = client.get(DETAIL).content.decode()
    assert "Nhận thức số" in page and "1000" in page
    assert "Sở KH&amp;CN" in page  # lead unit
    assert "/chi-so/" not in page  # no per-indicator Edit
    assert "/phien-ban-moi/" not in page and "/trang-thai/" not in page
    assert "/xep-loai/" not in page


def test_the_detail_describes_each_rule_with_a_decimal_comma(client: Client, org: Org, frameworks):
    client.force_login(org.reporter)
    page = client.get("/bo-chi-so/hy-department-2023/v1/").content.decode()
    assert "0,5 × 15 = 7,5" in page  # 1.1: a level rule, the vice-chairman gets half


def test_the_list_costs_the_same_queries_for_many_frameworks(
    client: Client, org: Org, frameworks, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    for _ in range(3):
        framework_new_version(fw("hy-department-2023"), actor=None)
    assert Framework.objects.count() == 6
    client.force_login(org.admin)
    with django_assert_max_num_queries(8):
        assert client.get("/bo-chi-so/").status_code == 200


def test_the_detail_page_has_a_bounded_number_of_queries(
    client: Client, org: Org, draft, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    client.force_login(org.superuser)
    with django_assert_max_num_queries(10):
        response = client.get(DRAFT)
    assert response.status_code == 200
    assert len(response.context["rows"]) == draft.indicators.count()


# --- editing a draft --------------------------------------------------------------


def test_editing_a_drafts_indicator_updates_its_points_and_its_parents(
    client: Client, org: Org, draft
):
    client.force_login(org.superuser)
    target = ind(draft, "1.1")
    response = client.post(edit_url(draft, "1.1"), edit_form(target, max_points="12,5"))
    assert response.status_code == 302
    assert ind(draft, "1.1").max_points == D("12.5")
    assert ind(draft, "1").max_points == D("52.5")
    assert ind(fw("vn-province-2025"), "1").max_points == D(50)  # version 1 untouched


def test_a_rule_that_is_not_json_is_shown_and_nothing_changes(client: Client, org: Org, draft):
    client.force_login(org.superuser)
    before = ind(draft, "1.1")
    response = client.post(
        edit_url(draft, "1.1"),
        edit_form(before, name="Tên mới", rule_params='{"input": truong_ban'),
    )
    assert response.status_code == 200
    assert "rule_params" in response.context["form"].errors
    after = ind(draft, "1.1")
    assert (after.name, after.rule) == (before.name, before.rule)


def test_a_rule_reading_an_undeclared_input_is_refused(client: Client, org: Org, draft):
    client.force_login(org.superuser)
    before = ind(draft, "1.1")
    response = client.post(
        edit_url(draft, "1.1"), edit_form(before, rule_params='{"input": "khong_khai_bao"}')
    )
    assert response.status_code == 200
    assert "khong_khai_bao" in str(response.context["form"].non_field_errors())
    assert ind(draft, "1.1").rule == before.rule


def test_an_indicator_of_a_framework_in_force_cannot_be_edited(
    client: Client, org: Org, frameworks
):
    client.force_login(org.superuser)
    active = fw("vn-province-2025")
    before = ind(active, "1.1")
    response = client.post(edit_url(active, "1.1"), edit_form(before, max_points="20"))
    assert response.status_code == 302 and response.url == DETAIL
    assert ind(active, "1.1").max_points == D(10)


def test_a_provinces_admin_cannot_edit_a_national_framework(client: Client, org: Org, draft):
    client.force_login(org.admin)
    assert client.get(edit_url(draft, "1.1")).status_code == 403
    assert client.post(f"{DETAIL}phien-ban-moi/").status_code == 403
    assert client.post(f"{DRAFT}trang-thai/", {"status": "active"}).status_code == 403
    assert fw("vn-province-2025", 2).status == Status.DRAFT


# --- versions and status -------------------------------------------------------------


def test_new_version_makes_a_draft_from_the_one_in_force(client: Client, org: Org, frameworks):
    client.force_login(org.superuser)
    response = client.post(f"{DETAIL}phien-ban-moi/")
    assert response.status_code == 302 and response.url == DRAFT
    new = fw("vn-province-2025", 2)
    assert (new.status, new.based_on) == (Status.DRAFT, fw("vn-province-2025"))
    assert new.indicators.count() == fw("vn-province-2025").indicators.count()


def test_activating_a_draft_with_problems_lists_them(client: Client, org: Org, draft):
    Indicator.objects.filter(framework=draft, code="1.1").update(max_points=15)
    client.force_login(org.superuser)
    response = client.post(f"{DRAFT}trang-thai/", {"status": "active"}, follow=True)
    page = response.content.decode()
    assert re.search(r"<li>1: [^<]*50[.,]00 ≠ [^<]*55", page), page
    assert fw("vn-province-2025", 2).status == Status.DRAFT


def test_activating_a_sound_draft_puts_it_in_force(client: Client, org: Org, draft):
    client.force_login(org.superuser)
    client.post(f"{DRAFT}trang-thai/", {"status": "active"})
    assert fw("vn-province-2025", 2).status == Status.ACTIVE


def test_bands_are_saved_highest_first_and_checked(client: Client, org: Org, frameworks):
    client.force_login(org.superuser)
    url = f"{DETAIL}xep-loai/"
    form = {"bands-TOTAL_FORMS": "4", "bands-INITIAL_FORMS": "0",
            "bands-0-name": "Dẫn dắt", "bands-0-min_percent": "75,5",
            "bands-1-name": "Nâng cao", "bands-1-min_percent": "50",
            "bands-2-name": "Khởi động", "bands-2-min_percent": "0",
            "bands-3-name": "", "bands-3-min_percent": ""}  # fmt: skip
    assert client.post(url, form | {"bands-1-min_percent": "80"}).status_code == 200
    assert fw("vn-province-2025").bands[0]["name"] == "Xuất sắc"  # unchanged
    assert client.post(url, form).status_code == 302
    assert fw("vn-province-2025").bands == [
        {"name": "Dẫn dắt", "min_percent": "75.5"},
        {"name": "Nâng cao", "min_percent": "50"},
        {"name": "Khởi động", "min_percent": "0"},
    ]


# --- import and export --------------------------------------------------------------------


def province_framework_file() -> SimpleUploadedFile:
    with (files.DATA_DIR / "vn-province-2025.yaml").open("rb") as fh:
        data = files.read(fh, "vn-province-2025.yaml")
    data |= {"code": "khh-department-2026", "name": "Bộ chỉ số cấp sở tỉnh Khánh Hòa",
             "level": "department", "status": "draft"}  # fmt: skip
    return SimpleUploadedFile("khh.yaml", files.to_yaml(data).encode(), "application/yaml")


def test_a_provinces_admin_imports_a_framework_owned_by_the_province(
    client: Client, org: Org, frameworks
):
    client.force_login(org.admin)
    form = client.get("/bo-chi-so/nhap/").context["form"]
    assert form.fields["owner"].required  # only a superuser may import a national one
    response = client.post(
        "/bo-chi-so/nhap/", {"file": province_framework_file(), "owner": org.province.pk}
    )
    assert response.status_code == 302
    imported = fw("khh-department-2026")
    assert imported.owner == org.province and imported.indicators.count() == 59
    assert client.get(edit_url(imported, "1.1")).status_code == 200
    client.force_login(org.other_admin)
    assert client.get(edit_url(imported, "1.1")).status_code == 403


def test_a_bad_framework_file_lists_every_problem_and_stores_nothing(
    client: Client, org: Org, frameworks
):
    with (files.DATA_DIR / "vn-province-2025.yaml").open("rb") as fh:
        data = files.read(fh, "vn-province-2025.yaml")
    data["code"] = "khh-thu"
    data["indicators"][0]["children"][0]["max_points"] = 11
    data["indicators"][1]["children"][0]["rule"] = {"kind": "ratio", "numerator": "a"}
    upload = SimpleUploadedFile("khh.json", json.dumps(data).encode())
    client.force_login(org.superuser)
    response = client.post("/bo-chi-so/nhap/", {"file": upload, "owner": ""})
    assert response.status_code == 200
    codes = [p["code"] for p in response.context["problems"]]
    assert "1" in codes and "2.1" in codes
    assert not Framework.objects.filter(code="khh-thu").exists()


def test_the_yaml_export_reads_back_as_the_same_framework(client: Client, org: Org, frameworks):
    client.force_login(org.reporter)
    response = client.get(f"{DETAIL}xuat/yaml/")
    assert response.status_code == 200
    assert 'filename="vn-province-2025-v1.yaml"' in response["Content-Disposition"]
    data = files.read(io.BytesIO(response.content), "vn-province-2025-v1.yaml")
    assert data["code"] == "vn-province-2025" and check_dict(data) == []
    assert data["indicators"][0]["name"] == "Nhận thức số"


def test_an_exported_workbook_imports_back_unchanged(client: Client, org: Org, frameworks):
    client.force_login(org.superuser)
    workbook = client.get(f"{DETAIL}xuat/xlsx/").content
    upload = SimpleUploadedFile("vn-province-2025-v1.xlsx", workbook)
    response = client.post("/bo-chi-so/nhap/", {"file": upload, "owner": ""}, follow=True)
    assert response.redirect_chain == [(DETAIL, 302)]
    assert Framework.objects.filter(code="vn-province-2025").count() == 1


# --- comparison -------------------------------------------------------------------------------


def test_the_comparison_lists_an_indicator_renamed_in_the_draft(client: Client, org: Org, draft):
    client.force_login(org.superuser)
    target = ind(draft, "1.2")
    client.post(edit_url(draft, "1.2"), edit_form(target, name="Văn bản chỉ đạo về CĐS"))
    response = client.get("/bo-chi-so/so-sanh/", {"a": fw("vn-province-2025").pk, "b": draft.pk})
    assert response.status_code == 200
    assert dict(response.context["counts"])["renamed"] == 1
    (change,) = response.context["changes"]
    assert (change.old.code, change.new.name) == ("1.2", "Văn bản chỉ đạo về CĐS")
    assert "Văn bản chỉ đạo về CĐS" in response.content.decode()


def test_a_manager_changes_the_crosswalk(client: Client, org: Org, draft):
    old = fw("vn-province-2025")
    url = f"/bo-chi-so/so-sanh/?a={old.pk}&b={draft.pk}"
    client.force_login(org.superuser)
    response = client.post(
        url, {"action": "save", f"cw-{ind(old, '1.2').pk}": ind(draft, "1.3").pk}
    )
    assert response.status_code == 302
    changes = client.get(url).context["changes"]
    assert [(c.old.code, c.new.code) for c in changes if c.old and c.new] == [("1.2", "1.3")]
    client.force_login(org.admin)
    assert client.post(url, {"action": "suggest"}).status_code == 403


# --- published results ---------------------------------------------------------------------------


def published_file(name: str = "dti-2022.csv", change: tuple[str, str] | None = None):  # type: ignore[no-untyped-def]
    text = (DATA / "dti-2022-provinces-top5.csv").read_text(encoding="utf-8")
    if change:
        text = text.replace(*change)
    return SimpleUploadedFile(name, text.encode(), "text/csv")


def test_published_results_are_imported_and_checked(client: Client, org: Org, frameworks):
    client.force_login(org.superuser)
    old = fw("vn-province-2022")
    response = client.post(
        "/ket-qua-cong-bo/nhap/", {"framework": old.pk, "year": 2022, "file": published_file()}
    )
    assert response.status_code == 302
    assert response.url == "/ket-qua-cong-bo/vn-province-2022/v1/2022/"
    assert PublishedResult.objects.filter(framework=old, year=2022).count() == 5
    response = client.get(response.url)
    first = response.context["rows"][0]
    assert (first["unit"], first["rank"], first["mismatch"]) == ("TP. Đà Nẵng", 1, False)
    page = response.content.decode()
    assert "0,8002" in page and "0,8253" in page
    assert "2022" in client.get("/ket-qua-cong-bo/").content.decode()


def test_a_published_file_with_an_index_above_1_is_refused_whole(
    client: Client, org: Org, frameworks
):
    client.force_login(org.superuser)
    bad = published_file(change=("TP. Hồ Chí Minh,2022,0.8917", "TP. Hồ Chí Minh,2022,1.5"))
    response = client.post(
        "/ket-qua-cong-bo/nhap/",
        {"framework": fw("vn-province-2022").pk, "year": 2022, "file": bad},
    )
    assert response.status_code == 200
    (problem,) = response.context["report"].problems
    assert problem.row == 3 and "1.5" in problem.message
    assert "<td>3</td>" in response.content.decode()
    assert not PublishedResult.objects.exists()


def test_only_managers_import_published_results(client: Client, org: Org, frameworks):
    client.force_login(org.reporter)
    assert 'action="/ket-qua-cong-bo/nhap/"' not in client.get("/ket-qua-cong-bo/").content.decode()
    response = client.post(
        "/ket-qua-cong-bo/nhap/",
        {"framework": fw("vn-province-2022").pk, "year": 2022, "file": published_file()},
    )
    assert response.status_code == 403
    assert not PublishedResult.objects.exists()


def test_a_provinces_office_may_not_replace_a_national_frameworks_published_results(
    client: Client, org: Org, frameworks
):
    client.force_login(org.admin)
    response = client.post(
        "/ket-qua-cong-bo/nhap/",
        {"framework": fw("vn-province-2022").pk, "year": 2022, "file": published_file()},
    )
    assert response.status_code == 403
    assert "Chỉ những người duy trì" in response.content.decode()
    assert not PublishedResult.objects.exists()


# --- rules in words ----------------------------------------------------------------------------


def test_every_rule_kind_has_a_label_an_example_and_words():
    assert list(RULE_KIND_LABELS) == list(RULE_KINDS)
    assert [kind for kind, _example in RULE_EXAMPLES] == list(RULE_KINDS)
    for kind, example in RULE_EXAMPLES:
        rule = {"kind": kind, **json.loads(example)}
        parse_rule(rule)
        assert describe_rule(rule, D(20), is_parent=False)


def test_a_ratio_is_explained_with_the_decimal_comma_in_vietnamese():
    rule = {"kind": "ratio", "numerator": "a", "denominator": "b"}
    with translation.override("vi"):
        assert "0,8 × 20 = 16" in describe_rule(rule, D("20.00"))
    with translation.override("en"):
        assert "0.8 × 20 = 16" in describe_rule(rule, D("20.00"))
        assert describe_rule(None, D(50)) == "Sum of the component indicators."
