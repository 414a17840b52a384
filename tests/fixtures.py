"""Fixtures shared by the Django tests (loaded only when pytest-django is active)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def plastek(db: Any) -> None:
    """Load the Plas-Tek configuration (roles, catalogue, statuses, calendars)."""
    from servicedesk.core.setup import load_plastek_configuration

    load_plastek_configuration()


@pytest.fixture
def world(plastek: None) -> dict[str, Any]:
    """Two clients with an outlet and a guest each, a staff member and a client user each."""
    from servicedesk.accounts.roles import Role
    from tests import factories

    mega = factories.client_with_contract(has_l1=True)
    apteka = factories.client_with_contract()
    return {
        "mega": mega,
        "apteka": apteka,
        "mega_outlet": factories.OutletFactory.create(client=mega, code="M-01"),
        "apteka_outlet": factories.OutletFactory.create(client=apteka, code="A-01"),
        "mega_guest": factories.guest(mega, phone="+79161234567", card="2770000001001"),
        "apteka_guest": factories.guest(apteka, phone="+79167654321"),
        "agent": factories.staff(Role.SQL_ENGINEER, username="agent"),
        "head": factories.staff(Role.HEAD, username="boss"),
        "mega_user": factories.client_user(mega, username="mega-it"),
        "apteka_user": factories.client_user(apteka, username="apteka-it"),
    }


@pytest.fixture
def api_as(client: Any) -> Any:
    """Return a function that gives a JSON API caller authenticated with a token of `user`."""
    from servicedesk.accounts.services import api_token_issue

    def make(user: Any) -> ApiCaller:
        _, raw = api_token_issue(user=user, name="tests")
        return ApiCaller(client, raw)

    return make


class ApiCaller:
    """A thin JSON client for /api/v1 with a bearer token."""

    def __init__(self, client: Any, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        call = getattr(self.client, method)
        if body is not None:
            kwargs |= {"data": body, "content_type": "application/json"}
        return call(f"/api/v1{path}", headers=self.headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self._call("get", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self._call("post", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self._call("patch", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self._call("put", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self._call("delete", path, **kwargs)


@pytest.fixture
def model_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the classifier's model calls: one entry per call, how many texts it had."""
    from servicedesk.routing.classifier import ServiceClassifier

    calls: list[int] = []
    real = ServiceClassifier.predict_documents

    def counted(self: Any, documents: Any, top_k: int = 3) -> Any:
        calls.append(len(documents))
        return real(self, documents, top_k)

    monkeypatch.setattr(ServiceClassifier, "predict_documents", counted)
    return calls


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Start every test with empty rate-limit counters (the test cache is per process)."""
    from django.core.cache import cache

    cache.clear()
