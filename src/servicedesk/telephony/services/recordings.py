"""Recordings: fetch from the PBX into our private storage, attach to the call's tickets.

Vendor links expire, so the file is copied as soon as the PBX says it is ready. Network
trouble and 5xx answers are retried with exponential backoff (the task re-queues
itself); 4xx answers and files over the size cap fail for good, visibly on the call.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import F

from servicedesk.core import clock
from servicedesk.core.errors import DomainError
from servicedesk.core.options import desk_options
from servicedesk.telephony.domain import mango, zadarma
from servicedesk.telephony.models import Call, CallTicket, RecordingStatus, TelephonySettings
from servicedesk.telephony.selectors import telephony_settings
from servicedesk.tickets.services import ticket_attach

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
SYSTEM_LABEL = "Телефония"
_EXTENSIONS = {
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/wave": ".wav",
    "audio/ogg": ".ogg",
    "audio/x-gsm": ".gsm",
}
_KNOWN_SUFFIXES = {".mp3", ".wav", ".ogg", ".gsm", ".m4a"}


class RecordingTemporaryError(Exception):
    """The PBX could not give the file now; try again after `delay` seconds."""

    def __init__(self, message: str, delay: int) -> None:
        super().__init__(message)
        self.delay = delay


class _Permanent(Exception):
    def __init__(self, message: str, status: str = RecordingStatus.FAILED) -> None:
        super().__init__(message)
        self.status = status


class _Temporary(Exception):
    pass


def backoff(attempt: int) -> int:
    """Seconds to wait before attempt `attempt + 1`: 30, 60, 120, … capped at an hour."""
    return int(min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempt - 1)))


@dataclass(frozen=True)
class _Request:
    method: str
    url: str
    data: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _zadarma_link(client: httpx.Client, config: TelephonySettings, call_id: str) -> str:
    method = "/v1/pbx/record/request/"
    params = dict(sorted({"call_id": call_id, "format": "json"}.items()))
    query = urlencode(params)
    text = method + query + hashlib.md5(query.encode()).hexdigest()  # noqa: S324  (their scheme)
    digest = hmac.new(config.zadarma_api_secret.encode(), text.encode(), hashlib.sha1)
    sign = base64.b64encode(digest.hexdigest().encode()).decode()
    response = _send(
        client,
        _Request(
            "GET",
            f"{config.zadarma_api_url.rstrip('/')}{method}?{query}",
            headers={"Authorization": f"{config.zadarma_api_key}:{sign}"},
        ),
    )
    try:
        body: dict[str, Any] = response.json()
    except ValueError as error:
        raise _Temporary("Zadarma ответила не JSON") from error
    link = body.get("link") or next(iter(body.get("links") or []), "")
    if body.get("status") != "success" or not link:
        raise _Permanent(f"Zadarma не дала ссылку на запись: {body.get('message', body)}")
    return str(link)


def _request_for(client: httpx.Client, call: Call, config: TelephonySettings) -> _Request:
    url = call.recording_url
    if url.startswith(mango.RECORDING_PREFIX) and call.source == "mango":
        payload = json.dumps(
            {"recording_id": url.removeprefix(mango.RECORDING_PREFIX), "action": "download"}
        )
        return _Request(
            "POST",
            f"{config.mango_api_url.rstrip('/')}/queries/recording/post/",
            data={
                "vpbx_api_key": config.mango_api_key,
                "sign": mango.mango_sign(config.mango_api_key, payload, config.mango_api_salt),
                "json": payload,
            },
        )
    if url.startswith(zadarma.RECORDING_PREFIX) and call.source == "zadarma":
        return _Request(
            "GET", _zadarma_link(client, config, url.removeprefix(zadarma.RECORDING_PREFIX))
        )
    if urlsplit(url).scheme in ("http", "https"):
        return _Request("GET", url)
    raise _Permanent(f"Не умею скачивать запись по адресу «{url[:100]}»")


def _send(client: httpx.Client, request: _Request) -> httpx.Response:
    try:
        response = client.request(
            request.method, request.url, data=request.data, headers=request.headers
        )
    except httpx.HTTPError as error:
        raise _Temporary(f"Сеть: {error.__class__.__name__}") from error
    _check_status(response)
    return response


def _check_status(response: httpx.Response) -> None:
    if response.status_code >= 500 or response.status_code == 429:
        raise _Temporary(f"АТС ответила {response.status_code}")
    if response.status_code >= 400:
        raise _Permanent(f"АТС ответила {response.status_code}: записи нет или доступ закрыт")


@contextmanager
def _download(
    client: httpx.Client, request: _Request, limit: int
) -> Iterator[tuple[IO[bytes], int, str]]:
    """Stream the file into a temporary file; yield (file, size, content type)."""
    too_large = _Permanent(
        f"Запись больше {limit // (1024 * 1024)} МБ", status=RecordingStatus.TOO_LARGE
    )
    with tempfile.TemporaryFile() as sink:
        try:
            with client.stream(
                request.method, request.url, data=request.data, headers=request.headers
            ) as response:
                _check_status(response)
                declared = int(response.headers.get("content-length") or 0)
                if declared > limit:
                    raise too_large
                size = 0
                for chunk in response.iter_bytes(64 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise too_large
                    sink.write(chunk)
                content_type = response.headers.get("content-type", "").split(";")[0].strip()
        except httpx.HTTPError as error:
            raise _Temporary(f"Сеть: {error.__class__.__name__}") from error
        if size == 0:
            raise _Temporary("АТС отдала пустой файл")
        sink.seek(0)
        yield sink, size, content_type or "application/octet-stream"


def _suffix(content_type: str, url: str) -> str:
    if content_type in _EXTENSIONS:
        return _EXTENSIONS[content_type]
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return suffix if suffix in _KNOWN_SUFFIXES else ".bin"


def _limit(config: TelephonySettings) -> int:
    return min(config.recording_max_mb * 1024 * 1024, desk_options().attachment_max_bytes)


def _mark(call_pk: int, status: str, error: str = "") -> None:
    Call.objects.filter(pk=call_pk).update(recording_status=status, recording_error=error[:300])


def call_recording_download(call_pk: int) -> str:
    """Fetch the call's recording once; return the resulting recording status.

    Idempotent: a stored recording is only attached where it is still missing.
    Raises RecordingTemporaryError (with the backoff delay) when a retry makes sense.
    """
    call = Call.objects.filter(pk=call_pk).first()
    if call is None:
        return "gone"
    if call.recording_status == RecordingStatus.DOWNLOADED:
        attach_pending(call)
        return call.recording_status
    if call.recording_status != RecordingStatus.PENDING or not call.recording_url:
        return call.recording_status
    Call.objects.filter(pk=call_pk).update(recording_attempts=F("recording_attempts") + 1)
    attempt = call.recording_attempts + 1
    config = telephony_settings()
    timeout = httpx.Timeout(settings.TELEPHONY_RECORDING_TIMEOUT_SECONDS, connect=10)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            request = _request_for(client, call, config)
            with _download(client, request, _limit(config)) as (content, size, content_type):
                _store(call, content, size, content_type, _suffix(content_type, request.url))
    except _Permanent as error:
        logger.warning("Запись звонка %s: %s", call.call_id, error)
        _mark(call_pk, error.status, str(error))
        return error.status
    except _Temporary as error:
        if attempt >= MAX_ATTEMPTS:
            _mark(call_pk, RecordingStatus.FAILED, f"{error} (попыток: {attempt})")
            return RecordingStatus.FAILED
        Call.objects.filter(pk=call_pk).update(recording_error=str(error)[:300])
        raise RecordingTemporaryError(str(error), delay=backoff(attempt)) from error
    call.refresh_from_db()
    attach_pending(call)
    return call.recording_status


def _store(call: Call, content: IO[bytes], size: int, content_type: str, suffix: str) -> None:
    digest = hashlib.sha256()
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        digest.update(chunk)
    content.seek(0)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.recording_status == RecordingStatus.DOWNLOADED:
            return  # another worker finished first
        locked.recording.save(f"record{suffix}", File(content), save=False)
        locked.recording_status = RecordingStatus.DOWNLOADED
        locked.recording_content_type = content_type[:100]
        locked.recording_size = size
        locked.recording_sha256 = digest.hexdigest()
        locked.recording_error = ""
        try:
            locked.save(
                update_fields=[
                    "recording",
                    "recording_status",
                    "recording_content_type",
                    "recording_size",
                    "recording_sha256",
                    "recording_error",
                ]
            )
        except Exception:
            locked.recording.delete(save=False)
            raise


def recording_filename(call: Call) -> str:
    local = call.started_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    who = call.counterpart.lstrip("+") or "скрытый номер"
    suffix = PurePosixPath(call.recording.name).suffix or ".bin"
    return f"Запись звонка {local:%Y-%m-%d %H-%M} {who}{suffix}"


@transaction.atomic
def attach_recording(call: Call, link: CallTicket) -> bool:
    """Attach the stored recording to one linked ticket (internal file); True if attached."""
    locked = CallTicket.objects.select_for_update().get(pk=link.pk)
    if locked.recording_attached_at is not None or not call.recording:
        return False
    try:
        with call.recording.open("rb") as content:
            ticket_attach(
                actor=None,
                number=locked.ticket.number,
                content=content,
                filename=recording_filename(call),
                content_type=call.recording_content_type or "application/octet-stream",
                size=call.recording_size or call.recording.size,
                is_public=False,
                system_label=SYSTEM_LABEL,
            )
    except DomainError as error:
        logger.warning("Запись звонка %s не приложена: %s", call.call_id, error.message)
        return False
    locked.recording_attached_at = clock.now()
    locked.save(update_fields=["recording_attached_at"])
    return True


def attach_pending(call: Call) -> int:
    """Attach the recording to every linked ticket that does not have it yet."""
    links = CallTicket.objects.select_related("ticket").filter(
        call=call, recording_attached_at__isnull=True
    )
    return sum(attach_recording(call, link) for link in links)
