"""Admin of the request channels: the e-mail admin registers itself on import."""

from servicedesk.channels.email import admin as email_admin

__all__ = ["email_admin"]
