"""E-mail intake bench (not named email.py: that would shadow the standard library's
`email` package for every script in bench/):  messages per second through parse + store, on SQLite and PostgreSQL.

Usage:  .venv/bin/python bench/mail_intake.py [--messages 10000] [--db sqlite,postgres]
            [--jobs 1,auto]

Builds a corpus of N messages (variations of tests/channels/email/corpus plus new
requests and replies threaded to earlier ones, ~10 % with a small attachment),
writes them as .eml files, and ingests every file as `manage.py ingest_email FILE…`
does: in one process (`--jobs 1`, the path the IMAP poller takes too), and in as many
processes as the command starts by default (`auto`: one per core, see
`channels.email.import_jobs`). For each message: parse, de-duplicate, store the raw
message, open a ticket or add a comment, keep the raw .eml with the ticket, record the
acknowledgement (queued, not sent). Each database is created fresh for the run:
SQLite in a temporary directory, PostgreSQL as BENCH_EMAIL_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/sd_bench_email, dropped and re-created).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "channels" / "email" / "corpus"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/sd_bench_email"
TARGET = 200.0
_MESSAGE_ID = re.compile(rb"^Message-ID:[^\r\n]*\r?\n", re.IGNORECASE | re.MULTILINE)

SUBJECTS = [
    "Не печатает чек на кассе {n}",
    "Не начислились баллы по карте",
    "Терминал оплаты не отвечает",
    "Ошибка выгрузки чеков за смену",
    "Не проходит списание бонусов",
    "Касса {n} зависает при закрытии смены",
]
BODY = (
    "Здравствуйте!\n\nНа кассе {n} в магазине на Ленина после обновления перестала печататься "
    "лента. Перезагрузка не помогла, ошибка повторяется при каждой продаже. Прошу помочь, "
    "очередь растёт.\n\nС уважением,\n{name}\nтел. 8 (343) 555-{n:02d}-{n:02d}\n"
)


def build_corpus(count: int, directory: Path, seed: int = 2026) -> list[Path]:
    """Write `count` messages into `directory` and return their paths, in delivery order."""
    rng = random.Random(seed)
    ugly = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml")) if p.stat().st_size]
    requests: list[tuple[str, str, str]] = []  # (message id, sender, subject)
    paths = []
    for index in range(count):
        roll = rng.random()
        if roll < 0.15:
            raw = _ugly_variation(ugly[index % len(ugly)], index)
        elif roll < 0.40 and requests:
            raw = _reply(rng.choice(requests[-500:]), index)
        else:
            raw, key = _request(rng, index)
            requests.append(key)
        path = directory / f"{index:06d}.eml"
        path.write_bytes(raw)
        paths.append(path)
    return paths


def _ugly_variation(raw: bytes, index: int) -> bytes:
    fresh = f"Message-ID: <bench.ugly.{index}@bench.test>\r\n".encode()
    stripped = _MESSAGE_ID.sub(b"", raw, count=1)
    return fresh + stripped if not stripped.startswith(b"\x00") else stripped


def _request(rng: random.Random, index: int) -> tuple[bytes, tuple[str, str, str]]:
    n = rng.randint(1, 99)
    sender = f"kassa{rng.randint(1, 600)}@shop{rng.randint(1, 40)}.ru"
    subject = rng.choice(SUBJECTS).format(n=n)
    message = EmailMessage()
    message["From"] = f"Кассир {n} <{sender}>"
    message["To"] = "support@plastek.ru"
    message["Subject"] = subject
    message["Date"] = "Mon, 23 Nov 2026 10:00:00 +0300"
    message_id = f"bench.{index}@shop.test"
    message["Message-ID"] = f"<{message_id}>"
    message.set_content(BODY.format(n=n, name=f"Кассир {n}"))
    if rng.random() < 0.10:
        message.add_attachment(
            rng.randbytes(20_000), maintype="image", subtype="jpeg", filename=f"касса-{n}.jpg"
        )
    return message.as_bytes(policy=SMTP), (message_id, sender, subject)


def _reply(original: tuple[str, str, str], index: int) -> bytes:
    message_id, sender, subject = original
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@plastek.ru"
    message["Subject"] = f"Re: {subject}"
    message["Message-ID"] = f"<bench.reply.{index}@shop.test>"
    message["In-Reply-To"] = f"<{message_id}>"
    message["References"] = f"<{message_id}>"
    message.set_content(
        "Проблема повторилась сегодня утром.\n\n"
        "23.11.2026, 10:00, Поддержка Plas-Tek пишет:\n> Ваше обращение зарегистрировано.\n"
    )
    return message.as_bytes(policy=SMTP)


# --- one database, in a child process -------------------------------------------------


def run_one(db: str, files_dir: Path, count: int, jobs: str) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="sd-email-bench-"))
    os.environ["DATA_DIR"] = str(work)
    if db == "sqlite":
        url = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        url = os.environ.get("BENCH_EMAIL_DATABASE_URL", PG_DEFAULT)
        _recreate_postgres(url)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _setup

    _setup.django_for(url)
    _setup.migrate_and_configure()

    from servicedesk.accounts.models import Client
    from servicedesk.channels.email.import_jobs import MailFile, default_jobs, ingest_files
    from servicedesk.channels.email.intake import RawMail, email_ingest_many
    from servicedesk.channels.email.models import Mailbox
    from servicedesk.channels.email.parse import parse_message
    from servicedesk.channels.management.commands.ingest_email import BATCH
    from servicedesk.core.runtime import freeze_startup_objects

    mailbox = Mailbox.objects.create(
        code="support",
        name="Поддержка",
        address="support@plastek.ru",
        client=Client.objects.first(),
    )
    paths = sorted(files_dir.glob("*.eml"))[:count]
    started = time.perf_counter()
    for path in paths:
        parse_message(path.read_bytes())
    parse_seconds = time.perf_counter() - started

    outcomes: dict[str, int] = {}
    processes = default_jobs(len(paths), BATCH) if jobs == "auto" else int(jobs)
    freeze_startup_objects()  # as `manage.py ingest_email` does for more than one batch
    started = time.perf_counter()
    if processes == 1:
        for first in range(0, len(paths), BATCH):  # as `manage.py ingest_email FILE…` does
            batch = [RawMail(path.read_bytes(), "file") for path in paths[first : first + BATCH]]
            for result in email_ingest_many(mailbox=mailbox, messages=batch):
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    else:
        ingest_files(
            mailbox=mailbox,
            files=[MailFile(path.name, path) for path in paths],
            jobs=processes,
            batch=BATCH,
            report=lambda one: outcomes.update({one.outcome: outcomes.get(one.outcome, 0) + 1}),
        )
    seconds = time.perf_counter() - started
    shutil.rmtree(work, ignore_errors=True)
    return {
        "db": db,
        "jobs": processes,
        "messages": len(paths),
        "parse_rate": len(paths) / parse_seconds,
        "seconds": seconds,
        "rate": len(paths) / seconds,
        "outcomes": outcomes,
    }


def _recreate_postgres(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--jobs", default="1,auto", help="processes: numbers or auto")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-jobs", help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, Path(args.files), args.messages, args.child_jobs)))
        return

    files_dir = Path(tempfile.mkdtemp(prefix="sd-email-corpus-"))
    started = time.perf_counter()
    build_corpus(args.messages, files_dir)
    print(
        f"corpus: {args.messages} messages in {time.perf_counter() - started:.1f} s ({files_dir})"
    )
    rows = []
    for db in args.db.split(","):
        for jobs in args.jobs.split(","):
            child = subprocess.run(
                [sys.executable, __file__, "--child", db, "--child-jobs", jobs,
                 "--files", str(files_dir), "--messages", str(args.messages)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if child.returncode != 0:
                print(f"{db}, {jobs} processes: failed\n{child.stderr[-3000:]}")
                continue
            rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
    shutil.rmtree(files_dir, ignore_errors=True)

    print()
    print(f"{'database':<10} {'processes':>9} {'messages':>8} {'parse only/s':>13} "
          f"{'parse+store s':>14} {'msg/s':>7} {'target':>7}  outcomes")  # fmt: skip
    for row in rows:
        ok = "ok" if float(row["rate"]) >= TARGET else "BELOW"  # type: ignore[arg-type]
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(row["outcomes"].items()))  # type: ignore[attr-defined]
        print(
            f"{row['db']:<10} {row['jobs']:>9} {row['messages']:>8} {row['parse_rate']:>13.0f} "
            f"{row['seconds']:>14.1f} {row['rate']:>7.0f} {ok:>7}  {outcomes}"
        )


if __name__ == "__main__":
    main()
