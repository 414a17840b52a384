"""Service classifier bench: training time and warm suggestion latency on SQLite and PostgreSQL.

Usage:  .venv/bin/python bench/classify.py [--requests 1000] [--backend both]

Each backend runs in a process of its own, like a web worker: migrate, load_plastek,
train a model with `classification_train` (seed set, no labels), then time
`classification_suggest` — the path ticket registration takes, database reads included —
over `--requests` seed requests in a shuffled order:

- "cold": the first suggestion of a process, which loads the model file;
- "warm": the steady state, settings and active model re-read every few seconds;
- "warm, state re-read each call": the same with the database check on every call,
  the upper bound of what the check costs.

SQLite: a fresh file in a temporary folder. PostgreSQL: its own database
(BENCH_CLASSIFY_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sd_bench_classify),
created if missing; the development and test databases are never touched. Model files go
to a temporary folder either way. Prints one table.

Then, without a database, times training alone on larger sets (`--train-sizes`): seed
requests repeated with a fifth of their words dropped at random, standing in for the
team's history (training reads at most 20,000 finished tickets).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get(
    "BENCH_CLASSIFY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sd_bench_classify"
)


def ensure_pg_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100)
    return {
        "p50": statistics.median(samples),
        "p95": cuts[94],
        "p99": cuts[98],
        "max": max(samples),
        "n": len(samples),
    }


def child(backend: str, requests: int) -> dict[str, object]:
    """Run in a process of its own: set up Django on the backend, train, time."""
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("HTTPS", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "servicedesk.config.settings"
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_plastek", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from servicedesk.classification import services
    from servicedesk.routing.classifier import load_seed_examples

    started = time.perf_counter()
    model = services.classification_train(actor_label="bench")
    trained_s = time.perf_counter() - started

    examples = load_seed_examples()
    rng = random.Random(42)
    texts = [examples[rng.randrange(len(examples))] for _ in range(requests)]

    services.classification_reset_cache()  # as a freshly started worker
    started = time.perf_counter()
    services.classification_suggest(texts[0].subject, texts[0].text)
    cold_ms = (time.perf_counter() - started) * 1000

    def timed() -> list[float]:
        samples = []
        for example in texts:
            t0 = time.perf_counter()
            services.classification_suggest(example.subject, example.text)
            samples.append((time.perf_counter() - t0) * 1000)
        return samples

    warm = timed()
    refresh = services.STATE_REFRESH_SECONDS
    services.STATE_REFRESH_SECONDS = 0.0
    every_call = timed()
    services.STATE_REFRESH_SECONDS = refresh
    return {
        "vendor": connection.vendor,
        "version": model.version,
        "training_size": model.training_size,
        "train_s": round(trained_s, 2),
        "cold_ms": round(cold_ms, 1),
        "timings": {
            "warm": percentiles(warm),
            "warm, state re-read each call": percentiles(every_call),
        },
    }


def training_times(sizes: list[int]) -> list[tuple[int, float]]:
    """Time `train` on `sizes` synthetic requests each (pure scikit-learn, no database)."""
    sys.path.insert(0, str(REPO / "src"))
    from servicedesk.routing.classifier import LabelledText, load_seed_examples, train

    seed = load_seed_examples()
    rng = random.Random(7)

    def variation(example: LabelledText) -> LabelledText:
        words = [word for word in example.text.split() if rng.random() > 0.2]
        return LabelledText(example.subject, " ".join(words), example.service)

    results = []
    for size in sizes:
        examples = [variation(seed[index % len(seed)]) for index in range(size)]
        started = time.perf_counter()
        train(examples, version=f"bench-{size}")
        results.append((size, time.perf_counter() - started))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--train-sizes", default="5000,20000", help="comma-separated; empty: skip")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.backend, args.requests)))
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            env = dict(os.environ)
            env["DATA_DIR"] = folder  # model files, secret key: never the real data folder
            if backend == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{folder}/classify-bench.sqlite3"
            else:
                ensure_pg_database(PG_URL)
                env["DATABASE_URL"] = PG_URL
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--backend", backend,
                 "--requests", str(args.requests)],
                env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    sizes = [int(size) for size in args.train_sizes.split(",") if size.strip()]
    trainings = training_times(sizes)
    load_after = os.getloadavg()
    print(f"\nService classifier, {args.requests} seed requests per run (classification_suggest)\n")
    print(f"{'database':<11} {'path':<31} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    print("-" * 74)
    for row in rows:
        for name, t in row["timings"].items():
            print(
                f"{row['vendor']:<11} {name:<31} {t['p50']:>7.2f} {t['p95']:>7.2f} "
                f"{t['p99']:>7.2f} {t['max']:>7.1f}"
            )
    print()
    for row in rows:
        print(
            f"{row['vendor']}: model {row['version']} trained on {row['training_size']} requests "
            f"in {row['train_s']} s; first suggestion of a process (loads the file) "
            f"{row['cold_ms']} ms"
        )
    for size, seconds in trainings:
        print(f"training alone on {size} synthetic requests: {seconds:.1f} s")
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"({os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
