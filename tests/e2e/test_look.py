"""The pages arrive with their own stylesheet and icon (no CDN): what users see is styled."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD


def test_pages_load_their_stylesheet_and_icon(page, e2e_org):  # type: ignore[no-untyped-def]
    static = []
    page.on("response", lambda r: static.append((r.url, r.status)) if "/static/" in r.url else None)
    page.goto("/dang-nhap/")
    page.wait_for_load_state("networkidle")

    failed = [(url, status) for url, status in static if status != 200]
    assert not failed, f"static files did not load: {failed}"
    assert any(url.endswith("/static/dtis/css/app.css") for url, _ in static)
    # Styled, the top bar is the app's blue and the sign-in card is centred.
    expect(page.locator("header.topbar")).to_have_css("background-color", "rgb(11, 92, 173)")
    expect(page.locator("section.card.narrow")).to_have_css("max-width", "440px")


def test_sample_import_file_can_be_downloaded(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto("/don-vi/nhap/")
    link = page.locator("main a[download]")
    expect(link).to_have_attribute("href", "/static/dtis/templates/mau-nhap-don-vi.csv")

    response = page.request.get(link.get_attribute("href") or "")

    assert response.status == 200, f"sample file answered {response.status}"
    assert "Mã đơn vị" in response.text()
