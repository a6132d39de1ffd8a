"""The trash: deleted articles leave every public place and come back whole."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, PreviewLink, Tag
from tests.articles.test_workflow import change_url, member
from tests.helpers import make_article, make_author, make_senate_election, make_theme

pytestmark = pytest.mark.django_db


def test_a_trashed_article_is_not_published_and_comes_back_on_restore(client):
    user = get_user_model().objects.create_user("marc")
    article = make_article()
    article.move_to_trash(user)
    assert Article.objects.filter(pk=article.pk).exists()  # still a row
    assert list(Article.objects.published()) == []
    assert list(Article.objects.in_trash()) == [article]
    assert not article.is_live
    assert client.get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert (article.deleted_by, article.is_in_trash) == (user, True)

    article.restore_from_trash()
    assert list(Article.objects.published()) == [article]
    assert list(Article.objects.not_in_trash()) == [article]
    assert client.get(article.get_absolute_url()).status_code == 200


def test_trashing_and_restoring_are_saves_with_their_history():
    article = make_article()
    article.move_to_trash()
    article.restore_from_trash()
    records = list(article.history.order_by("history_date"))
    assert [record.deleted_at is not None for record in records] == [False, True, False]
    assert article.version == 3


# In the admin: editors trash and restore, administrators delete for good.


@pytest.fixture
def editor(roles):
    return member("Éditeur", "marc")


def public_places(client, article):
    """Where readers may meet the article, and whether it is there."""
    theme, author = article.theme, article.authors.first()
    places = {
        "page": client.get(article.get_absolute_url()).status_code == 200,
        "preview link": False,
    }
    lists = ["/", "/articles/", theme.get_absolute_url(), author.get_absolute_url()]
    for url in [*lists, "/tags/assemblee/", "/recherche/?q=cantonales", "/feed/", "/sitemap.xml"]:
        places[url] = article.get_absolute_url() in client.get(url).text
    link = article.preview_links.first()
    places["preview link"] = client.get(link.get_absolute_url()).status_code == 200
    return places


def test_an_article_deleted_by_an_editor_is_in_the_trash_and_comes_back_whole(
    editor, client, django_capture_on_commit_callbacks
):
    user, browser = editor
    election = make_senate_election()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            headline="Les cantonales reportées", tags=["Assemblée", "Calendrier"]
        )
        article.elections.add(election)
        Correction.objects.create(article=article, text="La date était erronée.")
        PreviewLink.objects.create(article=article, expires_at=timezone.now() + timedelta(days=1))
    bylines = list(article.bylines.values_list("author__name", flat=True))
    history_count = article.history.count()
    assert all(public_places(client, article).values())

    confirm = browser.get(reverse("admin:articles_article_delete", args=[article.pk]))
    assert "corbeille" in confirm.text and "30 jours" in confirm.text
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("admin:articles_article_delete", args=[article.pk]),
            {"post": "yes"},
            follow=True,
        )
    assert "est dans la corbeille" in BeautifulSoup(response.text, "html.parser").get_text()
    article.refresh_from_db()
    assert article.deleted_by == user
    assert not any(public_places(client, article).values())
    changelist = browser.get(reverse("admin:articles_article_changelist")).text
    assert article.headline not in changelist and "Corbeille (1)" in changelist
    dashboard = BeautifulSoup(browser.get(reverse("admin:index")).text, "html.parser")
    panels = " ".join(panel.get_text() for panel in dashboard.select(".dashboard__panel"))
    assert panels and article.headline not in panels
    assert browser.get(change_url(article)).status_code == 302  # not in their lists any more

    trash = browser.get(reverse("admin:articles_article_trash"))
    soup = BeautifulSoup(trash.text, "html.parser")
    assert soup.select_one("table.trash th[scope=row]").get_text(strip=True) == article.headline
    assert not soup.select("button[value=empty]")  # only administrators empty it
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("admin:articles_article_trash"), {"action": "restore", "article": article.pk}
        )
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert not article.is_in_trash
    assert list(article.bylines.values_list("author__name", flat=True)) == bylines
    assert sorted(article.tags.names()) == ["Assemblée", "Calendrier"]
    assert article.corrections.count() == 1 and list(article.elections.all()) == [election]
    assert article.history.count() == history_count + 2  # trashed, then restored
    assert all(public_places(client, article).values())


def test_the_bulk_delete_action_moves_to_the_trash(editor):
    _, browser = editor
    articles = [make_article(), make_article()]
    changelist = reverse("admin:articles_article_changelist")
    options = BeautifulSoup(browser.get(changelist).text, "html.parser")
    values = [option["value"] for option in options.select("select[name=action] option")]
    assert "delete_selected" not in values and "trash_selected" in values
    browser.post(
        changelist, {"action": "trash_selected", "_selected_action": [a.pk for a in articles]}
    )
    assert Article.objects.in_trash().count() == 2
    assert Article.objects.count() == 2


def test_only_administrators_delete_for_good_and_empty_the_trash(editor, roles):
    _, editor_browser = editor
    _, admin_browser = member("Administrateur", "ines")
    first, second, third = make_article(), make_article(), make_article()
    for article in (first, second, third):
        article.move_to_trash()
    trash = reverse("admin:articles_article_trash")
    for action in ("delete", "empty"):
        response = editor_browser.post(trash, {"action": action, "article": first.pk})
        assert response.status_code == 403
    assert Article.objects.in_trash().count() == 3

    soup = BeautifulSoup(admin_browser.get(trash).text, "html.parser")
    assert soup.select("button[value=empty]")
    admin_browser.post(trash, {"action": "delete", "article": first.pk})
    assert set(Article.objects.in_trash()) == {second, third}
    admin_browser.post(trash, {"action": "empty"})
    assert not Article.objects.exists()


def test_a_journalist_has_no_trash(roles):
    _, browser = member("Journaliste", "lucie")
    assert browser.get(reverse("admin:articles_article_trash")).status_code == 403
    article = make_article()
    article.move_to_trash()
    response = browser.post(
        reverse("admin:articles_article_trash"), {"action": "restore", "article": article.pk}
    )
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).is_in_trash


def test_articles_trashed_over_30_days_ago_are_purged():
    old, recent = make_article(), make_article()
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        old.move_to_trash()
    recent.move_to_trash()
    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert list(Article.objects.all()) == [recent]
    assert "1 article(s) supprimé(s)" in out.getvalue()


# What is still in use is not deleted, and the refusal names the articles.


def test_a_theme_author_or_tag_in_use_is_not_deleted_and_the_articles_are_named(editor):
    _, browser = editor
    theme, author = make_theme(name="Outre-mer"), make_author(name="Anne Dupré")
    article = make_article(
        headline="Le congrès de Nouméa", theme=theme, authors=[author], tags=["Calédonie"]
    )
    tag = Tag.objects.get(name="Calédonie")
    for name, obj in (("theme", theme), ("author", author), ("tag", tag)):
        url = reverse(f"admin:articles_{name}_delete", args=[obj.pk])
        page = browser.get(url).text
        assert "Le congrès de Nouméa" in page, name
        browser.post(url, {"post": "yes"})
        assert type(obj).objects.filter(pk=obj.pk).exists(), name
    assert list(article.tags.names()) == ["Calédonie"]
