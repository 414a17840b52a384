"""A request id on every request, response, log line and background task.

The id comes from the `X-Request-ID` header when a proxy (nginx) already set a sane one,
otherwise it is generated; it is echoed in the response so a user's complaint ("error
id …") leads straight to the log lines of that request on whichever machine served it.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
NO_REQUEST = "-"
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """Return the id of the request (or task) this thread is serving, or `-`."""
    return _current.get()


def set_request_id(value: str) -> None:
    _current.set(value)


def clean_request_id(incoming: str | None) -> str:
    """Return `incoming` when it is a safe id, otherwise a new random one."""
    if incoming and _VALID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Set the request id for this thread and echo it in the `X-Request-ID` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = clean_request_id(request.headers.get(HEADER))
        set_request_id(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Add `record.request_id` so every formatter can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def _request_done(**kwargs: Any) -> None:
    # Django logs 4xx/5xx after the middleware returned, so the id is kept until here.
    set_request_id(NO_REQUEST)


def _task_starting(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    set_request_id(f"task-{task.id}")


def connect_signals() -> None:
    """Clear the id when a request ends; give each huey task its own id."""
    from huey import signals
    from huey.contrib.djhuey import HUEY

    request_finished.connect(_request_done, dispatch_uid="servicedesk.ops.requestid")
    HUEY.signal(signals.SIGNAL_EXECUTING)(_task_starting)
