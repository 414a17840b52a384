"""`manage.py check --deploy` is clean with production settings; secrets come from the env."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "HTTPS", "SECRET_KEY", "SD_", "LOG_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}
    }
    base |= {
        "DJANGO_SETTINGS_MODULE": "servicedesk.config.settings",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    } | env
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "desk.plastek.ru",
    "CSRF_TRUSTED_ORIGINS": "https://desk.plastek.ru",
}


def test_deploy_checks_pass_with_production_settings(tmp_path) -> None:
    result = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_hardened(tmp_path) -> None:
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_AGE",
        "AUTHENTICATION_BACKENDS",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run(["shell", "-c", code], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SESSION_COOKIE_AGE"] == 12 * 3600
    assert values["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    env = PRODUCTION | {"SECRET_KEY": ""}
    result = run(["check"], tmp_path, **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
