from pathlib import PurePosixPath

import pytest
from PIL import Image

from articles import images
from tests.helpers import image_upload, make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("width", "height"), [(1600, 900), (600, 900)])
def test_a_lead_image_gets_a_1200_by_630_social_crop(media_root, width, height):
    article = make_article(
        lead_image=image_upload(width=width, height=height), lead_image_alt="Un hémicycle"
    )
    name = images.social_rendition_name(article.lead_image.name)
    original = PurePosixPath(article.lead_image.name)
    assert name == str(original.parent / "renditions" / f"{original.stem}-1200x630.jpg")
    with Image.open(media_root / name) as crop:
        assert (crop.format, crop.size) == ("JPEG", (1200, 630))
    assert article.social_image == {
        "url": f"/media/{name}",
        "width": 1200,
        "height": 630,
        "alt": "Un hémicycle",
    }


def test_an_article_without_a_lead_image_has_no_social_image():
    assert make_article().social_image is None
