"""Real mail servers for the channel tests: Dovecot (IMAP) and aiosmtpd (SMTP).

Dovecot runs as root with the mail owned by an unprivileged `vmail` user (created here
if missing); each test works in a folder of its own, so one server serves the session.
Without Dovecot (or without root) the IMAP tests skip and say why; `make test`
installs it through scripts/install_system_parts.sh.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

IMAP_USER = "support@example.test"
IMAP_PASSWORD = "secret-imap-password"

DOVECOT_CONF = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid=vmail gid=vmail home={base}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return True
        time.sleep(0.1)
    return False


@dataclass(frozen=True)
class DovecotServer:
    host: str
    port: int
    user: str
    password: str

    def client(self) -> Any:
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client

    def new_folder(self) -> str:
        """Create an empty folder for one test and return its name."""
        name = f"t{uuid.uuid4().hex[:12]}"
        with self.client() as client:
            client.create_folder(name)
        return name

    def deliver(self, folder: str, *messages: bytes) -> None:
        with self.client() as client:
            for raw in messages:
                client.append(folder, raw)

    def flags(self, folder: str) -> dict[int, tuple[bytes, ...]]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            found = client.search(["ALL"])
            return {uid: data[b"FLAGS"] for uid, data in client.fetch(found, ["FLAGS"]).items()}

    def count(self, folder: str) -> int:
        with self.client() as client:
            return int(client.folder_status(folder, ["MESSAGES"])[b"MESSAGES"])


def _ensure_vmail() -> None:
    try:
        pwd.getpwnam("vmail")
    except KeyError:
        # Two xdist workers may race here: whoever loses finds the user made.
        subprocess.run(
            ["useradd", "-r", "-M", "-s", "/usr/sbin/nologin", "vmail"],
            check=False,
            capture_output=True,
        )
        pwd.getpwnam("vmail")


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """Start a throwaway Dovecot IMAP server on a free port for the whole session."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    doveadm = shutil.which("doveadm") or "/usr/bin/doveadm"
    if not Path(binary).exists():
        pytest.skip(
            "dovecot is not installed: `make test` installs dovecot-imapd as root "
            "(scripts/install_system_parts.sh)"
        )
    if os.geteuid() != 0:
        pytest.skip("the Dovecot test server must be started as root")
    _ensure_vmail()
    base = Path(tempfile.mkdtemp(prefix="dvc", dir="/tmp"))
    base.chmod(0o755)
    (base / "mail").mkdir()
    shutil.chown(base / "mail", "vmail", "vmail")
    (base / "users").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}\n", encoding="utf-8")
    port = free_port()
    conf = base / "dovecot.conf"
    conf.write_text(DOVECOT_CONF.format(base=base, port=port), encoding="utf-8")
    # Dovecot daemonises and its children keep the parent's output open: capturing it
    # through pipes would wait forever, so it goes to a file.
    with (base / "start.out").open("wb") as output:
        started = subprocess.run(
            [binary, "-c", str(conf)], stdout=output, stderr=subprocess.STDOUT, check=False
        )
    if started.returncode != 0 or not _wait_for_port(port):
        log = "\n".join(
            path.read_text(errors="replace")[-2000:]
            for path in (base / "start.out", base / "dovecot.log")
            if path.exists()
        )
        subprocess.run([doveadm, "-c", str(conf), "stop"], stdout=subprocess.DEVNULL, check=False)
        pytest.fail(f"Dovecot did not start:\n{log}")
    try:
        yield DovecotServer("127.0.0.1", port, IMAP_USER, IMAP_PASSWORD)
    finally:
        subprocess.run(
            [doveadm, "-c", str(conf), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        time.sleep(0.2)
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class SmtpServer:
    """An aiosmtpd server that keeps what it receives and can refuse on demand."""

    host: str
    port: int
    received: list[Message] = field(default_factory=list)
    refuse_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.refuse_next = 0

    def messages_to(self, address: str) -> list[Message]:
        return [m for m in self.received if address in (m.get("To") or "")]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.server.lock:
            if self.server.refuse_next > 0:
                self.server.refuse_next -= 1
                return "451 4.3.0 Temporary failure, try again later"
            self.server.received.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """Start a real SMTP server (aiosmtpd) on a free port for the whole session."""
    from aiosmtpd.controller import Controller

    server = SmtpServer("127.0.0.1", free_port())
    controller = Controller(_Handler(server), hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer, settings: Any) -> SmtpServer:
    """Point Django's mail at the test SMTP server, empty."""
    smtp_server.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    return smtp_server
