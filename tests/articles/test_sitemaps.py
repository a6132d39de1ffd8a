from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from articles.models import Article, Tag
from tests.helpers import make_article, make_author, make_theme

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def urlset(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return {url.findtext(f"{SITEMAP}loc"): url for url in root.findall(f"{SITEMAP}url")}


def absolute(path):
    return f"http://testserver{path}"


def test_the_sitemap_lists_live_articles_themes_authors_and_tags_with_dates(client):
    theme, author = make_theme(name="Politique"), make_author(name="Anne Dupré")
    article = make_article(
        theme=theme,
        authors=[author],
        tags=["Sénat"],
        published_at=datetime(2023, 9, 24, 18, 30, tzinfo=PARIS),
    )
    tag = Tag.objects.get(name="Sénat")
    urls = urlset(client, "/sitemap.xml")
    for page in [article, theme, author, tag]:
        assert absolute(page.get_absolute_url()) in urls, page
    # An article's date is its last change; it was saved just now.
    today = timezone.localdate().isoformat()
    assert urls[absolute(article.get_absolute_url())].findtext(f"{SITEMAP}lastmod") == today
    assert urls[absolute(theme.get_absolute_url())].findtext(f"{SITEMAP}lastmod") == today


def test_a_listing_is_dated_by_its_newest_live_article(client):
    theme = make_theme()
    live = make_article(theme=theme, published_at=datetime(2023, 9, 24, 18, tzinfo=PARIS))
    Article.objects.filter(pk=live.pk).update(updated_at=datetime(2023, 9, 25, tzinfo=PARIS))
    make_article(theme=theme, status=Article.Status.DRAFT)  # saved now, but not public
    urls = urlset(client, "/sitemap.xml")
    assert urls[absolute(theme.get_absolute_url())].findtext(f"{SITEMAP}lastmod") == "2023-09-25"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_no_sitemap_lists_what_readers_may_not_see(client, fields):
    theme, author = make_theme(), make_author()
    hidden = make_article(theme=theme, authors=[author], tags=["Secret"], **fields)
    visible = make_article()
    for url in ["/sitemap.xml", "/sitemap-news.xml"]:
        locations = urlset(client, url)
        assert absolute(visible.get_absolute_url()) in locations
        # Nor the theme, author and tag that have nothing else to show.
        for page in [hidden, theme, author, Tag.objects.get(name="Secret")]:
            assert absolute(page.get_absolute_url()) not in locations


def test_the_news_sitemap_lists_the_articles_of_the_last_two_days(client):
    now = timezone.now()
    recent = make_article(
        headline="Le Sénat adopte le budget\x0b",  # a control character pasted in
        published_at=now - timedelta(hours=47),
    )
    make_article(headline="Trop ancien", published_at=now - timedelta(hours=49))
    urls = urlset(client, "/sitemap-news.xml")
    assert list(urls) == [absolute(recent.get_absolute_url())]
    news = urls[absolute(recent.get_absolute_url())].find(f"{NEWS}news")
    publication = news.find(f"{NEWS}publication")
    assert publication.findtext(f"{NEWS}name") == "Séance publique"
    assert publication.findtext(f"{NEWS}language") == "fr"
    assert news.findtext(f"{NEWS}title") == "Le Sénat adopte le budget"
    published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == recent.published_at.replace(microsecond=0)


def test_robots_txt_points_at_both_sitemaps_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200
