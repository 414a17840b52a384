"""Poll a mailbox over IMAP: fetch new mail by UID, ingest it, and only then flag it.

The order is what makes intake exactly-once: fetch with ``BODY.PEEK[]`` (the server
does not mark it read), commit the message and its ticket, then set ``\\Seen`` (or
move it to the processed folder), then remember the UID. A crash anywhere before
the commit leaves nothing behind and the next poll reads the message again; a crash
after it makes the next poll read it again too, and the stored Message-ID turns it
into a duplicate that is only flagged. A changed UIDVALIDITY (the server renumbered
the folder) makes the poll read the folder again; duplicates are recognised the same
way. A mailbox connected without its history starts at the folder's UIDNEXT.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from servicedesk.channels.email.intake import IngestResult, RawMail, email_ingest_many
from servicedesk.channels.email.models import InboundSource, Mailbox, TlsMode
from servicedesk.core import clock

logger = logging.getLogger(__name__)

BATCH_SIZE: Final = 20
# Messages fetched at once are held in memory together: a few big ones go alone.
BATCH_BYTES: Final = 32 * 1024 * 1024
MAX_PER_POLL: Final = 500
TIMEOUT_SECONDS: Final = 60
SEEN: Final = b"\\Seen"


@dataclass
class PollReport:
    """What one poll of one mailbox did."""

    mailbox: str
    results: list[IngestResult] = field(default_factory=list)
    error: str = ""
    rescanned: bool = False

    @property
    def fetched(self) -> int:
        return len(self.results)


def connect(mailbox: Mailbox) -> IMAPClient:
    """Open an authenticated IMAP session to the mailbox's server."""
    context = ssl.create_default_context()
    if not mailbox.tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    client = IMAPClient(
        mailbox.imap_host,
        port=mailbox.imap_port,
        ssl=mailbox.tls_mode == TlsMode.SSL,
        ssl_context=context,
        timeout=TIMEOUT_SECONDS,
    )
    try:
        if mailbox.tls_mode == TlsMode.STARTTLS:
            client.starttls(context)
        client.login(mailbox.username, mailbox.get_password())
    except BaseException:
        _close(client)
        raise
    return client


def mailbox_check(mailbox: Mailbox) -> str:
    """Connect and open the folder; return a Russian one-line summary (raises on failure)."""
    client = connect(mailbox)
    try:
        info = client.select_folder(mailbox.folder, readonly=True)
        return (
            f"подключение работает: в папке «{mailbox.folder}» {int(info.get(b'EXISTS', 0))} "
            f"писем, UIDVALIDITY {int(info[b'UIDVALIDITY'])}"
        )
    finally:
        _close(client)


def mailbox_poll(mailbox: Mailbox, *, limit: int = MAX_PER_POLL) -> PollReport:
    """Fetch and ingest the mailbox's new mail; record a failure on the mailbox."""
    report = PollReport(mailbox.code)
    try:
        client = connect(mailbox)
    except (OSError, IMAPClientError, ValueError) as error:
        return _failed(mailbox, report, error)
    try:
        _poll_folder(client, mailbox, report, limit)
    except (OSError, IMAPClientError) as error:
        return _failed(mailbox, report, error)
    finally:
        _close(client)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=clock.now(), last_error="")
    return report


def _poll_folder(client: IMAPClient, mailbox: Mailbox, report: PollReport, limit: int) -> None:
    info = client.select_folder(mailbox.folder)
    uidvalidity = int(info[b"UIDVALIDITY"])
    uid_next = int(info[b"UIDNEXT"]) if b"UIDNEXT" in info else None
    last_uid, since = _starting_point(client, mailbox, uidvalidity, uid_next, report)
    criteria: list[Any] = ["UID", f"{last_uid + 1}:*"]
    if since is not None:
        criteria += ["SINCE", since.date()]
    uids = sorted(uid for uid in client.search(criteria) if uid > last_uid)[:limit]
    sizes = _sizes(client, uids)
    for chunk in _batches(uids, sizes):
        fetched = client.fetch(chunk, ["BODY.PEEK[]"])
        present = [uid for uid in chunk if fetched.get(uid, {}).get(b"BODY[]") is not None]
        batch = [
            RawMail(bytes(fetched[uid][b"BODY[]"]), InboundSource.IMAP, uid, uidvalidity)
            for uid in present
        ]
        report.results.extend(email_ingest_many(mailbox=mailbox, messages=batch))  # committed
        for uid in present:
            mark_done(client, mailbox, uid)
        _advance(mailbox, chunk[-1])


def _starting_point(
    client: IMAPClient,
    mailbox: Mailbox,
    uidvalidity: int,
    uid_next: int | None,
    report: PollReport,
) -> tuple[int, datetime | None]:
    """Return the last UID already handled, and the date history starts at on a re-scan."""
    if mailbox.uidvalidity is None:
        if mailbox.import_history:
            last = max((mailbox.start_uid or 1) - 1, 0)
        elif uid_next is not None:
            last = uid_next - 1
        else:
            last = max(client.search(["ALL"]) or [0])
        mailbox.uidvalidity, mailbox.last_uid, mailbox.connected_at = uidvalidity, last, clock.now()
        mailbox.save(update_fields=["uidvalidity", "last_uid", "connected_at"])
        return last, None
    if mailbox.uidvalidity != uidvalidity:
        logger.warning(
            "mailbox %s: UIDVALIDITY %s -> %s, reading the folder again",
            mailbox.code,
            mailbox.uidvalidity,
            uidvalidity,
        )
        report.rescanned = True
        mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
        mailbox.save(update_fields=["uidvalidity", "last_uid"])
        since = None if mailbox.import_history else mailbox.connected_at
        return 0, since
    return mailbox.last_uid, None


def mark_done(client: IMAPClient, mailbox: Mailbox, uid: int) -> None:
    """Flag a committed message as read, or move it to the processed folder."""
    if mailbox.processed_folder:
        if client.has_capability("MOVE"):
            client.move([uid], mailbox.processed_folder)
        else:
            client.copy([uid], mailbox.processed_folder)
            client.delete_messages([uid])
            if client.has_capability("UIDPLUS"):
                client.uid_expunge([uid])
            else:
                client.expunge()
    else:
        client.add_flags([uid], [SEEN])


def _advance(mailbox: Mailbox, uid: int) -> None:
    Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)
    mailbox.last_uid = max(mailbox.last_uid, uid)


def _failed(mailbox: Mailbox, report: PollReport, error: BaseException) -> PollReport:
    report.error = f"{type(error).__name__}: {error}"
    logger.warning("mailbox %s: %s", mailbox.code, report.error)
    now = clock.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_error=report.error[:2000], last_error_at=now, last_polled_at=now
    )
    return report


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection may already be gone
        with contextlib.suppress(Exception):
            client.shutdown()


def _sizes(client: IMAPClient, uids: Sequence[int]) -> dict[int, int]:
    if not uids:
        return {}
    found = client.fetch(list(uids), ["RFC822.SIZE"])
    return {uid: int(data.get(b"RFC822.SIZE", 0)) for uid, data in found.items()}


def _batches(uids: Sequence[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    """Yield runs of at most BATCH_SIZE messages and BATCH_BYTES (one big message alone)."""
    chunk: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if chunk and (len(chunk) >= BATCH_SIZE or total + size > BATCH_BYTES):
            yield chunk
            chunk, total = [], 0
        chunk.append(uid)
        total += size
    if chunk:
        yield chunk
