"""Django settings of the Plas-Tek service desk; every variable comes from config.env."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from servicedesk.config.email_url import email_settings
from servicedesk.config.env import REPO_DIR, read_environment

ENV = read_environment()
BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ENV.data_dir
# The huey queue, uploads and the classifier live here even when the database is elsewhere.
DATA_DIR.mkdir(parents=True, exist_ok=True)

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
    "servicedesk.routing",
    "servicedesk.classification",
    "servicedesk.knowledge",
    "servicedesk.web",
    "servicedesk.portal",
    "servicedesk.problems",
    "servicedesk.telephony",
    "servicedesk.worklogs",
    "servicedesk.reports",
    # Production readiness (issue 10)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "servicedesk.security",
    "servicedesk.privacy",
    "servicedesk.ops",
    "servicedesk.channels",
]

MIDDLEWARE = [
    "servicedesk.ops.requestid.RequestIdMiddleware",  # first: every log line has the id
    "servicedesk.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "servicedesk.security.otp.OtpVerificationMiddleware",
    "servicedesk.security.ratelimit.ApiClientLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into a 429 page
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
    # Bind parameters on the server and prepare a statement once it has run a few times:
    # a ticket fetched with its joins costs ~5 ms of planning for a 0.5 ms execution, and
    # a prepared statement plans once per connection. Behind PgBouncer in transaction
    # mode set PG_PREPARE_THRESHOLD=off.
    _db["OPTIONS"] = {"server_side_binding": True} | (
        {"prepare_threshold": ENV.pg_prepare_threshold}
        if ENV.pg_prepare_threshold is not None
        else {}
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
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
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

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
    "name": ENV.instance_name,
    "immediate": ENV.huey_immediate,
    "consumer": {"workers": 2, "worker_type": "thread"},
}

CACHES: dict[str, Any] = (
    {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENV.redis_url,
            "KEY_PREFIX": ENV.instance_name,
        }
    }
    if ENV.redis_url
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# --- Logging -------------------------------------------------------------------------
# One line per record on stderr: JSON (LOG_JSON=1, default outside DEBUG) or plain text,
# each with the request id, and phone/card numbers masked (servicedesk.ops.logs).
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "servicedesk.ops.requestid.RequestIdFilter"},
        "personal_data": {"()": "servicedesk.privacy.logfilter.PersonalDataFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "servicedesk.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if ENV.log_json else "plain",
            "filters": ["request_id", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Configured here, run_huey adds no plain-text handler of its own (no double lines).
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Product options (one typed object, see servicedesk.core.options) ------------------
TICKET_NUMBER_PREFIX = "SD"
ATTACHMENT_MAX_BYTES = ENV.attachment_max_mb * 1024 * 1024
REPO_ROOT = REPO_DIR

# --- Service classifier (servicedesk.classification): trained model files live here ---
CLASSIFIER_DIR = DATA_DIR / "classifier"

# --- Problems, mass incidents, development hand-offs (servicedesk.problems) -------------
PROBLEMS_HANDOFF_REMIND_AFTER_DAYS = 5  # remind about hand-offs older than this
PROBLEMS_HANDOFF_REMIND_AT = "09:30"  # local time (TIME_ZONE) from which the daily reminder goes
PROBLEMS_SIMILAR_HOURS = 6  # same-cause suggestions look this far around the ticket
PROBLEMS_SIMILAR_LIMIT = 10

# --- Telephony (servicedesk.telephony); PBX keys live in the admin (Телефония → Настройки) --
TELEPHONY_POPUP_TTL_MINUTES = 30  # a pop-up not dismissed disappears after this
TELEPHONY_RECORDING_TIMEOUT_SECONDS = 60
# --- Production readiness (issue 10): security, personal data, operations ------------
# Login lock-out (django-axes): the standard auth views, the admin and POST /api/v1/auth/token.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = ENV.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=ENV.login_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "servicedesk.security.clientip.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "servicedesk.security.lockout.lockout_response"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = ENV.session_hours * 3600
# TOTP second factor (django-otp): /account/2fa/; required for the head when switched on.
OTP_TOTP_ISSUER = "Plas-Tek Service Desk"
SD_REQUIRE_TOTP_FOR_HEAD = ENV.require_totp_for_head
# API rate limits: per token (or session user), and failed authentications per client IP.
API_RATE_LIMIT = ENV.api_rate_limit
API_ANON_RATE_LIMIT = ENV.api_anon_rate_limit
PROXY_COUNT = ENV.proxy_count
ATTACHMENT_DENIED_EXTENSIONS = ENV.attachment_denied_extensions
# Personal data: closed tickets' guest data is anonymised after this many months.
PERSONAL_DATA_RETENTION_MONTHS = ENV.retention_months
# Operations: /metrics answers only with `Authorization: Bearer <METRICS_TOKEN>` when set.
METRICS_TOKEN = ENV.metrics_token
WORKER_HEARTBEAT_MAX_AGE = timedelta(minutes=3)

# --- Routing -----------------------------------------------------------------------
# Routing places every new ticket in its role's queue; with automatic assignment it also
# gives it to the least-loaded person on shift (SPEC §8).
ROUTING_AUTO_ASSIGN = True
