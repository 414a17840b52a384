"""Turn an EMAIL_URL into Django's e-mail settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_settings(url: str | None) -> dict[str, Any]:
    """Return EMAIL_* settings for `smtp://user:pass@host:port?tls=1&from=desk@x.ru`.

    `smtps://` means implicit TLS; `?tls=1` means STARTTLS. Without a URL mail is
    printed to the console, which is what a demo machine wants.
    """
    if not url:
        return {"EMAIL_BACKEND": _BACKENDS["console"]}
    parts = urlsplit(url)
    if parts.scheme not in _BACKENDS:
        raise ImproperlyConfigured(f"EMAIL_URL scheme must be one of {sorted(_BACKENDS)}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    result: dict[str, Any] = {"EMAIL_BACKEND": _BACKENDS[parts.scheme]}
    if parts.scheme in {"smtp", "smtps"}:
        result |= {
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", "0") in {"1", "true", "yes"},
            "EMAIL_TIMEOUT": int(query.get("timeout", "20")),
        }
    if "from" in query:
        result["DEFAULT_FROM_EMAIL"] = query["from"]
        result["SERVER_EMAIL"] = query["from"]
    return result
