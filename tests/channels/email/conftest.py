"""Fixtures of the e-mail channel tests: a mailbox of the `world` desk, a Dovecot folder."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fresh_template_cache(request: pytest.FixtureRequest) -> None:
    if not request.config.pluginmanager.has_plugin("django"):
        return
    from servicedesk.channels.email.outgoing import forget_cached_templates

    forget_cached_templates()


@pytest.fixture
def mailbox(world: dict[str, Any]) -> Any:
    """The support mailbox of the `mega` client (no IMAP server: for file intake)."""
    from servicedesk.channels.email.defaults import load_default_templates
    from servicedesk.channels.email.models import Mailbox

    load_default_templates()
    return Mailbox.objects.create(
        code="support",
        name="Поддержка",
        address="support@plastek.ru",
        client=world["mega"],
    )


@pytest.fixture
def imap_mailbox(mailbox: Any, dovecot: Any) -> Any:
    """The same mailbox connected to a fresh folder of the test Dovecot server."""
    from servicedesk.channels.email.models import TlsMode

    mailbox.imap_host = dovecot.host
    mailbox.imap_port = dovecot.port
    mailbox.tls_mode = TlsMode.NONE
    mailbox.username = dovecot.user
    mailbox.set_password(dovecot.password)
    mailbox.folder = dovecot.new_folder()
    mailbox.save()
    return mailbox
