"""Run the Asterisk AMI worker (a separate long-running process, like `run_huey`)."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from servicedesk.telephony.ami import AmiConfig, AmiWorker
from servicedesk.telephony.selectors import telephony_settings


class Command(BaseCommand):
    help = (
        "Подключиться к Asterisk AMI и записывать звонки (Newchannel, DialBegin, "
        "BridgeEnter, Hangup) в журнал звонков. Настройки — в админке (Телефония → "
        "Настройки), параметры командной строки их перекрывают."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host")
        parser.add_argument("--port", type=int)
        parser.add_argument("--username")
        parser.add_argument("--secret")
        parser.add_argument("--reconnect", type=int, default=2, help="секунд до переподключения")

    def handle(self, *args: Any, **options: Any) -> None:
        row = telephony_settings()
        config = AmiConfig(
            host=options["host"] or row.ami_host,
            port=options["port"] or row.ami_port,
            username=options["username"] or row.ami_username,
            secret=options["secret"] or row.ami_secret,
            reconnect_timeout=options["reconnect"],
        )
        if not (config.host and config.username):
            raise CommandError(
                "Не задан хост или пользователь AMI (админка → Телефония → Настройки)"
            )
        self.stdout.write(f"AMI: {config.username}@{config.host}:{config.port}; Ctrl-C — выход")
        asyncio.run(self._run(config))

    async def _run(self, config: AmiConfig) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await AmiWorker(config).run(stop)
