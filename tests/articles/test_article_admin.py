import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PillowImage

from articles.models import Article, Author, Tag, Theme
from tests.helpers import make_article, make_author, make_image, make_theme
from tests.images.helpers import photo_with_gps_bytes

MODELS = ["article", "author", "theme", "tag"]


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def article_form(*, theme, authors, **fields):
    """The add form's POST data, bylines in the order of `authors`."""
    data = {
        "headline": "Le Sénat adopte la réforme des retraites",
        "seo_title": "",
        "slug": "",
        "standfirst": "Les sénateurs ont voté le texte dans la nuit.",
        "body": "<p>Le texte a été adopté par 195 voix contre 112.</p>",
        "theme": theme.pk if theme else "",
        "tags": "",
        "lead_image": "",
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "revised_at_0": "",
        "revised_at_1": "",
        # The inline formset's management form; its prefix is Byline.article's related_name.
        "bylines-TOTAL_FORMS": str(max(len(authors), 1)),
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": "",
        "bylines-0-position": "0",
        # The other inlines, empty.
        **management_form("corrections"),
        **management_form("preview_links"),
    }
    for position, author in enumerate(authors):
        data[f"bylines-{position}-author"] = author.pk
        data[f"bylines-{position}-position"] = str(position)
    data.update(fields)
    return data


def management_form(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def add_article(client, data):
    return client.post(reverse("admin:articles_article_add"), data)


def widths(srcset):
    return [int(width) for width in re.findall(r" (\d+)w", srcset)]


@pytest.fixture
def story():
    """A published article with two authors, two tags and a lead image."""
    return make_article(
        headline="Le Sénat adopte le budget de la Sécurité sociale",
        theme=make_theme(name="Finances publiques"),
        authors=[make_author(name="Anne Dupré"), make_author(name="Marc Olivier")],
        tags=["Sénat", "Budget"],
        lead_image=make_image(alt_text="L’hémicycle du Sénat"),
    )


@pytest.fixture
def theme():
    return make_theme(name="Parlement")


def test_the_admin_index_lists_the_newsroom_models(admin_client):
    soup = page(admin_client.get(reverse("admin:index")))

    text = soup.get_text()
    for name in ["Articles", "Auteurs", "Thématiques", "Mots-clés"]:
        assert name in text


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_shows_its_rows(admin_client, story, model):
    make_article(headline="La commission mixte paritaire échoue", authors=story.authors.all())
    rows = {
        "article": ["Le Sénat adopte le budget", "La commission mixte paritaire échoue"],
        "author": ["Anne Dupré", "Marc Olivier"],
        "theme": ["Finances publiques"],
        "tag": ["Sénat", "Budget"],
    }[model]

    soup = page(admin_client.get(reverse(f"admin:articles_{model}_changelist")))

    results = soup.select_one("#result_list").get_text()
    for row in rows:
        assert row in results


@pytest.mark.parametrize("model", MODELS)
def test_every_add_form_loads(admin_client, model):
    soup = page(admin_client.get(reverse(f"admin:articles_{model}_add")))

    assert soup.select_one(f"form#{model}_form")


@pytest.mark.parametrize("model", MODELS)
def test_every_change_form_loads(admin_client, story, model):
    instance = {
        "article": story,
        "author": story.authors.get(name="Anne Dupré"),
        "theme": story.theme,
        "tag": story.tags.get(name="Sénat"),
    }[model]

    soup = page(admin_client.get(reverse(f"admin:articles_{model}_change", args=[instance.pk])))

    assert soup.select_one(f"form#{model}_form")
    assert str(instance) in soup.get_text()


def test_the_article_change_form_previews_the_lead_image(admin_client, story):
    url = reverse("admin:articles_article_change", args=[story.pk])

    preview = page(admin_client.get(url)).select_one("img.admin-preview")

    assert preview["src"] == story.lead_image.file.url
    assert preview["alt"] == "L’hémicycle du Sénat"


def test_the_article_changelist_query_count_does_not_grow_with_bylines(admin_client):
    def changelist_queries():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("admin:articles_article_changelist"))
        assert response.status_code == 200
        return len(queries), response.text

    make_article(authors=[make_author() for _ in range(3)])
    changelist_queries()  # Warm the caches a first request fills (content types…).
    one_article, _ = changelist_queries()
    for _ in range(4):
        make_article(authors=[make_author() for _ in range(3)])
    five_articles, text = changelist_queries()

    assert five_articles == one_article
    assert all(author.name in text for author in Author.objects.all())


@pytest.mark.parametrize(
    ("model_name", "field_name", "expected"),
    [
        ("article", "theme", ["Culture", "Parlement", "Économie"]),
        ("byline", "author", ["Anne Dupré", "Marc Olivier", "Zoé Martin"]),
    ],
)
def test_the_autocompletes_list_choices_in_order(admin_client, model_name, field_name, expected):
    make_theme(name="Économie", position=2)
    make_theme(name="Parlement", position=1)
    make_theme(name="Culture", position=1)
    for name in ["Zoé Martin", "Anne Dupré", "Marc Olivier"]:
        make_author(name=name)
    query = {"app_label": "articles", "model_name": model_name, "field_name": field_name}

    response = admin_client.get(reverse("admin:autocomplete"), {**query, "term": ""})

    assert [result["text"] for result in response.json()["results"]] == expected


def test_the_add_form_creates_an_article_with_ordered_bylines_tags_and_image(
    admin_client, client, theme
):
    # Positions, not names, order the bylines: Zoé signs first.
    zoe, anne = make_author(name="Zoé Martin"), make_author(name="Anne Dupré")
    image = make_image(alt_text="L’hémicycle pendant le vote", width=1600, height=900)
    data = article_form(
        theme=theme,
        authors=[zoe, anne],
        tags="Retraites, Sénat",
        lead_image=image.pk,
        status=Article.Status.PUBLISHED,
    )

    response = add_article(admin_client, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.headline == "Le Sénat adopte la réforme des retraites"
    assert article.slug == "le-senat-adopte-la-reforme-des-retraites"
    assert article.published_at is not None  # clean() dates what isn't a draft
    assert [byline.author for byline in article.bylines.all()] == [zoe, anne]
    assert sorted(article.tags.names()) == ["Retraites", "Sénat"]
    assert article.lead_image == image

    soup = page(client.get(article.get_absolute_url()))
    img = soup.select_one(".article__image img")
    assert img["alt"] == "L’hémicycle pendant le vote"
    assert widths(img["srcset"]) == [480, 800, 1200, 1600]
    webp = soup.select_one(".article__image source[type='image/webp']")
    assert widths(webp["srcset"]) == [480, 800, 1200, 1600]
    bylines = soup.select_one(".article__bylines").get_text(" ", strip=True)
    assert bylines.index("Zoé Martin") < bylines.index("Anne Dupré")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param({"headline": ""}, "headline", "Ce champ est obligatoire.", id="no-headline"),
        pytest.param({"theme": ""}, "theme", "Ce champ est obligatoire.", id="no-theme"),
        pytest.param(
            {"lead_image": "999999"},
            "lead_image",
            "Sélectionnez un choix valide.",
            id="unknown-image",
        ),
    ],
)
def test_bad_article_input_is_refused_with_a_french_error(
    admin_client, theme, fields, field, message
):
    data = article_form(theme=theme, authors=[make_author()])
    data.update(fields)

    response = add_article(admin_client, data)

    soup = page(response)
    assert Article.objects.count() == 0
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert message in soup.select_one(f".field-{field} .errorlist").get_text()


@pytest.mark.parametrize(
    ("signatures", "message"),
    [
        pytest.param(0, "Un article doit être signé : ajoutez au moins un auteur.", id="none"),
        pytest.param(
            2,
            "Chaque auteur ne peut signer l’article qu’une fois.",
            id="twice",
        ),
    ],
)
def test_bylines_are_checked(admin_client, theme, signatures, message):
    data = article_form(theme=theme, authors=[make_author()] * signatures)

    response = add_article(admin_client, data)

    soup = page(response)
    assert Article.objects.count() == 0
    formset = response.context["inline_admin_formsets"][0].formset
    assert message in formset.non_form_errors()
    assert message in soup.select_one(".inline-group .errorlist.nonform").get_text()


def test_an_author_signing_twice_is_refused(admin_client, theme):
    author = make_author()

    response = add_article(admin_client, article_form(theme=theme, authors=[author, author]))

    assert response.status_code == 200
    assert Article.objects.count() == 0
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()


def test_a_hostile_body_is_stored_and_shown_sanitized(admin_client, client, theme):
    body = (
        "<p>Le vote a eu lieu.</p><script>alert(1)</script>"
        '<p onclick="steal()">Cliquez ici.</p>'
        '<p><a href="javascript:alert(1)">Le détail du scrutin</a></p>'
    )
    data = article_form(
        theme=theme, authors=[make_author()], body=body, status=Article.Status.PUBLISHED
    )

    assert add_article(admin_client, data).status_code == 302
    article = Article.objects.get()
    for hostile in ["<script", "alert(1)", "onclick", "javascript:"]:
        assert hostile not in article.body
    assert "Cliquez ici." in article.body
    assert "Le détail du scrutin" in article.body

    soup = page(client.get(article.get_absolute_url()))
    assert not soup.select(".article__body script")
    assert not soup.select("[onclick]")
    assert "onclick" not in client.get(article.get_absolute_url()).text
    assert not [a for a in soup.select("a[href]") if a["href"].startswith("javascript:")]


def post_action(client, action, articles):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [article.pk for article in articles]},
    )


def test_publish_now_publishes_the_selected_drafts(admin_client, client):
    drafts = [make_article(status=Article.Status.DRAFT) for _ in range(2)]
    other = make_article(status=Article.Status.DRAFT)
    for draft in drafts:
        assert client.get(draft.get_absolute_url()).status_code == 404

    response = post_action(admin_client, "publish_now", drafts)

    assert response.status_code == 302
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.status == Article.Status.PUBLISHED
        assert draft.published_at is not None
        assert client.get(draft.get_absolute_url()).status_code == 200
    other.refresh_from_db()
    assert other.status == Article.Status.DRAFT
    assert client.get(other.get_absolute_url()).status_code == 404
    assert "2 article(s) publié(s)." in page(admin_client.get(response.url)).get_text()


def test_publish_now_keeps_the_first_publication_date(admin_client, client):
    article = make_article(status=Article.Status.UNPUBLISHED)
    first_published_at = article.published_at

    post_action(admin_client, "publish_now", [article])

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == first_published_at
    assert client.get(article.get_absolute_url()).status_code == 200


def test_unpublish_takes_the_selected_articles_offline(admin_client, client):
    live = [make_article() for _ in range(2)]
    other = make_article()
    for article in live:
        assert client.get(article.get_absolute_url()).status_code == 200

    response = post_action(admin_client, "unpublish", live)

    assert response.status_code == 302
    for article in live:
        article.refresh_from_db()
        assert article.status == Article.Status.UNPUBLISHED
        assert article.published_at is not None
        assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 200
    assert "2 article(s) dépublié(s)." in page(admin_client.get(response.url)).get_text()


def test_the_author_change_form_saves_and_fills_an_empty_slug(admin_client):
    author = make_author(name="Anne Dupré")
    url = reverse("admin:articles_author_change", args=[author.pk])

    response = admin_client.post(
        url,
        {"name": "Élise Lefèvre", "slug": "", "job_title": "Cheffe du service politique",
         "bio": "Elle suit le Sénat depuis 2015.", "user": ""},
    )  # fmt: skip

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.name == "Élise Lefèvre"
    assert author.slug == "elise-lefevre"
    assert author.job_title == "Cheffe du service politique"


def test_the_theme_change_form_saves_and_fills_an_empty_slug(admin_client):
    theme = make_theme(name="Parlement")
    url = reverse("admin:articles_theme_change", args=[theme.pk])

    response = admin_client.post(
        url,
        {"name": "Collectivités territoriales", "slug": "", "description": "", "position": "3"},
    )

    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.slug == "collectivites-territoriales"
    assert theme.position == 3


def test_the_theme_add_form_fills_an_empty_slug(admin_client):
    response = admin_client.post(
        reverse("admin:articles_theme_add"),
        {"name": "Élections municipales", "slug": "", "description": "", "position": "0"},
    )

    assert response.status_code == 302
    assert Theme.objects.get().slug == "elections-municipales"


def test_the_tag_add_form_saves(admin_client):
    response = admin_client.post(
        reverse("admin:articles_tag_add"), {"name": "Assemblée nationale", "slug": "assemblee"}
    )

    assert response.status_code == 302
    assert Tag.objects.get().name == "Assemblée nationale"


def test_an_article_slug_already_taken_is_refused(admin_client, theme):
    taken = make_article(slug="le-senat-adopte-la-reforme")
    data = article_form(theme=theme, authors=[make_author()], slug="le-senat-adopte-la-reforme")

    response = add_article(admin_client, data)

    soup = page(response)
    assert Article.objects.count() == 1
    message = "Un objet Article avec ce champ Slug existe déjà."
    assert response.context["adminform"].form.errors["slug"] == [message]
    assert message in soup.select_one(".field-slug .errorlist").get_text()
    assert Article.objects.get() == taken


def test_an_empty_slug_under_a_taken_headline_gets_a_number(admin_client, theme):
    make_article(headline="Le Sénat adopte la réforme des retraites")

    response = add_article(admin_client, article_form(theme=theme, authors=[make_author()]))

    assert response.status_code == 302
    assert Article.objects.latest("created_at").slug == "le-senat-adopte-la-reforme-des-retraites-2"


def test_an_authors_portrait_loses_its_gps_position(admin_client):
    portrait = SimpleUploadedFile("portrait.jpg", photo_with_gps_bytes(400, 400), "image/jpeg")
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {"name": "Léa Roche", "slug": "", "job_title": "", "bio": "", "photo": portrait},
    )
    assert response.status_code == 302
    author = Author.objects.get(name="Léa Roche")
    with PillowImage.open(author.photo.path) as stored:
        assert not stored.getexif()


def test_a_portrait_that_is_not_an_image_gets_a_precise_message(admin_client):
    page_renamed = SimpleUploadedFile(
        "portrait.jpg", b"<html><body>Non</body></html>", "image/jpeg"
    )
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {"name": "Léa Roche", "slug": "", "job_title": "", "bio": "", "photo": page_renamed},
    )
    assert response.status_code == 200
    assert "page HTML renommée en .jpg" in response.text
    assert not Author.objects.filter(name="Léa Roche").exists()


def changelist_rows(soup):
    """The themes' list as its form posts it."""
    data = {
        field["name"]: field.get("value", "")
        for field in soup.select("#changelist-form input[name^=form-]")
    }
    return data | {"_save": "Enregistrer"}


def test_two_editors_reordering_themes_never_overwrite_each_other(admin_client, django_user_model):
    other = django_user_model.objects.create_superuser("paul", "paul@example.org", "motdepasse")

    second = Client()
    second.force_login(other)
    first_theme, second_theme = (
        make_theme(name="Parlement", position=1),
        make_theme(name="Outre-mer", position=2),
    )
    url = reverse("admin:articles_theme_changelist")
    mine = changelist_rows(page(admin_client.get(url)))
    theirs = changelist_rows(page(second.get(url)))
    index = {v: k.removesuffix("-id") for k, v in mine.items() if k.endswith("-id")}
    row = index[str(first_theme.pk)]

    assert admin_client.post(url, {**mine, f"{row}-position": "5"}).status_code == 302
    refused = second.post(url, {**theirs, f"{row}-position": "3"})
    assert refused.status_code == 200
    assert "Quelqu’un l’a mise en position 5" in refused.text
    assert Theme.objects.get(pk=first_theme.pk).position == 5
    # Saving again, knowingly, from the refused page works.
    again = changelist_rows(page(refused)) | {f"{row}-position": "3"}
    assert second.post(url, again).status_code == 302
    assert Theme.objects.get(pk=first_theme.pk).position == 3
    assert Theme.objects.get(pk=second_theme.pk).position == 2
