"""`make bench`: speed, queries and memory of the public pages and the results import.

Runs against the demo database (make bench loads it first), through Django's test client,
so no server is needed. One line of figures per case; nothing here is a pass/fail test.
"""

import os
import statistics
import time
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402
from elections.importers import import_results, sources_from_paths  # noqa: E402
from elections.models import Election  # noqa: E402

ROUNDS = 20


def page_cases():
    story = Article.objects.published().filter(is_lead=True).first()
    return [
        ("home", "/"),
        ("article", story.get_absolute_url()),
        ("theme", story.theme.get_absolute_url()),
        ("search", "/recherche/?q=senatoriales+caledonie"),
        ("feed", "/feed/"),
        ("sitemap", "/sitemap.xml"),
        ("elections 2026", "/elections/senatoriales-2026/"),
        ("race 988 (2023)", "/elections/senatoriales-2023/988/"),
        ("api 2026", "/api/elections/senatoriales-2026.json"),
    ]


def measure_page(client, name, url):
    cache.clear()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.get(url)
        cold = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    tracemalloc.start()
    client.get(url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median, p95 = statistics.median(timings), sorted(timings)[int(ROUNDS * 0.95) - 1]
    print(
        f"{name:<18} cold {cold * 1000:7.1f} ms  warm median {median * 1000:6.1f} ms"
        f"  p95 {p95 * 1000:6.1f} ms"
        f"  queries {len(queries):3d}  {len(response.content) / 1024:7.1f} KiB"
        f"  peak {peak / 1024 / 1024:5.1f} MiB"
    )


def measure_import():
    """Re-import the 2026 feed files inside a transaction that is rolled back."""
    election = Election.objects.get(slug="senatoriales-2026")
    sources = sources_from_paths([settings.BASE_DIR / "elections" / "data" / "ministry-feed"])
    sources = [source for source in sources if source.name.endswith(".xml")]
    tracemalloc.start()
    with transaction.atomic():
        started = time.perf_counter()
        import_results(election=election, sources=sources, dry_run=True)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{'import 2026 feed':<18} {elapsed * 1000:7.1f} ms for {len(sources)} files"
        f"  peak {peak / 1024 / 1024:5.1f} MiB"
    )


def main():
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    print(f"database: {connection.vendor}; {ROUNDS} warm requests per page")
    for name, url in page_cases():
        measure_page(client, name, url)
    measure_import()


if __name__ == "__main__":
    main()
