from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from tests.helpers import image_upload, make_article, make_author, make_theme

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
    ]
    live = set(Article.objects.published())
    assert [article.is_live for article in articles] == [a in live for a in articles]


def test_the_database_refuses_a_published_article_without_a_date():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_the_database_refuses_a_lead_image_without_alt_text():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(lead_image="a.jpg", lead_image_alt="")


def test_clean_dates_a_publication_that_has_none():
    article = Article(headline="x", body="<p>x</p>", status=Article.Status.PUBLISHED)
    article.theme = make_theme()
    article.full_clean()
    assert article.published_at is not None


def test_clean_requires_alt_text_with_an_image():
    article = Article(headline="x", body="<p>x</p>", theme=make_theme(), lead_image=image_upload())
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "texte alternatif" in str(error.value.message_dict["lead_image_alt"])


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
