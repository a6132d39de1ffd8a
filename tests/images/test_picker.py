"""The media library's picker, and library images in article bodies."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Article
from articles.text import sanitize_html
from tests.articles.test_workflow import member
from tests.helpers import make_article, make_image

pytestmark = pytest.mark.django_db
PICKER = reverse("admin:images_image_picker")


def test_the_picker_shows_thumbnails_and_searches_the_library(roles):
    _, journalist = member("Journaliste", "lucie")
    make_image("hemicycle.jpg", alt_text="L’hémicycle du Sénat", credit="AFP", caption="Le vote")
    make_image("palais.jpg", alt_text="Le palais du Luxembourg")
    soup = BeautifulSoup(journalist.get(PICKER, {"cible": "body"}).text, "html.parser")
    choices = soup.select(".picker__choice")
    assert len(choices) == 2
    assert all(choice.img["src"].startswith("/media/images/") for choice in choices)
    soup = BeautifulSoup(journalist.get(PICKER, {"q": "hémicycle"}).text, "html.parser")
    (choice,) = soup.select(".picker__choice")
    data = json.loads(choice["data-image"])
    assert data["alt"] == "L’hémicycle du Sénat" and data["caption"] == "Le vote — AFP"
    assert data["src"].startswith("/media/images/") and data["src"].endswith(".jpg")


def test_the_picker_needs_an_account(client):
    assert client.get(PICKER).status_code == 302


def test_a_library_image_in_a_body_gets_its_srcset_size_and_alt_text():
    image = make_image("hemicycle.jpg", width=1600, height=900, alt_text="L’hémicycle")
    caption = "<figcaption>Le vote — AFP</figcaption>"
    body = f'<figure><img src="{image.file.url}" alt="">{caption}</figure>'
    article = make_article(body=body)
    img = BeautifulSoup(Article.objects.get(pk=article.pk).body, "html.parser").img
    assert img["alt"] == "L’hémicycle"
    assert (img["width"], img["height"]) == ("1600", "900")
    widths = [candidate.split()[1] for candidate in img["srcset"].split(", ")]
    assert widths == ["480w", "800w", "1200w", "1600w"]
    assert img["src"].endswith("-full-800.jpg") and img["sizes"]
    # Saved again (its src is now a copy), it stays the same.
    article.save()
    assert Article.objects.get(pk=article.pk).body == article.body


def test_the_sanitizer_keeps_a_srcset_of_library_files_only():
    kept = sanitize_html(
        '<img src="/media/images/a.jpg" srcset="/media/images/a-480.jpg 480w, '
        '/media/images/a-800.jpg 800w" sizes="(min-width: 48rem) 46rem, 100vw" alt="">'
    )
    assert 'srcset="/media/images/a-480.jpg 480w, /media/images/a-800.jpg 800w"' in kept
    dropped = sanitize_html(
        '<img src="/media/images/a.jpg" srcset="https://evil.example/x.jpg 480w" '
        'sizes="calc(100vw)</style>" loading="eager" onerror="alert(1)" alt="">'
    )
    assert "srcset" not in dropped and "evil" not in dropped and "onerror" not in dropped
    assert 'loading="eager"' in dropped
