"""Property-based API test (schemathesis): no 5xx, every answer matches the OpenAPI schema.

Runs in-process against the WSGI app with a staff token, a bounded number of examples per
operation and a fixed seed, so the run is the same every time.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from servicedesk.accounts.services import api_token_issue
from tests import factories

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _load_schema() -> schemathesis.schemas.BaseSchema:
    # Loaded at collection: the schema is generated from code and needs no database.
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Keep the test's database connection across WSGI requests, as Django's test client does
    (the real handler closes it at the end of each request, which ends the test transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings) -> None:
    settings.API_RATE_LIMIT = "100000/minute"
    settings.API_ANON_RATE_LIMIT = "100000/minute"


@pytest.fixture
def staff_token(world) -> str:
    factories.OutletFactory.create(client=world["mega"], code="M-02")
    return api_token_issue(user=world["head"], name="schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, staff_token) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {staff_token}"}, checks=CHECKS)
