"""Background work of the request channels (huey finds tasks in each app's `tasks`)."""

from servicedesk.channels.email.tasks import (
    email_outbound_sweep,
    email_poll_mailboxes,
    email_send_outbound,
)

__all__ = ["email_outbound_sweep", "email_poll_mailboxes", "email_send_outbound"]
