"""Two web processes and two background workers on one PostgreSQL and one Redis.

Starts gunicorn twice and `manage.py run_huey` twice against a database and a Redis
namespace of their own, drives a bounded mixed load through both web processes
(registrations, replies, notes, take, resolve, and concurrent replies to one hot ticket)
while every registered periodic task (heartbeat, anonymisation, and whatever other apps
register: SLA sweep, mail) is enqueued repeatedly, then checks the invariants in
`load_checks.CHECKS` directly in the database.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.ops.load_checks import CHECKS, Ledger

REPO = Path(__file__).resolve().parents[2]
THREADS = 6
ROUNDS = 5
REDIS_DB = 14

pytestmark = [pytest.mark.postgres, pytest.mark.services]

SETUP = """
import json
from servicedesk.core.setup import load_plastek_configuration
from servicedesk.accounts.models import Client, Contract, Outlet, User
from servicedesk.accounts.roles import Role
from servicedesk.accounts.services import api_token_issue
from django.contrib.auth.models import Group
load_plastek_configuration()
client = Client.objects.create(code="mega", name="МЕГА")
Contract.objects.create(client=client, has_l1=True, has_l2=True, has_l3=True)
Outlet.objects.create(client=client, code="M-01", name="Магазин 1")
tokens = []
for i in range(3):
    user = User.objects.create_user(username=f"agent{i}", password="x-" + str(i) * 12)
    user.groups.add(Group.objects.get(name=Role.SQL_ENGINEER.value))
    tokens.append(api_token_issue(user=user, name="load")[1])
print(json.dumps(tokens))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_url() -> str:
    import redis

    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    url = base.rsplit("/", 1)[0] + f"/{REDIS_DB}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"нужен Redis (REDIS_URL или 127.0.0.1:6379): {error}")
    return url


class Desk:
    """A throwaway desk: its own database, Redis namespace, processes and logs."""

    def __init__(self, tmp: Path, server: str, redis: str) -> None:
        self.run = f"load{uuid.uuid4().hex[:8]}"
        self.tmp = tmp
        self.server = server
        self.database = f"sd_multi_{self.run}"
        self.redis = redis
        self.processes: list[subprocess.Popen[bytes]] = []
        prom = tmp / "prometheus"
        prom.mkdir()
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PROMETHEUS_")) and k != "DATABASE_URL"
        } | {
            "DJANGO_SETTINGS_MODULE": "servicedesk.config.settings",
            "DATABASE_URL": f"{server}/{self.database}",
            "REDIS_URL": redis,
            "SD_INSTANCE_NAME": f"sd-{self.run}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATA_DIR": str(tmp),
            "LOG_JSON": "1",
            "API_RATE_LIMIT": "100000/minute",
            "PROMETHEUS_MULTIPROC_DIR": str(prom),
            "PYTHONPATH": str(REPO / "src"),
        }

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def manage(self, *args: str, timeout: int = 180) -> str:
        result = subprocess.run(
            [sys.executable, str(REPO / "manage.py"), *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def start(self, name: str, command: list[str]) -> None:
        with open(self.tmp / f"{name}.log", "wb") as log:  # the child keeps its own copy
            self.processes.append(
                subprocess.Popen(
                    command, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT
                )
            )

    def web(self, port: int, name: str) -> None:
        self.start(
            name,
            [
                sys.executable, "-m", "gunicorn", "servicedesk.config.wsgi:application",
                "--pythonpath", "src", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                "--config", "python:servicedesk.ops.gunicorn_conf",
            ],
        )  # fmt: skip

    def worker(self, name: str, *extra: str) -> None:
        self.start(
            name,
            [sys.executable, str(REPO / "manage.py"), "run_huey", "--workers", "2", *extra],
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # graceful for gunicorn and huey
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def forget_redis(self) -> None:
        import redis

        server = redis.Redis.from_url(self.redis)
        keys = list(server.scan_iter(f"*{self.run}*"))
        if keys:
            server.delete(*keys)

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")


def wait_until(what: str, ready: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"не дождались: {what}")


def queue_depth(base: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=10).text
    for line in text.splitlines():
        if line.startswith("servicedesk_huey_queue_depth "):
            return float(line.split()[1])
    raise AssertionError("нет servicedesk_huey_queue_depth в /metrics")


def drive(bases: list[str], tokens: list[str], ledger: Ledger, lock: threading.Lock) -> None:
    """One load client: register, reply, note, take, resolve; reply to the hot ticket."""
    index = threading.get_ident()
    ports = itertools.cycle(bases)
    clients = {base: httpx.Client(base_url=f"{base}/api/v1", timeout=30) for base in bases}
    headers = {"Authorization": f"Bearer {tokens[index % len(tokens)]}"}

    def call(method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return clients[next(ports)].request(method, path, json=body, headers=headers)

    try:
        for i in range(ROUNDS):
            subject = f"{ledger.run}-{index}-{i}"
            created = call(
                "POST",
                "/tickets",
                {"subject": subject, "client": "mega", "outlet": "M-01", "service": "incident"},
            )
            assert created.status_code == 201, created.text
            number = created.json()["number"]
            bodies = [f"{subject} ответ", f"{subject} заметка"]
            with lock:
                ledger.tickets[number] = subject
                ledger.comments[number] = []
            for body, public in zip(bodies, [True, False], strict=True):
                reply = call(
                    "POST", f"/tickets/{number}/comments", {"body": body, "public": public}
                )
                assert reply.status_code == 201, reply.text
                with lock:
                    ledger.comments[number].append(body)
            hot = call("POST", f"/tickets/{ledger.hot}/comments", {"body": f"{subject} горячий"})
            assert hot.status_code == 201, hot.text
            with lock:
                ledger.comments[ledger.hot].append(f"{subject} горячий")
            assert call("POST", f"/tickets/{number}/take").status_code == 200
            resolved = call("POST", f"/tickets/{number}/transitions", {"status": "resolved"})
            assert resolved.status_code == 200, resolved.text
            with lock:
                ledger.transitions[number] += 2  # take (new → open) and resolve
    finally:
        for client in clients.values():
            client.close()


def test_two_web_processes_and_two_workers_share_one_database_and_redis(tmp_path) -> None:
    import logging

    from django.db import connection

    logging.getLogger("httpx").setLevel(logging.WARNING)
    started = time.monotonic()
    conf = connection.settings_dict
    auth = f"{conf['USER']}:{conf['PASSWORD']}@" if conf["PASSWORD"] else f"{conf['USER']}@"
    server = f"postgres://{auth}{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}"
    desk = Desk(tmp_path, server, redis_url())
    with ExitStack() as cleanup:
        desk.admin(f'CREATE DATABASE "{desk.database}"')
        cleanup.callback(desk.admin, f'DROP DATABASE IF EXISTS "{desk.database}" WITH (FORCE)')
        cleanup.callback(desk.forget_redis)
        desk.manage("migrate", "--noinput", "-v0")
        tokens = json.loads(desk.manage("shell", "-c", SETUP).strip().splitlines()[-1])

        cleanup.callback(desk.stop)
        ports = [free_port(), free_port()]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        desk.web(ports[0], "web-a")
        desk.web(ports[1], "web-b")
        desk.worker("worker-a")  # runs the periodic scheduler
        desk.worker("worker-b", "--no-periodic")
        for base in bases:
            wait_until(f"{base}/readyz", lambda b=base: httpx.get(f"{b}/readyz").status_code == 200)
        ready = httpx.get(f"{bases[0]}/readyz").json()
        assert set(ready["checks"]) == {"database", "redis", "worker"}

        ledger = Ledger(run=desk.run)
        hot = httpx.post(
            f"{bases[0]}/api/v1/tickets",
            json={"subject": f"{desk.run}-hot", "client": "mega"},
            headers={"Authorization": f"Bearer {tokens[0]}"},
            timeout=30,  # a fresh process may load the classifier first: 5 s ran out once
        )
        ledger.hot = hot.json()["number"]
        ledger.tickets[ledger.hot] = f"{desk.run}-hot"
        ledger.comments[ledger.hot] = []

        lock = threading.Lock()
        load_started = time.monotonic()
        with ThreadPoolExecutor(THREADS) as pool:
            futures = [pool.submit(drive, bases, tokens, ledger, lock) for _ in range(THREADS)]
            for _ in range(3):  # periodic work, several times, while the load runs
                desk.manage("enqueue_periodic")
            for future in futures:
                try:
                    future.result()
                except AssertionError as error:
                    logs = desk.log("web-a") + desk.log("web-b")
                    errors = [line for line in logs.splitlines() if "gunicorn.access" not in line]
                    raise AssertionError(f"{error}\n" + "\n".join(errors)[-8000:]) from error
        load_seconds = time.monotonic() - load_started
        desk.manage("enqueue_periodic")
        wait_until("пустая очередь", lambda: queue_depth(bases[1]) == 0, timeout=60)

        import psycopg

        with psycopg.connect(f"{server}/{desk.database}") as db:
            problems = [problem for check in CHECKS for problem in check(db, ledger)]
            with db.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM ops_workerheartbeat")
                (heartbeats,) = cursor.fetchone()
                cursor.execute("SELECT count(*) FROM privacy_anonymisationrun")
                (anonymisation_runs,) = cursor.fetchone()
        assert problems == []
        assert heartbeats >= 1
        assert anonymisation_runs >= 1, desk.log("worker-a")[-4000:] + desk.log("worker-b")[-4000:]
        assert len(ledger.tickets) == THREADS * ROUNDS + 1

        # Counters from all four gunicorn workers add up in the shared multiprocess directory.
        metrics = httpx.get(f"{bases[0]}/metrics").text
        creates = sum(
            float(line.rsplit(" ", 1)[1])
            for line in metrics.splitlines()
            if line.startswith("servicedesk_http_requests_total{")
            and 'view="/api/v1/tickets"' in line
            and 'method="POST"' in line
            and 'status="201"' in line
        )
        assert creates == THREADS * ROUNDS + 1

        # Logs are JSON lines with request ids, and no worker crashed.
        desk.stop()
        web_lines = [
            json.loads(line) for line in desk.log("web-a").splitlines() if line.startswith("{")
        ]
        access = [line for line in web_lines if line.get("logger") == "gunicorn.access"]
        assert access and all(len(line["request_id"]) == 32 for line in access)
        assert all("request_id" in line for line in web_lines)
        for name in ("worker-a", "worker-b"):
            assert "Traceback" not in desk.log(name), desk.log(name)[-3000:]
        total = time.monotonic() - started
        print(
            f"\nмного процессов: {len(ledger.tickets)} обращений, нагрузка {load_seconds:.1f} с, всего {total:.1f} с"
        )
