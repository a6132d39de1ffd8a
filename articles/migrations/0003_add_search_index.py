"""The full-text search index of articles, `articles_search` (see articles/search.py).

Its shape depends on the database, so it is made in SQL through RunPython, which can ask
which database it talks to. It is not in the models' state: SQLite migrations that rebuild
the articles table later never meet it. Filling it belongs here as it does to CREATE INDEX,
which reads the rows already there; new articles are indexed as they are saved.
"""

import itertools

from django.db import migrations

from articles import search
from articles.text import plain_text

POSTGRESQL = [
    # unaccent ships with PostgreSQL (contrib) and is a trusted extension since 13.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION french_unaccent"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "CREATE TABLE articles_search (article_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX articles_search_document ON articles_search USING gin (document)",
]
POSTGRESQL_REVERSE = [
    "DROP TABLE articles_search",
    "DROP TEXT SEARCH CONFIGURATION french_unaccent",
    # The extension stays: it may have been there before, and other code may use it.
]
SQLITE = [
    # Words arrive stemmed by articles/search.py; the tokenizer drops what accents remain.
    "CREATE VIRTUAL TABLE articles_search USING fts5("
    "seo_title, headline, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE articles_search"]


def create_index(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_REVERSE if postgresql else SQLITE_REVERSE:
        schema_editor.execute(statement)


def fill_index(apps, schema_editor):
    """Index the articles already written, with the models as they are at this migration."""
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias).order_by("pk")
    articles = articles.prefetch_related("bylines__author", "tagged_items__tag")
    documents = (
        (
            article.pk,
            article.seo_title,
            article.headline,
            " ".join(
                [
                    article.standfirst,
                    *(byline.author.name for byline in article.bylines.all()),
                    *(tagging.tag.name for tagging in article.tagged_items.all()),
                ]
            ),
            plain_text(article.body),
        )
        for article in articles.iterator(chunk_size=search.BATCH_SIZE)
    )
    while batch := list(itertools.islice(documents, search.BATCH_SIZE)):
        search.write(schema_editor.connection, batch)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_link_articles_to_elections'),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
        # Backwards, dropping the table drops its rows.
        migrations.RunPython(fill_index, migrations.RunPython.noop),
    ]
