"""Backup and restore: a restored desk answers the same API reads as the original."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from servicedesk.accounts.services import api_token_issue

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def make_desk(world: dict[str, Any], api_as: Any) -> tuple[str, list[str]]:
    """Tickets with replies, notes, a transition and a file; return a token and paths to read."""
    api = api_as(world["agent"])
    numbers = []
    for i in range(4):
        created = api.post(
            "/tickets",
            {
                "subject": f"Касса {i} не печатает чек",
                "client": world["mega"].code,
                "outlet": "M-01",
                "service": "incident",
                "requester_id": world["mega_guest"].pk,
            },
        )
        numbers.append(created.json()["number"])
        api.post(f"/tickets/{numbers[-1]}/comments", {"body": f"Перезагрузите кассу {i}"})
    api.post(f"/tickets/{numbers[0]}/comments", {"body": "внутренняя заметка", "public": False})
    api.post(f"/tickets/{numbers[1]}/transitions", {"status": "resolved"})
    upload = api.client.post(
        f"/api/v1/tickets/{numbers[2]}/attachments",
        {"file": SimpleUploadedFile("чек.txt", "Чек №5 на 1 500 руб".encode(), "text/plain")},
        headers=api.headers,
    )
    _, token = api_token_issue(user=world["head"], name="проверка копии")
    paths = [
        "/tickets?page_size=50",
        "/catalog/services",
        f"/attachments/{upload.json()['id']}",
        "/contacts/lookup?phone=%2B79161234567",
    ]
    for number in numbers:
        paths += [f"/tickets/{number}", f"/tickets/{number}/comments", f"/tickets/{number}/events"]
    return token, paths


def env_for(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    return env | {
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "servicedesk.config.settings_test",
        "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}",
    }


def reads(env: dict[str, str], token: str, paths: list[str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(REPO / "tests" / "ops" / "api_reads.py"), token, *paths],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# Business time spent and left on an SLA clock are counted up to the instant of the read:
# during working hours they differ between two reads seconds apart. Everything else —
# due instants, states, targets — must be the same.
LIVE_FIGURES = frozenset({"elapsed_seconds", "remaining_seconds"})


def settled(value: Any) -> Any:
    """Return `value` without the SLA figures that move with the clock."""
    if isinstance(value, dict):
        return {k: settled(v) for k, v in value.items() if k not in LIVE_FIGURES}
    if isinstance(value, list):
        return [settled(v) for v in value]
    return value


def local_reads(client: Any, token: str, paths: list[str]) -> dict[str, Any]:
    from tests.ops.api_reads import read

    return {path: read(client, token, path) for path in paths}


def fresh_database(tmp_path: Path) -> tuple[str, Any]:
    """Create an empty database of the same kind; return its URL and a function that drops it."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    import psycopg

    conf = connection.settings_dict
    name = f"{conf['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    auth = f"{conf['USER']}:{conf['PASSWORD']}@" if conf["PASSWORD"] else f"{conf['USER']}@"
    server = f"postgres://{auth}{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", drop


def test_a_restored_desk_answers_the_same_reads(world, api_as, client, tmp_path, settings) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    token, paths = make_desk(world, api_as)
    expected = local_reads(client, token, paths)
    assert all(status == 200 for status, _ in expected.values()), expected

    backup = tmp_path / "desk.tar"
    call_command("backup", str(backup))
    with tarfile.open(backup) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert manifest["vendor"] == connection.vendor
    assert manifest["media_files"] == 1
    assert any(name.startswith("media/attachments/") for name in names)

    url, drop = fresh_database(tmp_path)
    try:
        data_dir = tmp_path / "restored-data"
        data_dir.mkdir()
        env = env_for(url, data_dir)
        restore = subprocess.run(
            [sys.executable, str(REPO / "manage.py"), "restore", str(backup)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert restore.returncode == 0, restore.stderr
        assert "файлов 1" in restore.stdout
        assert settled(reads(env, token, paths)) == settled(expected)

        # The restored schema is current: migrate has nothing to do.
        plan = subprocess.run(
            [sys.executable, str(REPO / "manage.py"), "migrate", "--check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert plan.returncode == 0, plan.stdout + plan.stderr
    finally:
        drop()


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path) -> None:
    backup = tmp_path / "desk.tar"
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="не пуста"):
        call_command("restore", str(backup))


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path) -> None:
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as archive:
        archive.add(__file__, arcname="readme.py")
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(bogus))
