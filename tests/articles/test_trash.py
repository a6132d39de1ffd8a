"""The trash: deleted articles leave every public place and come back whole."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from tests.helpers import make_article

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
