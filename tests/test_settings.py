"""The site's plumbing: databases, cache, health check, production checks."""

import os
import re
import runpy
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils.module_loading import import_string

from articles.models import Theme
from newsroom.settings import smtp_mailer
from tests.helpers import make_article

SETTINGS_FILE = Path(settings.BASE_DIR) / "newsroom" / "settings.py"


def settings_with(**environ):
    """The settings module as it reads with these environment variables."""
    saved = dict(os.environ)
    os.environ.update(environ)
    try:
        return runpy.run_path(str(SETTINGS_FILE))
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")
@pytest.mark.django_db(transaction=True)
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_both_succeed():
    """The second writer waits for the first instead of failing with "database is locked"."""
    started, errors = threading.Event(), []

    def first_editor():
        try:
            with transaction.atomic():
                Theme.objects.create(name="Première")
                started.set()
                time.sleep(0.5)  # hold the write lock a while
        except Exception as error:  # noqa: BLE001 - report any failure to the test thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    def second_editor():
        started.wait(5)
        try:
            with transaction.atomic():
                Theme.objects.create(name="Seconde")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_editor), threading.Thread(target=second_editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Première", "Seconde"]


def test_postgresql_gets_connect_and_statement_timeouts():
    conf = settings_with(DATABASE_URL="postgres://u@db.example:5432/news")["DATABASES"]["default"]
    assert conf["OPTIONS"]["connect_timeout"] == 5
    assert conf["OPTIONS"]["options"] == "-c statement_timeout=30000"


def test_a_redis_outage_degrades_to_cache_misses():
    conf = settings_with(REDIS_URL="redis://127.0.0.1:9/0")["CACHES"]["default"]
    backend = import_string(conf["BACKEND"])(conf["LOCATION"], conf)
    backend.set("key", "value")  # nothing listens on port 9: no exception
    assert backend.get("key") is None
    assert backend.get("key", "default") == "default"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_the_configured_redis_cache_works():
    from django.core.cache import cache

    cache.set("newsroom-test", {"a": 1}, 10)
    assert cache.get("newsroom-test") == {"a": 1}


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    # Point the connection at a database that cannot open: the real failure path.
    monkeypatch.setitem(connection.settings_dict, "NAME", "/nonexistent/folder/db.sqlite3")
    monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(connection.settings_dict, "PORT", "9")
    connection.close()
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
    assert response.status_code == 503


def run_check_deploy(**environ):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **environ}
    env.pop("DJANGO_DEBUG", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_passes_with_production_settings():
    result = run_check_deploy(
        DJANGO_SECRET_KEY="k" * 20 + "-a-long-random-production-secret-9f8e7d6c5b4a",
        DJANGO_ALLOWED_HOSTS="www.seance-publique.fr",
        DJANGO_HTTPS="1",
        DJANGO_SMTP_URL="smtp://redaction:mot%40passe@smtp.example.fr:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_production_variable_of_the_readme_is_in_env_example():
    readme = (settings.BASE_DIR / "README.md").read_text()
    example = (settings.BASE_DIR / ".env.example").read_text()
    table = readme.split("| variable | default | production |")[1].split("\n\n")[0]
    names = re.findall(r"^\| `(\w+)`", table, flags=re.MULTILINE)
    assert "DJANGO_SMTP_URL" in names and "DJANGO_CLIENT_IP_HEADER" in names
    assert [name for name in names if f"# {name}=" not in example] == []


def test_an_smtp_url_gives_the_mailer_its_server_and_credentials():
    mailer = smtp_mailer("smtps://redaction:mot%40passe@smtp.example.fr")
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] | {"timeout": None} == {
        "host": "smtp.example.fr",
        "port": 465,
        "username": "redaction",
        "password": "mot@passe",
        "use_ssl": True,
        "use_tls": False,
        "timeout": None,
    }


def test_check_deploy_refuses_laptop_defaults():
    result = run_check_deploy()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    article = make_article(slug="nouveau-titre")
    article.old_slugs.create(slug="ancien-titre")
    responses = {
        "page": client.get("/"),
        "redirect (old slug)": client.get("/articles/ancien-titre/"),
        "redirect (slash)": client.get("/articles"),
        "static file": client.get("/static/newsroom/admin.css"),
        "refused method": client.generic("TRACE", "/"),
    }
    for name, response in responses.items():
        expected = {"redirect": 301, "static": 200, "refused": 405, "page": 200}
        assert response.status_code == expected[name.split()[0]], name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        policy = response["Content-Security-Policy"]
        assert "base-uri 'none'" in policy and "frame-ancestors 'none'" in policy, name
