"""« Historique »: every history page holds to the roles, reads in French, restores in one click."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.articles.test_workflow import change_data, change_url, member
from tests.helpers import make_article, make_author, make_image, make_theme

pytestmark = pytest.mark.django_db

ROLES = {"journalist": "Journaliste", "editor": "Éditeur", "administrator": "Administrateur"}


def history_urls(obj):
    """The history list, the first version's page (which is also the revert form's URL)."""
    meta = obj._meta
    first = obj.history.order_by("history_date").first()
    return (
        reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk]),
        reverse(
            f"admin:{meta.app_label}_{meta.model_name}_simple_history", args=[obj.pk, first.pk]
        ),
    )


def objects(journalist_user, editor_user):
    """Each kind of object with a history, and whether a journalist may change it."""
    own_draft = make_article(status=Article.Status.DRAFT, created_by=journalist_user)
    others_draft = make_article(status=Article.Status.DRAFT, created_by=editor_user)
    published = make_article(created_by=editor_user)
    author, theme, image = make_author(), make_theme(), make_image()
    for obj in (own_draft, others_draft, published, author, theme, image):
        # A second version, so that the first one differs from the current row.
        if isinstance(obj, Article):
            obj.headline += " (titre revu)"
        elif hasattr(obj, "name"):
            obj.name += " (revu)"
        else:
            obj.alt_text += " (revu)"
        obj.save()
    return {
        "own draft": (own_draft, True),
        "another's draft": (others_draft, False),
        "an editor's published article": (published, False),
        "author": (author, False),
        "theme": (theme, False),
        "image": (image, True),  # journalists upload and describe images
    }


def snapshot(obj):
    obj = type(obj).objects.get(pk=obj.pk)
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix_of_history_pages(roles, role):
    journalist_user, _ = member("Journaliste", "lucie")
    editor_user, _ = member("Éditeur", "marc")
    user, browser = {
        "journalist": (journalist_user, None),
        "editor": (editor_user, None),
        "administrator": member("Administrateur", "ines"),
    }[role]
    browser = browser or logged_in(user)
    for name, (obj, journalist_may) in objects(journalist_user, editor_user).items():
        may_change = journalist_may if role == "journalist" else True
        history, version = history_urls(obj)
        before = snapshot(obj)
        responses = {
            "history list": browser.get(history).status_code,
            "version page": browser.get(version).status_code,
            "revert POST": browser.post(version, {"headline": "Piraté", "status": "draft"}),
        }
        responses["revert POST"] = responses["revert POST"].status_code
        if may_change:
            assert responses == {
                "history list": 200,
                "version page": 200,
                "revert POST": 302,
            }, (role, name)
        else:
            assert 200 not in responses.values() and responses["revert POST"] != 302, (role, name)
            assert snapshot(obj) == before, (role, name)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_journalists_crafted_revert_leaves_a_published_article_as_it_was(roles, client):
    journalist_user, journalist = member("Journaliste", "lucie")
    editor_user, editor = member("Éditeur", "marc")
    # An editor's article, and one the journalist wrote but an editor published.
    for created_by, refused in ((editor_user, 404), (journalist_user, 403)):
        article = make_article(headline="Le budget adopté", created_by=created_by)
        editor.post(change_url(article), change_data(article, headline="Le budget enfin adopté"))
        _, version = history_urls(article)
        before = snapshot(article)
        page_before = client.get(article.get_absolute_url()).text

        response = journalist.post(
            version, change_data(article, headline="Piraté", status=Article.Status.DRAFT)
        )
        assert response.status_code == refused
        assert snapshot(article) == before
        assert client.get(article.get_absolute_url()).text == page_before


def test_a_restore_works_in_one_click_and_brings_back_bylines_and_tags(roles):
    _, editor = member("Éditeur", "marc")
    first_author, second_author = make_author(name="Anne Dupré"), make_author(name="Paul Roy")
    article = make_article(headline="Premier titre", authors=[first_author], tags=["Sénat"])
    article.record_relations()  # as the admin does once the bylines and tags are saved
    data = change_data(article, headline="Second titre", tags="Budget")
    data["bylines-0-author"] = second_author.pk
    assert editor.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert [a.name for a in article.authors.all()] == ["Paul Roy"]

    first = article.history.order_by("history_date").first()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.pk])
    page = BeautifulSoup(editor.get(url).text, "html.parser").get_text(" ")
    assert "Second titre" in page and "Premier titre" in page and "Anne Dupré" in page
    response = editor.post(url, follow=True)  # one click: the button posts nothing else
    assert response.redirect_chain[-1][0] == change_url(article)
    messages = [str(message) for message in response.context["messages"]]
    assert messages and messages[0].startswith("Version du ") and messages[0].endswith(" rétablie.")
    article = Article.objects.get(pk=article.pk)
    assert article.headline == "Premier titre"
    assert [a.name for a in article.authors.all()] == ["Anne Dupré"]
    assert list(article.tags.names()) == ["Sénat"]
    assert article.status == Article.Status.PUBLISHED  # publishing is never restored
    assert article.history.count() == 3


def test_a_restore_by_an_editor_keeps_the_publication_state(roles, client):
    _, editor = member("Éditeur", "marc")
    article = make_article(status=Article.Status.DRAFT, headline="Brouillon")
    article.status, article.published_at = Article.Status.PUBLISHED, article.created_at
    article.save()
    _, version = history_urls(article)  # the first version was a draft
    assert editor.post(version).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_history_reads_in_french_with_labels_names_and_paris_times(roles):
    _, editor = member("Éditeur", "marc")
    article = make_article(
        status=Article.Status.REVIEW, body="<p>Un texte " + "long " * 40 + "</p>"
    )
    data = change_data(
        article,
        status=Article.Status.PUBLISHED,
        body="<p>Un texte " + "long " * 39 + "et revu.</p>",
    )
    editor.post(change_url(article), data)
    history, _ = history_urls(article)
    soup = BeautifulSoup(editor.get(history).text, "html.parser")
    text = soup.select_one("#change-history").get_text(" ")
    assert "En relecture" in text and "Publié" in text
    assert "review" not in text and "published" not in text
    assert "statut" in text.lower() and "texte" in text.lower()
    assert "CHANGES" not in soup.get_text().upper().replace("CHANGEMENTS", "")
    assert "+00:00" not in text
    assert soup.select_one(".history-diff ins").get_text(strip=True) == "et revu."


def test_a_version_page_of_an_unknown_version_is_a_404(roles):
    _, editor = member("Éditeur", "marc")
    article = make_article()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, 999999])
    assert editor.get(url).status_code == 404
    url = reverse("admin:articles_article_history", args=[article.pk]) + "abc/"
    assert editor.get(url).status_code == 404
