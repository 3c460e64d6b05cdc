"""Builders for realistic test data, through the same services the app uses."""

from __future__ import annotations

from dataclasses import dataclass

from dtis.orgs import accounts
from dtis.orgs.models import Role, Unit, UnitKind, User
from dtis.orgs.units import unit_create

PASSWORD = "mat-khau-thu-2026"


def make_unit(code: str, name: str, kind: str, parent: Unit | None = None, **kw: object) -> Unit:
    return unit_create(actor=None, code=code, name=name, kind=kind, parent=parent, **kw)  # type: ignore[arg-type]


def make_user(username: str, full_name: str, role: Role | None = None, unit: Unit | None = None,
              *, must_change: bool = False) -> User:  # fmt: skip
    user = User(username=username, full_name=full_name, must_change_password=must_change)
    user.set_password(PASSWORD)
    user.save()
    if role is not None and unit is not None:
        accounts.role_grant(actor=None, user=user, role=role, unit=unit)
    return user


@dataclass
class Org:
    nation: Unit
    province: Unit
    dept_home: Unit  # Sở Nội vụ tỉnh Khánh Hòa
    dept_home_office: Unit  # Văn phòng Sở Nội vụ
    dept_finance: Unit  # Sở Tài chính
    commune: Unit  # Xã Diên Khánh
    other_province: Unit  # Đà Nẵng
    other_dept: Unit  # Sở Nội vụ Đà Nẵng
    admin: User
    reporter: User
    head: User
    appraiser: User
    viewer: User
    other_reporter: User
    other_admin: User
    superuser: User

    def users_by_role(self) -> dict[str, User]:
        return {"admin": self.admin, "reporter": self.reporter, "head": self.head,
                "appraiser": self.appraiser, "viewer": self.viewer}  # fmt: skip


def build_org() -> Org:
    vn = make_unit("VN", "Việt Nam", UnitKind.NATION)
    khh = make_unit("KHH", "Ủy ban nhân dân tỉnh Khánh Hòa", UnitKind.PROVINCE, vn,
                    short_name="Tỉnh Khánh Hòa")  # fmt: skip
    snv = make_unit("KHH-SNV", "Sở Nội vụ tỉnh Khánh Hòa", UnitKind.DEPARTMENT, khh,
                    short_name="Sở Nội vụ")  # fmt: skip
    snv_vp = make_unit("KHH-SNV-VP", "Văn phòng Sở Nội vụ", UnitKind.OFFICE, snv,
                       short_name="Văn phòng Sở")  # fmt: skip
    stc = make_unit("KHH-STC", "Sở Tài chính tỉnh Khánh Hòa", UnitKind.DEPARTMENT, khh,
                    short_name="Sở Tài chính")  # fmt: skip
    xa = make_unit("KHH-X-DIENKHANH", "Ủy ban nhân dân xã Diên Khánh", UnitKind.COMMUNE, khh,
                   short_name="Xã Diên Khánh")  # fmt: skip
    dna = make_unit("DNA", "Ủy ban nhân dân thành phố Đà Nẵng", UnitKind.PROVINCE, vn,
                    short_name="Thành phố Đà Nẵng")  # fmt: skip
    dna_snv = make_unit("DNA-SNV", "Sở Nội vụ thành phố Đà Nẵng", UnitKind.DEPARTMENT, dna,
                        short_name="Sở Nội vụ Đà Nẵng")  # fmt: skip
    superuser = make_user("quantri", "Quản trị hệ thống")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    return Org(
        nation=vn, province=khh, dept_home=snv, dept_home_office=snv_vp, dept_finance=stc,
        commune=xa, other_province=dna, other_dept=dna_snv,
        admin=make_user("tran.minh.quan", "Trần Minh Quân", Role.ADMIN, khh),
        reporter=make_user("huynh.thi.kim.oanh", "Huỳnh Thị Kim Oanh", Role.REPORTER, snv),
        head=make_user("luong.van.binh", "Lương Văn Bình", Role.HEAD, snv),
        appraiser=make_user("vo.thi.ngoc.lan", "Võ Thị Ngọc Lan", Role.APPRAISER, khh),
        viewer=make_user("dang.huu.phuoc", "Đặng Hữu Phước", Role.VIEWER, khh),
        other_reporter=make_user("le.van.hai", "Lê Văn Hải", Role.REPORTER, dna_snv),
        other_admin=make_user("nguyen.thi.mai", "Nguyễn Thị Mai", Role.ADMIN, dna),
        superuser=superuser,
    )  # fmt: skip
