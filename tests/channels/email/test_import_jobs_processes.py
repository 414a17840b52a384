"""`manage.py ingest_email --jobs 2` as an operator runs it: real processes, a desk of its own.

On the SQLite run the desk is an SQLite file (the test run's in-memory database cannot
be shared between processes); on the PostgreSQL run, a database of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from .test_import_jobs import conversations

REPO = Path(__file__).resolve().parents[3]

SETUP = """
from servicedesk.core.setup import load_plastek_configuration
from servicedesk.accounts.models import Client
from servicedesk.channels.email.defaults import load_default_templates
from servicedesk.channels.email.models import Mailbox
load_plastek_configuration()
load_default_templates()
client = Client.objects.create(code="mega", name="МЕГА")
Mailbox.objects.create(code="support", name="Поддержка", address="support@plastek.ru", client=client)
"""

CHECK = """
import json
from servicedesk.channels.email.models import InboundMessage
from servicedesk.tickets.models import Ticket
print(json.dumps({
    "tickets": Ticket.objects.count(),
    "owners": dict(InboundMessage.objects.values_list("message_id", "ticket_id")),
}))
"""


@pytest.fixture
def desk_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "test-only",
        "DEBUG": "1",
        "HUEY_IMMEDIATE": "0",
    }
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        env.pop("DATABASE_URL", None)  # the desk's own SQLite file under DATA_DIR
        yield env
        return
    import psycopg

    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    name = f"test_sd_import_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as admin_connection:
        admin_connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as admin_connection:
            admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_two_processes_import_every_file_once_with_conversations_intact(
    desk_env: dict[str, str], tmp_path: Path
) -> None:
    for step in (("migrate", "-v0"), ("shell", "-c", SETUP)):
        done = manage(desk_env, *step)
        assert done.returncode == 0, done.stderr
    files = conversations(tmp_path)

    imported = manage(desk_env, "ingest_email", "--jobs", "2", *files)

    assert imported.returncode == 0, imported.stderr
    assert "письма принимают процессов: 2" in imported.stderr
    assert sorted(line.split(": ", 1)[0] for line in imported.stdout.splitlines()) == sorted(files)
    checked = manage(desk_env, "shell", "-c", CHECK)
    found = json.loads(checked.stdout.strip().splitlines()[-1])
    assert found["tickets"] == 60
    owners = found["owners"]
    assert len(owners) == 180
    for i in range(60):
        assert owners[f"req{i}@x.ru"] == owners[f"boss{i}@x.ru"] == owners[f"again{i}@x.ru"]

    again = manage(desk_env, "ingest_email", "--jobs", "2", *files)

    assert again.returncode == 0, again.stderr
    assert again.stdout.count("уже принято ранее") == 180
