"""Work in progress is never lost: autosaved drafts, presence, and what the form says."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Draft
from tests.articles.test_article_admin import article_form
from tests.articles.test_workflow import change_data, change_url, member
from tests.helpers import make_article, make_author, make_theme

pytestmark = pytest.mark.django_db
ADD = reverse("admin:articles_article_add")
AUTOSAVE_NEW = reverse("admin:articles_article_autosave_new")


@pytest.fixture
def editor(roles):
    return member("Éditeur", "marc")


def test_a_new_articles_autosaved_text_is_offered_back_and_never_a_version(editor):
    user, browser = editor
    theme, author = make_theme(), make_author()
    typed = article_form(theme=theme, authors=[author], headline="Le titre tapé puis perdu")
    response = browser.post(AUTOSAVE_NEW, typed)
    assert response.status_code == 200 and "saved_at" in response.json()
    assert Article.objects.count() == 0 and Article.history.count() == 0

    # The tab was closed: the add form offers the draft back, and restores it on request.
    soup = BeautifulSoup(browser.get(ADD).text, "html.parser")
    offer = soup.select_one(".draft-offer")
    assert "Le titre tapé puis perdu" in offer.get_text()
    response = browser.post(ADD, {"_restore_draft": "1"})
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("input[name=headline]")["value"] == "Le titre tapé puis perdu"
    assert (
        "Votre brouillon du" in soup.get_text()
        and "Rien n’est encore enregistré" in soup.get_text()
    )
    assert Article.objects.count() == 0

    # A real save makes one version and clears the draft.
    assert browser.post(ADD, typed).status_code == 302
    article = Article.objects.get()
    assert article.history.count() == 1
    assert not Draft.objects.filter(user=user).exists()
    assert not BeautifulSoup(browser.get(ADD).text, "html.parser").select(".draft-offer")


def test_autosaving_many_times_keeps_one_draft_and_adds_no_version(editor):
    user, browser = editor
    article = make_article(headline="Titre publié")
    for n in range(5):
        browser.post(
            reverse("admin:articles_article_autosave", args=[article.pk]),
            change_data(article, headline=f"Titre en cours {n}"),
        )
    assert Draft.objects.filter(user=user, article=article).count() == 1
    assert Draft.objects.get().headline == "Titre en cours 4"
    assert article.history.count() == 1
    assert Article.objects.get(pk=article.pk).headline == "Titre publié"
    # Discarding removes it; the article is untouched.
    browser.post(change_url(article), {"_discard_draft": "1"})
    assert not Draft.objects.exists()


def test_a_draft_survives_a_new_session_on_another_device(roles):
    user, first_device = member("Éditeur", "marc")
    article = make_article()
    first_device.post(
        reverse("admin:articles_article_autosave", args=[article.pk]),
        change_data(article, standfirst="Un chapô écrit dans le train."),
    )
    first_device.logout()
    second_device = Client()
    second_device.force_login(user)
    response = second_device.post(change_url(article), {"_restore_draft": "1"})
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("textarea[name=standfirst]").get_text().strip() == (
        "Un chapô écrit dans le train."
    )


def test_autosave_holds_to_the_roles(roles):
    _, journalist = member("Journaliste", "lucie")
    others = make_article(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_autosave", args=[others.pk])
    assert journalist.post(url, change_data(others)).status_code == 404
    assert journalist.get(AUTOSAVE_NEW).status_code == 405
    assert not Draft.objects.exists()


def test_the_form_says_who_else_has_the_article_open_and_since_when(roles):
    claire, claire_browser = member("Éditeur", "claire")
    claire.first_name, claire.last_name = "Claire", "Vasseur"
    claire.save()
    _, marc_browser = member("Éditeur", "marc")
    article = make_article()
    opened_at = timezone.now()
    with time_machine.travel(opened_at, tick=False):
        assert "modifie cet article" not in claire_browser.get(change_url(article)).text
        soup = BeautifulSoup(marc_browser.get(change_url(article)).text, "html.parser")
    local = timezone.localtime(opened_at)
    assert soup.select_one(".presence").get_text(strip=True) == (
        f"Claire Vasseur modifie cet article depuis {local.hour} h {local:%M}."
    )
    presence = reverse("admin:articles_article_presence", args=[article.pk])
    # Kept alive by Claire's page, it stays; once her page stops saying so, it lapses.
    with time_machine.travel(opened_at + timedelta(seconds=60), tick=False):
        claire_browser.post(presence, {"action": "keep"})
    with time_machine.travel(opened_at + timedelta(seconds=120), tick=False):
        others = marc_browser.post(presence, {"action": "keep"}).json()["others"]
        assert others == [f"Claire Vasseur modifie cet article depuis {local.hour} h {local:%M}"]
    with time_machine.travel(opened_at + timedelta(seconds=300), tick=False):
        assert marc_browser.post(presence, {"action": "keep"}).json()["others"] == []
    # Leaving the page ends it at once.
    claire_browser.get(change_url(article))
    claire_browser.post(presence, {"action": "leave"})
    assert marc_browser.post(presence, {"action": "keep"}).json()["others"] == []


def test_title_fields_carry_their_recommended_lengths(editor):
    _, browser = editor
    soup = BeautifulSoup(browser.get(ADD).text, "html.parser")
    assert soup.select_one("input[name=seo_title]")["data-recommended-length"] == "60"
    assert soup.select_one("input[name=social_title]")["data-recommended-length"] == "70"
    assert soup.select_one("#editing-aids")["data-words-per-minute"] == "220"


def test_the_social_title_is_what_networks_show(client):
    article = make_article(headline="Le titre de la page", social_title="Le titre partagé")
    soup = BeautifulSoup(client.get(article.get_absolute_url()).text, "html.parser")
    assert soup.select_one("meta[property='og:title']")["content"] == "Le titre partagé"
    assert soup.h1.get_text(strip=True) == "Le titre de la page"
