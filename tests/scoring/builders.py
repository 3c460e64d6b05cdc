"""A small department framework (500 points) written the way data files are."""

from __future__ import annotations

from typing import Any

from dtis.scoring.serialize import from_dict
from dtis.scoring.tree import Framework


def leaf(code: str, max_points: int, rule: dict[str, Any], *inputs: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Chỉ số {code}",
        "max_points": max_points,
        "rule": rule,
        "inputs": [{"name": n, "label": n} for n in inputs],
    }


def department_framework() -> Framework:
    return from_dict(
        {
            "code": "nt-department-2023",
            "name": "Bộ chỉ số chuyển đổi số các sở, ban, ngành tỉnh Ninh Thuận",
            "indicators": [
                {
                    "code": "1",
                    "name": "Nhận thức số",
                    "max_points": 100,
                    "children": [
                        leaf("1.1", 40, {"kind": "yes_no", "input": "ban_chi_dao"}, "ban_chi_dao"),
                        {
                            "code": "1.2",
                            "name": "Chỉ đạo chuyển đổi số",
                            "max_points": 60,
                            "children": [
                                leaf(
                                    "1.2.1",
                                    30,
                                    {
                                        "kind": "count_steps",
                                        "input": "hop",
                                        "steps": [
                                            {"min": 4, "points": 30},
                                            {"min": 2, "points": 15},
                                        ],
                                    },
                                    "hop",
                                ),
                                leaf(
                                    "1.2.2",
                                    30,
                                    {"kind": "count_target", "input": "tin_bai", "target": 25},
                                    "tin_bai",
                                ),
                            ],
                        },
                    ],
                },
                {
                    "code": "2",
                    "name": "Hoạt động chính quyền số",
                    "max_points": 400,
                    "children": [
                        leaf(
                            "2.1",
                            200,
                            {
                                "kind": "ratio_target",
                                "numerator": "truc_tuyen",
                                "denominator": "ho_so",
                                "target": "0.8",
                            },
                            "truc_tuyen",
                            "ho_so",
                        ),
                        leaf(
                            "2.2",
                            100,
                            {"kind": "ratio", "numerator": "ky_so", "denominator": "van_ban"},
                            "ky_so",
                            "van_ban",
                        ),
                        leaf(
                            "2.3",
                            100,
                            {"kind": "relative_best", "input": "du_lieu_mo"},
                            "du_lieu_mo",
                        ),
                    ],
                },
            ],
            "pillars": [{"code": "CQS", "name": "Chính quyền số", "indicators": ["1", "2"]}],
        }
    )


FULL_MARKS = {
    "1.1": {"ban_chi_dao": True},
    "1.2.1": {"hop": 4},
    "1.2.2": {"tin_bai": 30},
    "2.1": {"truc_tuyen": 90, "ho_so": 100},
    "2.2": {"ky_so": 50, "van_ban": 50},
    "2.3": {"du_lieu_mo": 12},
}
