"""Print a DATABASE_URL for a local PostgreSQL the tests can use, or nothing.

Used by `make test`: DATABASE_URL wins when set; otherwise a server on 127.0.0.1:5432
that lets the `postgres` role in (trust, as on a developer machine) is used.
"""

import os
import sys

CANDIDATES = ("postgres://postgres@127.0.0.1:5432/postgres",)


def main() -> int:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(os.environ["DATABASE_URL"])
        return 0
    try:
        import psycopg
    except ImportError:
        return 0
    for url in CANDIDATES:
        try:
            with psycopg.connect(url, connect_timeout=2) as connection:
                connection.execute("SELECT 1")
        except Exception:  # noqa: S112  (any failure means: not usable here)
            continue
        print(url.rsplit("/", 1)[0] + "/servicedesk")
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
