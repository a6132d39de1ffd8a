"""A reader on the results pages, in Debian's chromium: the map leads to each constituency."""

from newsroom.demo.elections import load_elections
from tests.browsers import ARTIFACTS, open_page

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def test_a_reader_follows_a_constituency_from_the_map(
    live_server, transactional_db, unhashed_static, browser
):
    load_elections()
    errors = []
    page = open_page(browser, errors)
    page.goto(f"{live_server.url}/elections/senatoriales-2026/")
    area = page.locator('.results-map a.map-area[data-code="08"]')
    assert "Else JOSEPH" in area.locator("title").text_content()
    area.click()
    page.wait_for_url("**/elections/senatoriales-2026/08/")
    assert page.locator("h1").inner_text() == "Ardennes"
    elected = page.locator(".tally-table tr.is-elected th").all_inner_texts()
    assert [name.splitlines()[0] for name in elected] == ["Else JOSEPH", "Marc LAMÉNIE"]

    # The map's areas are links a keyboard reaches, in the page's order.
    page.goto(f"{live_server.url}/elections/senatoriales-2026/")
    page.locator(".results-map a.map-area[href]").first.focus()
    assert page.evaluate("document.activeElement.getAttribute('data-code')")

    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/elections/senatoriales-2026/")
        page.locator(".results-map").screenshot(path=ARTIFACTS / f"map-{name}.png")
        table = page.locator(".results-table").last
        table.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"elected-{name}.png")  # the screen, not the whole table
        # Nothing runs off the side of a phone's screen but the tables' own scroll.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name}: the page is {width}px wide"
    assert errors == []
