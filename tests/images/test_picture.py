"""The <picture> include: WebP with a JPEG fallback, widths for the browser to choose from."""

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from tests.images.helpers import image_bytes, make_image, upload


def widths(srcset):
    return [int(width) for width in re.findall(r" (\d+)w", srcset)]


def picture(**context):
    return BeautifulSoup(render_to_string("images/picture.html", context), "html.parser")


@pytest.mark.django_db
def test_the_picture_offers_every_width_in_webp_then_jpeg(django_assert_num_queries):
    image = make_image(file=upload(content=image_bytes(2000, 1125)))

    with django_assert_num_queries(0):
        html = picture(image=image, kind="full", sizes="(min-width: 50rem) 46rem, 100vw")

    source, img = html.select_one("picture source"), html.select_one("picture img")
    assert source["type"] == "image/webp"
    assert widths(source["srcset"]) == [480, 800, 1200, 1600]
    assert all(".webp " in part for part in source["srcset"].split(", "))
    assert widths(img["srcset"]) == [480, 800, 1200, 1600]
    assert img["src"].endswith("-full-800.jpg")
    assert source["sizes"] == img["sizes"] == "(min-width: 50rem) 46rem, 100vw"
    assert img["alt"] == "L’hémicycle du Sénat pendant un vote"
    assert (img["width"], img["height"]) == ("1600", "900")
    assert img["loading"] == "lazy"


@pytest.mark.django_db
def test_a_card_is_cropped_and_can_load_eagerly():
    image = make_image(file=upload(content=image_bytes(2000, 1125)))

    html = picture(image=image, kind="card", sizes="20rem", loading="eager")

    assert widths(html.select_one("source")["srcset"]) == [400, 800]
    img = html.select_one("img")
    assert (img["width"], img["height"]) == ("800", "450")
    assert img["loading"] == "eager"


@pytest.mark.django_db
def test_the_picture_is_computed_from_the_row_alone(media_root):
    image = make_image()
    before = picture(image=image, kind="full")
    shutil.rmtree(media_root)  # no file is opened or checked to render it
    assert picture(image=image, kind="full") == before


def test_no_image_renders_nothing():
    assert render_to_string("images/picture.html", {"image": None, "kind": "card"}).strip() == ""


@pytest.mark.django_db
def test_the_social_image_is_the_jpeg_crop():
    image = make_image()
    assert image.social_image == {
        "url": image.renditions("social").jpeg[0].url,
        "width": 1200,
        "height": 630,
        "alt": "L’hémicycle du Sénat pendant un vote",
    }
    assert image.social_image["url"].endswith("-1200.jpg")
