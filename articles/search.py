"""Full-text search of articles in French: the index, kept article by article, and queries.

The index is one table, `articles_search`, with one row per article, drafts included (the
admin searches them too; readers' searches start from `Article.objects.published()`). The
migration `0003_add_search_index` creates it; everything else that touches it is here.
A row holds four texts, by decreasing weight: the SEO title, which the editors write for
search engines and so for searchers; the headline; the standfirst with the names of the
authors and tags; the body as plain text.

- PostgreSQL: a weighted `tsvector` (A to D) under a GIN index, made with the text search
  configuration `french_unaccent`: accents dropped, then the French Snowball stemmer.
  `plainto_tsquery` reads the reader's words, so no search syntax gets through, and
  `ts_rank` orders.
- SQLite: an FTS5 table whose rowid is the article's id. FTS5 has no French stemmer, so the
  words are stemmed here, as PostgreSQL does it (lower case, accents dropped, then
  Snowball's French stemmer), both in the rows and in the queries; every query word is
  quoted, so it is never FTS5 syntax. `bm25()` orders, with weights in the same ratios.

Ties go to the newest article. Excerpts are highlighted here, in Python, for both.

Keeping it current: `Article.save()` calls `update_index()` once the transaction commits,
so that bylines and tags saved after the article (the admin's inline, `load_demo`) are in
it; deleting articles removes their rows; the admin reindexes the articles of a renamed
author or tag (one still in use cannot be deleted). Code that changes bylines or tags on
its own saves the article or calls `update_index()`; after a bulk `update()`, run
`manage.py rebuild_search_index`.
"""

import itertools
import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.db import connections, transaction
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.text import CONTROL_CHARACTERS, plain_text

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
EXCERPT_WORDS = 40
EXCERPT_WORDS_BEFORE = 8  # of context before the first word found
BATCH_SIZE = 500

# Letters and digits; apostrophes, hyphens, quotes and operators all separate words.
WORD = re.compile(r"[^\W_]+")
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
# Words too common to search for, without accents. PostgreSQL's French configuration
# drops these (and more) itself; on SQLite, and for highlighting, they are dropped here.
STOP_WORDS = {
    "a", "au", "aux", "avec", "c", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "en",
    "est", "et", "il", "ils", "j", "l", "la", "le", "les", "leur", "lui", "m", "ma", "mais",
    "me", "mes", "n", "ne", "ni", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour",
    "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "t", "ta", "te", "tes", "ton",
    "tu", "un", "une", "vos", "votre", "vous", "y",
}  # fmt: skip

POSTGRESQL_WRITE = """
    INSERT INTO articles_search (article_id, document) VALUES (
        %s,
        setweight(to_tsvector('french_unaccent', %s), 'A')
        || setweight(to_tsvector('french_unaccent', %s), 'B')
        || setweight(to_tsvector('french_unaccent', %s), 'C')
        || setweight(to_tsvector('french_unaccent', %s), 'D')
    )
    ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document
"""
POSTGRESQL_MATCHES = (
    "SELECT article_id FROM articles_search"
    " WHERE document @@ plainto_tsquery('french_unaccent', %s)"
)
# Ranks are rounded: matches within a hundredth are a tie, which the newest article wins
# (a word found in most articles has a near-zero weight, and noise would order them).
# The weights of D, C, B and A, in that order.
POSTGRESQL_RANK = (
    "SELECT round(ts_rank(ARRAY[0.1, 0.2, 0.5, 1.0]::real[], document,"
    " plainto_tsquery('french_unaccent', %s))::numeric, 2)"
    " FROM articles_search WHERE article_id = {article_id}"
)
SQLITE_MATCHES = "SELECT rowid FROM articles_search WHERE articles_search MATCH %s"
# bm25() is lower for better matches; one weight per column, as PostgreSQL's A to D.
SQLITE_RANK = (
    "SELECT round(-bm25(articles_search, 10.0, 5.0, 2.0, 1.0), 2) FROM articles_search"
    " WHERE articles_search MATCH %s AND rowid = {article_id}"
)


def fold(word):
    """A word in lower case, without accents or ligatures: "Élysée" → "elysee"."""
    word = unicodedata.normalize("NFKD", word.lower().translate(LIGATURES))
    return "".join(char for char in word if not unicodedata.combining(char))


@lru_cache(maxsize=100_000)
def stem(word):
    """A word as the index holds it: folded, then reduced to its French stem."""
    # A stemmer keeps state while it works: one per call is thread-safe, and cheap.
    return snowballstemmer.stemmer("french").stemWord(fold(word))


def stemmed(text):
    return " ".join(stem(word) for word in WORD.findall(text))


def nfc(text):
    """Text with each accented letter as one character: "E" + U+0301 becomes "É".

    Decomposed letters (some keyboards and Mac file names send them) would otherwise split
    words at their accent, in queries and in the index alike.
    """
    return unicodedata.normalize("NFC", text or "")


def clean_query(text):
    """The reader's query as it is shown back: no control characters, not too long."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", nfc(text)[:MAX_QUERY_LENGTH]).split())


def query_words(text):
    """The words to search for in a reader's query; quotes, operators and emoji are dropped."""
    words = [word for word in WORD.findall(clean_query(text)) if fold(word) not in STOP_WORDS]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def matching(queryset, words):
    """The articles of `queryset` whose text holds every word, the best match first."""
    if not words:
        return queryset.none()
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    article_id = f"{quote(queryset.model._meta.db_table)}.{quote('id')}"
    if connection.vendor == "postgresql":
        query = " ".join(words)
        ids = RawSQL(POSTGRESQL_MATCHES, [query])
        rank = RawSQL(POSTGRESQL_RANK.format(article_id=article_id), [query])
    else:
        query = " ".join(f'"{stem(word)}"' for word in words)
        ids = RawSQL(SQLITE_MATCHES, [query])
        rank = RawSQL(SQLITE_RANK.format(article_id=article_id), [query])
    return (
        queryset.filter(pk__in=ids)
        .annotate(search_rank=rank)
        .order_by("-search_rank", "-published_at")
    )


def document(article):
    """The texts of an article's row: (id, SEO title, headline, summary, body).

    `article` needs its authors and tags prefetched.
    """
    names = [author.name for author in article.authors.all()]
    names += [tag.name for tag in article.tags.all()]
    return (
        article.pk,
        nfc(article.seo_title),
        nfc(article.headline),
        nfc(" ".join([article.standfirst, *names])),
        nfc(plain_text(article.body)),
    )


def write(connection, documents):
    """Write rows from `document()` tuples, replacing those the articles had."""
    if not documents:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(POSTGRESQL_WRITE, documents)
            return
        # SQLite runs one writer at a time, so delete-then-insert cannot race.
        cursor.executemany(
            "DELETE FROM articles_search WHERE rowid = %s", [(pk,) for pk, *_ in documents]
        )
        cursor.executemany(
            "INSERT INTO articles_search (rowid, seo_title, headline, summary, body)"
            " VALUES (%s, %s, %s, %s, %s)",
            [(pk, *map(stemmed, texts)) for pk, *texts in documents],
        )


def index(articles):
    """Write the rows of the articles of a queryset; return how many there were."""
    connection = connections[articles.db]
    articles = articles.prefetch_related("authors", "tags").order_by("pk")
    documents = (document(article) for article in articles.iterator(chunk_size=BATCH_SIZE))
    count = 0
    while batch := list(itertools.islice(documents, BATCH_SIZE)):
        write(connection, batch)
        count += len(batch)
    return count


def update_index(article):
    """Bring one article's row up to date with the database, or remove it if it is gone."""
    articles = type(article)._default_manager.filter(pk=article.pk)
    if not index(articles):
        remove_from_index([article.pk], using=articles.db)


def remove_from_index(article_ids, *, using="default"):
    column = "article_id" if connections[using].vendor == "postgresql" else "rowid"
    with connections[using].cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM articles_search WHERE {column} = %s", [(pk,) for pk in article_ids]
        )


def rebuild_index(articles):
    """Empty the index and write the rows of every article of a queryset, in one transaction."""
    with transaction.atomic(using=articles.db):
        with connections[articles.db].cursor() as cursor:
            cursor.execute("DELETE FROM articles_search")
        return index(articles)


def highlight(text, words):
    """Plain `text`, escaped, with the words that match `words` in <mark>."""
    stems = {stem(word) for word in words}
    text = nfc(text)
    parts, end = [], 0
    for match in WORD.finditer(text):
        if stem(match.group()) in stems:
            parts += [escape(text[end : match.start()]), "<mark>", escape(match.group()), "</mark>"]
            end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped


def excerpt(article, words):
    """The passage that shows why an article was found, with the words found highlighted.

    The standfirst if it holds one of the words, else the body around the first one found,
    else (the words are in the title, the authors or the tags) the article's usual excerpt.
    """
    stems = {stem(word) for word in words}
    for text in [nfc(article.standfirst), nfc(plain_text(article.body))]:
        tokens = list(WORD.finditer(text))
        found = next((n for n, token in enumerate(tokens) if stem(token.group()) in stems), None)
        if found is None:
            continue
        first = max(0, found - EXCERPT_WORDS_BEFORE)
        last = min(len(tokens), first + EXCERPT_WORDS)
        start = tokens[first].start() if first else 0
        end = tokens[last - 1].end() if last < len(tokens) else len(text)
        before = "… " if first else ""
        after = " …" if last < len(tokens) else ""
        return mark_safe(f"{before}{highlight(text[start:end], words)}{after}")  # noqa: S308
    return highlight(Truncator(article.excerpt).words(EXCERPT_WORDS), words)
