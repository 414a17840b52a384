"""Background work of the e-mail channel (huey): polling mailboxes and sending mail."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from servicedesk.channels.email import outgoing
from servicedesk.channels.email.imap import mailbox_poll
from servicedesk.channels.email.models import Mailbox

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def email_poll_mailboxes() -> None:
    """Poll every active mailbox; a mailbox still being polled by another worker is skipped."""
    for mailbox in Mailbox.objects.filter(is_active=True).exclude(imap_host=""):
        try:
            with HUEY.lock_task(f"email-poll-{mailbox.pk}"):
                report = mailbox_poll(mailbox)
        except TaskLockedException:
            logger.info("mailbox %s is being polled already", mailbox.code)
            continue
        if report.fetched or report.error:
            logger.info(
                "mailbox %s: %s messages%s",
                mailbox.code,
                report.fetched,
                f", error: {report.error}" if report.error else "",
            )


@db_task(retries=outgoing.SEND_MAX_ATTEMPTS - 1, retry_delay=60, retry_backoff=2)
def email_send_outbound(outbound_id: int) -> str:
    """Send one recorded message; raising SendDeferred makes huey try again later."""
    return outgoing.email_outbound_send(outbound_id)


@db_periodic_task(crontab(minute="*/5"))
def email_outbound_sweep() -> None:
    """Re-queue notifications whose sending task was lost."""
    outgoing.email_outbound_sweep()
