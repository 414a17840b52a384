"""API load bench: N tickets on PostgreSQL, 2 gunicorn workers, 8 concurrent clients.

Usage:  .venv/bin/python bench/api.py [--tickets 100000] [--seconds 20] [--connections 8]
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sd_bench)
and `wrk` (Debian package). Fills the database up to N tickets by SQL (once), creates
tickets through the API for the create figure, then reads list and detail pages.
Prints one table: scenario, requests/s, p50, p95, p99, errors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup

LUA_COMMON = r"""
local counter = 0
local errors = 0
function response(status, headers, body)
  if status >= 400 then errors = errors + 1 end
end
function done(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors + summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

SCENARIOS = {
    "create": r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer TOKEN"
local services = {"incident", "report", "consultation", "hardware", "mailing", "access"}
request = function()
  counter = counter + 1
  local body = string.format('{"subject": "Нагрузочный тест %d", "client": "mega", "service": "%s", "description": "Касса не принимает карту"}',
    counter, services[(counter %% #services) + 1])
  return wrk.format(nil, "/api/v1/tickets", nil, body)
end
""",
    "list (50 rows)": r"""
wrk.headers["Authorization"] = "Bearer TOKEN"
local filters = {"", "&category=new,open", "&client=mega", "&service=incident", "&ordering=created_at"}
request = function()
  counter = counter + 1
  local page = (counter %% 100) + 1
  return wrk.format(nil, "/api/v1/tickets?page_size=50&page=" .. page .. filters[(counter %% #filters) + 1])
end
""",
    "detail": r"""
wrk.headers["Authorization"] = "Bearer TOKEN"
math.randomseed(42)
request = function()
  return wrk.format(nil, "/api/v1/tickets/SD-" .. math.random(1, MAXNUMBER))
end
""",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def run_wrk(script: str, port: int, seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(LUA_COMMON + script)
        path = handle.name
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "-s",
                path,
                f"http://127.0.0.1:{port}",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(path)
    line = next(line for line in output.splitlines() if line.startswith("{"))
    return json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    url = _setup.bench_database_url()
    _setup.ensure_database(url)
    _setup.django_for(url)
    _setup.migrate_and_configure()
    filled = _setup.prefill(args.tickets)
    from io import StringIO

    from django.core.management import call_command

    token_out = StringIO()
    call_command("issue_token", "sql", "--name", "bench", stdout=token_out)
    token = token_out.getvalue().strip()
    from servicedesk.tickets.models import Ticket

    max_number = Ticket.objects.order_by("-number").values_list("number", flat=True).first() or 1

    port = free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_JSON": "0",
        "API_RATE_LIMIT": "10000000/minute",  # measure throughput, not the per-token limit
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "servicedesk.config.wsgi:application",
            "--pythonpath",
            str(_setup.REPO / "src"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=_setup.REPO,
    )
    rows = []
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        for name, template in SCENARIOS.items():
            script = (
                template.replace("TOKEN", token)
                .replace("MAXNUMBER", str(max_number))
                .replace("%%", "%")
            )
            result = run_wrk(script, port, args.seconds, args.connections)
            rows.append((name, result))
    finally:
        server.terminate()
        server.wait(timeout=30)

    total = Ticket.objects.count()
    print(
        f"\nAPI bench: {total:,} tickets on PostgreSQL (prefill {filled:.1f} s), "
        f"{args.workers} gunicorn workers × {args.threads} threads, {args.connections} connections, "
        f"{args.seconds} s per scenario"
    )
    print(f"{'scenario':<16}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in rows:
        rate = r["requests"] / r["seconds"]
        print(
            f"{name:<16}{rate:>9.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
            f"{int(r['errors'] + r['socket_errors']):>8}"
        )


if __name__ == "__main__":
    main()
