"""Store one incoming e-mail exactly once and hand it to `handling`, whatever it contains.

The raw bytes are written to private storage first; then one transaction stores the
`InboundMessage` row together with the ticket or comment it produces. The row's
(mailbox, Message-ID) is unique, so a message read again after a crash — before or
after that commit — is recognised as a duplicate and not ingested twice. A message
whose handling fails is quarantined: the row is kept with its raw bytes and the
error, the caller goes on with the next message, and `email_inbound_retry` (admin
action, `manage.py ingest_email --retry-quarantined`) tries it again later.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from servicedesk.accounts.email_contacts import contacts_remembered, normalise_email
from servicedesk.channels.email.handling import Handled, handle_message, likely_new_request
from servicedesk.channels.email.message_owners import message_owners_remembered
from servicedesk.channels.email.models import (
    InboundMessage,
    InboundOutcome,
    InboundSource,
    InboundStatus,
    Mailbox,
    raw_mail_path,
)
from servicedesk.channels.email.outgoing import acknowledgements_remembered
from servicedesk.channels.email.parse import ParsedMessage, parse_message
from servicedesk.channels.email.thread_keys import candidate_message_ids
from servicedesk.classification.services import classification_prepared
from servicedesk.core import clock
from servicedesk.core.batch import forget_batch_memos
from servicedesk.core.deferred import insert_rows, inserts_deferred
from servicedesk.core.stored_files import deleted_if_rolled_back
from servicedesk.core.transactions import rolled_back_whole
from servicedesk.routing.selectors import loads_remembered

logger = logging.getLogger(__name__)

DUPLICATE: Final = "duplicate"
QUARANTINED: Final = "quarantined"
IGNORED: Final = "ignored"


@dataclass(frozen=True)
class IngestResult:
    """What became of one message, as the command prints it and the poller logs it."""

    outcome: str  # created, appended, bounce, ignored, duplicate, quarantined
    inbound: InboundMessage | None
    ticket_number: str | None = None
    reason: str = ""

    @property
    def stored(self) -> bool:
        """Tell whether the message is safely in the database (so it may be flagged)."""
        return self.inbound is not None

    def describe(self) -> str:
        """Return one Russian line: the ticket and what happened, or why nothing did."""
        number = self.ticket_number or "—"
        if self.outcome == InboundOutcome.CREATED:
            return f"{number}: создано обращение"
        if self.outcome == InboundOutcome.APPENDED:
            return f"{number}: добавлено к обращению"
        if self.outcome == InboundOutcome.BOUNCE:
            return f"{number}: отчёт о недоставке записан в обращение"
        if self.outcome == DUPLICATE:
            return f"{number}: пропущено — уже принято ранее ({self.reason})"
        if self.outcome == QUARANTINED:
            return f"—: в карантине — {self.reason}"
        suffix = f" (обращение {self.ticket_number})" if self.ticket_number else ""
        return f"—: пропущено — {self.reason}{suffix}"


def content_fingerprint(parsed: ParsedMessage, raw: bytes) -> str:
    """Return a digest of what the message says (not of its transport headers).

    The same message delivered twice (two aliases, a re-run pipe) has other Received
    lines but the same fingerprint; two different messages that reuse one Message-ID
    (some cash-register software does) have different fingerprints.
    """
    if parsed.unparseable:
        return hashlib.sha256(raw).hexdigest()
    digest = hashlib.sha256()
    for part in (
        parsed.subject,
        parsed.from_address or "",
        parsed.date.isoformat() if parsed.date else "",
        parsed.text,
        *(hashlib.sha256(a.payload).hexdigest() for a in parsed.attachments),
    ):
        digest.update(part.encode("utf-8", errors="replace"))
        digest.update(b"\x00")
    return digest.hexdigest()


# Message-ID → (row or its pk, fingerprint) of the messages stored under it: pks read from
# the database, rows this batch wrote (a row kept by `core.deferred` has no pk yet).
Known = dict[str, list[tuple[InboundMessage | int, str]]]


def _message_id(parsed: ParsedMessage, fingerprint: str) -> str:
    if parsed.message_id_synthesised:
        return f"{fingerprint}@synthesised.invalid"
    return parsed.message_id


def _identity(
    mailbox: Mailbox, parsed: ParsedMessage, fingerprint: str, known: Known | None = None
) -> tuple[str, str, InboundMessage | None]:
    """Return (message_id, dedupe_key, the earlier copy of this message or None).

    `known`: the rows a batch read for all its Message-IDs at once (`_known_ids`).
    """
    message_id = _message_id(parsed, fingerprint)
    if known is not None:
        earlier = known.get(message_id, [])
    else:
        # Nearly always empty: read only what tells copies apart, the whole row for a copy.
        earlier = list(
            InboundMessage.objects.filter(mailbox=mailbox, message_id=message_id)
            .order_by()
            .values_list("pk", "content_sha256")
        )
    same = next((row for row, digest in earlier if digest == fingerprint), None)
    if isinstance(same, InboundMessage):
        return message_id, same.dedupe_key, same
    if same is not None:
        row = InboundMessage.objects.select_related("ticket").get(pk=same)
        return message_id, row.dedupe_key, row
    key = message_id if not earlier else f"{message_id}#{fingerprint[:16]}"
    return message_id, key, None


def _known_ids(mailbox: Mailbox, message_ids: Sequence[str]) -> Known:
    known: Known = {}
    rows = InboundMessage.objects.filter(mailbox=mailbox, message_id__in=set(message_ids))
    for message_id, pk, digest in rows.order_by().values_list("message_id", "pk", "content_sha256"):
        known.setdefault(message_id, []).append((pk, digest))
    return known


def _duplicate(row: InboundMessage) -> IngestResult:
    return IngestResult(
        DUPLICATE,
        row,
        row.ticket.display_number if row.ticket_id and row.ticket else None,
        f"Message-ID {row.message_id}",
    )


def email_ingest(
    *,
    mailbox: Mailbox,
    raw: bytes,
    source: str = InboundSource.PIPE,
    imap_uid: int | None = None,
    uidvalidity: int | None = None,
    parsed: ParsedMessage | None = None,
) -> IngestResult:
    """Ingest one raw message into `mailbox`; never lose it, never take it twice.

    Database outages propagate (the caller leaves the message on the server and tries
    again); anything else that goes wrong while handling it quarantines the message.
    `parsed` is `parse_message(raw)` when the caller has it already.
    """
    if parsed is None:
        parsed = parse_message(raw)
    mail = RawMail(raw, source, imap_uid, uidvalidity)
    return _ingest(mailbox, mail, parsed, content_fingerprint(parsed, raw), known=None)


def _ingest(
    mailbox: Mailbox,
    mail: RawMail,
    parsed: ParsedMessage,
    fingerprint: str,
    known: Known | None,
    *,
    careful: bool = True,
    files: RawFiles | None = None,
) -> IngestResult:
    """Ingest one message; `careful`: in a savepoint of its own, quarantined if it fails.

    Not careful (inside an optimistic batch, see `email_ingest_many`) any error goes up
    and the caller does the whole batch again, carefully.
    """
    message_id, key, earlier = _identity(mailbox, parsed, fingerprint, known)
    if earlier is not None:
        return _duplicate(earlier)
    row = _new_row(mailbox, mail, parsed, fingerprint=fingerprint, message_id=message_id, key=key)
    # The file goes first: files are not transactional, and the row must be able to
    # point at it whether the handling commits or the message ends up in quarantine.
    row.raw.name = (files or RawFiles()).stored(mail, row)
    if not careful:
        handled = handle_message(inbound=row, parsed=parsed, raw=mail.raw, mailbox=mailbox)
        _apply_outcome(row, handled)
        insert_rows(InboundMessage, [row])  # with its outcome: one insert, no update after
        result = _result(row, handled)
    else:
        result = _handled_in_savepoint(row, mailbox, mail.raw, parsed, fingerprint)
    if known is not None and result.inbound is row:  # stored (maybe in quarantine)
        known.setdefault(row.message_id, []).append((row, fingerprint))
    return result


def _new_row(
    mailbox: Mailbox,
    mail: RawMail,
    parsed: ParsedMessage,
    *,
    fingerprint: str,
    message_id: str,
    key: str,
) -> InboundMessage:
    return InboundMessage(
        mailbox=mailbox,
        message_id=message_id[:255],
        message_id_synthesised=parsed.message_id_synthesised,
        dedupe_key=key[:300],
        content_sha256=fingerprint,
        raw_sha256=parsed.raw_sha256,
        size=len(mail.raw),
        source=mail.source,
        imap_uid=mail.imap_uid,
        imap_uidvalidity=mail.uidvalidity,
        from_address=(parsed.from_address or "")[:254],
        from_name=(parsed.from_name or "")[:200],
        subject=parsed.subject[:300],
        sent_at=parsed.date,
        received_at=clock.now(),
        defects="\n".join(parsed.defects),
    )


def _handled_in_savepoint(
    row: InboundMessage, mailbox: Mailbox, raw: bytes, parsed: ParsedMessage, fingerprint: str
) -> IngestResult:
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            with deleted_if_rolled_back(), rolled_back_whole():
                handled = handle_message(inbound=row, parsed=parsed, raw=raw, mailbox=mailbox)
                _apply_outcome(row, handled)
                row.save(force_insert=True)  # with its outcome: one insert, no update after
        except (OperationalError, InterfaceError):
            # The file stays: a connection lost at COMMIT may have committed, and then the
            # log row and the ticket's raw attachment both point at it. An orphan is cheap.
            raise
        except IntegrityError:
            forget_batch_memos()  # they may name what the rollback removed
            _, _, earlier = _identity(mailbox, parsed, fingerprint)
            if earlier is not None:  # ingested by someone else a moment ago
                default_storage.delete(row.raw.name)
                return _duplicate(earlier)
            if attempt < RACE_ATTEMPTS:
                # Another process created the sender's contact (or a thread id) a moment
                # ago: handled again, the message finds that row.
                row.pk = None
                row._state.adding = True
                continue
            return _quarantine(row, traceback.format_exc())
        except Exception:
            forget_batch_memos()  # they may name what the rollback removed
            return _quarantine(row, traceback.format_exc())
        return _result(row, handled)
    raise AssertionError("unreachable")  # pragma: no cover


# A message that hits a unique row another process wrote meanwhile is handled once more.
RACE_ATTEMPTS: Final = 2


@dataclass(frozen=True)
class RawMail:
    """The bytes of one message and where they came from."""

    raw: bytes
    source: str = InboundSource.PIPE
    imap_uid: int | None = None
    uidvalidity: int | None = None


class RawFiles:
    """The raw files of a batch's messages, each stored once, by a thread of their own.

    Writing a file costs 0.1–0.5 ms of disk calls, mostly outside the GIL, so a batch's
    files are written while the batch is handled; a message's row waits for its file
    only when it needs the name. A batch done again does not store twice, and the file
    of a message found to be a copy is deleted when the batch is over.
    """

    def __init__(self, messages: Sequence[RawMail] = ()) -> None:
        self._names: dict[int, str] = {}
        self._writing: dict[int, Future[str]] = {}
        self._writer: ThreadPoolExecutor | None = None
        if len(messages) > 1:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="raw-mail")
            at = clock.now()
            for mail in messages:
                if id(mail) not in self._writing:  # the same object twice is one file
                    self._writing[id(mail)] = self._writer.submit(_store_raw, mail.raw, at)

    def stored(self, mail: RawMail, row: InboundMessage) -> str:
        """Return the storage name of the message's raw file (written by now)."""
        name = self._names.get(id(mail))
        if name is None:
            writing = self._writing.pop(id(mail), None)
            try:
                name = writing.result() if writing else None
            except OSError:
                logger.warning("raw file of %s not written ahead; writing it now", row.message_id)
            name = name or _store_raw(mail.raw, row.received_at)
            self._names[id(mail)] = name
        return name

    def delete_unused(self, used: set[str]) -> None:
        """Delete the files given out that no stored row points at (a copy found later)."""
        for name in self._names.values():
            if name not in used:
                default_storage.delete(name)
        self._names.clear()

    def close(self) -> None:
        """Wait for the writes still running; delete the files no message asked for."""
        for writing in self._writing.values():
            if writing.exception() is None:
                default_storage.delete(writing.result())
        self._writing.clear()
        if self._writer is not None:
            self._writer.shutdown()

    def __enter__(self) -> RawFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _store_raw(raw: bytes, received_at: datetime) -> str:
    return default_storage.save(raw_mail_path(received_at), ContentFile(raw))


def email_ingest_many(
    *,
    mailbox: Mailbox,
    messages: Sequence[RawMail],
    write_turn: AbstractContextManager[object] | None = None,
) -> list[IngestResult]:
    """Ingest a batch in one transaction; a message that fails is quarantined alone.

    One commit for the batch instead of one per message. The caller flags the batch on
    the server only after this returns, i.e. after the commit. What every message looks
    up is read for the whole batch first: the copies already stored, the senders'
    contacts and recent acknowledgements, the assignees' loads (then counted on as
    tickets are placed); the requests likely to open tickets are classified together,
    in one model call.

    The batch is first done optimistically: no savepoint per message, and the rows
    nobody reads back at once (history, SLA clocks, attachments, acknowledgements,
    Message-IDs) are written one INSERT per table (`core.deferred`). If any message
    fails, that attempt is rolled back whole and the batch is done again carefully,
    each message in a savepoint of its own, so the one that fails is quarantined alone
    and the others go on.

    `write_turn` is held around the transactions only (parsing and classifying come
    before): processes importing into one SQLite file take turns with it.
    """
    with RawFiles(messages) as files:  # written while the batch is parsed and handled
        parsed = [parse_message(message.raw) for message in messages]
        fingerprints = [
            content_fingerprint(one, message.raw)
            for message, one in zip(messages, parsed, strict=True)
        ]
        requests = [
            text
            for message, one in zip(messages, parsed, strict=True)
            if (text := likely_new_request(mailbox, one, message.raw)) is not None
        ]
        batch = _Batch(mailbox, messages, parsed, fingerprints, files)
        with classification_prepared(requests), write_turn or nullcontext():
            try:
                results = batch.ingest(careful=False)
            except (OperationalError, InterfaceError):
                raise
            except Exception:
                logger.warning(
                    "a batch of %d messages for %s failed; handling them one by one",
                    len(messages),
                    mailbox.code,
                    exc_info=True,
                )
                results = batch.ingest(careful=True)
        files.delete_unused({r.inbound.raw.name for r in results if r.inbound is not None})
        return results


@dataclass(frozen=True)
class _Batch:
    mailbox: Mailbox
    messages: Sequence[RawMail]
    parsed: list[ParsedMessage]
    fingerprints: list[str]
    files: RawFiles

    def ingest(self, *, careful: bool) -> list[IngestResult]:
        mailbox = self.mailbox
        senders = [normalise_email(one.from_address) for one in self.parsed]
        with (
            deleted_if_rolled_back(),  # the attachments' files, if the batch fails
            transaction.atomic() if careful else rolled_back_whole(),
            contacts_remembered(senders),
            acknowledgements_remembered(senders, mailbox.ack_interval_minutes, clock.now()),
            loads_remembered(),
            message_owners_remembered(
                message_id for one in self.parsed for message_id in candidate_message_ids(one)
            ),
            nullcontext() if careful else inserts_deferred(),
        ):
            known = _known_ids(
                mailbox,
                [
                    _message_id(one, key)
                    for one, key in zip(self.parsed, self.fingerprints, strict=True)
                ],
            )
            return [
                _ingest(mailbox, message, one, key, known, careful=careful, files=self.files)
                for message, one, key in zip(
                    self.messages, self.parsed, self.fingerprints, strict=True
                )
            ]


def record_outcome(row: InboundMessage, handled: Handled) -> None:
    """Write what handling did onto the message row (same transaction as the ticket)."""
    _apply_outcome(row, handled)
    row.save(update_fields=[*OUTCOME_FIELDS])


OUTCOME_FIELDS: Final = (
    "status",
    "outcome",
    "reason",
    "ticket",
    "comment",
    "contact",
    "quote_start",
    "notes",
    "error",
    "processed_at",
)


def _apply_outcome(row: InboundMessage, handled: Handled) -> None:
    row.status = handled.status
    row.outcome = handled.outcome
    row.reason = handled.reason[:300]
    row.ticket = handled.ticket
    row.comment = handled.comment
    row.contact = handled.contact
    row.quote_start = handled.quote_start
    row.notes = "\n".join(handled.notes)
    row.error = ""
    row.processed_at = clock.now()


def _result(row: InboundMessage, handled: Handled) -> IngestResult:
    number = handled.ticket.display_number if handled.ticket is not None else None
    outcome = handled.outcome or IGNORED
    return IngestResult(outcome, row, number, handled.reason)


def _quarantine(row: InboundMessage, error: str) -> IngestResult:
    logger.error("e-mail %s quarantined: %s", row.message_id, error)
    summary = _summary(error)
    with transaction.atomic():
        row.pk = None
        row._state.adding = True
        row.ticket = row.comment = row.contact = None
        row.status = InboundStatus.QUARANTINED
        row.outcome = InboundOutcome.NONE
        row.error = error[-10000:]
        row.reason = summary[:300]
        row.save(force_insert=True)
    return IngestResult(QUARANTINED, row, None, summary)


def _summary(error: str) -> str:
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "неизвестная ошибка"


def email_inbound_retry(*, inbound: InboundMessage) -> IngestResult:
    """Handle a quarantined message again; on success it leaves quarantine."""
    with inbound.raw.open("rb") as handle:
        raw = handle.read()
    parsed = parse_message(raw)
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            with deleted_if_rolled_back(), rolled_back_whole():
                row = (
                    InboundMessage.objects.select_for_update(of=("self",))
                    .select_related("mailbox", "mailbox__client", "mailbox__default_service")
                    .get(pk=inbound.pk)
                )
                if row.status != InboundStatus.QUARANTINED:
                    return IngestResult(DUPLICATE, row, None, "письмо уже не в карантине")
                handled = handle_message(inbound=row, parsed=parsed, raw=raw, mailbox=row.mailbox)
                row.attempts += 1
                row.save(update_fields=["attempts"])
                record_outcome(row, handled)
        except (OperationalError, InterfaceError):
            raise
        except IntegrityError:
            if attempt < RACE_ATTEMPTS:
                continue  # another process wrote the sender's contact meanwhile: read it now
            return _still_quarantined(inbound, traceback.format_exc())
        except Exception:
            return _still_quarantined(inbound, traceback.format_exc())
        return _result(row, handled)
    raise AssertionError("unreachable")  # pragma: no cover


def _still_quarantined(inbound: InboundMessage, error: str) -> IngestResult:
    """Keep the message in quarantine and record why this attempt failed."""
    InboundMessage.objects.filter(pk=inbound.pk).update(
        error=error[-10000:], reason=_summary(error)[:300], attempts=inbound.attempts + 1
    )
    inbound.refresh_from_db()
    return IngestResult(QUARANTINED, inbound, None, _summary(error))
