"""What the media library accepts, refuses (saying why, in French) and stores."""

import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from PIL import Image as PillowImage

from images.models import Image
from tests.images.helpers import (
    GPS_IFD,
    HTML_PAGE,
    MEBIBYTE,
    SVG,
    image_bytes,
    image_form,
    photo_with_gps_bytes,
    png_bomb_bytes,
    stored_files,
    upload,
)

NBSP = "\N{NO-BREAK SPACE}"
ADD_URL = reverse("admin:images_image_add")


def refusal(response):
    """The form's error messages, once the page is shown again with them."""
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    return " ".join(error.get_text(" ", strip=True) for error in page.select(".errorlist li"))


def padded_jpeg(size):
    """A real JPEG header, padded with zeros to `size` bytes."""
    content = image_bytes(64, 64)
    return content + bytes(size - len(content))


REFUSED = {
    "a 12 KiB PNG of 100 megapixels": (
        lambda: upload("affiche.png", png_bomb_bytes(), "image/png"),
        f"L’image fait 10{NBSP}000 × 10{NBSP}000 pixels : 40 millions au plus.",
    ),
    "an SVG": (
        lambda: upload("logo.svg", SVG, "image/svg+xml"),
        "Le format SVG n’est pas accepté : envoyez un JPEG, un PNG, un WebP ou un GIF.",
    ),
    "an HTML page renamed .jpg": (
        lambda: upload("photo.jpg", HTML_PAGE),
        "Ce fichier est une page HTML renommée en .jpg, pas une image : "
        "envoyez un JPEG, un PNG, un WebP ou un GIF.",
    ),
    "a 30 MB file": (
        lambda: upload("photo.jpg", padded_jpeg(30 * MEBIBYTE)),
        "Le fichier pèse 30,0 Mo : 10 Mo au plus.",
    ),
    "a PNG named .jpg": (
        lambda: upload("photo.jpg", image_bytes(kind="PNG"), "image/png"),
        "Ce fichier est un PNG : son nom doit finir par .png, pas par .jpg.",
    ),
    "a BMP": (
        lambda: upload("photo.bmp", image_bytes(kind="BMP"), "image/bmp"),
        "Le format BMP n’est pas accepté : envoyez un JPEG, un PNG, un WebP ou un GIF.",
    ),
    "a truncated JPEG": (
        lambda: upload("photo.jpg", image_bytes()[:2000]),
        "Ce fichier est abîmé ou incomplet",
    ),
}


def test_the_bomb_is_small_and_really_100_megapixels():
    content = png_bomb_bytes()
    assert len(content) <= 12 * 1024
    assert b"IHDR" + (10_000).to_bytes(4, "big") * 2 in content


@pytest.mark.parametrize("make_upload, message", REFUSED.values(), ids=REFUSED.keys())
def test_the_add_form_refuses_with_a_clear_message(admin_client, media_root, make_upload, message):
    response = admin_client.post(ADD_URL, image_form(file=make_upload()))
    assert message in refusal(response)
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_alt_text_is_required(admin_client, media_root):
    response = admin_client.post(ADD_URL, image_form(file=upload(), alt_text="  "))
    assert "le texte alternatif est obligatoire" in refusal(response)
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_the_focal_point_stays_inside_the_image(admin_client):
    response = admin_client.post(ADD_URL, image_form(file=upload(), focal_x="1.2"))
    assert "inférieure ou égale à 1" in refusal(response)
    assert not Image.objects.exists()


def test_a_photo_is_stored_without_its_metadata_and_turned_upright(
    admin_client, admin_user, media_root
):
    # Orientation 6: the camera was held on its side, the picture is to be turned a quarter.
    photo = upload("Hémicycle du Sénat.jpg", photo_with_gps_bytes(1600, 900, orientation=6))
    response = admin_client.post(ADD_URL, image_form(file=photo))

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.title == "Hémicycle du Sénat"
    assert image.uploaded_by == admin_user
    assert image.file.name.startswith("images/") and image.file.name.endswith(".jpg")
    stored = (media_root / image.file.name).read_bytes()
    assert b"Exif" not in stored
    with PillowImage.open(io.BytesIO(stored)) as picture:
        assert picture.format == "JPEG"
        assert picture.size == (900, 1600)
        assert dict(picture.getexif()) == {}
        assert dict(picture.getexif().get_ifd(GPS_IFD)) == {}
    assert (image.width, image.height) == (900, 1600)


@pytest.mark.parametrize(
    "name, kind", [("plan.png", "PNG"), ("carte.webp", "WEBP"), ("anime.gif", "GIF")]
)
def test_png_webp_and_gif_are_accepted_and_stay_in_their_format(
    admin_client, media_root, name, kind
):
    response = admin_client.post(ADD_URL, image_form(file=upload(name, image_bytes(kind=kind))))
    assert response.status_code == 302
    image = Image.objects.get()
    with PillowImage.open(media_root / image.file.name) as picture:
        assert picture.format == kind


def test_a_phone_jpeg_with_a_second_picture_is_accepted_as_jpeg(admin_client, media_root):
    """Many phones write MPO: a JPEG with a depth map or preview appended."""
    buffer = io.BytesIO()
    frames = [PillowImage.new("RGB", (1600, 900), color) for color in ["red", "blue"]]
    frames[0].save(buffer, "MPO", save_all=True, append_images=frames[1:])
    with PillowImage.open(io.BytesIO(buffer.getvalue())) as sent:
        assert sent.format == "MPO"

    response = admin_client.post(ADD_URL, image_form(file=upload("photo.jpg", buffer.getvalue())))
    assert response.status_code == 302
    with PillowImage.open(media_root / Image.objects.get().file.name) as picture:
        assert picture.format == "JPEG"


def test_an_animated_gif_keeps_its_first_frame(media_root, admin_client):
    buffer = io.BytesIO()
    frames = [PillowImage.new("RGB", (400, 300), color) for color in [(255, 0, 0), (0, 0, 255)]]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)

    response = admin_client.post(ADD_URL, image_form(file=upload("vote.gif", buffer.getvalue())))
    assert response.status_code == 302
    with PillowImage.open(media_root / Image.objects.get().file.name) as picture:
        assert getattr(picture, "n_frames", 1) == 1
        assert picture.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


def test_a_form_refused_for_its_alt_text_keeps_the_file_and_the_focal_point(admin_client):
    response = admin_client.post(
        ADD_URL, image_form(file=upload("hemicycle.jpg"), alt_text="", focal_x="0.2", focal_y="0.7")
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    kept = soup.select_one(".kept-upload")
    assert "« hemicycle.jpg » est gardé" in kept.get_text()
    preview = admin_client.get(kept["data-kept-url"])
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"
    assert (soup.select_one("#id_focal_x")["value"], soup.select_one("#id_focal_y")["value"]) == (
        "0.2",
        "0.7",
    )
    token = soup.select_one("input[name=pending_upload]")["value"]
    assert not Image.objects.exists()

    # Sent again with the alt text and no file: the kept one is stored.
    response = admin_client.post(
        ADD_URL,
        image_form(alt_text="L’hémicycle", focal_x="0.2", focal_y="0.7", pending_upload=token),
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.title == "hemicycle" and (image.focal_x, image.focal_y) == (0.2, 0.7)
    assert image.file.storage.exists(image.file.name)


def test_a_forged_kept_upload_token_brings_back_nothing(admin_client):
    response = admin_client.post(ADD_URL, image_form(pending_upload="../../etc/passwd"))
    assert response.status_code == 200
    assert not Image.objects.exists()
    assert admin_client.get(reverse("admin:images_image_pending", args=["x"])).status_code == 404
