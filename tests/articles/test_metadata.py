import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from articles.models import Tag
from tests.helpers import image_upload, make_article, make_author, make_image, make_theme

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def social_name(article):
    return article.lead_image.plan("social")[-1].name("jpg")


@pytest.mark.parametrize(("width", "height"), [(1600, 900), (600, 900)])
def test_a_lead_image_gets_a_1200_by_630_social_crop(media_root, width, height):
    article = make_article(
        lead_image=make_image(width=width, height=height, alt_text="Un hémicycle")
    )
    name = social_name(article)
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


@pytest.fixture
def story(media_root):
    """An article shaped like the demo's reference story."""
    return make_article(
        headline="Battue aux sénatoriales, la secrétaire d’État présente sa démission",
        seo_title="Sénatoriales 2023 : la secrétaire d’État battue en Nouvelle-Calédonie",
        standfirst="Seule membre du gouvernement candidate, elle a perdu au second tour.",
        theme=make_theme(name="Politique"),
        authors=[make_author(name="Anne Dupré"), make_author(name="Marc Olivier")],
        tags=["Sénatoriales 2023", "Nouvelle-Calédonie"],
        published_at=datetime(2023, 9, 24, 18, 30, tzinfo=PARIS),
        revised_at=datetime(2023, 9, 24, 21, 5, tzinfo=PARIS),
        lead_image=make_image(alt_text="Un hémicycle vu d’en haut"),
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def json_ld(soup):
    """The JSON-LD blocks of a page, by @type."""
    blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    return {block["@type"]: block for block in blocks}


def meta(soup, name):
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return tag and tag["content"]


def absolute(path):
    return f"http://testserver{path}"


def test_the_reference_story_has_news_article_and_breadcrumb_json_ld(client, story):
    data = json_ld(page(client, story.get_absolute_url()))
    article = data["NewsArticle"]
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == story.headline
    assert article["description"] == story.standfirst
    assert article["url"] == article["mainEntityOfPage"] == absolute(story.get_absolute_url())
    assert article["datePublished"] == "2023-09-24T18:30:00+02:00"
    assert article["dateModified"] == "2023-09-24T21:05:00+02:00"
    assert article["author"] == [
        {"@type": "Person", "name": "Anne Dupré", "url": absolute("/auteurs/anne-dupre/")},
        {"@type": "Person", "name": "Marc Olivier", "url": absolute("/auteurs/marc-olivier/")},
    ]
    assert article["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": "Séance publique",
        "url": absolute("/"),
    }
    assert article["articleSection"] == "Politique"
    assert sorted(article["keywords"]) == ["Nouvelle-Calédonie", "Sénatoriales 2023"]
    social = social_name(story)
    assert article["image"] == [absolute(f"/media/{social}"), absolute(story.lead_image.file.url)]
    for url in article["image"]:
        assert client.get(url).status_code == 200

    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Accueil", absolute("/")),
        (2, "Politique", absolute(story.theme.get_absolute_url())),
        (3, story.headline, absolute(story.get_absolute_url())),
    ]


def test_an_article_never_revised_is_modified_when_published(client):
    article = make_article(published_at=datetime(2024, 1, 5, 9, tzinfo=PARIS))
    data = json_ld(page(client, article.get_absolute_url()))["NewsArticle"]
    assert data["datePublished"] == data["dateModified"] == "2024-01-05T09:00:00+01:00"
    assert "image" not in data


def test_a_headline_cannot_break_out_of_its_json_ld_block(client):
    headline = "Le vote </script><script>alert(1)</script> & « <!-- »"
    article = make_article(headline=headline, standfirst="</SCRIPT>")
    soup = page(client, article.get_absolute_url())
    assert json_ld(soup)["NewsArticle"]["headline"] == headline
    assert json_ld(soup)["NewsArticle"]["description"] == "</SCRIPT>"
    # The page's inline scripts are still only its two JSON-LD blocks.
    inline = [script.get("type") for script in soup.find_all("script") if not script.get("src")]
    assert inline == ["application/ld+json", "application/ld+json"]


def test_the_author_page_has_person_json_ld(client):
    author = make_author(
        name="Paul Girard",
        bio="Suit le Sénat depuis 2015.",
        photo=image_upload("paul.jpg", width=300, height=300),
    )
    soup = page(client, author.get_absolute_url())
    person = json_ld(soup)["Person"]
    assert person["name"] == "Paul Girard"
    assert person["url"] == absolute(author.get_absolute_url())
    assert person["jobTitle"] == "Journaliste politique"
    assert person["description"] == "Suit le Sénat depuis 2015."
    assert person["image"] == absolute(author.photo.url)
    assert person["worksFor"]["name"] == "Séance publique"
    assert meta(soup, "og:type") == "profile"
    assert meta(soup, "og:image") == absolute(author.photo.url)


def test_the_article_page_has_open_graph_and_a_large_x_card(client, story):
    soup = page(client, story.get_absolute_url() + "?utm_source=lettre")
    canonical = absolute(story.get_absolute_url())
    assert soup.find("link", rel="canonical")["href"] == canonical
    assert meta(soup, "og:url") == canonical
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == meta(soup, "twitter:title") == story.headline
    assert meta(soup, "og:description") == meta(soup, "description") == story.standfirst
    social = absolute(f"/media/{social_name(story)}")
    assert meta(soup, "og:image") == meta(soup, "twitter:image") == social
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == "Un hémicycle vu d’en haut"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "article:published_time") == "2023-09-24T18:30:00+02:00"
    assert meta(soup, "article:modified_time") == "2023-09-24T21:05:00+02:00"
    assert meta(soup, "article:section") == "Politique"


def test_every_public_page_has_a_title_a_description_a_canonical_url_and_cards(client, story):
    author, tag = story.bylines.first().author, Tag.objects.get(name="Nouvelle-Calédonie")
    for url in [
        "/",
        "/articles/",
        story.get_absolute_url(),
        story.theme.get_absolute_url(),
        "/auteurs/",
        author.get_absolute_url(),
        tag.get_absolute_url(),
        "/recherche/?q=senat",
    ]:
        soup = page(client, url)
        assert "Séance publique" in soup.title.string, url
        assert meta(soup, "description"), url
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical == absolute(url.split("?")[0]), url
        assert meta(soup, "og:url") == canonical
        assert meta(soup, "og:site_name") == "Séance publique"
        assert meta(soup, "og:locale") == "fr_FR"
        assert meta(soup, "og:title") and meta(soup, "og:type"), url
        assert meta(soup, "twitter:card") in {"summary", "summary_large_image"}, url


def test_the_canonical_url_of_a_later_page_keeps_its_number(client):
    theme = make_theme()
    for _ in range(13):
        make_article(theme=theme)
    soup = page(client, theme.get_absolute_url() + "?page=2&utm_source=x")
    assert soup.find("link", rel="canonical")["href"] == absolute(
        theme.get_absolute_url() + "?page=2"
    )


def test_search_results_ask_not_to_be_indexed(client):
    assert meta(page(client, "/recherche/?q=senat"), "robots") == "noindex, follow"
    assert meta(page(client, "/"), "robots") is None
