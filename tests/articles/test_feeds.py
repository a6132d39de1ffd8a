from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from tests.helpers import make_article, make_author, make_image, make_theme

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
DC = "{http://purl.org/dc/elements/1.1/}"


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    rss = ElementTree.fromstring(response.content)
    assert (rss.tag, rss.get("version")) == ("rss", "2.0")
    return rss.find("channel")


def titles(channel):
    return [item.findtext("title") for item in channel.findall("item")]


@pytest.fixture
def story(media_root):
    return make_article(
        headline="Battue aux sénatoriales, la secrétaire d’État présente sa démission",
        standfirst="Le scrutin a tourné en sa défaveur au second tour.",
        theme=make_theme(name="Politique"),
        authors=[make_author(name="Anne Dupré"), make_author(name="Marc Olivier")],
        tags=["Sénat"],
        published_at=datetime(2023, 9, 24, 18, 30, tzinfo=PARIS),
        lead_image=make_image(alt_text="Un hémicycle vu d’en haut"),
    )


def test_the_site_feed_describes_each_article(client, story, media_root):
    channel = feed(client, "/feed/")
    assert channel.findtext("title") == "Séance publique"
    assert channel.findtext("link") == "http://testserver/"
    assert channel.findtext("language") == "fr"
    [item] = channel.findall("item")
    assert item.findtext("title") == story.headline
    assert item.findtext("link") == f"http://testserver{story.get_absolute_url()}"
    assert item.findtext("description") == story.standfirst
    assert [creator.text for creator in item.findall(f"{DC}creator")] == [
        "Anne Dupré",
        "Marc Olivier",
    ]
    assert parsedate_to_datetime(item.findtext("pubDate")) == story.published_at
    assert [category.text for category in item.findall("category")] == ["Politique"]
    enclosure = item.find("enclosure")
    social = story.lead_image.plan("social")[-1].name("jpg")
    assert enclosure.get("url") == f"http://testserver/media/{social}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == (media_root / social).stat().st_size
    assert client.get(enclosure.get("url")).status_code == 200


def test_an_article_without_a_lead_image_has_no_enclosure(client):
    make_article()
    [item] = feed(client, "/feed/").findall("item")
    assert item.find("enclosure") is None


def test_the_feed_lists_the_newest_live_articles_first(client):
    now = timezone.now()
    for hours in [3, 1, 2]:
        make_article(headline=f"Il y a {hours} h", published_at=now - timedelta(hours=hours))
    assert titles(feed(client, "/feed/")) == ["Il y a 1 h", "Il y a 2 h", "Il y a 3 h"]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_no_feed_lists_an_article_readers_may_not_see(client, fields):
    theme, author = make_theme(), make_author()
    make_article(headline="Article caché", theme=theme, authors=[author], tags=["Sénat"], **fields)
    visible = make_article(theme=theme, authors=[author], tags=["Sénat"])
    tag = Tag.objects.get(name="Sénat")
    for url in [
        "/feed/",
        reverse("articles:theme-feed", args=[theme.slug]),
        reverse("articles:author-feed", args=[author.slug]),
        reverse("articles:tag-feed", args=[tag.slug]),
    ]:
        assert titles(feed(client, url)) == [visible.headline], url


def test_theme_author_and_tag_feeds_hold_only_their_articles(client):
    theme, author = make_theme(name="Territoires"), make_author(name="Inès Caron")
    make_article(headline="Dans la thématique", theme=theme)
    make_article(headline="De l’autrice", authors=[author])
    make_article(headline="Avec le mot-clé", tags=["Outre-mer"])
    tag = Tag.objects.get(name="Outre-mer")

    channel = feed(client, "/thematiques/territoires/feed/")
    assert titles(channel) == ["Dans la thématique"]
    assert channel.findtext("title") == "Territoires — Séance publique"
    assert channel.findtext("link") == "http://testserver/thematiques/territoires/"
    assert titles(feed(client, "/auteurs/ines-caron/feed/")) == ["De l’autrice"]
    assert titles(feed(client, f"/tags/{tag.slug}/feed/")) == ["Avec le mot-clé"]


def test_unknown_owners_have_no_feed(client):
    for url in ["/thematiques/x/feed/", "/auteurs/x/feed/", "/tags/x/feed/"]:
        assert client.get(url).status_code == 404


def test_control_characters_pasted_into_a_headline_leave_the_feed_valid(client):
    theme = make_theme(name="Politique\x1f")
    make_article(
        headline="Le budget\x0b adopté\x0c",  # PostgreSQL refuses NUL itself
        standfirst="Un vote\x08 serré.",
        theme=theme,
        authors=[make_author(name="Anne\x01 Dupré")],
    )
    channel = feed(client, reverse("articles:theme-feed", args=[theme.slug]))
    item = channel.find("item")
    assert item.findtext("title") == "Le budget adopté"
    assert item.findtext("description") == "Un vote serré."
    assert item.findtext(f"{DC}creator") == "Anne Dupré"
    assert channel.findtext("title") == "Politique — Séance publique"


def test_pages_point_to_their_feeds(client):
    theme, author = make_theme(), make_author()
    make_article(theme=theme, authors=[author], tags=["Sénat"])
    tag = Tag.objects.get(name="Sénat")
    for url, feed_url in [
        ("/", "/feed/"),
        (theme.get_absolute_url(), f"/thematiques/{theme.slug}/feed/"),
        (author.get_absolute_url(), f"/auteurs/{author.slug}/feed/"),
        (tag.get_absolute_url(), f"/tags/{tag.slug}/feed/"),
    ]:
        soup = BeautifulSoup(client.get(url).text, "html.parser")
        links = soup.select('link[rel=alternate][type="application/rss+xml"]')
        assert feed_url in [link["href"] for link in links], url
        assert client.get(feed_url).status_code == 200


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize(
    ("name", "queries"), [("feed", 2), ("theme-feed", 3), ("author-feed", 3), ("tag-feed", 3)]
)
def test_feeds_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, count, name, queries
):
    """Articles, their bylines, and the theme, author or tag of the feed."""
    theme, authors = make_theme(), [make_author() for _ in range(count)]
    for _ in range(count):
        make_article(theme=theme, authors=authors, tags=["Sénat", "Budget"])
    slug = {
        "feed": None,
        "theme-feed": theme.slug,
        "author-feed": authors[0].slug,
        "tag-feed": Tag.objects.get(name="Sénat").slug,
    }[name]
    url = reverse(f"articles:{name}", args=[slug] if slug else [])
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_markup_in_a_headline_or_standfirst_stays_text_in_feed_readers(client):
    make_article(
        headline="Le <b>budget</b> & les comptes",
        standfirst="</script><script>alert(1)</script>",
    )
    item = feed(client, reverse("articles:feed")).find("item")
    # What a reader gets once the XML is read, and then renders as HTML: text, no element.
    for name, text in (("title", "Le <b>budget</b> & les comptes"), ("description", None)):
        value = item.findtext(name)
        rendered = BeautifulSoup(value, "html.parser")
        assert rendered.find() is None, name
        if text:
            assert rendered.get_text() == text
    assert item.findtext("description") == ("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
