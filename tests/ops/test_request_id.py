"""A request id on every response, log line and background task."""

from __future__ import annotations

import logging
import re

import pytest

from servicedesk.ops.requestid import RequestIdFilter, current_request_id

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_new_request_id(client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_an_id_set_by_nginx_is_kept(client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-7f3a.1"})
    assert response["X-Request-ID"] == "nginx-7f3a.1"


@pytest.mark.parametrize("bad", ["x" * 200, "a b", "<script>", "ид"])
def test_an_unsafe_incoming_id_is_replaced(client, bad) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_djangos_own_error_log_line_has_the_request_id(client) -> None:
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", headers={"X-Request-ID": "trace-404"})
    finally:
        logger.removeHandler(handler)
    assert [record.request_id for record in seen] == ["trace-404"]  # type: ignore[attr-defined]
    assert current_request_id() == "-"  # cleared when the request ended


def test_background_tasks_log_with_their_own_id() -> None:
    from huey.contrib.djhuey import HUEY

    @HUEY.task(name="tests.ops.which_request_id")
    def which_request_id() -> str:
        return current_request_id()

    result = which_request_id()
    assert result.get().startswith("task-")
