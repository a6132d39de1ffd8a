import pytest

from articles.models import Article, Author, Theme, reading_time
from articles.text import plain_text, sanitize_html
from tests.helpers import make_article, make_theme


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 1), (1, 1), (220, 1), (221, 2), (440, 2), (1000, 5)],
)
def test_reading_time_counts_words_at_a_french_pace_and_is_never_zero(words, minutes):
    body = "<p>" + " ".join(["mot"] * words) + "</p>"
    assert reading_time(body) == minutes


def test_reading_time_ignores_markup():
    body = '<p><a href="https://example.org/un/deux/trois">lien</a></p>' * 300
    assert reading_time(body) == 2  # 300 words, not the URL's parts


def test_reading_time_is_computed_on_save_not_typed(db):
    article = make_article(body="<p>" + "mot " * 700 + "</p>")
    assert article.reading_time == 4
    article.body = "<p>court</p>"
    article.save()
    article.refresh_from_db()
    assert article.reading_time == 1


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("Élection à Saint-Étienne", "election-a-saint-etienne"),
        ("L’État et les collectivités", "l-etat-et-les-collectivites"),
        ("Le cœur de l'hémicycle", "le-coeur-de-l-hemicycle"),
        ("Выборы в Сенат", "vybory-v-senat"),
    ],
)
def test_slugs_transliterate_accents_and_other_scripts(db, headline, slug):
    assert make_article(headline=headline).slug == slug


@pytest.mark.parametrize("headline", ["!!!", "« … »", "—", "🗳️"])
def test_a_headline_without_letters_still_gets_a_valid_slug(db, headline):
    article = make_article(headline=headline)
    assert article.slug == "article"
    assert article.get_absolute_url() == "/articles/article/"


def test_slugs_never_collide(db):
    theme = make_theme()
    slugs = [make_article(headline="Motion de censure", theme=theme).slug for _ in range(3)]
    assert slugs == ["motion-de-censure", "motion-de-censure-2", "motion-de-censure-3"]
    assert Article.objects.filter(slug__startswith="motion").count() == 3


def test_an_edited_headline_keeps_its_slug(db):
    article = make_article(headline="Premier titre")
    article.headline = "Titre réécrit"
    article.save()
    assert article.slug == "premier-titre"


def test_themes_and_authors_get_slugs_too(db):
    assert Theme.objects.create(name="Économie").slug == "economie"
    assert Author.objects.create(name="Zoé Lefèvre").slug == "zoe-lefevre"
    assert Author.objects.create(name="Zoé Lefèvre").slug == "zoe-lefevre-2"


def test_tag_slugs_transliterate_accents(db):
    article = make_article(tags=["Sénatoriales 2023", "Élus"])
    assert sorted(article.tags.values_list("slug", flat=True)) == ["elus", "senatoriales-2023"]


@pytest.mark.parametrize(
    "dirty",
    [
        "<p>a<script>alert(1)</script></p>",
        '<p onclick="steal()">a</p>',
        '<p><a href="javascript:alert(1)">a</a></p>',
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p style="color:red">a</p>',
        "<iframe src='https://example.org'></iframe><p>a</p>",
        '<p><a href="JaVaScRiPt:alert(1)">a</a></p>',
        "<svg><script>alert(1)</script></svg><p>a</p>",
    ],
)
def test_sanitizer_removes_scripts_handlers_and_dangerous_urls(dirty):
    clean = sanitize_html(dirty).lower()
    for danger in ("<script", "onclick", "onerror", "javascript:", "style=", "<iframe", "<svg"):
        assert danger not in clean


def test_sanitizer_keeps_the_allowed_newsroom_markup():
    html = (
        "<h2>Intertitre</h2><p><strong>gras</strong> <em>italique</em> "
        '<a href="https://www.senat.fr/">lien</a></p><blockquote><p>« Citation »</p></blockquote>'
        "<ul><li>un</li></ul><ol><li>deux</li></ol>"
        '<p class="cta"><a href="/elections/">carte</a></p>'
    )
    clean = sanitize_html(html)
    for kept in (
        "<h2>",
        "<strong>",
        "<em>",
        'href="https://www.senat.fr/"',
        "<blockquote>",
        "<ul>",
        "<ol>",
        '<p class="cta">',
        'href="/elections/"',
    ):
        assert kept in clean


def test_sanitizer_strips_control_characters():
    assert sanitize_html("<p>a\x00b\x0bc\x1fd</p>") == "<p>abcd</p>"


def test_the_body_is_stored_sanitized(db):
    article = make_article(body='<p onclick="steal()">Texte<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Texte</p>"


def test_plain_text_separates_paragraphs_and_decodes_entities():
    assert plain_text("<p>Un&nbsp;mot</p><p>l&rsquo;autre</p>") == "Un mot l’autre"
