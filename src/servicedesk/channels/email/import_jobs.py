"""Import many files of mail with several processes: `manage.py ingest_email --jobs N`.

Handling a message is Python work and database round trips in turn, so one process
leaves a second core (and the database server) idle. The first batch is handled here
while forked processes read the headers of the rest: it is the oldest mail, and handling
it loads what every process needs (the classifier, the dictionaries, the templates) once,
shared by the processes forked next. The rest is split by `import_split`: a conversation,
a sender and a ticket stay in one process, in the order given. Each process handles its
part batch by batch, exactly as the one-process import does, and reports every batch once
it is committed; the caller prints it. A process that fails leaves the others to finish;
then the import reports the failure, and importing the same files again skips what is in.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import os
import queue
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Final

from django.db import OperationalError, connection, connections

from servicedesk.accounts.email_contacts import normalise_email
from servicedesk.channels.email.import_split import split_for_jobs
from servicedesk.channels.email.intake import RawMail, email_ingest_many
from servicedesk.channels.email.message_owners import message_owners
from servicedesk.channels.email.models import InboundSource, Mailbox
from servicedesk.channels.email.parse import read_threading_headers
from servicedesk.channels.email.thread_keys import candidate_message_ids, find_ticket_numbers
from servicedesk.core.options import desk_options
from servicedesk.core.runtime import freeze_startup_objects
from servicedesk.tickets.models import Ticket

MAX_JOBS: Final = 8
# A deadlock between two processes (two batches touching the same two old tickets in
# opposite order) or a busy SQLite file: the batch was rolled back whole; do it again.
BUSY_ATTEMPTS: Final = 4
_DEADLOCK_OR_SERIALISATION: Final = frozenset({"40P01", "40001"})
_POLL_SECONDS: Final = 1.0


@dataclass(frozen=True)
class MailFile:
    """One file to import and the label its result is printed under."""

    label: str
    path: Path


@dataclass(frozen=True)
class Imported:
    """What became of one file, as a worker process reports it."""

    label: str
    description: str
    outcome: str


class ImportInterrupted(Exception):
    """A worker process failed; what the import committed before is kept."""


def default_jobs(file_count: int, batch: int) -> int:
    """One process per usable core (at most MAX_JOBS) for more than two batches, else one."""
    if file_count <= 2 * batch:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def why_one_process() -> str | None:
    """Tell why this database or platform cannot be shared by forked processes, or None."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return "этой системе недоступен fork"
    if connection.in_atomic_block:
        return "приём идёт внутри транзакции, её данных другие процессы не видят"
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return "база SQLite в памяти не видна другим процессам"
    return None


def ingest_files(
    *,
    mailbox: Mailbox,
    files: Sequence[MailFile],
    jobs: int,
    batch: int,
    report: Callable[[Imported], None],
) -> None:
    """Import `files` into `mailbox` with up to `jobs` processes, reporting each file.

    Raises ImportInterrupted when a worker fails; the batches reported are committed.
    """
    rest = files[batch:]
    if not rest:
        report_batch(ingest_batch(mailbox, files), report)
        return
    prefix = desk_options().ticket_number_prefix
    _ready_to_fork()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        # The other processes read the headers of the rest while this one does the first batch.
        reading = pool.map_async(
            partial(_header_keys, prefix=prefix),
            [file.path for file in rest],
            chunksize=len(rest) // (4 * jobs) + 1,
        )
        report_batch(ingest_batch(mailbox, files[:batch]), report)
        header_keys = reading.get()
    parts = [[rest[i] for i in part] for part in split_for_jobs(_keys_of(header_keys), jobs)]
    with tempfile.TemporaryDirectory(prefix="sd-import-") as directory:
        turn = Path(directory) / "sqlite-write-turn" if connection.vendor == "sqlite" else None
        _in_processes(mailbox, parts, batch, turn, report)


def _in_processes(
    mailbox: Mailbox,
    parts: list[list[MailFile]],
    batch: int,
    turn: Path | None,
    report: Callable[[Imported], None],
) -> None:
    _ready_to_fork()
    results: Queue[tuple[int, list[Imported] | str | None]]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [
        context.Process(
            target=_work, args=(_Part(number, mailbox, files, batch, turn), results), daemon=True
        )
        for number, files in enumerate(parts)
    ]
    for worker in workers:
        worker.start()
    try:
        _collect(workers, results, report)
    finally:
        for worker in workers:
            if worker.is_alive():  # only when this process is interrupted itself
                worker.terminate()
            worker.join()


def ingest_batch(
    mailbox: Mailbox, files: Sequence[MailFile], turn: Path | None = None
) -> list[Imported]:
    """Ingest one batch in one transaction, again if another process held the database.

    `turn`: the file the processes of an import into SQLite take write turns on.
    """
    mails = [RawMail(file.path.read_bytes(), InboundSource.FILE) for file in files]
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            results = email_ingest_many(
                mailbox=mailbox,
                messages=mails,
                write_turn=_write_turn(turn) if turn is not None else None,
            )
        except OperationalError as error:
            if attempt == BUSY_ATTEMPTS or not _busy(error):
                raise
            time.sleep(0.1 * attempt)
            continue
        return [
            Imported(file.label, result.describe(), result.outcome)
            for file, result in zip(files, results, strict=True)
        ]
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def _write_turn(path: Path) -> Iterator[None]:
    """Hold the import's SQLite write turn.

    SQLite lets one writer in at a time, and a writer kept waiting sleeps in steps of up
    to 100 ms before it looks again, so a process often slept on past the other's
    commit. A process waiting here wakes the moment the turn is free.
    """
    import fcntl  # POSIX, as fork is

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def report_batch(imported: Iterable[Imported], report: Callable[[Imported], None]) -> None:
    for one in imported:
        report(one)


def _busy(error: OperationalError) -> bool:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _DEADLOCK_OR_SERIALISATION:
        return True
    return "database is locked" in str(error)


def _header_keys(path: Path, prefix: str) -> tuple[set[str], tuple[str, ...]]:
    """Name what a message shares with others by its headers: sender, Message-IDs, tags.

    Also return the Message-IDs it answers, to be looked up in the database.
    """
    one = read_threading_headers(path.read_bytes())
    parents = candidate_message_ids(one)
    keys = {f"id:{one.message_id}", *(f"id:{parent}" for parent in parents)}
    if sender := normalise_email(one.from_address):
        keys.add(f"from:{sender}")
    keys.update(f"ticket:{number}" for number in find_ticket_numbers(one.subject, prefix))
    return keys, parents


def _keys_of(header_keys: list[tuple[set[str], tuple[str, ...]]]) -> list[set[str]]:
    """Add to each message's keys the old tickets its parents belong to.

    A reply to an old ticket's message and a mail tagged with that ticket's number touch
    the same ticket: one process for both.
    """
    referenced = {parent for _, parents in header_keys for parent in parents}
    owners = message_owners(sorted(referenced))
    numbers = dict(Ticket.objects.filter(pk__in=set(owners.values())).values_list("pk", "number"))
    keys = []
    for message_keys, parents in header_keys:
        for parent in parents:
            owner = owners.get(parent)
            if owner is not None and owner in numbers:
                message_keys.add(f"ticket:{numbers[owner]}")
        keys.append(message_keys)
    return keys


def _ready_to_fork() -> None:
    """Leave nothing a forked process must not share: database connections, huey's file."""
    connections.close_all()
    from huey.contrib.djhuey import HUEY

    close_storage = getattr(HUEY.storage, "close", None)
    if callable(close_storage):
        close_storage()
    freeze_startup_objects()


@dataclass(frozen=True)
class _Part:
    """What one worker process imports."""

    number: int
    mailbox: Mailbox
    files: list[MailFile]
    batch: int
    turn: Path | None


def _work(part: _Part, results: Queue[tuple[int, list[Imported] | str | None]]) -> None:
    """Handle one part batch by batch; the last word is None (done) or what went wrong."""
    last: str | None = None
    try:
        for first in range(0, len(part.files), part.batch):
            files = part.files[first : first + part.batch]
            results.put((part.number, ingest_batch(part.mailbox, files, part.turn)))
    except Exception:
        last = traceback.format_exc()
    finally:
        connections.close_all()
    results.put((part.number, last))


def _collect(
    workers: Sequence[multiprocessing.process.BaseProcess],
    results: Queue[tuple[int, list[Imported] | str | None]],
    report: Callable[[Imported], None],
) -> None:
    """Report every batch as it comes; a failed process does not stop the others."""
    running = set(range(len(workers)))
    failures: list[str] = []
    while running:
        try:
            number, message = results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            # A process that exited has flushed what it sent, so silence now means it
            # died without a word (killed, out of memory).
            for n in [n for n in running if workers[n].exitcode is not None]:
                if results.empty():
                    running.discard(n)
                    failures.append(f"процесс {n + 1} завершился с кодом {workers[n].exitcode}")
            continue
        if message is None:
            running.discard(number)
        elif isinstance(message, str):
            running.discard(number)
            failures.append(f"процесс {number + 1} прервался:\n{message}")
        else:
            report_batch(message, report)
    if failures:
        raise ImportInterrupted("\n".join(failures))
