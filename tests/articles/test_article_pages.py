import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from tests.helpers import image_upload, make_article, make_author, make_image, make_theme

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def headlines(soup):
    return [a.get_text(strip=True) for a in soup.select(".card__headline a")]


@pytest.fixture
def story():
    """An article shaped like the reference page: SEO title, two authors, update, CTA."""
    politics = make_theme(name="Politique")
    return make_article(
        headline="Battue aux sénatoriales, la secrétaire d’État présente sa démission",
        seo_title="Sénatoriales 2023 : la secrétaire d’État battue",
        standfirst="Le scrutin a tourné en sa défaveur au second tour.",
        body=(
            "<p>Premier paragraphe.</p><blockquote><p>« Une trahison »</p></blockquote>"
            '<p class="cta"><a href="/elections/senatoriales-2023/">&gt;&gt; Retrouvez '
            "tous les élus avec notre carte interactive</a></p>"
        ),
        theme=politics,
        authors=[make_author(name="Anne Dupré"), make_author(name="Marc Olivier")],
        tags=["Sénat", "Nouvelle-Calédonie"],
        published_at=datetime(2023, 9, 24, 18, 30, tzinfo=PARIS),
        revised_at=datetime(2023, 9, 24, 21, 5, tzinfo=PARIS),
        lead_image=make_image(
            alt_text="Un hémicycle vu d’en haut",
            caption="Le Sénat, au palais du Luxembourg.",
            credit="Illustration Séance publique",
        ),
    )


def test_the_article_page_shows_the_ten_elements_in_order(client, story):
    for days in range(1, 4):
        make_article(
            theme=story.theme,
            headline=f"Autre article politique {days}",
            published_at=timezone.now() - timedelta(days=days),
        )
    soup = page(client.get(story.get_absolute_url()))

    assert soup.title.string == "Sénatoriales 2023 : la secrétaire d’État battue — Séance publique"
    h1 = soup.find("h1")
    assert h1.get_text(strip=True) == story.headline
    assert soup.title.string != h1.get_text()
    standfirst = soup.select_one(".article__standfirst")
    assert standfirst.get_text(strip=True) == story.standfirst
    authors = soup.select(".article__bylines a")
    assert [(a.get_text(), a["href"]) for a in authors] == [
        ("Anne Dupré", "/auteurs/anne-dupre/"),
        ("Marc Olivier", "/auteurs/marc-olivier/"),
    ]
    assert soup.select_one(".article__reading-time").get_text(strip=True) == (
        "Temps de lecture : 1 min"
    )
    dates = [" ".join(span.get_text().split()) for span in soup.select(".article__dates > span")]
    assert dates == [
        "Publié le 24 septembre 2023 à 18h30",
        "Mis à jour le 24 septembre 2023 à 21h05",
    ]
    body = soup.select_one(".article__body")
    assert body.find("blockquote").get_text(strip=True) == "« Une trahison »"
    cta = body.select_one("p.cta a")
    assert cta["href"] == "/elections/senatoriales-2023/"
    assert "carte interactive" in cta.get_text()
    share = soup.select_one("section.share")
    assert share.find("h2").get_text() == "Partager cet article"
    names = [a.get_text(" ", strip=True).split(" (")[0] for a in share.select("a")]
    assert names == ["X", "Facebook", "LinkedIn", "WhatsApp", "E-mail", "Copier le lien"]
    assert all(story.slug in a["href"] for a in share.select("a"))
    related = soup.select_one("section.related")
    assert related.find("h2").get_text() == "Dans la même thématique"
    assert headlines(related) == [f"Autre article politique {days}" for days in range(1, 4)]

    # The elements stand in the reference page's order.
    order = [
        h1,
        standfirst,
        authors[0],
        soup.select_one(".article__reading-time"),
        soup.select_one(".article__dates"),
        body,
        cta,
        share,
        related,
    ]
    positions = [element.sourceline * 10_000 + element.sourcepos for element in order]
    assert positions == sorted(positions)


def test_related_teasers_carry_reading_time_theme_excerpt_and_date(client, story):
    make_article(
        theme=story.theme,
        headline="Le Sénat renouvelé",
        standfirst="Un chapô court.",
        published_at=datetime(2023, 9, 1, 9, tzinfo=PARIS),
    )
    card = page(client.get(story.get_absolute_url())).select_one("section.related .card")
    assert card.select_one(".card__reading-time").get_text() == "1 min"
    assert card.select_one(".card__theme").get_text() == "Politique"
    assert card.select_one(".card__headline").get_text(strip=True) == "Le Sénat renouvelé"
    assert card.select_one(".card__excerpt").get_text(strip=True) == "Un chapô court."
    assert card.select_one("time").get_text() == "Le 1er septembre 2023"


def test_related_block_lists_only_live_articles_of_the_same_theme_newest_first(client, story):
    now = timezone.now()
    older = make_article(theme=story.theme, published_at=now - timedelta(days=3))
    newer = make_article(theme=story.theme, published_at=now - timedelta(days=1))
    make_article(theme=story.theme, status=Article.Status.DRAFT)
    make_article(theme=story.theme, published_at=now + timedelta(days=1))
    make_article(published_at=now)  # another theme
    soup = page(client.get(story.get_absolute_url()))
    assert headlines(soup.select_one("section.related")) == [newer.headline, older.headline]


def test_the_update_line_is_hidden_when_not_later_than_publication(client):
    article = make_article(revised_at=None)
    soup = page(client.get(article.get_absolute_url()))
    assert "Mis à jour" not in soup.select_one(".article__dates").get_text()


def test_the_title_falls_back_to_the_headline(client):
    article = make_article(headline="Le budget adopté", seo_title="")
    soup = page(client.get(article.get_absolute_url()))
    assert soup.title.string == "Le budget adopté — Séance publique"
    assert soup.find("meta", attrs={"name": "description"})["content"] == article.standfirst


def test_the_lead_image_has_alt_text_caption_credit_and_responsive_sizes(client, story):
    soup = page(client.get(story.get_absolute_url()))
    image = soup.select_one("figure.article__image picture img")
    assert image["alt"] == "Un hémicycle vu d’en haut"
    webp = soup.select_one("figure.article__image picture source")["srcset"]
    for srcset in [image["srcset"], webp]:
        widths = [candidate.split()[-1] for candidate in srcset.split(", ")]
        assert widths == ["480w", "800w", "1200w", "1600w"]
    assert (image["width"], image["height"]) == ("1600", "900")
    caption = soup.select_one("figure.article__image figcaption").get_text(" ", strip=True)
    assert caption == "Le Sénat, au palais du Luxembourg. © Illustration Séance publique"
    for srcset in [image["srcset"], webp]:
        for url in [candidate.split()[0] for candidate in srcset.split(", ")]:
            assert client.get(url).status_code == 200


def test_home_shows_the_lead_story_the_latest_and_a_block_per_theme(client):
    politics, economy = make_theme(name="Politique"), make_theme(name="Économie")
    lead = make_article(
        theme=politics, is_lead=True, published_at=timezone.now() - timedelta(days=5)
    )
    latest = make_article(theme=economy, headline="La dette publique en hausse")
    soup = page(client.get("/"))
    assert headlines(soup.select_one(".home-lead")) == [lead.headline]
    assert latest.headline in headlines(soup.select_one(".home-latest"))
    assert lead.headline not in headlines(soup.select_one(".home-latest"))
    blocks = {
        section.find("h2").get_text(strip=True): headlines(section)
        for section in soup.select(".home-theme")
    }
    assert blocks == {"Politique": [lead.headline], "Économie": [latest.headline]}


def test_every_card_grid_keeps_its_headline_level_and_bylines(client):
    author = make_author(name="Anne Dupré")
    make_article(authors=[author], is_lead=True, published_at=timezone.now() - timedelta(days=1))
    make_article(authors=[author])

    def cards(soup, selector):
        return [
            (card.select_one(".card__headline").name, bool(card.select(".card__bylines")))
            for card in soup.select(f"{selector} .card")
        ]

    home = page(client.get("/"))
    assert cards(home, ".home-lead") == [("h3", True)]
    assert cards(home, ".home-latest") == [("h3", True)]
    assert set(cards(home, ".home-theme")) == {("h3", False)}
    assert cards(page(client.get("/articles/")), ".site-main") == [("h2", True)] * 2
    assert cards(page(client.get(author.get_absolute_url())), ".site-main") == [("h3", True)] * 2
    empty = page(client.get(make_theme().get_absolute_url()))
    assert empty.select_one(".card-grid .notice").get_text() == (
        "Aucun article dans cette thématique pour l’instant."
    )


def test_home_falls_back_to_the_newest_article_without_a_lead_flag(client):
    make_article(published_at=timezone.now() - timedelta(days=1))
    newest = make_article()
    soup = page(client.get("/"))
    assert headlines(soup.select_one(".home-lead")) == [newest.headline]


def test_home_theme_blocks_hold_the_four_newest_of_each_theme(client):
    theme = make_theme(name="Parlement")
    now = timezone.now()
    articles = [make_article(theme=theme, published_at=now - timedelta(hours=n)) for n in range(6)]
    soup = page(client.get("/"))
    block = soup.select_one(".home-theme")
    assert headlines(block) == [article.headline for article in articles[:4]]


def test_theme_author_and_tag_pages_list_their_live_articles(client):
    theme, author = make_theme(name="Territoires"), make_author(name="Inès Caron")
    live = make_article(theme=theme, authors=[author], tags=["Outre-mer"])
    draft = make_article(
        theme=theme, authors=[author], tags=["Outre-mer"], status=Article.Status.DRAFT
    )
    other = make_article()
    tag = Tag.objects.get(name="Outre-mer")
    for url, title in [
        (theme.get_absolute_url(), "Territoires"),
        (author.get_absolute_url(), "Inès Caron"),
        (tag.get_absolute_url(), "Outre-mer"),
    ]:
        soup = page(client.get(url))
        assert soup.find("h1").get_text(strip=True) == title
        assert headlines(soup) == [live.headline]
        assert draft.headline not in soup.text and other.headline not in soup.text


def test_lists_are_paginated(client):
    theme = make_theme()
    now = timezone.now()
    for n in range(14):
        make_article(theme=theme, published_at=now - timedelta(hours=n))
    first = page(client.get(theme.get_absolute_url()))
    second = page(client.get(theme.get_absolute_url() + "?page=2"))
    assert len(headlines(first)) == 12 and len(headlines(second)) == 2
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    assert client.get(theme.get_absolute_url() + "?page=3").status_code == 404
    assert client.get(theme.get_absolute_url() + "?page=abc").status_code == 404


def test_the_author_page_shows_bio_photo_and_job(client):
    author = make_author(
        name="Paul Girard",
        bio="Suit le Sénat depuis 2015.",
        photo=image_upload("paul.jpg", width=300, height=300),
    )
    soup = page(client.get(author.get_absolute_url()))
    assert soup.select_one(".author__photo")["alt"] == "Portrait de Paul Girard"
    assert "Suit le Sénat depuis 2015." in soup.select_one(".page-header").get_text()
    assert soup.select_one(".author__job").get_text() == "Journaliste politique"


def test_navigation_lists_the_themes_in_their_order(client):
    make_article(theme=make_theme(name="Société", position=2))
    make_article(theme=make_theme(name="Politique", position=1))
    soup = page(client.get("/"))
    assert [a.get_text() for a in soup.select(".site-nav a")] == ["Politique", "Société"]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_an_article_readers_may_not_see_is_404_and_absent_everywhere(client, fields):
    theme, author = make_theme(name="Politique"), make_author()
    hidden = make_article(
        headline="Article caché",
        theme=theme,
        authors=[author],
        tags=["Secret"],
        is_lead=True,
        **fields,
    )
    visible = make_article(theme=theme, authors=[author], tags=["Secret"])
    assert client.get(hidden.get_absolute_url()).status_code == 404
    tag = Tag.objects.get(name="Secret")
    for url in [
        "/",
        "/articles/",
        theme.get_absolute_url(),
        author.get_absolute_url(),
        tag.get_absolute_url(),
        visible.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Article caché" not in response.text, url


def test_unknown_pages_answer_a_french_404(client):
    for url in ["/articles/nulle-part/", "/thematiques/nulle-part/", "/auteurs/x/", "/tags/y/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.text


def test_public_pages_carry_no_inline_script_or_style_and_a_strict_csp(client, story):
    for url in ["/", story.get_absolute_url(), story.theme.get_absolute_url(), "/auteurs/"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        soup = BeautifulSoup(response.text, "html.parser")
        # Scripts come from files; the only inline blocks are JSON-LD, data that never runs.
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                assert not script.get("src")
                json.loads(script.string)
            else:
                assert script.get("src") and not script.string
        assert not soup.find_all("style")
        assert not soup.select("[style]")
        assert not [
            tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)
        ]
        assert soup.html["lang"] == "fr"
        assert all(image.get("alt") is not None for image in soup.find_all("img"))


def related_fixture(count):
    """A story with `count` authors, tags and related articles, and as many home blocks."""
    theme = make_theme(name="Politique")
    authors = [make_author() for _ in range(count)]
    tags = [f"Mot {n}" for n in range(count)]
    picture = make_image()  # every card shows one: a query per card would show up here
    story = make_article(theme=theme, authors=authors, tags=tags, is_lead=True, lead_image=picture)
    for n in range(count):
        make_article(
            theme=theme,
            authors=authors,
            tags=tags,
            published_at=timezone.now() - timedelta(hours=n + 2),
            lead_image=picture,
        )
        make_article(theme=make_theme(), authors=authors, lead_image=picture)
    return story, authors[0], Tag.objects.get(name="Mot 0")


# Queries per page: navigation themes + the page's own (see each view).
PAGE_QUERIES = {
    "home": 7,  # lead + bylines, latest + bylines, theme blocks + bylines, nav
    "article": 7,  # article+theme, bylines, tags, corrections, linked races, related, nav
    "theme": 5,  # theme, count, page, bylines, nav
    "author": 5,  # author, count, page, bylines, nav
    "tag": 5,  # tag, count, page, bylines, nav
    "list": 4,  # count, page, bylines, nav
}


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize("name", PAGE_QUERIES)
def test_each_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, name, count):
    story, author, tag = related_fixture(count)
    url = {
        "home": "/",
        "article": story.get_absolute_url(),
        "theme": story.theme.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "list": reverse("articles:list"),
    }[name]
    with django_assert_num_queries(PAGE_QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200


def test_themes_and_authors_without_a_published_article_are_not_listed(client):
    live_theme, live_author = make_theme(name="Parlement"), make_author(name="Anne Dupré")
    make_article(theme=live_theme, authors=[live_author])
    draft_theme, draft_author = make_theme(name="Outre-mer"), make_author(name="Paul Roy")
    make_article(theme=draft_theme, authors=[draft_author], status=Article.Status.DRAFT)
    make_article(
        theme=draft_theme,
        authors=[draft_author],
        status=Article.Status.UNPUBLISHED,
        published_at=timezone.now(),
    )
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    navigation = soup.select_one("nav").get_text(" ")
    assert "Parlement" in navigation and "Outre-mer" not in navigation
    authors = BeautifulSoup(client.get("/auteurs/").text, "html.parser").select_one("main")
    assert "Anne Dupré" in authors.get_text() and "Paul Roy" not in authors.get_text()
