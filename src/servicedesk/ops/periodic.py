"""Run the registered periodic tasks on demand (after an upgrade, in tests, by hand)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.module_loading import autodiscover_modules


def _registry() -> list[object]:
    """Return the periodic tasks of every installed app (importing each app's tasks.py)."""
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")  # run_huey does this itself; other commands do not
    return list(HUEY._registry.periodic_tasks)


def periodic_task_names() -> list[str]:
    """Return the names of every periodic task any installed app registered with huey."""
    return sorted(task.name for task in _registry())  # type: ignore[attr-defined]


def enqueue_periodic_tasks(only: Iterable[str] | None = None) -> list[str]:
    """Put each registered periodic task (or those named in `only`) on the queue once."""
    from huey.contrib.djhuey import HUEY

    wanted = set(only) if only else None
    enqueued = []
    for task in _registry():
        name = task.name  # type: ignore[attr-defined]
        if wanted is not None and name not in wanted:
            continue
        HUEY.enqueue(task)
        enqueued.append(name)
    return sorted(enqueued)
