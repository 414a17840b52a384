"""Django settings of the Plas-Tek service desk; every variable comes from config.env."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from servicedesk.config.email_url import email_settings
from servicedesk.config.env import REPO_DIR, read_environment

ENV = read_environment()
BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ENV.data_dir

DEBUG = ENV.debug
SECRET_KEY = ENV.secret_key
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins
SITE_URL = ENV.site_url

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "ninja",
    "servicedesk.core",
    "servicedesk.accounts",
    "servicedesk.calendars",
    "servicedesk.catalog",
    "servicedesk.tickets",
    "servicedesk.sla",
    "servicedesk.knowledge",
    "servicedesk.web",
    "servicedesk.portal",
    "servicedesk.problems",
    "servicedesk.telephony",
    "servicedesk.worklogs",
    "servicedesk.reports",
    "servicedesk.channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "servicedesk.config.urls"
WSGI_APPLICATION = "servicedesk.config.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
_db = dj_database_url.parse(ENV.database_url, conn_max_age=60, conn_health_checks=True)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets readers work while the worker writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _db["TEST"] = {"NAME": ENV.database_test_name}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = ENV.time_zone
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files live outside the web root and are served only through permission checks.
MEDIA_ROOT = DATA_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/attachments-not-public/"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ----------------------------------------------------------------------
SESSION_COOKIE_SECURE = ENV.https
CSRF_COOKIE_SECURE = ENV.https
SECURE_SSL_REDIRECT = ENV.https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000 if ENV.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ENV.https
SECURE_HSTS_PRELOAD = ENV.https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- E-mail ------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = "Поддержка Plas-Tek <support@plastek.local>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(email_settings(ENV.email_url))

# --- Background work ---------------------------------------------------------------
HUEY: dict[str, Any] = (
    {"huey_class": "huey.RedisHuey", "url": ENV.redis_url}
    if ENV.redis_url
    else {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")}
)
HUEY |= {
    "name": "servicedesk",
    "immediate": ENV.huey_immediate,
    "consumer": {"workers": 2, "worker_type": "thread"},
}

CACHES: dict[str, Any] = (
    {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENV.redis_url,
        }
    }
    if ENV.redis_url
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# --- Logging -------------------------------------------------------------------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Product options (one typed object, see servicedesk.core.options) ------------------
TICKET_NUMBER_PREFIX = "SD"
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
REPO_ROOT = REPO_DIR

# --- Problems, mass incidents, development hand-offs (servicedesk.problems) -------------
PROBLEMS_HANDOFF_REMIND_AFTER_DAYS = 5  # remind about hand-offs older than this
PROBLEMS_HANDOFF_REMIND_AT = "09:30"  # local time (TIME_ZONE) from which the daily reminder goes
PROBLEMS_SIMILAR_HOURS = 6  # same-cause suggestions look this far around the ticket
PROBLEMS_SIMILAR_LIMIT = 10

# --- Telephony (servicedesk.telephony); PBX keys live in the admin (Телефония → Настройки) --
TELEPHONY_POPUP_TTL_MINUTES = 30  # a pop-up not dismissed disappears after this
TELEPHONY_RECORDING_TIMEOUT_SECONDS = 60
