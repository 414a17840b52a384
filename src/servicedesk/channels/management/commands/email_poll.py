"""Poll mailboxes now (the worker does this every minute)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.channels.email.imap import mailbox_poll
from servicedesk.channels.email.models import Mailbox


class Command(BaseCommand):
    help = "Проверить почтовые ящики сейчас и напечатать, что принято."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", help="код ящика (по умолчанию все активные)")

    def handle(self, *args: object, **options: object) -> None:
        mailboxes = Mailbox.objects.filter(is_active=True)
        if options.get("mailbox"):
            mailboxes = Mailbox.objects.filter(code=options["mailbox"])
            if not mailboxes.exists():
                raise CommandError(f"Ящик «{options['mailbox']}» не найден")
        for mailbox in mailboxes:
            report = mailbox_poll(mailbox)
            if report.error:
                self.stderr.write(f"{mailbox.code}: ошибка — {report.error}")
            for result in report.results:
                self.stdout.write(f"{mailbox.code}: {result.describe()}")
            self.stdout.write(f"{mailbox.code}: писем {report.fetched}")
