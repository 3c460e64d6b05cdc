"""Published results: totals, pillars and ranks recomputed from the indices."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

from dtis.scoring.published import PublishedRow, check
from dtis.scoring.serialize import from_dict

DATA = Path(__file__).resolve().parent.parent / "data" / "dti-2022-provinces-top5.csv"
MAIN = ["1", "2", "3", "4", "5", "7", "8", "9"]

# Decision 922/QĐ-BTTTT at main-indicator level: 100×5, smart city 0, 200, 150, 150.
FW_2022 = from_dict(
    {
        "code": "vn-province-2022",
        "name": "DTI cấp tỉnh 2022",
        "indicators": [
            {
                "code": c,
                "name": f"Chỉ số {c}",
                "max_points": p,
                **(
                    {"rule": {"kind": "manual"}, "inputs": [{"name": "diem", "label": "Điểm"}]}
                    if p
                    else {}
                ),
            }
            for c, p in [
                ("1", 100),
                ("2", 100),
                ("3", 100),
                ("4", 100),
                ("5", 100),
                ("6", 0),
                ("7", 200),
                ("8", 150),
                ("9", 150),
            ]
        ],
        "pillars": [
            {"code": "CQS", "name": "Chính quyền số", "indicators": ["1", "2", "3", "4", "5", "7"]},
            {"code": "KTS", "name": "Kinh tế số", "indicators": ["1", "2", "3", "4", "5", "8"]},
            {"code": "XHS", "name": "Xã hội số", "indicators": ["1", "2", "3", "4", "5", "9"]},
        ],
    }
)


def published_rows() -> list[PublishedRow]:
    with DATA.open(encoding="utf-8") as fh:
        return [
            PublishedRow(
                r["Đơn vị"], {c: D(r[c]) for c in MAIN}, D(r["Chỉ số DTI"]), int(r["Xếp hạng"])
            )
            for r in csv.DictReader(fh)
        ]


def test_the_published_2022_totals_are_reproduced_within_a_ten_thousandth():
    for checked in check(FW_2022, published_rows()):
        assert abs(checked.exact_total - checked.row.total) <= D("0.0001"), checked.row.unit  # type: ignore[operator]
        assert not checked.total_mismatch


def test_the_published_2022_ranks_are_reproduced():
    checked = check(FW_2022, published_rows())
    assert [(c.rank, c.row.unit) for c in checked] == [(r.rank, r.unit) for r in published_rows()]
    assert not any(c.mismatch for c in checked)


def test_da_nang_total_and_pillars():
    da_nang = check(FW_2022, published_rows())[0]
    assert da_nang.total == D("0.8002")
    # (foundation points + activity points) / (500 + activity maximum)
    assert da_nang.pillars == {
        "Chính quyền số": D("0.8638"),
        "Kinh tế số": D("0.8473"),
        "Xã hội số": D("0.7864"),
    }


def test_a_wrong_published_total_or_rank_is_flagged():
    rows = published_rows()
    wrong = [
        PublishedRow(rows[0].unit, rows[0].indices, D("0.8100"), 1),
        PublishedRow(rows[1].unit, rows[1].indices, rows[1].total, 3),
    ]
    first, second = check(FW_2022, wrong)
    assert first.total_mismatch and not first.rank_mismatch
    assert second.rank_mismatch and not second.total_mismatch


def test_equal_published_indices_share_a_rank():
    indices = published_rows()[2].indices
    rows = [
        PublishedRow("Thanh Hóa", indices),
        PublishedRow("Yên Bái", indices),
        PublishedRow("Hậu Giang", {c: v - D("0.01") for c, v in indices.items()}),
    ]
    assert [(c.rank, c.row.unit) for c in check(FW_2022, rows)] == [
        (1, "Thanh Hóa"),
        (1, "Yên Bái"),
        (3, "Hậu Giang"),
    ]
