"""The e-mail channel in the admin: mailbox set-up, the intake journal, templates."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.channels.email import handling
from servicedesk.channels.email.intake import email_ingest
from servicedesk.channels.email.models import (
    EmailTemplate,
    InboundMessage,
    InboundStatus,
    Mailbox,
    OutboundMessage,
)

from .messages import mail

pytestmark = pytest.mark.django_db


def test_a_mailbox_is_connected_in_the_admin_and_its_password_is_stored_encrypted(
    admin_client: Any, world: dict[str, Any]
) -> None:
    form = {
        "code": "support",
        "name": "Поддержка",
        "address": "support@plastek.ru",
        "client": world["mega"].pk,
        "is_active": "on",
        "imap_host": "imap.plastek.ru",
        "imap_port": "993",
        "tls_mode": "ssl",
        "tls_verify": "on",
        "username": "support",
        "password": "Пароль-123",
        "folder": "INBOX",
        "ack_interval_minutes": "10",
    }
    response = admin_client.post("/admin/channels/mailbox/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]

    mailbox = Mailbox.objects.get()
    assert "Пароль-123" not in mailbox.password_encrypted
    assert mailbox.get_password() == "Пароль-123"
    assert mailbox.import_history is False

    form["password"] = ""
    form["name"] = "Поддержка клиентов"
    admin_client.post(f"/admin/channels/mailbox/{mailbox.pk}/change/", form)
    mailbox.refresh_from_db()
    assert mailbox.name == "Поддержка клиентов"
    assert mailbox.get_password() == "Пароль-123"  # a blank field keeps the password


def test_a_password_from_another_secret_key_asks_to_be_entered_again(
    mailbox: Mailbox, settings: Any
) -> None:
    from servicedesk.channels.email.crypto import SecretUnreadable

    mailbox.set_password("secret")
    settings.SECRET_KEY = "another-key"
    with pytest.raises(SecretUnreadable, match="введите пароль заново"):
        mailbox.get_password()


def test_quarantined_mail_is_listed_with_its_error_and_retried_by_an_action(
    admin_client: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("сбой обработки")

    monkeypatch.setattr(handling, "_append_or_create", broken)
    email_ingest(mailbox=mailbox, raw=mail(subject="В карантин"))
    monkeypatch.undo()
    inbound = InboundMessage.objects.get()

    listing = admin_client.get("/admin/channels/inboundmessage/?status__exact=quarantined")
    page = listing.content.decode()
    assert "В карантин" in page and "сбой обработки" in page
    detail = admin_client.get(f"/admin/channels/inboundmessage/{inbound.pk}/change/")
    assert "RuntimeError: сбой обработки" in detail.content.decode()

    admin_client.post(
        "/admin/channels/inboundmessage/",
        {"action": "retry", "_selected_action": [inbound.pk]},
    )
    inbound.refresh_from_db()
    assert inbound.status == InboundStatus.PROCESSED
    assert inbound.ticket is not None


def test_a_template_with_an_unknown_placeholder_is_refused(
    admin_client: Any, mailbox: Mailbox
) -> None:
    template = EmailTemplate.objects.get(kind="received")
    response = admin_client.post(
        f"/admin/channels/emailtemplate/{template.pk}/change/",
        {"kind": "received", "subject": "{{ tag }} ok", "body": "{{ ticket.requester }}"},
    )
    assert response.status_code == 200
    assert "только подстановки вида" in response.content.decode()
    template.refresh_from_db()
    assert "ticket.requester" not in template.body

    response = admin_client.post(
        f"/admin/channels/emailtemplate/{template.pk}/change/",
        {"kind": "received", "subject": "{{ tag }} ok", "body": "{{ password }}"},
    )
    assert "Неизвестные подстановки: password" in response.content.decode()

    response = admin_client.post(
        f"/admin/channels/emailtemplate/{template.pk}/change/",
        {"kind": "received", "subject": "{{ tag }} Принято", "body": "{{ greeting }} {{ link }}"},
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "{{ tag }} Принято"


def test_the_template_page_lists_its_placeholders(admin_client: Any, mailbox: Mailbox) -> None:
    template = EmailTemplate.objects.get(kind="reply")
    page = admin_client.get(f"/admin/channels/emailtemplate/{template.pk}/change/").content.decode()
    assert "{{ reply }}" in page and "текст ответа сотрудника" in page


def test_outgoing_mail_is_listed_and_can_be_sent_again(
    admin_client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(mailbox=mailbox, raw=mail())
    outbound = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=outbound.pk).update(status="failed", last_error="boom")

    assert (
        "ivan@shop-ural.ru" in admin_client.get("/admin/channels/outboundmessage/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/channels/outboundmessage/",
            {"action": "resend", "_selected_action": [outbound.pk]},
        )
    outbound.refresh_from_db()
    assert outbound.status == "sent"


def test_mailbox_list_shows_the_last_error(admin_client: Any, mailbox: Mailbox) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error="LoginError: AUTHENTICATIONFAILED")
    assert "AUTHENTICATIONFAILED" in admin_client.get("/admin/channels/mailbox/").content.decode()
