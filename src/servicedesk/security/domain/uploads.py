"""Which uploaded files are refused, and which are only ever handed out as downloads."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import PurePath

# Content a browser renders and may run script in: always served as a plain download.
ACTIVE_CONTENT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "text/ecmascript",
        "application/x-shockwave-flash",
        "application/pdf",  # PDF viewers run JavaScript too
        "multipart/related",
        "message/rfc822",
    }
)
ACTIVE_EXTENSIONS = frozenset(
    {"html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "mht", "mhtml", "pdf", "swf"}
)
# Executables recognised by their first bytes, whatever the file is called.
_MAGIC = {b"MZ": "программа Windows", b"\x7fELF": "программа Linux"}


def extension(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def refusal_reason(filename: str, head: bytes, denied: Collection[str]) -> str | None:
    """Return why a file must be refused (Russian), or None when it may be stored."""
    suffixes = [part.lower() for part in PurePath(filename).suffixes]
    for suffix in suffixes:
        if suffix.lstrip(".") in denied:
            return f"файлы {suffix} не принимаются (могут запустить программу)"
    for magic, label in _MAGIC.items():
        if head.startswith(magic):
            return f"файл является исполняемым ({label})"
    return None


def is_active_content(filename: str, content_type: str) -> bool:
    """Return whether a browser could run script in this file if it displayed it."""
    base = content_type.split(";", 1)[0].strip().lower()
    return base in ACTIVE_CONTENT_TYPES or extension(filename) in ACTIVE_EXTENSIONS
