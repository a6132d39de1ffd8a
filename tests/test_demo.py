"""The demo content: what `load_demo` creates, and that running it again changes nothing."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.utils import timezone

from articles.models import Article, Author, Theme

pytestmark = pytest.mark.django_db

REFERENCE_SLUG = "senatoriales-2023-sonia-backes-battue-en-nouvelle-caledonie-presente-sa-demission"
CTA = '<p class="cta"><a href="/elections/senatoriales-2023/"'


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module (it takes seconds) and rolled back after it.

    Each test still runs in its own savepoint inside this transaction, so what one test
    changes, such as a second run, is undone before the next.
    """
    media = tmp_path_factory.mktemp("media")
    # The real hasher takes a second or so per account; the rule under test is the same.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0)
        yield media
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_root(settings, demo):
    """Overrides the conftest fixture: the demo's files live in the module's folder."""
    settings.MEDIA_ROOT = demo
    return demo


def dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        "articles",
        "auth.user",
        "auth.group",
        "taggit",
        natural_foreign=True,
        stdout=out,
    )
    return out.getvalue()


def media_files(root):
    return {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()}


def test_demo_fills_every_theme_with_published_articles(demo):
    assert Theme.objects.count() >= 6
    assert Author.objects.count() >= 5
    assert Article.objects.count() >= 30
    used = set(Article.objects.published().values_list("theme__slug", flat=True))
    assert used == set(Theme.objects.values_list("slug", flat=True))
    assert "politique" in used


def test_demo_articles_are_complete(demo):
    names = set()
    for article in Article.objects.select_related("lead_image").prefetch_related("bylines", "tags"):
        positions = [byline.position for byline in article.bylines.all()]
        assert positions == list(range(len(positions))) and 1 <= len(positions) <= 3
        assert 2 <= len(article.tags.all()) <= 5
        image = article.lead_image
        assert article.standfirst and image.alt_text and image.credit and image.caption
        assert image.file.storage.exists(image.file.name)
        assert (image.width, image.height) == (1600, 900)
        names.add(image.file.name)
    assert len(names) == Article.objects.count()
    assert all(author.photo for author in Author.objects.all())


def test_demo_keeps_drafts_and_a_scheduled_article_out_of_sight(demo):
    drafts = Article.objects.filter(status=Article.Status.DRAFT)
    assert drafts.count() == 2
    assert not drafts.filter(published_at__isnull=False).exists()
    scheduled = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    )
    assert scheduled.count() == 1
    hidden = [*drafts, *scheduled]
    assert not Article.objects.published().filter(pk__in=[a.pk for a in hidden]).exists()


@pytest.mark.parametrize(
    "username, password, group, is_superuser",
    [
        ("admin", "admin-demo", "Administrateur", True),
        ("editeur", "editeur-demo", "Éditeur", False),
        ("journaliste", "journaliste-demo", "Journaliste", False),
    ],
)
def test_demo_accounts_log_in_with_their_group(demo, username, password, group, is_superuser):
    # django-axes throttles logins by address: authentication takes the request.
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="127.0.0.1")
    user = authenticate(request, username=username, password=password)
    assert user is not None
    assert user.is_staff
    assert user.is_superuser == is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]


def test_journalist_account_signs_as_an_author(demo):
    journalist = get_user_model().objects.get(username="journaliste")
    assert journalist.author.articles.exists()
    assert journalist.has_perm("articles.add_article")
    assert not journalist.has_perm("articles.delete_article")


def test_reference_story_has_its_facts(demo):
    story = Article.objects.get(slug=REFERENCE_SLUG)
    paris = ZoneInfo("Europe/Paris")
    assert story.theme.slug == "politique"
    assert story.published_at == datetime(2023, 9, 24, 18, 30, tzinfo=paris)
    assert story.is_revised and story.revised_at.date() == story.published_at.date()
    assert story.seo_title and story.seo_title != story.headline
    assert story.is_live and story.is_lead
    assert list(Article.objects.filter(is_lead=True)) == [story]
    for fact in ["Georges Naturel", "351", "Robert Xowie", "307", "246", "578", "233", "trahison"]:
        assert fact in story.body
    assert story.body.count("<p") == 6
    assert story.body.rstrip().endswith("</a></p>") and CTA in story.body.split("\n")[-1]
    related = Article.objects.published().filter(theme=story.theme).exclude(pk=story.pk)
    assert related.count() >= 5


def test_second_run_changes_no_row_and_writes_no_file(demo):
    rows, files = dump(), media_files(demo)
    assert len(files) >= Article.objects.count() + Author.objects.count()

    call_command("load_demo", verbosity=0)

    assert dump() == rows
    assert media_files(demo) == files
