"""Demo organisation data for a DTI demo: Khánh Hòa province (tỉnh Khánh Hòa).

Fictional-but-plausible demo data, pure Python (no Django import), to be loaded
by a management command or used in tests.

* Agency names follow seed 002 (Kế hoạch 4636/KH-UBND ngày 29/9/2025 of UBND
  tỉnh Khánh Hòa, Phụ lục I: cơ quan phụ trách / phối hợp) and
  ``shared/reference/framework-vn-province-2025.csv``; the structure after the
  2025 reforms: departments merged on 01/03/2025 (Sở TT&TT into Sở KH&CN, Sở
  NN&PTNT and Sở TN&MT into Sở Nông nghiệp và Môi trường), district level
  abolished and Ninh Thuận merged into Khánh Hòa on 01/07/2025.
* Internal offices of Sở KH&CN follow seed 001 (Văn phòng Sở, phòng quản lý
  chuyên ngành, kế toán, trung tâm) adapted to a post-2025 Sở KH&CN.
* Communes and wards are real-looking 2025 names; the old district-level units
  and communes (valid until 30/06/2025) show that units disappear while their
  history stays.
* All people are invented; any resemblance to real officials is coincidental.

``valid_to`` is the last day of validity (inclusive); ``None`` = still valid.
``DEMO_UNITS`` lists parents before children.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

UNIT_KINDS = (
    "nation",
    "ministry",
    "province",
    "department",
    "district",
    "commune",
    "agency",
    "office",
)
ROLES = ("admin", "reporter", "head", "appraiser", "viewer")

# Key dates of the 2025 reforms.
DEPARTMENTS_MERGED = date(2025, 3, 1)  # sở merged (Nghị quyết 18-NQ/TW)
LAST_DAY_BEFORE_MERGE = date(2025, 2, 28)
COMMUNES_FROM = date(2025, 7, 1)  # two-level local government
DISTRICTS_UNTIL = date(2025, 6, 30)


@dataclass(frozen=True)
class DemoUnit:
    code: str  # unique, uppercase ASCII, letters/digits/hyphen
    name: str  # full official Vietnamese name
    short_name: str
    kind: str  # one of UNIT_KINDS
    parent: str | None  # parent unit code
    valid_from: date | None = None
    valid_to: date | None = None  # last day of validity (inclusive); None = still valid


@dataclass(frozen=True)
class DemoPerson:
    username: str  # lowercase ascii
    full_name: str
    email: str
    position: str  # chức vụ
    role: str  # one of ROLES
    unit: str  # unit code where the role is granted


_U = DemoUnit

DEMO_UNITS: tuple[DemoUnit, ...] = (
    # --- Nation and ministry -------------------------------------------------
    _U("VN", "Nước Cộng hòa xã hội chủ nghĩa Việt Nam", "Việt Nam", "nation", None),
    _U("BKHCN", "Bộ Khoa học và Công nghệ", "Bộ KH&CN", "ministry", "VN"),
    # --- Province ------------------------------------------------------------
    _U("KHH", "Ủy ban nhân dân tỉnh Khánh Hòa", "UBND tỉnh Khánh Hòa", "province", "VN"),
    # --- Provincial departments (sở, ban, ngành) — seed 002, Phụ lục I --------
    _U("KHH-SKHCN", "Sở Khoa học và Công nghệ tỉnh Khánh Hòa", "Sở KH&CN", "department", "KHH"),
    _U(
        "KHH-STTTT",
        "Sở Thông tin và Truyền thông tỉnh Khánh Hòa",
        "Sở TT&TT",
        "department",
        "KHH",
        valid_to=LAST_DAY_BEFORE_MERGE,
    ),  # merged into Sở KH&CN on 01/03/2025
    _U(
        "KHH-VPUB",
        "Văn phòng Ủy ban nhân dân tỉnh Khánh Hòa",
        "Văn phòng UBND tỉnh",
        "department",
        "KHH",
    ),
    _U("KHH-SNV", "Sở Nội vụ tỉnh Khánh Hòa", "Sở Nội vụ", "department", "KHH"),
    _U("KHH-STC", "Sở Tài chính tỉnh Khánh Hòa", "Sở Tài chính", "department", "KHH"),
    _U("KHH-SCT", "Sở Công Thương tỉnh Khánh Hòa", "Sở Công Thương", "department", "KHH"),
    _U(
        "KHH-SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hòa",
        "Sở VHTT&DL",
        "department",
        "KHH",
    ),
    _U("KHH-SXD", "Sở Xây dựng tỉnh Khánh Hòa", "Sở Xây dựng", "department", "KHH"),
    _U("KHH-SGDDT", "Sở Giáo dục và Đào tạo tỉnh Khánh Hòa", "Sở GD&ĐT", "department", "KHH"),
    _U("KHH-SYT", "Sở Y tế tỉnh Khánh Hòa", "Sở Y tế", "department", "KHH"),
    _U(
        "KHH-SNNMT",
        "Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa",
        "Sở NN&MT",
        "department",
        "KHH",
        valid_from=DEPARTMENTS_MERGED,
    ),
    # --- Other agencies (cơ quan, đơn vị khác) --------------------------------
    _U("KHH-VPTU", "Văn phòng Tỉnh ủy Khánh Hòa", "Văn phòng Tỉnh ủy", "agency", "KHH"),
    _U("KHH-CA", "Công an tỉnh Khánh Hòa", "Công an tỉnh", "agency", "KHH"),
    _U("KHH-TK", "Thống kê tỉnh Khánh Hòa", "Thống kê tỉnh", "agency", "KHH"),
    _U(
        "KHH-BPTTH",
        "Báo và Phát thanh, Truyền hình Khánh Hòa",
        "Báo và PT-TH Khánh Hòa",
        "agency",
        "KHH",
    ),
    _U(
        "KHH-TTPVHCC",
        "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa",
        "Trung tâm PVHCC",
        "agency",
        "KHH",
    ),
    _U("KHH-BDT", "Bưu điện tỉnh Khánh Hòa", "Bưu điện tỉnh", "agency", "KHH"),
    _U("KHH-VNPT", "Viễn thông Khánh Hòa (VNPT Khánh Hòa)", "VNPT Khánh Hòa", "agency", "KHH"),
    _U(
        "KHH-VIETTEL",
        "Viettel Khánh Hòa - Chi nhánh Tập đoàn Công nghiệp - Viễn thông Quân đội",
        "Viettel Khánh Hòa",
        "agency",
        "KHH",
    ),
    # --- Internal offices of Sở KH&CN (standing office of the DTI) -------------
    _U("KHH-SKHCN-VP", "Văn phòng Sở Khoa học và Công nghệ", "Văn phòng Sở", "office", "KHH-SKHCN"),
    _U("KHH-SKHCN-CDS", "Phòng Chuyển đổi số", "Phòng CĐS", "office", "KHH-SKHCN"),
    _U(
        "KHH-SKHCN-BCVT",
        "Phòng Bưu chính, Viễn thông và Công nghệ thông tin",
        "Phòng BCVT&CNTT",
        "office",
        "KHH-SKHCN",
    ),
    _U("KHH-SKHCN-KHTC", "Phòng Kế hoạch - Tài chính", "Phòng KH-TC", "office", "KHH-SKHCN"),
    _U(
        "KHH-SKHCN-TT",
        "Thanh tra Sở Khoa học và Công nghệ",
        "Thanh tra Sở",
        "office",
        "KHH-SKHCN",
        valid_to=date(2025, 6, 30),
    ),  # department inspectorates ended in the 2025 reform (date illustrative)
    _U(
        "KHH-SKHCN-TTCDS",
        "Trung tâm Thông tin và Chuyển đổi số",
        "Trung tâm TT&CĐS",
        "office",
        "KHH-SKHCN",
    ),
    # --- Internal offices of Sở Nội vụ, Sở Y tế, Văn phòng UBND tỉnh ----------
    _U("KHH-SNV-VP", "Văn phòng Sở Nội vụ", "Văn phòng Sở", "office", "KHH-SNV"),
    _U("KHH-SNV-CCHC", "Phòng Cải cách hành chính", "Phòng CCHC", "office", "KHH-SNV"),
    _U("KHH-SNV-CCVC", "Phòng Công chức, viên chức", "Phòng CCVC", "office", "KHH-SNV"),
    _U("KHH-SYT-VP", "Văn phòng Sở Y tế", "Văn phòng Sở", "office", "KHH-SYT"),
    _U("KHH-SYT-NVY", "Phòng Nghiệp vụ Y", "Phòng NVY", "office", "KHH-SYT"),
    _U("KHH-SYT-KHTC", "Phòng Kế hoạch - Tài chính", "Phòng KH-TC", "office", "KHH-SYT"),
    _U(
        "KHH-VPUB-TTCB",
        "Trung tâm Công báo và Cổng thông tin điện tử tỉnh",
        "Trung tâm Công báo - Cổng TTĐT",
        "office",
        "KHH-VPUB",
    ),
    # --- Communes, wards and special zone (from 01/07/2025) -------------------
    _U(
        "KHH-P-NHATRANG",
        "Ủy ban nhân dân phường Nha Trang",
        "Phường Nha Trang",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-P-BACNHATRANG",
        "Ủy ban nhân dân phường Bắc Nha Trang",
        "Phường Bắc Nha Trang",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-P-TAYNHATRANG",
        "Ủy ban nhân dân phường Tây Nha Trang",
        "Phường Tây Nha Trang",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-P-CAMRANH",
        "Ủy ban nhân dân phường Cam Ranh",
        "Phường Cam Ranh",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-P-NINHHOA",
        "Ủy ban nhân dân phường Ninh Hòa",
        "Phường Ninh Hòa",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-P-PHANRANG",
        "Ủy ban nhân dân phường Phan Rang",
        "Phường Phan Rang",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-P-DONGHAI",
        "Ủy ban nhân dân phường Đông Hải",
        "Phường Đông Hải",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-X-DIENKHANH",
        "Ủy ban nhân dân xã Diên Khánh",
        "Xã Diên Khánh",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-X-CAMLAM",
        "Ủy ban nhân dân xã Cam Lâm",
        "Xã Cam Lâm",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-X-VANNINH",
        "Ủy ban nhân dân xã Vạn Ninh",
        "Xã Vạn Ninh",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-X-KHANHVINH",
        "Ủy ban nhân dân xã Khánh Vĩnh",
        "Xã Khánh Vĩnh",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    _U(
        "KHH-DK-TRUONGSA",
        "Ủy ban nhân dân đặc khu Trường Sa",
        "Đặc khu Trường Sa",
        "commune",
        "KHH",
        valid_from=COMMUNES_FROM,
    ),
    # --- Former district level and its communes (until 30/06/2025) ------------
    _U(
        "KHH-TP-NHATRANG",
        "Ủy ban nhân dân thành phố Nha Trang",
        "TP. Nha Trang",
        "district",
        "KHH",
        valid_to=DISTRICTS_UNTIL,
    ),
    _U(
        "KHH-H-DIENKHANH",
        "Ủy ban nhân dân huyện Diên Khánh",
        "Huyện Diên Khánh",
        "district",
        "KHH",
        valid_to=DISTRICTS_UNTIL,
    ),
    _U(
        "KHH-TP-NHATRANG-P-LOCTHO",
        "Ủy ban nhân dân phường Lộc Thọ",
        "Phường Lộc Thọ",
        "commune",
        "KHH-TP-NHATRANG",
        valid_to=DISTRICTS_UNTIL,
    ),
    _U(
        "KHH-TP-NHATRANG-P-VANTHANH",
        "Ủy ban nhân dân phường Vạn Thạnh",
        "Phường Vạn Thạnh",
        "commune",
        "KHH-TP-NHATRANG",
        valid_to=DISTRICTS_UNTIL,
    ),
    _U(
        "KHH-H-DIENKHANH-TT-DIENKHANH",
        "Ủy ban nhân dân thị trấn Diên Khánh",
        "Thị trấn Diên Khánh",
        "commune",
        "KHH-H-DIENKHANH",
        valid_to=DISTRICTS_UNTIL,
    ),
)

_P = DemoPerson

DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    # --- Standing office (cơ quan thường trực): Sở KH&CN ----------------------
    _P(
        "tran.minh.quan",
        "Trần Minh Quân",
        "quan.tm@khanhhoa.gov.vn",
        "Trưởng phòng Chuyển đổi số, Sở Khoa học và Công nghệ",
        "admin",
        "KHH",
    ),
    _P(
        "le.thi.thu.ha",
        "Lê Thị Thu Hà",
        "ha.ltt@khanhhoa.gov.vn",
        "Chuyên viên Phòng Chuyển đổi số, Sở Khoa học và Công nghệ",
        "admin",
        "KHH",
    ),
    _P(
        "cao.thi.thanh.tam",
        "Cao Thị Thanh Tâm",
        "tam.ctt@khanhhoa.gov.vn",
        "Chuyên viên Văn phòng Sở Khoa học và Công nghệ",
        "reporter",
        "KHH-SKHCN-VP",
    ),
    # --- Leadership (lãnh đạo) -------------------------------------------------
    _P(
        "dang.huu.phuoc",
        "Đặng Hữu Phước",
        "phuoc.dh@khanhhoa.gov.vn",
        "Phó Chủ tịch Ủy ban nhân dân tỉnh",
        "viewer",
        "KHH",
    ),
    # --- Appraisal council (Hội đồng thẩm định và Tổ giúp việc) ---------------
    _P(
        "vo.thi.ngoc.lan",
        "Võ Thị Ngọc Lan",
        "lan.vtn@khanhhoa.gov.vn",
        "Phó Giám đốc Sở Khoa học và Công nghệ, Phó Chủ tịch Hội đồng thẩm định",
        "appraiser",
        "KHH",
    ),
    _P(
        "hoang.van.tung",
        "Hoàng Văn Tùng",
        "tung.hv@khanhhoa.gov.vn",
        "Phó Chánh Văn phòng UBND tỉnh, thành viên Hội đồng thẩm định",
        "appraiser",
        "KHH",
    ),
    _P(
        "phan.thi.my.duyen",
        "Phan Thị Mỹ Duyên",
        "duyen.ptm@khanhhoa.gov.vn",
        "Chuyên viên Sở Nội vụ, thành viên Tổ giúp việc Hội đồng thẩm định",
        "appraiser",
        "KHH",
    ),
    # --- Departments: reporter (cán bộ đầu mối) and head (thủ trưởng) --------
    _P(
        "huynh.thi.kim.oanh",
        "Huỳnh Thị Kim Oanh",
        "oanh.htk@khanhhoa.gov.vn",
        "Chuyên viên Phòng Cải cách hành chính, Sở Nội vụ",
        "reporter",
        "KHH-SNV",
    ),
    _P(
        "luong.van.binh",
        "Lương Văn Bình",
        "binh.lv@khanhhoa.gov.vn",
        "Giám đốc Sở Nội vụ",
        "head",
        "KHH-SNV",
    ),
    _P(
        "ngo.duc.thinh",
        "Ngô Đức Thịnh",
        "thinh.nd@khanhhoa.gov.vn",
        "Chuyên viên Văn phòng Sở Tài chính",
        "reporter",
        "KHH-STC",
    ),
    _P(
        "bui.thi.hong.nhung",
        "Bùi Thị Hồng Nhung",
        "nhung.bth@khanhhoa.gov.vn",
        "Giám đốc Sở Tài chính",
        "head",
        "KHH-STC",
    ),
    _P(
        "do.minh.tri",
        "Đỗ Minh Trí",
        "tri.dm@khanhhoa.gov.vn",
        "Chuyên viên Phòng Nghiệp vụ Y, Sở Y tế",
        "reporter",
        "KHH-SYT",
    ),
    _P(
        "truong.cong.danh",
        "Trương Công Danh",
        "danh.tc@khanhhoa.gov.vn",
        "Giám đốc Sở Y tế",
        "head",
        "KHH-SYT",
    ),
    # --- Communes and wards: reporter and head (Chủ tịch UBND) --------------
    _P(
        "ly.thi.bich.ngoc",
        "Lý Thị Bích Ngọc",
        "ngoc.ltb@khanhhoa.gov.vn",
        "Chuyên viên Văn phòng HĐND và UBND phường Nha Trang",
        "reporter",
        "KHH-P-NHATRANG",
    ),
    _P(
        "nguyen.quoc.khanh",
        "Nguyễn Quốc Khánh",
        "khanh.nq@khanhhoa.gov.vn",
        "Chủ tịch Ủy ban nhân dân phường Nha Trang",
        "head",
        "KHH-P-NHATRANG",
    ),
    _P(
        "tran.thi.my.linh",
        "Trần Thị Mỹ Linh",
        "linh.ttm@khanhhoa.gov.vn",
        "Chuyên viên Phòng Văn hóa - Xã hội xã Diên Khánh",
        "reporter",
        "KHH-X-DIENKHANH",
    ),
    _P(
        "pham.van.loc",
        "Phạm Văn Lộc",
        "loc.pv@khanhhoa.gov.vn",
        "Chủ tịch Ủy ban nhân dân xã Diên Khánh",
        "head",
        "KHH-X-DIENKHANH",
    ),
    _P(
        "dang.thi.thu.trang",
        "Đặng Thị Thu Trang",
        "trang.dtt@khanhhoa.gov.vn",
        "Chuyên viên Văn phòng HĐND và UBND phường Phan Rang",
        "reporter",
        "KHH-P-PHANRANG",
    ),
    _P(
        "chau.van.hiep",
        "Châu Văn Hiệp",
        "hiep.cv@khanhhoa.gov.vn",
        "Chủ tịch Ủy ban nhân dân phường Phan Rang",
        "head",
        "KHH-P-PHANRANG",
    ),
)
