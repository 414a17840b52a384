"""The upload policy applied to every attachment, whatever channel brought it."""

from __future__ import annotations

from django.conf import settings

from servicedesk.core.errors import ValidationFailed
from servicedesk.security.domain.uploads import is_active_content, refusal_reason

SAFE_DOWNLOAD_TYPE = "application/octet-stream"
# Sent with every download: even if a browser rendered the file, it could run nothing.
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def check_upload(*, filename: str, head: bytes) -> None:
    """Refuse executables by extension (ATTACHMENT_DENIED_EXTENSIONS) or by content."""
    reason = refusal_reason(filename, head, settings.ATTACHMENT_DENIED_EXTENSIONS)
    if reason is not None:
        raise ValidationFailed(f"Файл «{filename}» не принят: {reason}", field="file")


def download_content_type(filename: str, content_type: str) -> str:
    """Return the type to serve a file with: anything a browser could run becomes bytes."""
    if is_active_content(filename, content_type):
        return SAFE_DOWNLOAD_TYPE
    return content_type or SAFE_DOWNLOAD_TYPE
