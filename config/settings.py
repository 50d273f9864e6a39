"""Casebook settings, driven by the environment.

Development defaults are safe to run locally (SQLite, debug on, localhost only).
Set DJANGO_ENV=production for a deployment: it then refuses to start without
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.caches import caches_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

# Django ----------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production.")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "axes",
    "csp",
    "django_filters",
    "import_export",
    "simple_history",
]
LOCAL_APPS = [
    "interventions",
    "ratings",
    "imports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "config.middleware.ServerTimingMiddleware",
    "config.middleware.BenchQueriesMiddleware",  # only with CASEBOOK_BENCH_COLD
    "config.middleware.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Public pages from a cache keyed by the data version; after auth, so staff bypass it.
    "config.middleware.PublicPageCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Each request that writes is one change set: one numbered version per record it touched.
    "interventions.recording.VersionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "interventions.addresses.site_url",
                "config.context_processors.site_footer",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A short connect timeout so that an outage answers 503 quickly instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A writing transaction (every admin save) takes SQLite's write lock when it begins, so two
    # saves at once are serialised and the second sees the first's version (see
    # interventions.concurrency) instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"not_an_outage": {"()": "config.middleware.NotAnOutage"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["not_an_outage"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Third-party -----------------------------------------------------------------

# django-csp: no inline script or style anywhere; JSON-LD data blocks are not scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# django-axes: five failed admin logins for one username from one address lock that username
# at that address for an hour; the same curator elsewhere is not locked out. The address is
# REMOTE_ADDR, or the client's address in X-Forwarded-For behind trusted proxies (below).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "403_lockout.html"
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_ip_address"

# Casebook --------------------------------------------------------------------

SITE_NAME = "Casebook"
# How many proxies in front of gunicorn append to X-Forwarded-For (nginx with
# proxy_add_x_forwarded_for: 1). 0: the header is ignored and REMOTE_ADDR is the client.
try:
    CASEBOOK_TRUSTED_PROXY_COUNT = int(os.environ.get("CASEBOOK_TRUSTED_PROXY_COUNT", "0"))
except ValueError:
    CASEBOOK_TRUSTED_PROXY_COUNT = -1
if CASEBOOK_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "CASEBOOK_TRUSTED_PROXY_COUNT must be a whole number of proxies, 0 or more."
    )
# The one public address of the site: every absolute URL (canonical links, citations, JSON
# `url`, the sitemap) is built from it, never from a request's Host header, so a request
# with an odd Host cannot change what a cached page tells everyone else.
# In production it defaults to https:// and the first of DJANGO_ALLOWED_HOSTS.
CASEBOOK_SITE_URL = os.environ.get(
    "CASEBOOK_SITE_URL",
    f"https://{ALLOWED_HOSTS[0].lstrip('.*')}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")
# Where readers write to with corrections and questions (the footer's contact line). The
# default is a placeholder: set CASEBOOK_CONTACT_EMAIL to a real address before going live.
CASEBOOK_CONTACT_EMAIL = os.environ.get("CASEBOOK_CONTACT_EMAIL", "casebook@example.org")
# Who a citation of a Casebook page names as its (institutional) author and publisher.
CASEBOOK_CITATION_AUTHOR = os.environ.get("CASEBOOK_CITATION_AUTHOR", SITE_NAME)
CASEBOOK_CITATION_PUBLISHER = os.environ.get("CASEBOOK_CITATION_PUBLISHER", SITE_NAME)
# Counts, facets and whole public pages are cached under the data version
# (interventions.datacache): an edit anywhere retires them all at once. Off for comparisons.
CASEBOOK_CACHE = env_bool("CASEBOOK_CACHE", True)
# For `make bench` only (benchmarks/README.md): every request is a first visit after an edit.
# Each request reads the caches under a data version of its own, so its page, counts and facets
# are all worked out afresh (and stored, as after any edit), and the answer says how many SQL
# queries it took (X-Casebook-Queries). Refused in production.
CASEBOOK_BENCH_COLD = env_bool("CASEBOOK_BENCH_COLD", False)
if CASEBOOK_BENCH_COLD and PRODUCTION:
    raise ImproperlyConfigured("CASEBOOK_BENCH_COLD is for benchmarks: unset it in production.")
# In memory per process, or in Redis shared by every host: CASEBOOK_CACHE_URL (config/caches.py).
CACHES = caches_from_url(os.environ.get("CASEBOOK_CACHE_URL"))

# CSV import in the admin (imports.csv_admin): the largest file accepted, refused as it arrives
# (never held in memory or on disk), and how long a previewed file waits for its confirmation.
CASEBOOK_UPLOAD_MAX_BYTES = int(os.environ.get("CASEBOOK_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
# Each imported row costs about what an admin save does (~28 queries): on SQLite on a 2-core
# machine at load 11, 200 rows took 22 s to preview and 20 s to confirm, inside gunicorn's 30 s
# worker timeout. Raise it on faster hardware.
CASEBOOK_IMPORT_MAX_ROWS = int(os.environ.get("CASEBOOK_IMPORT_MAX_ROWS", "200"))
CASEBOOK_IMPORT_PENDING_MINUTES = int(os.environ.get("CASEBOOK_IMPORT_PENDING_MINUTES", "60"))
FILE_UPLOAD_HANDLERS = [
    "imports.csv_admin.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# /data/ builds its zip from the database; a build up to this size is kept in the "casebook"
# cache under the data version (bigger ones are streamed on every download).
CASEBOOK_DATA_CACHE_BYTES = int(os.environ.get("CASEBOOK_DATA_CACHE_BYTES", 16 * 1024 * 1024))
