"""Settings for newsroom. Whatever differs between machines is a DJANGO_* variable."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-local-only")
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "newsroom",  # first, so its templates can override the admin's
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "simple_history",
    "django_prose_editor",  # the article body's editor: its static files and checks
    "axes",  # failed logins, and the lockout of a user name from an address
    "images",
    "articles",
    "elections",
]

MIDDLEWARE = [
    # These three come first so that every response has their headers: static files,
    # redirects and refusals made by the middleware below included.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Refuses TRACE and the like, and keeps NUL characters out of every query (a 500 on
    # PostgreSQL otherwise).
    "newsroom.middleware.RequestHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers 304 to a client whose ETag or Last-Modified still holds (the results API).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells django-simple-history who saved a row, for models that keep a history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its own page.
    "axes.middleware.AxesMiddleware",
]

# Logins: django-axes counts failures per user name *and* address, so that an attacker
# elsewhere cannot lock an editor out, and refuses that pair for a cool-off period.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.views.locked_out"
# Behind a front server, the client's address is in the header it sets (X-Real-IP, or the
# last entry of X-Forwarded-For); without one, REMOTE_ADDR. Never trust a header by default:
# anyone can send one.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "newsroom.views.client_ip"

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# Database: SQLite on a laptop, PostgreSQL in production (DATABASE_URL=postgres://…).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two editors saving at once must both succeed: WAL lets readers and one writer
    # work together, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlock),
    # and the timeout makes the second writer wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # SQLite connections are cheap, and persistent ones would hold the WAL open.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too, so WAL and locking behave as they do on a laptop; one
    # per process, so that two test runs on one machine don't share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"newsroom-test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")),
        "options": "-c statement_timeout={}".format(
            int(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT_MS", "30000"))
        ),
    }

# Cache: local memory on a laptop, Redis in production. A Redis outage must
# degrade to cache misses, never to errors: django-redis swallows them.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "newsroom"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media is served by Django unless a front server or object store takes it over.
SERVE_MEDIA = os.environ.get("DJANGO_SERVE_MEDIA", "1") == "1"
# Results files wait here between the admin's preview and the editor's confirmation.
RESULTS_UPLOAD_ROOT = Path(os.environ.get("RESULTS_UPLOAD_ROOT", BASE_DIR / "var" / "imports"))
# An image sent with a form refused for another field waits here (re-encoded, not public),
# so that the editor need not choose it again.
PENDING_UPLOAD_ROOT = Path(os.environ.get("PENDING_UPLOAD_ROOT", BASE_DIR / "var" / "uploads"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Outside `collectstatic` (tests, a fresh checkout) fall back to unhashed names.
WHITENOISE_MANIFEST_STRICT = False

# Uploads: Pillow refuses larger images as decompression bombs.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The media library refuses heavier files, and images of more pixels, before decoding them
# (images/uploads.py); the pixel cap sits well under Pillow's own decompression-bomb limit.
IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000


def smtp_mailer(url):
    """MAILERS' entry for an SMTP server given as smtp://user:password@host:587 (STARTTLS)
    or smtps://user:password@host:465 (TLS from the start)."""
    parts = urlsplit(url)
    implicit_tls = parts.scheme == "smtps"
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": parts.port or (465 if implicit_tls else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": implicit_tls,
            "use_tls": not implicit_tls,
            "timeout": 10,
        },
    }


# Mail: printed to the console on a laptop; in production, DJANGO_SMTP_URL names the
# server (or DJANGO_MAIL_BACKEND another backend).
DEV_MAILER = "django.core.mail.backends.console.EmailBackend"
if os.environ.get("DJANGO_SMTP_URL"):
    MAILERS = {"default": smtp_mailer(os.environ["DJANGO_SMTP_URL"])}
else:
    MAILERS = {"default": {"BACKEND": os.environ.get("DJANGO_MAIL_BACKEND", DEV_MAILER)}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "redaction@localhost")

HTTPS = os.environ.get("DJANGO_HTTPS", "") == "1"
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS on subdomains and preload are a decision for whoever owns the domain.
    "security.W005",
    "security.W021",
]

# A strict policy: no inline script or style anywhere, nothing from other hosts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = "Séance publique"
SITE_TAGLINE = "L’actualité du Parlement et des élections"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
