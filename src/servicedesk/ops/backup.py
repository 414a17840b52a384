"""Back up the desk to one file and restore it into an empty database.

The file is a tar archive: `manifest.json`, the database (`database.pgdump`, made by
pg_dump in custom format, or `database.sqlite3`, made with SQLite's online backup API)
and the uploaded files under `media/`. The dump is a consistent snapshot; files are
copied right after it, so a file uploaded in between is merely an extra.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import django
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from servicedesk.core import clock
from servicedesk.core.errors import ValidationFailed

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA_PREFIX = "media/"


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    media_files: int
    size: int


@dataclass(frozen=True)
class RestoreSummary:
    vendor: str
    media_files: int
    created_at: str


def media_root() -> Path:
    """Return the directory the uploaded files live in."""
    location = getattr(default_storage, "location", None) or settings.MEDIA_ROOT
    return Path(location)


def _pg_env(alias: str) -> dict[str, str]:
    """Return libpq environment variables for the database (the password stays off argv)."""
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    mapping = {
        "PGHOST": conf.get("HOST"),
        "PGPORT": conf.get("PORT"),
        "PGUSER": conf.get("USER"),
        "PGPASSWORD": conf.get("PASSWORD"),
        "PGDATABASE": conf.get("NAME"),
    }
    for key, value in mapping.items():
        if value:
            env[key] = str(value)
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        value = (conf.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ValidationFailed(f"{command[0]} завершился с ошибкой: {result.stderr.strip()}")


def _dump_database(alias: str, target: Path) -> str:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        _run(
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
            ],
            _pg_env(alias),
        )
        return "postgresql"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "sqlite"
    raise ValidationFailed(f"Резервное копирование {connection.vendor} не поддерживается")


def _applied_migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def backup_create(*, path: Path, using: str = "default") -> BackupSummary:
    """Write the database and the uploaded files of the desk to `path` (a tar file)."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = media_root()
    with tempfile.TemporaryDirectory(prefix="sd-backup-") as work:
        work_dir = Path(work)
        dump = work_dir / "database"
        vendor = _dump_database(using, dump)
        files = list(_media_files(root))
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": clock.now().isoformat(),
            "django": django.get_version(),
            "instance": settings.ENV.instance_name,
            "migrations": _applied_migrations(using),
            "media_files": len(files),
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(clock.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=PG_DUMP if vendor == "postgresql" else SQLITE_DUMP)
            for file in files:
                archive.add(file, arcname=MEDIA_PREFIX + file.relative_to(root).as_posix())
        partial.replace(path)  # never leave a half-written file under the real name
    return BackupSummary(path=path, vendor=vendor, media_files=len(files), size=path.stat().st_size)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise ValidationFailed("Это не резервная копия службы поддержки: нет manifest.json")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise ValidationFailed(f"Неизвестный формат резервной копии: {manifest.get('format')}")
    return manifest


def _require_empty(alias: str) -> None:
    tables = connections[alias].introspection.table_names()
    if tables:
        raise ValidationFailed(
            f"База данных не пуста ({len(tables)} таблиц): восстановление выполняется только "
            "в пустую базу. Создайте новую базу и укажите её в DATABASE_URL."
        )


def _restore_database(alias: str, vendor: str, archive: tarfile.TarFile, work: Path) -> None:
    connection = connections[alias]
    if vendor != connection.vendor:
        raise ValidationFailed(
            f"Копия сделана с {vendor}, а восстанавливается в {connection.vendor}"
        )
    name = PG_DUMP if vendor == "postgresql" else SQLITE_DUMP
    member = archive.getmember(name)
    archive.extract(member, work, filter="data")
    dump = work / name
    if vendor == "postgresql":
        connection.close()
        _run(
            [
                shutil.which("pg_restore") or "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connections[alias].settings_dict['NAME']}",
                str(dump),
            ],
            _pg_env(alias),
        )
        return
    source = sqlite3.connect(dump)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def _safe_media_path(root: Path, name: str) -> Path | None:
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    return root.joinpath(*relative.parts)


def _restore_media(archive: tarfile.TarFile, root: Path) -> int:
    restored = 0
    for member in archive.getmembers():
        if not member.name.startswith(MEDIA_PREFIX) or not member.isfile():
            continue
        target = _safe_media_path(root, member.name)
        if target is None:
            continue
        source = archive.extractfile(member)
        if source is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        restored += 1
    return restored


def backup_restore(*, path: Path, using: str = "default") -> RestoreSummary:
    """Restore a backup made by `backup_create` into an empty database and the media folder."""
    if not path.is_file():
        raise ValidationFailed(f"Файл {path} не найден")
    with tarfile.open(path, "r") as archive, tempfile.TemporaryDirectory() as work:
        manifest = _read_manifest(archive)
        _require_empty(using)
        _restore_database(using, manifest["vendor"], archive, Path(work))
        media = _restore_media(archive, media_root())
    return RestoreSummary(
        vendor=manifest["vendor"], media_files=media, created_at=manifest["created_at"]
    )
