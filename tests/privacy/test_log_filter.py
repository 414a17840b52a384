"""Logs never carry whole phone or card numbers, and every line has the request id."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.conf import settings

from servicedesk.ops.logs import JsonFormatter
from servicedesk.ops.requestid import RequestIdFilter, set_request_id
from servicedesk.privacy.logfilter import PersonalDataFilter


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.privacy.capture")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_numbers_in_messages_and_arguments_are_masked(captured) -> None:
    logger, stream = captured
    set_request_id("req-1")
    logger.info("Звонок с %s по карте %s", "+7 916 123-45-67", "2770000001001")
    [line] = lines(stream)
    assert line["message"] == "Звонок с +• ••• •••-45-67 по карте •••••••••1001"
    assert line["request_id"] == "req-1"
    assert line["level"] == "INFO"
    assert line["logger"] == "tests.privacy.capture"
    set_request_id("-")


def test_numbers_in_tracebacks_are_masked(captured) -> None:
    logger, stream = captured
    try:
        raise ValueError("карта 2770000001001 не найдена")
    except ValueError:
        logger.exception("ошибка поиска")
    [line] = lines(stream)
    assert "2770000001001" not in line["exc"]
    assert "•••••••••1001" in line["exc"]


def test_extra_fields_are_kept_in_json(captured) -> None:
    logger, stream = captured
    logger.warning("медленный запрос", extra={"duration_ms": 1234, "path": "/api/v1/tickets"})
    [line] = lines(stream)
    assert line["duration_ms"] == 1234
    assert line["path"] == "/api/v1/tickets"


def test_the_console_handler_uses_both_filters() -> None:
    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["request_id", "personal_data"]
