"""The user guide's pictures, taken from the real screens of the demo province.

One test per chapter of `src/dtis/guide/content/vi/`, in the chapter's order:
each signs in as the demo account of that chapter's role, walks the screens the
chapter describes and saves every picture the chapter shows with
`guide_shot(page, name)`, the name as the chapter writes it (`anh/NN-what.png`).
On the way it checks that each screen still shows what the chapter says (a
heading, a button's name), so a changed screen fails here instead of leaving a
wrong picture in the guide.

Pictures go to `$DTIS_GUIDE_SHOTS_DIR` when set (`make guide-screenshots` sets it
to src/dtis/static/dtis/guide/anh, the committed pictures), otherwise to a
temporary folder, so the ordinary test run proves every picture can still be
taken.

The module shares one seeded demo province (`seeded_demo`, built once inside a
transaction). Each test runs in a savepoint of that transaction (`db`, not the
`transactional_db` that pytest-django's `live_server` brings, which would flush
the demo), so what one chapter saves or submits is rolled back before the next.
The module's own live server shares the in-memory SQLite connection that holds
the demo; on another database it could not see it, so the module is skipped
there (the pictures do not depend on the database).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Error, expect

from tests.e2e.conftest import DESKTOP, _close, _new_page, login, logout, second_step

PASSWORD = "dtis-demo-2026"
SHOTS_DIR = Path(os.environ.get("DTIS_GUIDE_SHOTS_DIR") or tempfile.mkdtemp(prefix="dtis-guide-"))


def guide_shot(page, name: str, target=None, *, top: bool = True, full_page: bool = False) -> Path:  # type: ignore[no-untyped-def]
    """Save `name.png`: the 1280×800 viewport (scrolled to the top unless
    `top=False`), or only `target` (a locator) when the chapter needs one part
    of a long page. No focus ring: the field a page focuses on is blurred.
    Retried like `tests.e2e.conftest.screenshot`: a loaded machine sometimes
    refuses once."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{name}.png"
    page.wait_for_load_state("load")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    if target is None and top and not full_page:
        page.evaluate("window.scrollTo(0, 0)")
    for attempt in range(3):
        try:
            if target is not None:
                target.scroll_into_view_if_needed()
                target.screenshot(path=str(path))
            else:
                page.screenshot(path=str(path), full_page=full_page)
            return path
        except Error:
            if attempt == 2:
                raise
            page.wait_for_timeout(500)
    return path


# --- fixtures ----------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def guide_server(django_db_setup, request):  # type: ignore[no-untyped-def]
    """A live server of our own, started before the browser, on the connection
    that holds the seeded demo (pytest-django's `live_server` would bring a
    flushed `transactional_db`, emptying the demo after the first test)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        pytest.skip("guide pictures are taken on the in-memory SQLite test database only")
    request.getfixturevalue("seeded_demo")
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture(autouse=True)
def _each_test_rolls_back(_orm_beside_playwright, guide_server, request):  # type: ignore[no-untyped-def]
    """Once Playwright's loop runs, this thread would open a second connection
    that cannot see the demo's open transaction; hand it the server's (as
    Django's LiveServerThread does), then run the test in a savepoint of it."""
    from django.db import connections

    connections["default"] = guide_server.thread.connections_override["default"]
    request.getfixturevalue("db")


@pytest.fixture
def page(browser, guide_server, db):  # type: ignore[no-untyped-def]
    # `db` named here so pytest-django creates the test database for this
    # module; `_each_test_rolls_back` has already entered it.
    context, page = _new_page(browser, guide_server, DESKTOP)
    yield page
    _close(context)


def _tours_seen(username: str) -> None:
    """The first-sign-in tour (dtis.onboarding) would cover the screens: the
    guide pictures the screens as people see them once it is closed."""
    try:
        from dtis.onboarding.services import tour_mark_seen
    except ImportError:  # no tour in this version
        return
    from dtis.orgs.models import Role, User

    user = User.objects.get(username=username)
    for role in Role:
        tour_mark_seen(user=user, role=role)


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    _tours_seen(username)
    login(page, username, PASSWORD)
    expect(page.locator("header a.who")).to_be_visible()


def _switch(page, username: str) -> None:  # type: ignore[no-untyped-def]
    logout(page)
    _sign_in(page, username)


def _heading(page, text: str) -> None:  # type: ignore[no-untyped-def]
    expect(page.locator("main h1").first).to_contain_text(text)


def _button(page, name: str):  # type: ignore[no-untyped-def]
    """A button or a link styled as one, named exactly as the chapter names it."""
    scope = page.locator("main") if hasattr(page, "goto") else page
    found = scope.get_by_role("button", name=name, exact=True).or_(
        scope.get_by_role("link", name=name, exact=True)
    )
    expect(found.first).to_be_visible()
    return found.first


def _to_top(target) -> None:  # type: ignore[no-untyped-def]
    """Scroll so that `target` starts at the top of the viewport."""
    target.evaluate("e => e.scrollIntoView({block: 'start'})")


def _demo_ids():  # type: ignore[no-untyped-def]
    from dtis.reporting.models import AssessedUnit, Period

    def period(cycle_name: str, year: int, kind: str) -> Period:
        return Period.objects.get(cycle__name=cycle_name.format(year=year), kind=kind)

    def assessed(cycle_name: str, year: int, code: str) -> AssessedUnit:
        return AssessedUnit.objects.get(cycle__name=cycle_name.format(year=year), unit__code=code)

    return period, assessed


DEPARTMENTS = "Đánh giá chuyển đổi số các sở, ban, ngành tỉnh Khánh Hòa năm {year}"
PROVINCE = "Chỉ số chuyển đổi số tỉnh Khánh Hòa năm {year}"


def _this_quarter() -> str:
    return f"q{(timezone.localdate().month - 1) // 3 + 1}"


def _previous_quarter() -> tuple[int, str]:
    today = timezone.localdate()
    q = (today.month - 1) // 3 + 1
    return (today.year, f"q{q - 1}") if q > 1 else (today.year - 1, "q4")


# --- 01 getting started ---------------------------------------------------------


def test_01_getting_started(page):  # type: ignore[no-untyped-def]
    page.goto("/dang-nhap/")
    _heading(page, "Đăng nhập")
    _button(page, "Đăng nhập")
    guide_shot(page, "01-dang-nhap")

    # The standing office signs in in two steps: the code page after the password.
    _tours_seen("tran.minh.quan")
    page.locator("#id_username").fill("tran.minh.quan")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ma-xac-thuc/**")
    expect(page.locator("#id_code")).to_be_visible()
    guide_shot(page, "01-ma-xac-thuc")
    second_step(page, "tran.minh.quan")
    logout(page)

    _sign_in(page, "huynh.thi.kim.oanh")
    page.goto("/")
    _heading(page, "Xin chào")
    expect(page.locator("header")).to_contain_text("Thông báo")
    guide_shot(page, "01-trang-chu")

    page.locator("header").get_by_role("link", name="Thông báo").click()
    _heading(page, "Thông báo")
    guide_shot(page, "01-thong-bao")

    page.locator("header a.who").click()
    _heading(page, "Đăng nhập hai bước")
    _button(page, "Bật đăng nhập hai bước")
    _button(page, "Đổi mật khẩu")
    guide_shot(page, "01-tai-khoan-ca-nhan")

    page.goto("/doi-mat-khau/")
    _heading(page, "Đổi mật khẩu")
    _button(page, "Lưu mật khẩu mới")
    guide_shot(page, "01-doi-mat-khau")


# --- 02 unit reporter -------------------------------------------------------------


def test_02_reporter(page):  # type: ignore[no-untyped-def]
    period, assessed = _demo_ids()
    year = timezone.localdate().year
    quarter = period(DEPARTMENTS, year, _this_quarter())
    snv = assessed(DEPARTMENTS, year, "KHH-SNV")
    _sign_in(page, "huynh.thi.kim.oanh")

    page.locator("header").get_by_role("link", name="Báo cáo của tôi").click()
    _heading(page, "Báo cáo của tôi")
    expect(page.locator("main table")).to_contain_text("Sở Nội vụ")
    guide_shot(page, "02-bao-cao-cua-toi")

    page.goto(f"/bao-cao/{quarter.pk}/{snv.pk}/")
    _heading(page, "Sở Nội vụ")
    expect(page.locator("main dl.facts").first).to_contain_text("Đơn vị báo cáo trước ngày")
    guide_shot(page, "02-trang-nhap-lieu")
    next_step = page.locator("[data-tour='next-step']")
    expect(next_step).to_contain_text("thủ trưởng đơn vị rà soát và gửi")
    guide_shot(page, "02-ai-gui-bao-cao", next_step)

    # An indicator not entered yet: type the figures, save, and cite the document.
    # (one asking for two numbers: a count of the unit and the total)
    card = (
        page.locator("article.indicator")
        .filter(has=page.locator(".badge.warn"))
        .filter(has=page.locator("input[inputmode]:visible >> nth=1"))
        .first
    )
    code = card.locator("h3 code").inner_text()
    numbers = card.locator("form").first.locator("input[inputmode]:visible")
    numbers.nth(0).fill("45")
    numbers.nth(1).fill("52")
    expect(card.locator("form").first).to_contain_text("Điểm tự đánh giá")
    guide_shot(page, "02-nhap-chi-so", card)
    card.get_by_role("button", name=f"Lưu {code}").click()
    page.wait_for_load_state("domcontentloaded")

    card = page.locator(f"[id='ind-{code}']")
    expect(card.locator(".badge.ok")).to_contain_text("Đã nhập")
    card.locator("summary", has_text="Trích dẫn văn bản").click()
    cite = card.locator("details", has=page.locator("summary", has_text="Trích dẫn văn bản"))
    cite.locator("input[name=number]").fill("27/KH-SNV")
    cite.locator("input[name=date]").fill(f"15/03/{year}")
    cite.locator("input[name=issuer]").fill("Sở Nội vụ tỉnh Khánh Hòa")
    cite.locator("textarea[name=summary]").fill(
        f"Kế hoạch chuyển đổi số năm {year} của Sở Nội vụ tỉnh Khánh Hòa"
    )
    guide_shot(page, "02-trich-dan-van-ban", card.locator(".evidence-panel"))
    cite.get_by_role("button", name="Thêm trích dẫn").click()
    page.wait_for_load_state("domcontentloaded")
    card = page.locator(f"[id='ind-{code}']")
    expect(card.locator(".evidence-panel")).to_contain_text("27/KH-SNV")

    card.locator("summary", has_text="Đính kèm tệp").click()
    expect(card.locator("input[type=file]")).to_be_visible()
    card.locator("summary", has_text="Lịch sử thay đổi").click()
    guide_shot(page, "02-sau-khi-luu", card)

    page.goto("/giai-trinh/")
    _heading(page, "Yêu cầu giải trình")
    guide_shot(page, "02-yeu-cau-giai-trinh")


# --- 03 unit head -------------------------------------------------------------------


def test_03_head(page):  # type: ignore[no-untyped-def]
    from dtis.orgs.models import User
    from dtis.reporting.models import Submission
    from dtis.reporting.workflow import submission_return

    period, assessed = _demo_ids()
    year = timezone.localdate().year
    quarter = period(DEPARTMENTS, year, _this_quarter())
    snv = assessed(DEPARTMENTS, year, "KHH-SNV")
    _sign_in(page, "luong.van.binh")

    page.goto("/bao-cao/")
    _heading(page, "Báo cáo của tôi")
    page.locator("main table").get_by_role("link", name=str(quarter)).first.click()
    _heading(page, "Sở Nội vụ")
    _button(page, "Gửi báo cáo")
    guide_shot(page, "03-trang-bao-cao")

    ask = page.locator("[data-testid='ask-fix']")
    ask.locator("summary").click()
    ask.locator("textarea").fill("1.2.2: đính kèm giấy mời và biên bản của từng cuộc họp.")
    guide_shot(page, "03-de-nghi-sua", ask)

    _button(page, "Gửi báo cáo").click()
    _heading(page, "Gửi báo cáo")
    expect(page.locator("main .notice").first).to_contain_text("Kiểm tra tài liệu kiểm chứng")
    guide_shot(page, "03-gui-bao-cao")
    page.locator("main textarea").fill(
        "Các chỉ số còn thiếu tài liệu kiểm chứng sẽ được bổ sung trong báo cáo năm."
    )
    guide_shot(page, "03-ly-do-gui", page.locator("main form").last)
    page.locator("main form").get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("main dl.facts").first).to_contain_text("Đã gửi")
    guide_shot(page, "03-da-gui")

    # The standing office returns one indicator with a comment.
    submission = Submission.objects.get(period=quarter, assessed=snv)
    indicator = snv.assignments.order_by("indicator__order").first().indicator
    submission_return(
        actor=User.objects.get(username="tran.minh.quan"),
        submission=submission,
        items=[
            (indicator, "Đề nghị bổ sung quyết định kiện toàn Ban Chỉ đạo có chữ ký, đóng dấu.")
        ],
    )
    page.reload()
    expect(page.locator("#returns-h")).to_be_visible()
    guide_shot(page, "03-tra-lai")


# --- 04 lead agency ---------------------------------------------------------------


def test_04_lead_agency(page):  # type: ignore[no-untyped-def]
    from dtis.orgs.models import Unit
    from dtis.reporting.models import Assignment

    period, assessed = _demo_ids()
    year = timezone.localdate().year
    quarter = period(PROVINCE, year, _this_quarter())
    khh = assessed(PROVINCE, year, "KHH")
    # The demo names no coordinating unit: the office adds Sở Tài chính to 4.3.
    assignment = Assignment.objects.get(assessed=khh, indicator__code="4.3")
    assignment.coordinators.add(Unit.objects.get(code="KHH-STC"))

    _sign_in(page, "huynh.thi.kim.oanh")
    page.goto("/bao-cao/")
    expect(page.locator("main table")).to_contain_text("do đơn vị của bạn chủ trì hoặc phối hợp")
    page.goto(f"/bao-cao/{quarter.pk}/{khh.pk}/")
    _heading(page, "Ủy ban nhân dân tỉnh Khánh Hòa")
    expect(page.locator("main details.group summary").first).to_contain_text("Nhân lực số")
    guide_shot(page, "04-bao-cao-cua-tinh")
    # Last year's notes are shown only on the indicators the agency leads; the
    # demo's corrections of the province are all on indicators others lead.
    expect(page.locator("main summary", has_text="Kết quả thẩm định năm trước")).to_have_count(0)

    _switch(page, "ngo.duc.thinh")
    page.goto(f"/bao-cao/{quarter.pk}/{khh.pk}/")
    card = page.locator("[id='ind-4.3']")
    expect(card).to_contain_text("Đóng góp của đơn vị bạn")
    contribution = card.locator("form", has=page.get_by_role("button", name="Lưu đóng góp"))
    numbers = contribution.locator("input[type=text], input[inputmode]")
    numbers.nth(0).fill("6")
    numbers.nth(1).fill("148")
    contribution.locator("textarea, input[name$=note]").first.fill(
        "Theo Quyết định số 215/QĐ-STC ngày 12/02/"
        + str(year)
        + " phân công công chức phụ trách ATTT."
    )
    guide_shot(page, "04-dong-gop-phoi-hop", card)
    contribution.get_by_role("button", name="Lưu đóng góp").click()
    page.wait_for_load_state("domcontentloaded")

    _switch(page, "huynh.thi.kim.oanh")
    page.goto(f"/bao-cao/{quarter.pk}/{khh.pk}/")
    card = page.locator("[id='ind-4.3']")
    expect(card).to_contain_text("Đóng góp của các đơn vị phối hợp")
    expect(card).to_contain_text("Sở Tài chính")
    guide_shot(page, "04-tong-hop-dong-gop", card)


# --- 05 standing office -------------------------------------------------------------


def test_05_standing_office(page):  # type: ignore[no-untyped-def]
    from dtis.reporting.models import Submission, SubmissionState

    period, assessed = _demo_ids()
    year = timezone.localdate().year
    quarter = period(DEPARTMENTS, year, _this_quarter())
    cycle = quarter.cycle
    _sign_in(page, "tran.minh.quan")

    page.goto("/bo-chi-so/")
    _heading(page, "Bộ chỉ số")
    for name in ("Nhập bộ chỉ số", "So sánh phiên bản", "Kết quả công bố"):
        _button(page, name)

    page.goto("/don-vi/")
    _heading(page, "Đơn vị")
    for name in ("Thêm đơn vị", "Nhập từ tệp", "Xuất CSV", "Xuất Excel"):
        _button(page, name)

    page.goto("/dot-danh-gia/")
    _heading(page, "Đợt đánh giá")
    _button(page, "Tạo đợt đánh giá")

    page.get_by_role("link", name=cycle.name).first.click()
    _heading(page, cycle.name)
    for name in ("Phân công", "Đơn vị chậm báo cáo", "Thẩm định", "Kết quả và xếp hạng"):
        _button(page, name)
    expect(page.locator("main")).to_contain_text("Kỳ báo cáo và thời hạn")
    guide_shot(page, "05-chi-tiet-dot")

    _button(page, "Phân công").click()
    _heading(page, "Phân công")
    for name in ("Nhập từ tệp", "Sao chép từ đợt đánh giá khác", "Xuất Excel"):
        _button(page, name)
    guide_shot(page, "05-phan-cong")

    page.goto("/tai-khoan/cap-phat/")
    _heading(page, "Cấp phát tài khoản")
    _button(page, "Cấp phát và tải về")
    guide_shot(page, "05-cap-phat-tai-khoan")

    page.goto(f"/dot-danh-gia/{cycle.pk}/don-doc/")
    _heading(page, "Đôn đốc đơn vị chậm báo cáo")
    page.locator("main form select").first.select_option(label=f"{quarter} (đang mở)")
    _button(page, "Lọc").click()
    page.wait_for_load_state("domcontentloaded")
    _button(page, "Gửi nhắc việc ngay")
    _button(page, "Xuất Excel")
    guide_shot(page, "05-don-doc")

    # A report the head has sent (the quarter before today's): review it.
    py, pkind = _previous_quarter()
    submitted = (
        Submission.objects.filter(
            period__cycle__name=DEPARTMENTS.format(year=py),
            period__kind=pkind,
            state=SubmissionState.SUBMITTED,
        )
        .order_by("assessed__unit__sort_key")
        .first()
    )
    page.goto(f"/bao-cao/{submitted.period_id}/{submitted.assessed_id}/tham-dinh/")
    _heading(page, "Xem xét")
    _button(page, "Tiếp nhận để thẩm định")
    _button(page, "Trả lại để chỉnh sửa")
    guide_shot(page, "05-xem-xet-bao-cao")
    page.locator("#return-form textarea").first.fill(
        "Đề nghị bổ sung danh sách công chức tham gia tập huấn."
    )
    page.locator(
        "main form", has=page.get_by_role("button", name="Tiếp nhận để thẩm định")
    ).evaluate("e => e.scrollIntoView({block: 'end'})")
    guide_shot(page, "05-tiep-nhan-tra-lai", top=False)

    page.goto(f"/tham-dinh/{cycle.pk}/hoi-dong/")
    _heading(page, "Hội đồng thẩm định")
    _button(page, "Lưu thành viên")
    guide_shot(page, "05-hoi-dong")

    published = assessed(DEPARTMENTS, year - 1, "KHH-SNV").cycle
    page.goto(f"/ket-qua/{published.pk}/")
    _heading(page, "Xếp hạng")
    _button(page, "Xuất XLSX")
    guide_shot(page, "05-xep-hang")

    page.goto("/ke-hoach/")
    _heading(page, "Kế hoạch nâng cao chỉ số")
    _button(page, "Lập dự thảo kế hoạch")
    guide_shot(page, "05-ke-hoach")


# --- 06 appraisal council ----------------------------------------------------------


def test_06_appraisal_council(page):  # type: ignore[no-untyped-def]
    from dtis.appraisal.demo import People, _accept, _enter_year_figures, _submitted
    from dtis.orgs.models import Role, User

    period, assessed = _demo_ids()
    year = timezone.localdate().year
    # Sở Nội vụ's year report of today's cycle, entered, sent and accepted:
    # its indicators wait for the council (the demo has none waiting).
    year_period = period(DEPARTMENTS, year, "year")
    snv = assessed(DEPARTMENTS, year, "KHH-SNV")
    people = People()
    _enter_year_figures(year_period, [snv], people)
    sent = _submitted(year_period, snv, 0, people.of(snv.unit, Role.HEAD))
    _accept(sent, User.objects.get(username="tran.minh.quan"), timezone.localdate())

    _sign_in(page, "vo.thi.ngoc.lan")
    page.locator("header").get_by_role("link", name="Thẩm định").click()
    _heading(page, "Thẩm định")
    expect(page.locator("main table")).to_contain_text("Chủ tịch Hội đồng")
    guide_shot(page, "06-danh-sach-dot")

    page.goto(f"/tham-dinh/{year_period.cycle_id}/")
    _heading(page, year_period.cycle.name)
    expect(page.locator("main")).to_contain_text("Ký duyệt và công bố")
    guide_shot(page, "06-dot-tham-dinh")

    page.goto(f"/tham-dinh/{year_period.cycle_id}/don-vi/{snv.pk}/")
    _heading(page, "Sở Nội vụ")
    _button(page, "Chấp nhận 42 chỉ số chưa xử lý trong các nhóm của tôi")
    items = page.locator("main article").filter(has_not_text="Không có tài liệu kiểm chứng")
    item = items.first
    expect(item).to_contain_text("Chưa thẩm định")
    expect(item).to_contain_text("SỐ LIỆU CỦA ĐƠN VỊ", ignore_case=True)
    expect(item.get_by_role("button", name="Chấp nhận điểm tự đánh giá")).to_be_visible()
    guide_shot(page, "06-chi-so-can-tham-dinh", item)

    item.locator("summary", has_text="Điều chỉnh điểm").click()
    correct = item.locator("details", has_text="Điều chỉnh điểm")
    correct.locator("input[name=points]").fill("5")
    correct.locator("select[name=reason_code]").select_option(index=3)
    correct.locator("textarea[name=reason]").fill(
        "Tài liệu kèm theo là kế hoạch, không phải quyết định kiện toàn Ban Chỉ đạo như bộ chỉ số "
        "yêu cầu; Hội đồng chấm theo số liệu đã kiểm chứng."
    )
    _button(correct, "Lưu điểm đã điều chỉnh")
    guide_shot(page, "06-dieu-chinh-diem", correct)
    # Not saved: the picture shows the form filled in; saving is covered by
    # tests/e2e/test_appraisal_flow.py.

    other = page.locator("main article").filter(has_text="Chưa thẩm định").nth(1)
    other.locator("summary", has_text="Yêu cầu giải trình").click()
    request = other.locator("details", has_text="Yêu cầu giải trình")
    request.locator("textarea[name=question]").fill(
        "Đề nghị Sở gửi biên bản hoặc giấy mời các cuộc họp về chuyển đổi số mà Giám đốc Sở đã "
        "trực tiếp tham dự trong năm."
    )
    guide_shot(page, "06-yeu-cau-giai-trinh", request)

    # An exchange of last year: asked, answered with a cited document, accepted.
    last = assessed(DEPARTMENTS, year - 1, "KHH-SNV")
    page.goto(f"/tham-dinh/{last.cycle_id}/don-vi/{last.pk}/")
    answered = page.locator("main article", has_text="Quá trình xử lý").first
    answered.locator("summary", has_text="Quá trình xử lý").click()
    expect(answered).to_contain_text("Đề nghị Sở cung cấp Quyết định")
    guide_shot(page, "06-giai-trinh-da-tra-loi", answered)

    page.goto(f"/tham-dinh/{last.cycle_id}/")
    expect(page.locator("main")).to_contain_text("Ký duyệt và công bố")
    guide_shot(
        page,
        "06-ky-duyet-cong-bo",
        page.locator("main section", has_text="Ký duyệt và công bố").last,
    )


# --- 07 leadership ------------------------------------------------------------------


def test_07_leadership(page):  # type: ignore[no-untyped-def]
    _period, assessed = _demo_ids()
    year = timezone.localdate().year
    _sign_in(page, "dang.huu.phuoc")

    page.locator("header").get_by_role("link", name="Bảng điều khiển").click()
    _heading(page, "Bảng điều khiển")
    guide_shot(page, "07-bang-dieu-khien")

    province = assessed(PROVINCE, year - 1, "KHH").cycle
    page.goto(f"/bang-dieu-khien/{province.pk}/")
    _heading(page, province.name)
    expect(page.locator("main")).to_contain_text("Chỉ tiêu")
    _button(page, "Xếp hạng")
    guide_shot(page, "07-tong-quan")

    mains = page.locator("main section", has=page.locator("h2", has_text="Chỉ số chính")).first
    guide_shot(page, "07-chi-so-chinh", mains)

    lost = page.locator("main section", has=page.locator("h2", has_text="Điểm bị giảm")).first
    _to_top(lost)
    guide_shot(page, "07-diem-bi-giam", top=False)

    departments = assessed(DEPARTMENTS, year - 1, "KHH-SNV").cycle
    page.goto(f"/bang-dieu-khien/{departments.pk}/xep-hang/")
    _heading(page, "Xếp hạng và bản đồ nhiệt")
    _button(page, "In")
    _button(page, "Xuất XLSX")
    guide_shot(page, "07-xep-hang")

    current = assessed(DEPARTMENTS, year, "KHH-SNV").cycle
    page.goto(f"/bang-dieu-khien/{current.pk}/")
    expect(page.locator("main")).to_contain_text("dự báo")
    guide_shot(page, "07-du-bao")

    page.goto("/ke-hoach/")
    _heading(page, "Kế hoạch nâng cao chỉ số")
    page.locator("main table a", has_text="Sở Y tế").first.click()
    _button(page, "Phê duyệt kế hoạch")
    _button(page, "Tải DOCX")
    guide_shot(page, "07-ke-hoach")


# --- 08 evidence --------------------------------------------------------------------


def test_08_evidence(page):  # type: ignore[no-untyped-def]
    period, assessed = _demo_ids()
    year = timezone.localdate().year
    quarter = period(DEPARTMENTS, year, _this_quarter())
    snv = assessed(DEPARTMENTS, year, "KHH-SNV")

    _sign_in(page, "huynh.thi.kim.oanh")
    page.goto(f"/bao-cao/{quarter.pk}/{snv.pk}/")
    card = page.locator("article.indicator", has=page.locator(".evidence-panel li")).first
    card.locator("summary", has_text="Hướng dẫn, công việc thực hiện").click()
    expect(card).to_contain_text("Tài liệu kiểm chứng")
    guide_shot(page, "08-minh-chung-yeu-cau", card)

    _switch(page, "luong.van.binh")
    page.goto(f"/bao-cao/{quarter.pk}/{snv.pk}/gui/")
    findings = page.locator("main .notice").first
    expect(findings).to_contain_text("Chưa đính kèm tài liệu kiểm chứng")
    guide_shot(page, "08-kiem-tra-truoc-khi-gui", findings)

    # Last year's published result of Sở Y tế: a score cut for an incomplete citation.
    _switch(page, "do.minh.tri")
    syt = assessed(DEPARTMENTS, year - 1, "KHH-SYT")
    page.goto(f"/ket-qua/{syt.cycle_id}/don-vi/{syt.pk}/")
    expect(page.locator("main")).to_contain_text("không ghi số, ngày ban hành và trích yếu")
    expect(page.locator("main tr", has_text="Đã điều chỉnh điểm").first).to_be_visible()
    guide_shot(page, "08-ly-do-tru-diem")


# --- 09 administration --------------------------------------------------------------


def test_09_administration(page):  # type: ignore[no-untyped-def]
    _sign_in(page, "quantri")

    page.goto("/tai-khoan/")
    _heading(page, "Tài khoản")
    for name in ("Thêm tài khoản", "Cấp phát tài khoản", "Nhật ký bảo mật"):
        _button(page, name)
    guide_shot(page, "09-tai-khoan")

    page.locator("main table a", has_text="huynh.thi.kim.oanh").first.click()
    for name in ("Đặt lại mật khẩu", "Khóa tài khoản"):
        _button(page, name)
    guide_shot(page, "09-chi-tiet-tai-khoan")

    page.goto("/tai-khoan/")
    _button(page, "Nhật ký bảo mật").click()
    _heading(page, "Nhật ký bảo mật")
    expect(page.locator("main table")).to_contain_text("quantri")
    guide_shot(page, "09-nhat-ky-bao-mat")

    page.locator("header a.who").click()
    _heading(page, "Đăng nhập hai bước")
    _button(page, "Tạo mã dự phòng mới")
    guide_shot(page, "09-dang-nhap-hai-buoc")

    page.goto("/api/quan-tri/")
    _heading(page, "Kết nối API")
    _button(page, "Cấp mã truy cập")
    guide_shot(page, "09-ket-noi-api")
