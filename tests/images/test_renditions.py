"""The smaller copies of an image: sizes, formats, crops around the focal point, the command."""

import io

import pytest
from django.core.management import call_command
from PIL import Image as PillowImage
from PIL import ImageStat

from images.models import Image
from images.renditions import crop_box
from tests.images.helpers import BLUE, RED, image_bytes, make_image, split_image_bytes, upload


def opened(media_root, url):
    return PillowImage.open(media_root / url.removeprefix("/media/"))


def copies(media_root, image, kind):
    """(format, width, height) of each copy of a kind, read back from the files."""
    found = []
    renditions = image.renditions(kind)
    for candidate in renditions.webp + renditions.jpeg:
        with opened(media_root, candidate.url) as picture:
            found.append((picture.format, *picture.size))
    return found


def mostly(picture):
    """ "red" or "blue": which of the two dominates a picture."""
    red, _, blue = ImageStat.Stat(picture.convert("RGB")).mean
    return "red" if red > blue else "blue"


@pytest.mark.django_db
def test_an_image_gets_every_width_in_webp_and_jpeg(media_root):
    image = make_image(file=upload(content=image_bytes(2000, 1125)))

    full = [(480, 270), (800, 450), (1200, 675), (1600, 900)]
    assert copies(media_root, image, "full") == [("WEBP", *size) for size in full] + [
        ("JPEG", *size) for size in full
    ]
    card = [(400, 225), (800, 450)]
    assert copies(media_root, image, "card") == [("WEBP", *size) for size in card] + [
        ("JPEG", *size) for size in card
    ]
    assert copies(media_root, image, "social") == [("WEBP", 1200, 630), ("JPEG", 1200, 630)]


@pytest.mark.django_db
def test_a_small_image_is_never_enlarged_beyond_its_width(media_root):
    image = make_image(file=upload(content=image_bytes(1000, 500)))
    assert [c.width for c in image.renditions("full").jpeg] == [480, 800, 1000]

    small = make_image(file=upload(content=image_bytes(300, 200)))
    assert [c.width for c in small.renditions("full").jpeg] == [300]
    assert [c.width for c in small.renditions("card").jpeg] == [400]  # one size, enlarged
    assert copies(media_root, small, "social") == [("WEBP", 1200, 630), ("JPEG", 1200, 630)]


@pytest.mark.django_db
@pytest.mark.parametrize("focal_x, colour", [(0.9, "blue"), (0.1, "red")])
def test_crops_follow_the_focal_point(media_root, focal_x, colour):
    # 3200 × 900: red on the left half, blue on the right; the crops can't hold both whole.
    image = make_image(file=upload(content=split_image_bytes()), focal_x=focal_x)

    for kind in ["card", "social"]:
        for candidate in image.renditions(kind).jpeg + image.renditions(kind).webp:
            with opened(media_root, candidate.url) as picture:
                assert mostly(picture) == colour, (kind, candidate.url)
    # The whole image is not cropped: half of each.
    with opened(media_root, image.renditions("full").src) as picture:
        assert picture.crop((0, 0, 100, 100)).getpixel((50, 50))[0] > 200
        assert (
            picture.crop((picture.width - 100, 0, picture.width, 100)).getpixel((50, 50))[2] > 200
        )


def test_a_crop_box_slides_along_the_edge_rather_than_leave_the_image():
    assert crop_box((3200, 900), (16, 9), (0.5, 0.5)) == (800, 0, 2400, 900)
    assert crop_box((3200, 900), (16, 9), (1.0, 0.5)) == (1600, 0, 3200, 900)
    assert crop_box((3200, 900), (16, 9), (0.0, 0.5)) == (0, 0, 1600, 900)
    assert crop_box((900, 1600), (16, 9), (0.5, 0.0)) == (0, 0, 900, 506)
    assert crop_box((900, 1600), (16, 9), (0.5, 0.75)) == (0, 947, 900, 1453)


@pytest.mark.django_db
def test_moving_the_focal_point_writes_new_crops_and_nothing_else(media_root):
    image = make_image(file=upload(content=split_image_bytes()), focal_x=0.1)
    card = image.renditions("card").src
    assert image.write_renditions() == 0  # all there: nothing is decoded

    image.focal_x = 0.9
    image.save()

    assert image.renditions("card").src != card
    with opened(media_root, image.renditions("card").src) as picture:
        assert mostly(picture) == "blue"
    # A page cached with the old crop still finds it.
    assert (media_root / card.removeprefix("/media/")).exists()


@pytest.mark.django_db
def test_rebuild_renditions_writes_the_missing_copies_only(media_root, capsys):
    image = make_image(file=upload(content=image_bytes(2000, 1125)))
    make_image(file=upload("autre.png", image_bytes(kind="PNG"), "image/png"))
    missing = media_root / image.renditions("card").src.removeprefix("/media/")
    missing.unlink()

    call_command("rebuild_renditions")
    assert missing.exists()
    assert capsys.readouterr().out == "1 copie(s) écrite(s) pour 2 image(s).\n"

    call_command("rebuild_renditions")
    assert capsys.readouterr().out == "0 copie(s) écrite(s) pour 2 image(s).\n"

    before = sorted(media_root.rglob("*"))
    call_command("rebuild_renditions", "--force")
    # 2000 px wide: 4 + 2 + 1 sizes; 1600 px: the same; each in WebP and JPEG.
    assert capsys.readouterr().out == "28 copie(s) écrite(s) pour 2 image(s).\n"
    assert sorted(media_root.rglob("*")) == before  # replaced, not doubled


@pytest.mark.django_db
def test_a_transparent_png_gets_a_white_background_in_jpeg(media_root):
    picture = PillowImage.new("RGBA", (1000, 600), (0, 0, 0, 0))
    content = io.BytesIO()
    picture.save(content, "PNG")
    image = make_image(file=upload("logo.png", content.getvalue(), "image/png"))

    with opened(media_root, image.renditions("full").src) as copy:
        assert copy.getpixel((10, 10)) == (255, 255, 255)
    with opened(media_root, image.renditions("full").webp[0].url) as copy:
        assert copy.mode == "RGBA"
    assert Image.objects.get().file.name.endswith(".png")


@pytest.mark.django_db
def test_two_images_of_the_same_name_in_two_formats_keep_their_own_copies(media_root):
    jpeg = make_image(file=upload("vote.jpg", split_image_bytes(left=RED, right=RED)))
    png = make_image(file=upload("vote.png", image_bytes(kind="PNG", color=BLUE), "image/png"))

    assert jpeg.renditions("card").src != png.renditions("card").src
    with opened(media_root, png.renditions("card").src) as picture:
        assert mostly(picture) == "blue"
