"""Knowledge base search bench: p95 over 10,000 generated articles on SQLite and PostgreSQL.

Usage:  .venv/bin/python bench/kb.py [--articles 10000] [--queries 300] [--backend both]

SQLite: a fresh file in a temporary folder. PostgreSQL: its own database
(BENCH_KB_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sd_bench_kb), created
if missing and emptied of articles; the development and test databases are never touched.
Each backend runs in its own process (migrate, load_plastek, generate articles, build
the index), then times `search_articles` (ranking + highlighting, 20 results) as a staff
member and as a client user, and `suggest_articles` (5 results) for a ticket's text.
Prints one table.
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
PG_URL = os.environ.get("BENCH_KB_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sd_bench_kb")

QUERIES = [
    "баллы не начислились",
    "начисление баллов",
    "как активировать карту",
    "карта заблокирована",
    "касса не видит карту",
    "возврат покупки баллами",
    "не приходит смс код",
    "баланс карты",
    "списание баллов на кассе",
    "подарочный сертификат",
    "акция двойные баллы",
    "ошибка регистрации в приложении",
    "перенос баланса на новую карту",
    "чек не ушёл в процессинг",
    "скидка не применилась",
    "личный кабинет вход",
    "коррекция баланса",
    "выгрузка отчёта по акции",
    "сгорели баллы",
    "кассир не может списать",
]

SUBJECTS = [
    "Покупатель", "Гость", "Кассир", "Администратор магазина", "Владелец карты",
    "Сотрудник клиента", "Оператор", "Участник программы",
]  # fmt: skip
VERBS = [
    "не получил", "получил", "не может списать", "списал", "просит вернуть", "не видит",
    "активировал", "заблокировал", "потерял", "перенёс", "проверяет", "уточняет",
    "не смог зарегистрировать", "зарегистрировал", "оплатил", "вернул",
]  # fmt: skip
OBJECTS = [
    "баллы за покупку", "начисление баллов", "бонусы по акции", "баланс карты",
    "подарочный сертификат", "скидку на кассе", "карту лояльности", "виртуальную карту",
    "код из SMS", "личный кабинет", "мобильное приложение", "чек возврата",
    "списание баллов", "начисленные бонусы", "статус карты", "анкету участника",
    "двойные баллы", "купон на скидку", "отчёт по продажам", "выгрузку гостей",
]  # fmt: skip
TAILS = [
    "после покупки в магазине", "на кассе", "через личный кабинет", "в мобильном приложении",
    "в течение суток", "по акции выходного дня", "без предъявления карты", "после возврата",
    "при оплате баллами", "из-за сбоя связи с процессингом", "по правилам программы",
    "в прошлом месяце", "после замены карты", "на новой кассе",
]  # fmt: skip


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."


def article_text(rng: random.Random) -> tuple[str, str, str]:
    title = f"{rng.choice(OBJECTS).capitalize()}: {rng.choice(TAILS)}"
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(3)]
    body = "\n\n".join(paragraphs)
    keywords = ", ".join(rng.sample(OBJECTS, 2))
    return title, body, keywords


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


def child(backend: str, articles: int, queries: int) -> dict[str, object]:
    """Run in a process of its own: set up Django on the backend, fill, time."""
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

    from servicedesk import knowledge
    from servicedesk.accounts.models import Client, User
    from servicedesk.catalog.models import Service
    from servicedesk.core import clock
    from servicedesk.knowledge import search
    from servicedesk.knowledge.models import Article, Section, Visibility
    from servicedesk.knowledge.rendering import plain_text
    from servicedesk.knowledge.selectors import search_articles, suggest_articles

    assert knowledge
    clients = [
        Client.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in (
            ("mega", "Мега-Маркет"),
            ("apteka", "Аптека Здоровье"),
            ("coffee", "КофеТайм"),
        )
    ]
    staff = User.objects.get_or_create(username="bench-staff", defaults={"is_superuser": True})[0]
    reader = User.objects.get_or_create(username="bench-client", defaults={"client": clients[0]})[0]
    sections = list(Section.objects.all())
    services = list(Service.objects.all())

    Article.objects.filter(slug__startswith="bench-").delete()
    rng = random.Random(42)
    now = clock.now()
    started = time.perf_counter()
    batch = []
    visibilities = [Visibility.INTERNAL, Visibility.CLIENT, Visibility.PUBLIC]
    for n in range(articles):
        title, body, keywords = article_text(rng)
        batch.append(
            Article(
                section=rng.choice(sections),
                title=title,
                slug=f"bench-{n}",
                body=body,
                body_text=plain_text(body),
                keywords=keywords,
                client=rng.choice([None, None, *clients]),
                visibility=rng.choice(visibilities),
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
    Article.objects.bulk_create(batch, batch_size=1000)
    through = Article.services.through
    through.objects.bulk_create(
        [
            through(article_id=pk, service_id=rng.choice(services).pk)
            for pk in Article.objects.filter(slug__startswith="bench-").values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    generated = time.perf_counter() - started
    started = time.perf_counter()
    search.index_articles()
    indexed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_article")

    def timed(call) -> list[float]:
        for q in QUERIES[:3]:
            call(q)  # warm caches (morphology dictionary, prepared plans)
        samples = []
        for i in range(queries):
            q = QUERIES[i % len(QUERIES)]
            t0 = time.perf_counter()
            call(q)
            samples.append((time.perf_counter() - t0) * 1000)
        return samples

    results = {
        "search, staff": timed(lambda q: search_articles(staff, q, limit=20)),
        "search, client user": timed(lambda q: search_articles(reader, q, limit=20)),
        "suggest, staff": timed(
            lambda q: suggest_articles(staff, "mega", "incident", f"Обращение: {q} после покупки")
        ),
    }
    found = len(search_articles(staff, "баллы не начислились", limit=100))
    return {
        "backend": backend,
        "vendor": connection.vendor,
        "articles": Article.objects.count(),
        "generate_s": round(generated, 1),
        "index_s": round(indexed, 1),
        "found": found,
        "timings": {
            name: {
                "p50": statistics.median(samples),
                "p95": statistics.quantiles(samples, n=20)[18],
                "max": max(samples),
                "n": len(samples),
            }
            for name, samples in results.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.backend, args.articles, args.queries)))
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            env = dict(os.environ)
            if backend == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{folder}/kb-bench.sqlite3"
                env["DATA_DIR"] = folder
            else:
                ensure_pg_database(PG_URL)
                env["DATABASE_URL"] = PG_URL
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--backend", backend,
                 "--articles", str(args.articles), "--queries", str(args.queries)],
                env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"\nKnowledge base search, {args.articles} generated articles, {args.queries} queries each\n"
    )
    print(f"{'database':<11} {'operation':<20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print("-" * 59)
    for row in rows:
        for name, t in row["timings"].items():
            print(
                f"{row['vendor']:<11} {name:<20} {t['p50']:>8.1f} {t['p95']:>8.1f} {t['max']:>8.1f}"
            )
    print()
    for row in rows:
        print(
            f"{row['vendor']}: {row['articles']} articles, generated in {row['generate_s']} s, "
            f"index built in {row['index_s']} s; «баллы не начислились» → {row['found']} hits (max 100)"
        )


if __name__ == "__main__":
    main()
