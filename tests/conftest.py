"""Test set-up shared by every test: in-memory huey, plain static storage, fail-on-skip."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Playwright runs an event loop in the test thread; the ORM calls around it are sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _django_active(config: pytest.Config) -> bool:
    return config.pluginmanager.has_plugin("django")


def pytest_configure(config: pytest.Config) -> None:
    if not _django_active(config):
        return  # pure domain tests run with `-p no:django`
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True  # tasks run inline against in-memory storage
    config.pluginmanager.import_plugin("tests.fixtures")


@pytest.fixture(autouse=True)
def _plain_static_and_private_media(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if not _django_active(request.config):
        return
    settings = request.getfixturevalue("settings")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.getbasetemp() / "media")},
        },
    }
    settings.CLASSIFIER_DIR = tmp_path_factory.getbasetemp() / "classifier"


@pytest.fixture(autouse=True)
def _fresh_options(request: pytest.FixtureRequest) -> Iterator[None]:
    if not _django_active(request.config):
        yield
        return
    from servicedesk.api import pagination
    from servicedesk.classification.services import classification_reset_cache
    from servicedesk.core.options import desk_options
    from servicedesk.core.snapshots import forget_snapshots
    from servicedesk.routing.selectors import forget_cached_rules

    def forget() -> None:
        desk_options.cache_clear()
        forget_cached_rules()
        classification_reset_cache()
        pagination.forget_estimates()
        forget_snapshots()

    forget()
    yield
    forget()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _django_active(config):
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL or start a local server")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (SD_FAIL_ON_SKIP=1) a skipped test is a failure, except PostgreSQL-only tests on
    the SQLite run, which run in the PostgreSQL run of the same CI job."""
    if os.environ.get("SD_FAIL_ON_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    bad = [
        report
        for report in reporter.stats.get("skipped", [])
        if "needs PostgreSQL" not in str(getattr(report, "longrepr", ""))
    ]
    if bad:
        reporter.write_line(f"CI: {len(bad)} test(s) skipped; nothing may skip in CI", red=True)
        for report in bad:
            reporter.write_line(f"  {report.nodeid}: {report.longrepr}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
