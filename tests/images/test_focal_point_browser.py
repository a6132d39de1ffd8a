"""Setting the focal point by clicking on the preview, in a real browser, under the site's CSP."""

import pytest
from playwright.sync_api import expect

from images.models import Image
from tests.browsers import CHROMIUM, open_page
from tests.images.helpers import split_image_bytes

PASSWORD = "un-mot-de-passe-solide-42"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
)


def centre(box):
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_an_editor_uploads_an_image_and_clicks_its_focal_point(
    live_server, transactional_db, unhashed_static, browser, django_user_model, tmp_path
):
    editor = django_user_model.objects.create_superuser("photo", "photo@example.org", PASSWORD)
    photo = tmp_path / "hemicycle.jpg"
    photo.write_bytes(split_image_bytes())
    errors = []
    page = open_page(browser, errors)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "photo")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()

    page.goto(f"{live_server.url}/admin/images/image/add/")
    page.set_input_files("#id_file", photo)
    preview = page.locator(".focal-point-image")
    expect(preview).to_be_visible()  # the chosen file, before it is sent
    box = preview.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.25)
    expect(page.locator("#id_focal_x")).to_have_value("0.80")
    expect(page.locator("#id_focal_y")).to_have_value("0.25")
    marker_x, marker_y = centre(page.locator(".focal-point-marker").bounding_box())
    assert marker_x == pytest.approx(box["x"] + box["width"] * 0.8, abs=3)
    assert marker_y == pytest.approx(box["y"] + box["height"] * 0.25, abs=3)
    page.fill("#id_alt_text", "L’hémicycle, moitié rouge, moitié bleu")
    page.locator("input[name=_continue]").click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    image = Image.objects.get()
    assert (image.focal_x, image.focal_y, image.uploaded_by) == (0.8, 0.25, editor)
    # The change form shows the stored copy, the marker where it was set.
    box = page.locator(".focal-point-image").bounding_box()
    marker_x, _ = centre(page.locator(".focal-point-marker").bounding_box())
    assert marker_x == pytest.approx(box["x"] + box["width"] * 0.8, abs=3)
    page.fill("#id_focal_x", "0.1")  # typed: the marker follows
    marker_x, _ = centre(page.locator(".focal-point-marker").bounding_box())
    assert marker_x == pytest.approx(box["x"] + box["width"] * 0.1, abs=3)
    # No CSP violation nor script error; the admin links no favicon, so Chromium asks for one.
    assert [error for error in errors if "/favicon.ico" not in error] == []
