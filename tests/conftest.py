import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from tests.browsers import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS


@pytest.fixture(scope="session", autouse=True)
def static_manifest():
    """Pages name hashed static files; `make test` collects them, a bare `pytest` may not have."""
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashers take a second per user on purpose; tests don't need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and renditions go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PENDING_UPLOAD_ROOT = tmp_path / "pending-uploads"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def roles(db):
    """The newsroom's groups and their permissions, as `setup_roles` makes them."""
    call_command("setup_roles", verbosity=0)


@pytest.fixture
def unhashed_static(settings):
    """Name static files as they are in the source tree.

    pytest-django's live_server answers /static/ itself with StaticFilesHandler, which
    looks files up with the finders, so the manifest's hashed names would all be 404s.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def browser(monkeypatch):
    """Debian's chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (`make browser`)")
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM
    # calls from a thread with a running loop unless told the caller knows better.
    # Only for this test: the variable must not reach other tests' subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        expect.set_options(timeout=TIMEOUT_MS)
        yield browser
        browser.close()
