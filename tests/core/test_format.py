"""Explanations shown to people use the language's decimal separator."""

from __future__ import annotations

from django.utils import translation

from dtis.core.templatetags.dtis_format import localized_numbers


def test_vietnamese_readers_see_the_decimal_comma():
    with translation.override("vi"):
        assert localized_numbers("30 × 45 / 50 = 27.00") == "30 × 45 / 50 = 27,00"
        assert localized_numbers("10 × min(1, (45 / 50) / 0.8)") == "10 × min(1, (45 / 50) / 0,8)"


def test_input_names_are_left_alone():
    with translation.override("vi"):
        assert localized_numbers("co_ke_hoach_2 = yes → 0.00") == "co_ke_hoach_2 = yes → 0,00"


def test_english_readers_keep_the_decimal_point():
    with translation.override("en"):
        assert localized_numbers("27.00") == "27.00"


def test_vietnamese_readers_see_thousands_grouped_with_dots():
    with translation.override("vi"):
        assert localized_numbers("30 × 1620 / 1800 = 27.00") == "30 × 1.620 / 1.800 = 27,00"
        assert localized_numbers("1250000.5 / 3") == "1.250.000,5 / 3"


def test_english_readers_see_thousands_grouped_with_commas():
    with translation.override("en"):
        assert localized_numbers("1620 / 1800 = 27.00") == "1,620 / 1,800 = 27.00"


def test_numbers_inside_a_quoted_label_are_left_alone():
    with translation.override("vi"):
        text = "«Kế hoạch năm 2026 theo Nghị định 30.2020» = 1500.5"
        assert localized_numbers(text) == "«Kế hoạch năm 2026 theo Nghị định 30.2020» = 1.500,5"
