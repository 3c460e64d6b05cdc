"""The first wording of a plan's document: title, header and the sections a
provincial office writes every year (seeds 000–004), with the draft's
numbers in them. Official documents are written in Vietnamese whatever the
screen's language; the office edits every word before a leader approves.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dtis.dashboards.targets import is_own
from dtis.orgs.models import Unit

if TYPE_CHECKING:
    from dtis.plans.draft import Draft

PROVINCE_PREFIX = re.compile(r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+", re.IGNORECASE)
LOCALITY_PREFIX = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)
UNIT_SUFFIX = re.compile(r"\s+(tỉnh|thành phố)\s+.+$", re.IGNORECASE)


def vn_number(value: object, places: int = 2) -> str:
    """12345.6 → "12.345,60" (Vietnamese digit grouping and decimal comma)."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def province_of(unit: Unit) -> Unit:
    """The province a unit belongs to (itself for a province)."""
    node = unit
    while node.parent_id is not None and node.kind != "province":
        node = node.parent  # type: ignore[assignment]
    return node


def place_name(province: Unit) -> str:
    """ "Ủy ban nhân dân tỉnh Khánh Hòa" → "Khánh Hòa"."""
    return LOCALITY_PREFIX.sub("", PROVINCE_PREFIX.sub("", province.name)).strip()


def initials(name: str) -> str:
    """ "Sở Nội vụ" → "SNV" (the sign in a document number)."""
    letters = [w[0] for w in name.split() if w and w[0].isalpha()]
    return "".join(letters).upper().replace("Đ", "D")


def sections(d: Draft) -> dict[str, str]:
    unit = d.assessed.unit
    province = province_of(unit)
    place = place_name(province)
    own = is_own(d.assessed.cycle)
    short = UNIT_SUFFIX.sub("", unit.name) if not own else unit.name
    who = f"tỉnh {place}" if own else short
    if own:
        issuer, parent, sign = f"ỦY BAN NHÂN DÂN\nTỈNH {place.upper()}", "", "KH-UBND"
        signer = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    else:
        issuer, parent = short.upper(), f"UBND TỈNH {place.upper()}"
        sign = f"KH-{initials(short)}"
        signer = "GIÁM ĐỐC"
    year = d.year
    title = (
        f"Kế hoạch nâng cao Chỉ số đánh giá mức độ chuyển đổi số (DTI) "
        f"{'tỉnh ' + place if own else 'của ' + short} năm {year}"
    )
    return {
        "title": title,
        "number": f"…/{sign}",
        "issuer": issuer,
        "issuer_parent": parent,
        "place": place,
        "purpose": _purpose(d, who),
        "requirements": _requirements(who),
        "targets_text": _targets(d),
        "organisation": _organisation(d, own, short),
        "recipients": _recipients(own),
        "signer_title": signer,
    }


def _purpose(d: Draft, who: str) -> str:
    cycle = d.assessed.cycle
    lost = sum((i.points_lost for i in d.items), 0)
    return (
        f"Khắc phục các chỉ số thành phần bị mất điểm trong kết quả đánh giá "
        f"Chỉ số chuyển đổi số năm {cycle.year} của {who} "
        f"({vn_number(d.current)}/{vn_number(d.max_points, 0)} điểm, "
        f"{len(d.items)} chỉ số thành phần chưa đạt điểm tối đa, "
        f"tổng cộng {vn_number(lost)} điểm bị mất).\n"
        f"Xác định rõ nhiệm vụ, đơn vị chủ trì, đơn vị phối hợp, minh chứng và thời hạn "
        f"hoàn thành cho từng chỉ số, làm căn cứ theo dõi, đôn đốc hằng quý."
    )


def _requirements(who: str) -> str:
    return (
        "Các cơ quan, đơn vị được giao chủ trì chịu trách nhiệm trước người đứng đầu về "
        "kết quả chỉ số được phân công; cập nhật số liệu, minh chứng đầy đủ, đúng hạn "
        "trên hệ thống DTI.\n"
        f"Báo cáo tiến độ thực hiện hằng quý (trước ngày 25 của tháng cuối quý) và "
        f"báo cáo năm của {who} đúng thời hạn quy định."
    )


def _targets(d: Draft) -> str:
    lines = []
    if d.target_total is not None:
        lines.append(
            f"Phấn đấu Chỉ số DTI năm {d.year} đạt từ {vn_number(d.target_total)}/"
            f"{vn_number(d.max_points, 0)} điểm trở lên."
        )
    if d.target_total is None and d.target_rank is None:
        lines.append(
            f"Phấn đấu Chỉ số DTI năm {d.year} giữ vững và cao hơn kết quả năm "
            f"{d.assessed.cycle.year} ({vn_number(d.current)}/{vn_number(d.max_points, 0)} điểm), "
            f"khắc phục các chỉ số thành phần bị mất điểm nêu tại Phụ lục kèm theo."
        )
    if d.target_rank is not None:
        now = f" (năm {d.assessed.cycle.year}: hạng {d.rank_now})" if d.rank_now else ""
        if d.rank_unknown:
            need = (
                f"; kết quả công bố năm {d.peer_year} mới có {d.peers} đơn vị khác nên chưa "
                f"quy đổi được thứ hạng này ra số điểm cần đạt"
                if d.peers
                else "; chưa có kết quả công bố của các đơn vị khác để quy đổi thứ hạng ra điểm"
            )
        else:
            need = (
                f"; theo kết quả công bố năm {d.peer_year}, cần đạt khoảng "
                f"{vn_number(d.points_for_rank)} điểm"
            )
        lines.append(f"Phấn đấu xếp hạng trong nhóm {d.target_rank} đơn vị dẫn đầu{now}{need}.")
    if d.gap > 0:
        if d.reachable:
            lines.append(
                f"Cần tăng {vn_number(d.gap)} điểm so với năm {d.assessed.cycle.year}; "
                f"phần điểm này được phân bổ cho các chỉ số tại Phụ lục kèm theo."
            )
        else:
            lines.append(
                f"Cần tăng {vn_number(d.gap)} điểm, nhưng các chỉ số còn dư địa chỉ có thể "
                f"mang lại khoảng {vn_number(d.solution.allocated)} điểm trong một năm: "
                f"mục tiêu này chưa khả thi trong năm {d.year} (còn thiếu "
                f"{vn_number(d.solution.shortfall)} điểm), cần lộ trình nhiều năm."
            )
    if d.mains is not None:
        m = d.mains
        names = ", ".join(f"chỉ số {x.code}" for x in m.to_work_on)
        lines.append(
            f"Ít nhất {m.wanted} chỉ số chính thuộc nhóm {m.top} dẫn đầu "
            f"(hiện có {len(m.in_top)})"
            + (f"; ưu tiên {names} là các chỉ số gần ngưỡng nhất." if names else ".")
        )
    return "\n".join(f"- {line}" for line in lines)


def _organisation(d: Draft, own: bool, short: str) -> str:
    office = "Sở Khoa học và Công nghệ" if own else "Văn phòng " + short
    return (
        f"{office} là cơ quan thường trực, theo dõi, đôn đốc các đơn vị thực hiện Kế hoạch; "
        f"tổng hợp tiến độ hằng quý trên hệ thống DTI và báo cáo người đứng đầu.\n"
        "Các đơn vị chủ trì xây dựng kế hoạch chi tiết cho chỉ số được giao, thực hiện và "
        "cập nhật minh chứng; kịp thời báo cáo khó khăn, vướng mắc.\n"
        "Các đơn vị phối hợp cung cấp số liệu, tài liệu theo đề nghị của đơn vị chủ trì."
    )


def _recipients(own: bool) -> str:
    if own:
        lines = [
            "Bộ Khoa học và Công nghệ (b/c)",
            "TT Tỉnh ủy, TT HĐND tỉnh (b/c)",
            "Chủ tịch, các PCT UBND tỉnh",
            "Các sở, ban, ngành",
            "UBND các xã, phường",
            "Lưu: VT, KGVX",
        ]
    else:
        lines = ["UBND tỉnh (b/c)", "Sở Khoa học và Công nghệ", "Các phòng, đơn vị thuộc Sở",
                 "Lưu: VT, VP"]  # fmt: skip
    return "\n".join(lines)
