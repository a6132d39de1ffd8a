"""Roles, review, scheduling, previews, history and no silent overwrite."""

import json
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleSlug, Correction, PreviewLink
from tests.articles.test_article_admin import article_form, management_form
from tests.helpers import make_article, make_author, make_theme

pytestmark = pytest.mark.django_db
User = get_user_model()


def member(group, username):
    user = User.objects.create_user(username, password="motdepasse", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def journalist(roles):
    return member("Journaliste", "lucie")


@pytest.fixture
def editor(roles):
    return member("Éditeur", "marc")


@pytest.fixture
def administrator(roles):
    return member("Administrateur", "ines")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def change_data(article, **fields):
    """The change form's POST data for `article`, as its form would send it."""
    bylines = list(article.bylines.all())
    data = article_form(
        theme=article.theme,
        authors=[byline.author for byline in bylines],
        headline=article.headline,
        standfirst=article.standfirst,
        body=article.body,
        slug=article.slug,
        status=article.status,
        loaded_version=article.version,
    )
    data["bylines-INITIAL_FORMS"] = str(len(bylines))
    for index, byline in enumerate(bylines):
        data[f"bylines-{index}-id"] = byline.pk
        data[f"bylines-{index}-article"] = article.pk
    if article.published_at:
        local = timezone.localtime(article.published_at)
        data["published_at_0"] = local.strftime("%d/%m/%Y")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    data.update(fields)
    return data


def live(client, article):
    return client.get(article.get_absolute_url()).status_code == 200


def own_draft(user, **fields):
    article = make_article(status=Article.Status.DRAFT, created_by=user, **fields)
    return article


# The permission matrix: each role × each action.


def test_a_journalist_writes_and_submits_but_never_publishes_by_form(journalist, client):
    user, browser = journalist
    theme, author = make_theme(), make_author(user=user)
    response = browser.post(
        reverse("admin:articles_article_add"),
        article_form(theme=theme, authors=[author], status=Article.Status.PUBLISHED),
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert Article.objects.count() == 0

    # A crafted POST with a publication date: the field is read-only for them, so ignored.
    response = browser.post(
        reverse("admin:articles_article_add"),
        article_form(
            theme=theme,
            authors=[author],
            status=Article.Status.REVIEW,
            published_at_0="01/01/2020",
            published_at_1="10:00:00",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.published_at, article.created_by) == ("review", None, user)
    assert not live(client, article)


def test_a_journalist_cannot_publish_by_action(journalist, client):
    user, browser = journalist
    article = own_draft(user)
    response = browser.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
        follow=True,
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not live(client, article)
    actions = BeautifulSoup(response.text, "html.parser").select("select[name=action] option")
    assert "publish_now" not in [option["value"] for option in actions]


def test_a_journalist_sends_a_draft_for_review(journalist):
    user, browser = journalist
    article = own_draft(user)
    browser.post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_for_review", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_a_journalist_cannot_edit_a_published_article_or_someone_elses(journalist):
    user, browser = journalist
    published = make_article(created_by=user)
    response = browser.post(change_url(published), change_data(published, headline="Piraté"))
    assert response.status_code == 403
    others = make_article(status=Article.Status.DRAFT)
    assert browser.get(change_url(others)).status_code == 302  # "does not exist" for them
    response = browser.post(change_url(others), change_data(others, headline="Piraté"))
    assert response.status_code == 302
    assert not Article.objects.filter(headline="Piraté").exists()
    changelist = browser.get(reverse("admin:articles_article_changelist")).text
    assert published.headline in changelist and others.headline not in changelist


def test_editable_by_gives_a_journalist_their_own_and_an_editor_everything(journalist, editor):
    lucie, _ = journalist
    marc, _ = editor
    created = own_draft(lucie)
    signed = make_article(authors=[make_author(user=lucie)])
    others = make_article(status=Article.Status.DRAFT)
    assert set(Article.objects.editable_by(lucie)) == {created, signed}
    assert set(Article.objects.editable_by(marc)) == {created, signed, others}


def test_the_dashboard_shows_a_journalist_only_their_own(journalist):
    user, browser = journalist
    own_draft(user, headline="Mon brouillon")
    make_article(headline="Le brouillon d’un autre", status=Article.Status.DRAFT)
    text = browser.get(reverse("admin:index")).text
    assert "Mon brouillon" in text and "Le brouillon d’un autre" not in text


def test_a_journalist_cannot_delete(journalist):
    user, browser = journalist
    article = own_draft(user)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert browser.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_an_editor_publishes_schedules_and_unpublishes(editor, client):
    user, browser = editor
    article = make_article(status=Article.Status.REVIEW)
    response = browser.post(
        change_url(article), change_data(article, status=Article.Status.PUBLISHED)
    )
    assert response.status_code == 302
    assert live(client, article)
    browser.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    assert not live(client, article)
    other = make_article(status=Article.Status.DRAFT)
    browser.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [other.pk]},
    )
    assert live(client, other)


def test_an_editor_edits_anyones_article_and_may_move_it_to_the_trash(editor):
    _, browser = editor
    article = make_article(status=Article.Status.DRAFT)
    response = browser.post(change_url(article), change_data(article, headline="Retitré"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "Retitré"
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert browser.post(url, {"post": "yes"}).status_code == 302
    assert Article.objects.get(pk=article.pk).is_in_trash


def test_only_administrators_manage_accounts_and_nobody_deletes_them(
    administrator, editor, journalist
):
    admin_user, admin_browser = admin_user_and_browser = administrator
    assert admin_user_and_browser
    assert admin_browser.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert editor[1].get(reverse("admin:auth_user_changelist")).status_code == 403
    lucie = journalist[0]
    delete = reverse("admin:auth_user_delete", args=[lucie.pk])
    assert admin_browser.post(delete, {"post": "yes"}).status_code == 403
    admin_browser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [lucie.pk]},
    )
    lucie.refresh_from_db()
    assert not lucie.is_active


def test_editors_do_not_manage_accounts_but_run_elections(editor):
    _, browser = editor
    assert browser.get(reverse("admin:elections_election_changelist")).status_code == 200


# Scheduling: no job, no stale cache.


def test_a_scheduled_article_appears_at_its_time_with_nothing_run(
    client, django_capture_on_commit_callbacks
):
    theme, author = make_theme(name="Parlement"), make_author(name="Jeanne Roy")
    with django_capture_on_commit_callbacks(execute=True):  # the search index, as on commit
        article = make_article(
            headline="La commission mixte paritaire se réunit",
            theme=theme,
            authors=[author],
            tags=["Sénat"],
            published_at=timezone.now() + timedelta(minutes=1),
        )
    urls = [
        "/",
        "/articles/",
        theme.get_absolute_url(),
        author.get_absolute_url(),
        "/tags/senat/",
        "/feed/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/recherche/?q=commission+mixte",
    ]

    def seen():
        found = {}
        for url in urls:
            response = client.get(url)
            if "xml" in response["Content-Type"]:  # feeds and sitemaps
                wanted = article.get_absolute_url() if "sitemap" in url else article.headline
                found[url] = wanted in response.text
            else:  # pages, where search marks the words it found
                text = BeautifulSoup(response.text, "html.parser").get_text()
                found[url] = article.headline in text
        return found

    assert not live(client, article)
    assert not any(seen().values())
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert live(client, article)
        assert all(seen().values()), seen()


# Previews.


def test_staff_preview_a_draft_as_readers_will_see_it(editor, client):
    _, browser = editor
    article = make_article(status=Article.Status.DRAFT, headline="Brouillon confidentiel")
    response = browser.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.h1.get_text(strip=True) == "Brouillon confidentiel"
    assert "Aperçu" in soup.select_one(".preview-banner").get_text()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert (
        client.get(reverse("admin:articles_article_preview", args=[article.pk])).status_code == 302
    )


def test_a_journalist_previews_their_own_drafts_only(journalist):
    user, browser = journalist
    mine, others = own_draft(user), make_article(status=Article.Status.DRAFT)
    assert browser.get(reverse("admin:articles_article_preview", args=[mine.pk])).status_code == 200
    assert (
        browser.get(reverse("admin:articles_article_preview", args=[others.pk])).status_code == 404
    )


def test_a_preview_link_shows_a_draft_to_someone_without_an_account_until_revoked(editor, client):
    _, browser = editor
    article = make_article(status=Article.Status.DRAFT, headline="Pour relecture juridique")
    response = browser.get(reverse("admin:articles_article_preview_link", args=[article.pk]))
    assert response.status_code == 302
    link = PreviewLink.objects.get(article=article)
    assert len(link.token) >= 40
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    assert "Pour relecture juridique" in response.text
    assert "no-store" in response["Cache-Control"]
    assert not live(client, article)  # the link opens the preview, not the public page
    link.is_revoked = True
    link.save()
    assert client.get(link.get_absolute_url()).status_code == 410


def test_a_preview_link_expires(client):
    article = make_article(status=Article.Status.DRAFT)
    link = PreviewLink.objects.create(
        article=article, expires_at=timezone.now() + timedelta(hours=1)
    )
    assert client.get(link.get_absolute_url()).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "n’est plus valable" in response.text
    assert client.get("/apercu/inconnu/").status_code == 404


# History and no silent overwrite.


def test_two_editors_changing_different_fields_both_keep_their_change(roles):
    first, first_browser = member("Éditeur", "anne")
    _, second_browser = member("Éditeur", "paul")
    article = make_article(headline="Titre d’origine", standfirst="Chapô d’origine.")
    opened = change_data(article)  # both open the article: same version
    response = first_browser.post(change_url(article), {**opened, "standfirst": "Chapô d’Anne."})
    assert response.status_code == 302
    response = second_browser.post(
        change_url(article), {**opened, "headline": "Titre de Paul"}, follow=True
    )
    assert response.redirect_chain  # saved at once
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == ("Titre de Paul", "Chapô d’Anne.")
    messages = " ".join(str(message) for message in response.context["messages"])
    assert "gardés avec les vôtres" in messages and "chapô" in messages
    assert article.history.count() == 3  # one version per save


def test_a_field_both_changed_is_shown_side_by_side_and_nothing_is_lost(roles):
    _, first_browser = member("Éditeur", "anne")
    _, second_browser = member("Éditeur", "paul")
    article = make_article(standfirst="Chapô d’origine.")
    opened = change_data(article)
    first_browser.post(change_url(article), {**opened, "standfirst": "Le chapô d’Anne."})
    response = second_browser.post(
        change_url(article), {**opened, "standfirst": "Le chapô de Paul, à ne pas perdre."}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    text = soup.get_text(" ")
    assert "anne a enregistré cet article" in text and "tous deux modifié : chapô" in text
    panel = soup.select_one(".merge")
    assert "Le chapô d’Anne." in panel.get_text() and "Le chapô de Paul" in panel.get_text()
    assert soup.select_one("textarea[name=standfirst]").get_text().strip() == (
        "Le chapô de Paul, à ne pas perdre."
    )
    assert Article.objects.get(pk=article.pk).standfirst == "Le chapô d’Anne."

    # Saving again without choosing is refused; choosing keeps what was chosen.
    form = {
        **opened,
        "standfirst": "Le chapô de Paul, à ne pas perdre.",
        "loaded_version": soup.select_one("input[name=loaded_version]")["value"],
        "merge_pending": soup.select_one("input[name=merge_pending]")["value"],
    }
    form.update(bylines_of(soup))
    refused = second_browser.post(change_url(article), form)
    assert "Choisissez quelle version garder pour : chapô" in refused.text
    assert Article.objects.get(pk=article.pk).standfirst == "Le chapô d’Anne."
    response = second_browser.post(change_url(article), {**form, "merge-standfirst": "theirs"})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).standfirst == "Le chapô d’Anne."


def bylines_of(soup):
    """The inline bylines of a rendered change form, as it would post them."""
    fields = soup.select("input[name^=bylines-], select[name^=bylines-]")
    data = {}
    for field in fields:
        if field.name == "select":
            chosen = field.select_one("option[selected]")
            data[field["name"]] = chosen["value"] if chosen else ""
        elif field.get("type") != "checkbox" or field.has_attr("checked"):
            data[field["name"]] = field.get("value", "")
    return data


def test_bylines_and_tags_merge_like_fields(roles):
    _, first_browser = member("Éditeur", "anne")
    _, second_browser = member("Éditeur", "paul")
    signed, added = make_author(name="Anne Dupré"), make_author(name="Paul Roy")
    article = make_article(authors=[signed], tags=["Sénat"])
    opened = change_data(article, tags="Sénat")
    # Anne adds a second author; Paul changes the tags.
    with_second = {**opened, "bylines-TOTAL_FORMS": "2"}
    with_second |= {"bylines-1-author": added.pk, "bylines-1-position": "1"}
    assert first_browser.post(change_url(article), with_second).status_code == 302
    response = second_browser.post(change_url(article), {**opened, "tags": "Sénat, Budget"})
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert [a.name for a in article.authors.order_by("bylines__position")] == [
        "Anne Dupré",
        "Paul Roy",
    ]
    assert sorted(article.tags.names()) == ["Budget", "Sénat"]


def test_a_post_without_the_version_it_was_based_on_is_refused(editor):
    _, browser = editor
    article = make_article(headline="Titre d’origine")
    data = change_data(article, headline="Titre forcé")
    data.pop("loaded_version")
    response = browser.post(change_url(article), data)
    assert response.status_code == 200
    assert "ne dit pas de quelle version" in response.text
    assert Article.objects.get(pk=article.pk).headline == "Titre d’origine"


def test_history_lists_the_versions_with_their_changes_and_restores_one(editor):
    _, browser = editor
    article = make_article(headline="Premier titre")
    browser.post(change_url(article), change_data(article, headline="Deuxième titre"))
    article.refresh_from_db()
    response = browser.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert response.status_code == 200
    assert "Titre" in response.text and "Création" in response.text
    first = article.history.order_by("history_date").first()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    assert browser.get(url).status_code == 200
    data = change_data(article, headline="Premier titre")
    data.pop("loaded_version")
    response = browser.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Premier titre"
    assert article.history.count() == 3


def test_bulk_actions_record_history(editor):
    _, browser = editor
    articles = [make_article(status=Article.Status.DRAFT) for _ in range(2)]
    browser.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [a.pk for a in articles]},
    )
    for article in articles:
        assert article.history.count() == 2
        assert article.history.first().history_user.username == "marc"


# Corrections, editorial updates, moved URLs.


def test_a_correction_shows_on_the_page_and_in_structured_data(client):
    article = make_article()
    Correction.objects.create(
        article=article, text="Le texte a été adopté par 195 voix, et non 159."
    )
    response = client.get(article.get_absolute_url())
    soup = BeautifulSoup(response.text, "html.parser")
    assert "195 voix, et non 159" in soup.select_one(".corrections").get_text()
    data = [
        json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")
    ]
    news = next(item for item in data if item["@type"] == "NewsArticle")
    assert news["correction"][0]["@type"] == "CorrectionComment"
    assert "195 voix" in news["correction"][0]["text"]


def test_updated_on_is_shown_only_for_an_editorial_update(editor, client):
    _, browser = editor
    article = make_article(published_at=timezone.now() - timedelta(days=1))
    browser.post(change_url(article), change_data(article, body="<p>Coquille corrigée.</p>"))
    article.refresh_from_db()
    assert article.revised_at is None
    assert "Mis à jour" not in client.get(article.get_absolute_url()).text
    browser.post(
        change_url(article),
        change_data(article, body="<p>Nouveaux éléments.</p>", is_editorial_update="on"),
    )
    article.refresh_from_db()
    assert article.revised_at is not None
    assert "Mis à jour le" in client.get(article.get_absolute_url()).text


def test_a_published_articles_old_address_redirects_permanently(editor, client):
    _, browser = editor
    article = make_article(slug="ancien-titre")
    browser.post(change_url(article), change_data(article, slug="nouveau-titre"))
    response = client.get("/articles/ancien-titre/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/nouveau-titre/"
    assert ArticleSlug.objects.filter(slug="ancien-titre").exists()
    # Back to the first slug: it is the article's own again, not a redirect.
    article.refresh_from_db()
    browser.post(change_url(article), change_data(article, slug="ancien-titre"))
    assert client.get("/articles/ancien-titre/").status_code == 200
    assert client.get("/articles/nouveau-titre/").status_code == 301


def test_a_drafts_changed_slug_leaves_no_redirect(editor):
    _, browser = editor
    article = make_article(status=Article.Status.DRAFT, slug="brouillon")
    browser.post(change_url(article), change_data(article, slug="brouillon-renomme"))
    assert not ArticleSlug.objects.exists()


# The dashboard.


def test_the_dashboard_shows_review_scheduled_and_published_today(editor):
    _, browser = editor
    make_article(headline="À relire", status=Article.Status.REVIEW)
    make_article(headline="Pour demain", published_at=timezone.now() + timedelta(days=1))
    make_article(headline="Sorti ce matin", published_at=timezone.now() - timedelta(minutes=5))
    soup = BeautifulSoup(browser.get(reverse("admin:index")).text, "html.parser")
    panels = {
        panel.h2.get_text(strip=True): [a.get_text(strip=True) for a in panel.select("li a")]
        for panel in soup.select(".dashboard__panel")
    }
    assert panels["En attente de relecture"] == ["À relire"]
    assert panels["Programmés"] == ["Pour demain"]
    assert "Sorti ce matin" in panels["Publiés aujourd’hui"]


def test_management_forms_cover_every_inline(editor):
    # Guard for the helpers above: the change form has exactly these inline prefixes.
    _, browser = editor
    article = make_article()
    soup = BeautifulSoup(browser.get(change_url(article)).text, "html.parser")
    prefixes = {
        field["name"].removesuffix("-TOTAL_FORMS")
        for field in soup.select("input[name$=-TOTAL_FORMS]")
    }
    assert prefixes == {"bylines", "corrections", "preview_links"}
    assert management_form("corrections")


# What the admin says and shows.


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_save_messages_say_what_was_done(editor):
    _, browser = editor
    article = make_article(status=Article.Status.REVIEW, headline="Le budget")
    response = browser.post(
        change_url(article), change_data(article, status=Article.Status.PUBLISHED), follow=True
    )
    assert messages_of(response) == ["« Le budget » est publié : il est en ligne."]
    article.refresh_from_db()
    tomorrow = timezone.localtime() + timedelta(days=1)
    data = change_data(article, published_at_0=tomorrow.strftime("%d/%m/%Y"))
    data["published_at_1"] = "08:00:00"
    response = browser.post(change_url(article), data, follow=True)
    (message,) = messages_of(response)
    assert message.startswith("« Le budget » est programmé pour le ") and "à 8 h 00" in message


def test_a_journalist_sends_for_review_with_a_button_and_signs_by_default(journalist):
    user, browser = journalist
    author = make_author(user=user, name="Lucie Martin")
    soup = BeautifulSoup(browser.get(reverse("admin:articles_article_add")).text, "html.parser")
    assert soup.select_one("input[name=_submit_for_review]")["value"] == "Envoyer en relecture"
    selected = soup.select_one("select[name=bylines-0-author] option[selected]")
    assert selected is not None and selected["value"] == str(author.pk)

    article = own_draft(user, authors=[author])
    response = browser.post(
        change_url(article), {**change_data(article), "_submit_for_review": "1"}, follow=True
    )
    assert messages_of(response) == [f"« {article.headline} » est envoyé en relecture."]
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_a_scheduled_article_reads_programme_and_view_on_site_opens_the_preview(editor):
    _, browser = editor
    scheduled = make_article(
        headline="Pour demain", published_at=timezone.now() + timedelta(days=1)
    )
    live = make_article(headline="En ligne")
    changelist = reverse("admin:articles_article_changelist")
    soup = BeautifulSoup(browser.get(changelist).text, "html.parser")
    rows = {row.th.get_text(strip=True): row for row in soup.select("#result_list tbody tr")}
    assert "Programmé pour le" in rows["Pour demain"].select_one(".field-state").get_text()
    assert rows["En ligne"].select_one(".field-state").get_text(strip=True) == "Publié"
    filtered = BeautifulSoup(browser.get(changelist, {"etat": "scheduled"}).text, "html.parser")
    assert [row.th.get_text(strip=True) for row in filtered.select("#result_list tbody tr")] == [
        "Pour demain"
    ]
    form = BeautifulSoup(browser.get(change_url(scheduled)).text, "html.parser")
    assert "Programmé pour le" in form.select_one(".field-state").get_text()
    assert form.select_one("a.viewsitelink")["href"] == reverse(
        "admin:articles_article_preview", args=[scheduled.pk]
    )
    form = BeautifulSoup(browser.get(change_url(live)).text, "html.parser")
    assert form.select_one("a.viewsitelink")["href"] == live.get_absolute_url()


def test_a_journalists_drafts_come_first_in_their_list(journalist):
    user, browser = journalist
    make_article(headline="Envoyé", status=Article.Status.REVIEW, created_by=user)
    make_article(headline="Mon brouillon", status=Article.Status.DRAFT, created_by=user)
    make_article(headline="Publié hier", created_by=user)
    soup = BeautifulSoup(
        browser.get(reverse("admin:articles_article_changelist")).text, "html.parser"
    )
    headlines = [row.th.get_text(strip=True) for row in soup.select("#result_list tbody tr")]
    assert headlines[0] == "Mon brouillon"
