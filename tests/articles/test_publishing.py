from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import Article
from tests.helpers import make_article, make_author, make_image, make_theme

pytestmark = pytest.mark.django_db


def test_published_hides_drafts_unpublished_and_scheduled_articles():
    now, hour = timezone.now(), timedelta(hours=1)
    live = make_article(published_at=now - hour)
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.UNPUBLISHED, published_at=now - hour)
    make_article(published_at=now + hour)
    assert list(Article.objects.published()) == [live]


def test_related_managers_share_the_rule():
    theme, author = make_theme(), make_author()
    live = make_article(theme=theme, authors=[author])
    make_article(theme=theme, authors=[author], status=Article.Status.DRAFT)
    assert list(theme.articles.published()) == [live]
    assert list(author.articles.published()) == [live]


def test_is_live_agrees_with_the_queryset():
    now, hour = timezone.now(), timedelta(hours=1)
    articles = [
        make_article(published_at=now - hour),
        make_article(status=Article.Status.DRAFT),
        make_article(published_at=now + hour),
        make_article(published_at=now - hour, deleted_at=now),
    ]
    live = set(Article.objects.published())
    assert [article.is_live for article in articles] == [a in live for a in articles]


def test_scheduled_and_published_split_the_published_status_by_time():
    now, hour = timezone.now(), timedelta(hours=1)
    live = make_article(published_at=now - hour)
    later = make_article(published_at=now + hour)
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.UNPUBLISHED, published_at=now + hour)
    make_article(published_at=now + hour).move_to_trash()
    assert list(Article.objects.scheduled()) == [later]
    assert list(Article.objects.published()) == [live]


def test_the_database_refuses_a_published_article_without_a_date():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_a_library_image_in_use_cannot_be_deleted():
    article = make_article(lead_image=make_image())
    with pytest.raises(ProtectedError):
        article.lead_image.delete()


def test_clean_dates_a_publication_that_has_none():
    article = Article(headline="x", body="<p>x</p>", status=Article.Status.PUBLISHED)
    article.theme = make_theme()
    article.full_clean()
    assert article.published_at is not None


def test_an_article_in_review_gets_no_date_until_published():
    article = Article(headline="x", body="<p>x</p>", status=Article.Status.REVIEW)
    article.theme = make_theme()
    article.full_clean()
    assert article.published_at is None


def test_an_update_is_shown_only_when_it_follows_publication():
    now = timezone.now()
    assert make_article(published_at=now, revised_at=now + timedelta(hours=2)).is_revised
    assert not make_article(published_at=now, revised_at=now).is_revised
    assert not make_article(published_at=now).is_revised


def test_drafts_sort_after_dated_articles():
    now = timezone.now()
    draft = make_article(status=Article.Status.DRAFT)
    old = make_article(published_at=now - timedelta(days=2))
    new = make_article(published_at=now - timedelta(days=1))
    assert list(Article.objects.all()) == [new, old, draft]
