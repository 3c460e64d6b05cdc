"""Formulas and the self-score's working in words a reporter reads: the
inputs by their labels, never by internal names like `tong_chi_nsnn`."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from dtis.frameworks.describe import describe_rule, explanation_in_words, formula_in_words
from dtis.reporting.figures import self_score

BUDGET_INPUTS = [
    {"name": "chi_dau_tu_cqs", "label": "Kinh phí đầu tư cho chính quyền số"},
    {"name": "chi_thuong_xuyen_cqs", "label": "Kinh phí chi thường xuyên cho chính quyền số"},
    {"name": "tong_chi_nsnn", "label": "Tổng chi ngân sách nhà nước của cơ quan"},
]
BUDGET_RULE = {
    "kind": "formula",
    "expression": "max * min(1, (chi_dau_tu_cqs + chi_thuong_xuyen_cqs) / tong_chi_nsnn / 0.02)",
}


def test_a_budget_share_formula_reads_as_a_sentence_with_an_example():
    with translation.override("vi"):
        text = describe_rule(BUDGET_RULE, Decimal(20), is_parent=False, inputs=BUDGET_INPUTS)
    assert "tong_chi_nsnn" not in text and "max" not in text
    assert "«Tổng chi ngân sách nhà nước của cơ quan»" in text
    assert "2 %" in text and "đủ 20 điểm" in text
    assert "1 % / 2 % × 20 = 10 điểm" in text


def test_another_formula_is_written_with_labels_and_vietnamese_numbers():
    with translation.override("vi"):
        text = formula_in_words(
            "max * min(1, so_van_ban / (tong_van_ban - 2) * 2.5)",
            Decimal(10),
            {"so_van_ban": "Số văn bản ký số", "tong_van_ban": "Tổng số văn bản"},
        )
    assert text == "10 × min(1; «Số văn bản ký số» / («Tổng số văn bản» − 2) × 2,5)"


def test_a_level_choice_is_named_by_its_label_in_the_working():
    inputs = [
        {
            "name": "chu_tri",
            "type": "choice",
            "label": "Người chủ trì họp Ban chỉ đạo",
            "choices": [
                {"value": "cap_truong", "label": "Cấp trưởng"},
                {"value": "cap_pho", "label": "Cấp phó"},
            ],
        }
    ]
    with translation.override("vi"):
        text = explanation_in_words("15 × 0.5 (cap_pho)", {"kind": "level"}, Decimal(15), inputs)
    assert text == "15 × 0.5 (Cấp phó)"


def test_yes_no_parts_are_named_by_their_labels_and_answered_in_words():
    inputs = [{"name": "co_ke_hoach_hang_nam", "type": "boolean", "label": "Có kế hoạch hằng năm"}]
    with translation.override("vi"):
        text = explanation_in_words(
            "40 × 1 (co_ke_hoach_hang_nam = yes)", {"kind": "half_credits"}, Decimal(40), inputs
        )
    assert text == "40 × 1 («Có kế hoạch hằng năm» = có)"


def test_the_self_score_of_a_budget_formula_shows_no_internal_name():
    class Budget:
        rule = BUDGET_RULE
        max_points = Decimal(20)
        inputs = BUDGET_INPUTS

    values = {"chi_dau_tu_cqs": "1200", "chi_thuong_xuyen_cqs": "300", "tong_chi_nsnn": "150000"}
    with translation.override("vi"):
        points, working = self_score(Budget(), values)  # type: ignore[arg-type]
    assert points == Decimal("10.00")
    assert "_" not in working
    assert "«Tổng chi ngân sách nhà nước của cơ quan» = 150000" in working
