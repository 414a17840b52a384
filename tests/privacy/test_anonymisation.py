"""Retention: guest data of long-closed tickets is anonymised, the tickets stay for statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction

from servicedesk.accounts.models import Contact
from servicedesk.core import clock
from servicedesk.privacy.models import AnonymisationRun
from servicedesk.privacy.services import anonymise_closed
from servicedesk.tickets import services
from servicedesk.tickets.models import Attachment, ImmutableEventError, TicketEvent
from tests import factories
from tests.privacy.conftest import months_ago, ticket_closed_at

pytestmark = pytest.mark.django_db(transaction=True)


def attach(world, ticket, name: str = "скан карты.jpg") -> Attachment:
    with clock.frozen_at(ticket.closed_at):
        return _attach(world, ticket, name)


def _attach(world, ticket, name: str) -> Attachment:
    return services.ticket_attach(
        actor=world["agent"],
        number=ticket.number,
        content=ContentFile(b"\x89PNG card photo", name=name),
        filename=name,
        content_type="image/jpeg",
        size=15,
    )


def test_an_old_closed_ticket_loses_the_guests_data_but_keeps_its_statistics(
    world, old_ticket, capsys
) -> None:
    file_path = Path(attach(world, old_ticket).file.path)
    old_ticket.refresh_from_db()
    before = {
        "service_id": old_ticket.service_id,
        "sla_level_id": old_ticket.sla_level_id,
        "status_id": old_ticket.status_id,
        "created_at": old_ticket.created_at,
        "resolved_at": old_ticket.resolved_at,
        "closed_at": old_ticket.closed_at,
        "updated_at": old_ticket.updated_at,
        "events": old_ticket.events.count(),
    }

    call_command("anonymise_closed", "--months", "36")
    assert "Обезличено: обращений 1" in capsys.readouterr().out

    old_ticket.refresh_from_db()
    assert old_ticket.subject == "[имя скрыто]: баллы по карте •••••••••1001"
    assert old_ticket.description == "Перезвонить на +• ••• •••-45-67 или m•••@example.ru"
    assert old_ticket.comments.get().body == "[имя скрыто], баллы начислены, карта •••• •••• •100 1"
    created = old_ticket.events.get(type="created")
    assert created.data["subject"] == old_ticket.subject
    for field, value in before.items():
        if field != "events":
            assert getattr(old_ticket, field) == value, field
    assert old_ticket.events.count() == before["events"] + 1
    assert old_ticket.events.last().type == "anonymised"
    assert not old_ticket.attachments.exists()
    assert not file_path.exists()

    guest = Contact.objects.get(pk=world["mega_guest"].pk)
    assert guest.full_name == ""
    assert guest.notes == ""
    assert guest.anonymised_at is not None
    assert not guest.phones.exists()
    assert not guest.cards.exists()
    assert not guest.emails.exists()
    assert str(guest).startswith("Гость #")

    run = AnonymisationRun.objects.get()
    assert (run.tickets, run.contacts, run.comments, run.attachments) == (1, 1, 1, 1)
    assert run.events == 1  # the registration event quoted the subject
    assert run.actor_label.startswith("manage.py anonymise_closed")


def test_recent_and_open_tickets_are_untouched_and_their_guest_kept(world, old_ticket) -> None:
    guest = world["mega_guest"]
    open_ticket = ticket_closed_at(
        world=world,
        requester=guest,
        at=months_ago(1),
        subject="Снова баллы, +79161234567",
        close=False,
    )
    recent_guest = factories.guest(world["mega"], phone="+79160000002")
    recent = ticket_closed_at(
        world=world, requester=recent_guest, at=months_ago(2), subject="тел. 89160000002"
    )

    run = anonymise_closed(months=36, actor_label="тест")

    assert run.tickets == 1
    assert run.contacts == 0  # the guest still has an open ticket
    guest.refresh_from_db()
    assert guest.full_name == "Иванова Мария"
    assert guest.phones.exists()
    open_ticket.refresh_from_db()
    recent.refresh_from_db()
    assert open_ticket.subject == "Снова баллы, +79161234567"
    assert recent.subject == "тел. 89160000002"
    old_ticket.refresh_from_db()
    assert "1001" in old_ticket.subject and "2770000001001" not in old_ticket.subject


def test_running_twice_changes_nothing_the_second_time(world, old_ticket) -> None:
    anonymise_closed(months=36, actor_label="первый")
    events = TicketEvent.objects.count()
    second = anonymise_closed(months=36, actor_label="второй")
    assert (second.tickets, second.contacts, second.events) == (0, 0, 0)
    assert TicketEvent.objects.count() == events
    assert AnonymisationRun.objects.count() == 2  # every run is recorded


def test_the_retention_period_is_configurable(world, old_ticket) -> None:
    assert anonymise_closed(months=48, actor_label="тест").tickets == 0
    assert anonymise_closed(months=12, actor_label="тест").tickets == 1


def test_cancelled_tickets_count_from_their_last_change(world) -> None:
    guest = world["mega_guest"]
    ticket = ticket_closed_at(
        world=world, requester=guest, at=months_ago(40), subject="+79161234567", close=False
    )
    with clock.frozen_at(months_ago(39)):
        services.ticket_transition(actor=world["agent"], number=ticket.number, status="cancelled")
    assert anonymise_closed(months=36, actor_label="тест").tickets == 1


def test_the_daily_task_uses_the_configured_period(world, old_ticket, settings) -> None:
    from servicedesk.privacy.tasks import anonymise_closed_daily

    settings.PERSONAL_DATA_RETENTION_MONTHS = 60
    anonymise_closed_daily()
    assert AnonymisationRun.objects.get().tickets == 0
    settings.PERSONAL_DATA_RETENTION_MONTHS = 36
    anonymise_closed_daily()
    run = AnonymisationRun.objects.latest("pk")
    assert run.tickets == 1
    assert run.actor_label.startswith("Планировщик")


def test_a_dry_run_only_counts(world, old_ticket, capsys) -> None:
    call_command("anonymise_closed", "--months", "36", "--dry-run")
    assert "Будет обезличено обращений: 1" in capsys.readouterr().out
    assert not AnonymisationRun.objects.exists()


def test_history_stays_immutable_outside_anonymisation(world, old_ticket) -> None:
    event = old_ticket.events.first()
    with pytest.raises(ImmutableEventError):
        event.save()
    if connection.vendor == "postgresql":
        from django.db import DatabaseError

        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            TicketEvent.objects.filter(pk=event.pk).update(data={})


@pytest.mark.postgres
def test_two_concurrent_runs_anonymise_each_ticket_once(world) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    for i in range(12):
        guest = factories.guest(world["mega"], phone=f"+7916555{i:04d}")
        ticket_closed_at(
            world=world, requester=guest, at=months_ago(40), subject=f"+7916555{i:04d}"
        )

    def run(label: str) -> int:
        try:
            return anonymise_closed(months=36, actor_label=label).tickets
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(run, ["первый", "второй"]))
    assert sum(done) == 12
    assert TicketEvent.objects.filter(type="anonymised").count() == 12
    assert Contact.objects.filter(anonymised_at__isnull=False).count() == 12


def test_an_old_ticket_from_e_mail_loses_the_raw_message_and_the_sender_in_the_mail_log(
    world,
) -> None:
    from servicedesk.channels.email.defaults import load_default_templates
    from servicedesk.channels.email.intake import email_ingest
    from servicedesk.channels.email.models import InboundMessage, Mailbox, OutboundMessage
    from tests.channels.email.messages import mail
    from tests.privacy.conftest import months_ago

    load_default_templates()
    mailbox = Mailbox.objects.create(
        code="support", name="Поддержка", address="support@plastek.ru", client=world["mega"]
    )
    with clock.frozen_at(months_ago(40)):
        result = email_ingest(
            mailbox=mailbox,
            raw=mail(sender="Мария Иванова <maria@example.ru>", subject="Карта 2770000001001"),
        )
        ticket = result.inbound.ticket
        services.ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")
        services.ticket_transition(actor=world["agent"], number=ticket.number, status="closed")
    raw_path = Path(result.inbound.raw.path)
    assert raw_path.exists()

    anonymise_closed(months=36, actor_label="тест")

    inbound = InboundMessage.objects.get(pk=result.inbound.pk)
    assert not raw_path.exists()
    assert inbound.raw.name == ""
    assert (inbound.from_address, inbound.from_name) == ("", "")
    assert "2770000001001" not in inbound.subject
    assert inbound.ticket_id == ticket.pk and inbound.outcome == "created"  # the log stays
    acknowledgement = OutboundMessage.objects.get(ticket=ticket, kind="received")
    assert acknowledgement.to_address == ""
    assert "2770000001001" not in acknowledgement.subject + acknowledgement.body
    assert acknowledgement.status  # what was sent, and when, stays


def test_a_ticket_anonymised_before_the_mail_log_was_scrubbed_is_put_right(world) -> None:
    from servicedesk.channels.email.defaults import load_default_templates
    from servicedesk.channels.email.intake import email_ingest
    from servicedesk.channels.email.models import InboundMessage, Mailbox, OutboundMessage
    from servicedesk.privacy.models import AnonymisedTicket
    from tests.channels.email.messages import mail

    load_default_templates()
    mailbox = Mailbox.objects.create(
        code="support", name="Поддержка", address="support@plastek.ru", client=world["mega"]
    )
    result = email_ingest(mailbox=mailbox, raw=mail(sender="Мария <maria@example.ru>"))
    # as an earlier version left it: the ticket marked anonymised, its mail log untouched
    AnonymisedTicket.objects.create(ticket=result.inbound.ticket, at=clock.now())
    raw_path = Path(result.inbound.raw.path)

    anonymise_closed(months=36, actor_label="тест")

    inbound = InboundMessage.objects.get(pk=result.inbound.pk)
    assert (inbound.raw.name, inbound.from_address, inbound.from_name) == ("", "", "")
    assert not raw_path.exists()
    assert not OutboundMessage.objects.exclude(to_address="").exists()
