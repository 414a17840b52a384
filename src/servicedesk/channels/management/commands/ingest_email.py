"""Ingest e-mail from files or standard input: MTA pipes, old mail, and quarantine retries."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from servicedesk.channels.email.import_jobs import (
    Imported,
    ImportInterrupted,
    MailFile,
    default_jobs,
    ingest_files,
    why_one_process,
)
from servicedesk.channels.email.intake import (
    QUARANTINED,
    RawMail,
    email_inbound_retry,
    email_ingest_many,
)
from servicedesk.channels.email.models import InboundMessage, InboundSource, InboundStatus, Mailbox
from servicedesk.core.runtime import freeze_startup_objects

BATCH = 50
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = (
        "Принять письма из файлов .eml или из стандартного ввода (`-`), например из "
        "Postfix: `| python manage.py ingest_email --mailbox support -`. Для каждого письма "
        "печатает номер обращения и что сделано, или почему письмо пропущено."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="файлы .eml, или - для стандартного ввода")
        parser.add_argument("--mailbox", help="код ящика (не нужен, если ящик один)")
        parser.add_argument(
            "--jobs",
            type=int,
            help=(
                "сколько процессов принимают письма (по умолчанию по числу ядер, если "
                "файлов больше 100); письма одной переписки, одного отправителя и одного "
                "обращения принимает один процесс по порядку"
            ),
        )
        parser.add_argument(
            "--retry-quarantined",
            action="store_true",
            help="повторить обработку писем в карантине",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            self._handle(options)
        except DatabaseError as error:
            # For an MTA pipe, exit status 75 (EX_TEMPFAIL) means "try again later";
            # any other failure status would bounce the mail back to its sender.
            self.stderr.write(f"база данных недоступна, письмо не принято: {error}")
            sys.exit(EX_TEMPFAIL)

    def _handle(self, options: dict[str, object]) -> None:
        files = [str(name) for name in options["files"]]  # type: ignore[attr-defined]
        if options["retry_quarantined"]:
            self._retry(options.get("mailbox"))  # type: ignore[arg-type]
            if not files:
                return
        if not files:
            raise CommandError("Укажите файлы .eml или - для стандартного ввода")
        mailbox = self._mailbox(options.get("mailbox"))  # type: ignore[arg-type]
        jobs = self._jobs(options.get("jobs"), files)  # type: ignore[arg-type]
        if len(files) > BATCH:
            freeze_startup_objects()  # an import of old mail runs for minutes
        if jobs > 1:
            self._in_processes(mailbox, files, jobs)
            return
        quarantined = 0
        for start in range(0, len(files), BATCH):
            labels, batch = [], []
            for name in files[start : start + BATCH]:
                labels.append("stdin" if name == "-" else name)
                batch.append(self._read(name))
            # One transaction per batch: old mail imports fast, and each message is
            # still stored (or quarantined) on its own.
            for label, result in zip(
                labels, email_ingest_many(mailbox=mailbox, messages=batch), strict=True
            ):
                quarantined += result.outcome == QUARANTINED
                self.stdout.write(f"{label}: {result.describe()}")
        self._tell_quarantined(quarantined)

    def _jobs(self, requested: int | None, files: list[str]) -> int:
        if requested is not None and requested < 1:
            raise CommandError("--jobs: нужно целое число от 1")
        jobs = requested or default_jobs(len(files), BATCH)
        if jobs > 1 and "-" in files:
            jobs = 1  # standard input is read once, by this process
        if jobs > 1 and (why := why_one_process()) is not None:
            self.stderr.write(f"письма принимает один процесс: {why}")
            jobs = 1
        return jobs

    def _in_processes(self, mailbox: Mailbox, files: list[str], jobs: int) -> None:
        for name in files:
            if not Path(name).is_file():
                raise CommandError(f"Нет такого файла: {name}")
        quarantined = 0

        def report(one: Imported) -> None:
            nonlocal quarantined
            quarantined += one.outcome == QUARANTINED
            self.stdout.write(f"{one.label}: {one.description}")

        self.stderr.write(f"письма принимают процессов: {jobs}")
        try:
            ingest_files(
                mailbox=mailbox,
                files=[MailFile(name, Path(name)) for name in files],
                jobs=jobs,
                batch=BATCH,
                report=report,
            )
        except ImportInterrupted as error:
            self._tell_quarantined(quarantined)
            raise CommandError(
                f"приём прерван: {error}\nПринятое сохранено; повторный запуск с теми же "
                "файлами пропустит уже принятые письма."
            ) from error
        self._tell_quarantined(quarantined)

    def _tell_quarantined(self, quarantined: int) -> None:
        if quarantined:
            # Still stored (in quarantine): the MTA must not bounce or resend the mail.
            self.stderr.write(f"в карантине: {quarantined} — см. админку «Входящие письма»")

    def _read(self, name: str) -> RawMail:
        if name == "-":
            return RawMail(sys.stdin.buffer.read(), InboundSource.PIPE)
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"Нет такого файла: {name}")
        return RawMail(path.read_bytes(), InboundSource.FILE)

    def _mailbox(self, code: str | None) -> Mailbox:
        mailboxes = Mailbox.objects.select_related("client", "default_service")
        if code:
            mailbox = mailboxes.filter(code=code).first()
            if mailbox is None:
                raise CommandError(f"Ящик «{code}» не найден")
            return mailbox
        found = list(mailboxes[:2])
        if len(found) != 1:
            raise CommandError(
                "Укажите --mailbox КОД" if found else "Сначала заведите ящик в админке"
            )
        return found[0]

    def _retry(self, code: str | None) -> None:
        quarantined = InboundMessage.objects.filter(status=InboundStatus.QUARANTINED)
        if code:
            quarantined = quarantined.filter(mailbox__code=code)
        for inbound in quarantined.order_by("received_at"):
            result = email_inbound_retry(inbound=inbound)
            self.stdout.write(f"#{inbound.pk}: {result.describe()}")
