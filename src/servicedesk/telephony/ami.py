"""The Asterisk AMI worker: log in, follow call events, feed them into the call pipeline.

panoramisk keeps the TCP connection (and reconnects after a drop or a refused connect,
every `reconnect_timeout` seconds). Its callbacks run in arrival order and only feed
the pure tracker; the produced events go through one queue to one consumer, so the
pipeline sees them in the order Asterisk sent them, one at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from panoramisk import Manager

from servicedesk.core import clock
from servicedesk.telephony.domain.ami import AmiCallTracker
from servicedesk.telephony.domain.calls import CallEventData

logger = logging.getLogger(__name__)

AMI_EVENTS = ("Newchannel", "DialBegin", "BridgeEnter", "Hangup")
Sink = Callable[[CallEventData], Awaitable[None]]


@dataclass(frozen=True)
class AmiConfig:
    host: str
    port: int
    username: str
    secret: str
    reconnect_timeout: int = 2
    ping_delay: int = 10


def _deliver(event: CallEventData) -> None:
    from servicedesk.telephony.services import call_event_receive

    close_old_connections()
    try:
        call_event_receive(event=event, source="ami")
    finally:
        close_old_connections()


pipeline_sink: Sink = sync_to_async(_deliver, thread_sensitive=True)


class AmiWorker:
    """One AMI connection feeding the call pipeline until `stop` is set."""

    def __init__(self, config: AmiConfig, sink: Sink = pipeline_sink) -> None:
        self.config = config
        self.sink = sink
        self.tracker = AmiCallTracker()
        self.logins = 0
        self.delivered = 0
        self._queue: asyncio.Queue[CallEventData] = asyncio.Queue()

    def _on_event(self, manager: Any, message: Any) -> None:
        for event in self.tracker.feed(dict(message.items()), clock.now()):
            self._queue.put_nowait(event)

    def _on_login(self, manager: Any) -> None:
        self.logins += 1
        logger.info("AMI: вход выполнен (%s:%s)", self.config.host, self.config.port)

    def _on_disconnect(self, manager: Any, exc: Any) -> None:
        logger.warning("AMI: соединение потеряно (%s), переподключаюсь", exc)

    async def _consume(self) -> None:
        while True:
            event = await self._queue.get()
            try:
                await self.sink(event)
                self.delivered += 1
            except Exception:
                logger.exception("AMI: событие %s %s не записано", event.call_id, event.kind)
            finally:
                self._queue.task_done()

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, follow events, and return once `stop` is set and the queue is drained."""
        loop = asyncio.get_running_loop()
        manager = Manager(
            loop=loop,
            host=self.config.host,
            port=self.config.port,
            username=self.config.username,
            secret=self.config.secret,
            events="on",
            reconnect_timeout=self.config.reconnect_timeout,
            ping_delay=self.config.ping_delay,
            ping_interval=self.config.ping_delay,
            on_login=self._on_login,
            on_disconnect=self._on_disconnect,
        )
        for name in AMI_EVENTS:
            manager.register_event(name, self._on_event)
        consumer = asyncio.create_task(self._consume())
        manager.connect()
        try:
            await stop.wait()
            await self._queue.join()
        finally:
            manager.close()
            consumer.cancel()
