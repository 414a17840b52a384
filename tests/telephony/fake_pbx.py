"""A small HTTP server on 127.0.0.1 standing in for a PBX's recording store and APIs."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

AUDIO = b"ID3\x04\x00" + bytes(range(256)) * 40  # ~10 KB that looks like an mp3


@dataclass
class FakePbx:
    base: str
    hits: list[str] = field(default_factory=list)
    failures_left: dict[str, int] = field(default_factory=dict)
    mango: tuple[str, str] = ("mango-key", "mango-salt")
    zadarma_key: str = "zd-key"


def _handler(state: FakePbx) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def _audio(self, content_type: str = "audio/mpeg", declared: int | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header(
                "Content-Length", str(declared if declared is not None else len(AUDIO))
            )
            self.end_headers()
            if declared is None:
                self.wfile.write(AUDIO)

        def _status(self, code: int) -> None:
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            state.hits.append(f"GET {path}")
            if state.failures_left.get(path, 0) > 0:
                state.failures_left[path] -= 1
                self._status(503)
            elif path == "/rec/call.mp3":
                self._audio()
            elif path == "/rec/huge.mp3":
                self._audio(declared=500 * 1024 * 1024)
            elif path == "/rec/redirect":
                self.send_response(302)
                self.send_header("Location", "/rec/call.mp3")
                self.end_headers()
            elif path == "/v1/pbx/record/request/":
                query = parse_qs(urlsplit(self.path).query)
                ok = self.headers.get("Authorization", "").startswith(state.zadarma_key + ":")
                body = (
                    {
                        "status": "success",
                        "link": f"{state.base}/rec/call.mp3",
                        "lifetime_till": "x",
                    }
                    if ok and query.get("call_id")
                    else {"status": "error", "message": "wrong key"}
                )
                data = json.dumps(body).encode()
                self.send_response(200 if ok else 401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            else:
                self._status(404)

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            state.hits.append(f"POST {path}")
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if path == "/vpbx/queries/recording/post/":
                key, salt = state.mango
                expected = hashlib.sha256(f"{key}{form.get('json', '')}{salt}".encode()).hexdigest()
                if form.get("vpbx_api_key") == key and form.get("sign") == expected:
                    self._audio("audio/mpeg")
                else:
                    self._status(403)
            else:
                self._status(404)

    return Handler


@contextmanager
def fake_pbx() -> Iterator[FakePbx]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(FakePbx(base="")))
    state = FakePbx(base=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
