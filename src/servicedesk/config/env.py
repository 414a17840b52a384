"""Read the process environment in one place.

Every setting that may differ between a laptop, CI and production is read here and
nowhere else, so a deployment has one list of knobs (see docs/deploy.md).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

REPO_DIR = Path(__file__).resolve().parents[3]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false, got {raw!r}")


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


@dataclass(frozen=True)
class Environment:
    """The deployment's settings as read from the environment."""

    debug: bool
    secret_key: str
    data_dir: Path
    database_url: str
    database_test_name: str | None
    redis_url: str | None
    email_url: str | None
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    time_zone: str
    https: bool
    site_url: str
    log_json: bool
    huey_immediate: bool
    # Production readiness (issue 10): security, personal data, operations.
    instance_name: str
    proxy_count: int
    api_rate_limit: str
    api_anon_rate_limit: str
    login_failure_limit: int
    login_cooloff_minutes: int
    session_hours: int
    require_totp_for_head: bool
    metrics_token: str | None
    retention_months: int
    attachment_max_mb: int
    attachment_denied_extensions: list[str]
    pg_prepare_threshold: int | None


def _prepare_threshold() -> int | None:
    """PG_PREPARE_THRESHOLD: executions before psycopg prepares a statement; "off" never."""
    if os.environ.get("PG_PREPARE_THRESHOLD", "").strip().lower() in {"off", "none", "no"}:
        return None
    return _int("PG_PREPARE_THRESHOLD", 5)


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


# Files Windows runs on a double click; refused on upload (ATTACHMENT_DENIED_EXTENSIONS).
# Pages and images that can carry script (html, svg) are accepted but only ever downloaded.
DEFAULT_DENIED_EXTENSIONS = (
    "exe,com,bat,cmd,scr,pif,msi,msp,dll,cpl,jar,js,jse,vbs,vbe,wsf,wsh,ps1,psm1,"
    "hta,lnk,reg,appx,msix,application,gadget,scf,inf"
)


def _secret_key(debug: bool, data_dir: Path) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not debug and not _flag("SD_DEV_SECRET", default=False):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # A local development key that survives restarts (sessions stay valid).
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def read_environment() -> Environment:
    """Return the environment, raising ImproperlyConfigured on a missing production value."""
    debug = _flag("DEBUG", default=False)
    data_dir = Path(os.environ.get("DATA_DIR", str(REPO_DIR / "var"))).resolve()
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{data_dir / 'servicedesk.sqlite3'}")
    # Each checkout gets its own PostgreSQL test database, so parallel clones never collide.
    checkout_hash = hashlib.sha256(str(REPO_DIR).encode()).hexdigest()[:8]
    https = _flag("HTTPS", default=not debug)
    host_default = "127.0.0.1,localhost,[::1]" if not debug else "*"
    site_url = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return Environment(
        debug=debug,
        secret_key=_secret_key(debug, data_dir),
        data_dir=data_dir,
        database_url=database_url,
        database_test_name=os.environ.get("DATABASE_TEST_NAME", f"test_sd_{checkout_hash}"),
        redis_url=os.environ.get("REDIS_URL") or None,
        email_url=os.environ.get("EMAIL_URL") or None,
        allowed_hosts=_list("ALLOWED_HOSTS", host_default),
        csrf_trusted_origins=_list("CSRF_TRUSTED_ORIGINS", ""),
        time_zone=os.environ.get("TIME_ZONE", "Europe/Moscow"),
        https=https,
        site_url=site_url,
        log_json=_flag("LOG_JSON", default=not debug),
        huey_immediate=_flag("HUEY_IMMEDIATE", default=False),
        instance_name=os.environ.get("SD_INSTANCE_NAME", "servicedesk").strip() or "servicedesk",
        proxy_count=_int("PROXY_COUNT", 0),
        api_rate_limit=os.environ.get("API_RATE_LIMIT", "600/minute"),
        api_anon_rate_limit=os.environ.get("API_ANON_RATE_LIMIT", "30/minute"),
        login_failure_limit=_int("LOGIN_FAILURE_LIMIT", 5, minimum=1),
        login_cooloff_minutes=_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1),
        session_hours=_int("SESSION_HOURS", 12, minimum=1),
        require_totp_for_head=_flag("SD_REQUIRE_TOTP_FOR_HEAD", default=False),
        metrics_token=os.environ.get("METRICS_TOKEN") or None,
        retention_months=_int("PERSONAL_DATA_RETENTION_MONTHS", 36, minimum=1),
        attachment_max_mb=_int("ATTACHMENT_MAX_MB", 25, minimum=1),
        attachment_denied_extensions=[
            ext.lower().lstrip(".")
            for ext in _list("ATTACHMENT_DENIED_EXTENSIONS", DEFAULT_DENIED_EXTENSIONS)
        ],
        pg_prepare_threshold=_prepare_threshold(),
    )
