"""Answer API reads against whatever database the environment points to (used by tests).

    python tests/ops/api_reads.py TOKEN PATH [PATH…]

prints {path: [status, json or sha256 of the body]} as JSON. The backup test runs it
against a restored database and compares with the original desk's answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Any


def read(client: Any, token: str, path: str) -> list[Any]:
    response = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    if response.get("Content-Type", "").startswith("application/json"):
        return [response.status_code, response.json()]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [response.status_code, hashlib.sha256(body).hexdigest()]


def main(token: str, paths: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.config.settings_test")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    print(json.dumps({path: read(client, token, path) for path in paths}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
