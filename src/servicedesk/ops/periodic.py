"""Run the registered periodic tasks on demand (after an upgrade, in tests, by hand)."""

from __future__ import annotations

from collections.abc import Iterable


def periodic_task_names() -> list[str]:
    """Return the names of every periodic task any installed app registered with huey."""
    from huey.contrib.djhuey import HUEY

    return sorted(task.name for task in HUEY._registry.periodic_tasks)


def enqueue_periodic_tasks(only: Iterable[str] | None = None) -> list[str]:
    """Put each registered periodic task (or those named in `only`) on the queue once."""
    from huey.contrib.djhuey import HUEY

    wanted = set(only) if only else None
    enqueued = []
    for task in HUEY._registry.periodic_tasks:
        if wanted is not None and task.name not in wanted:
            continue
        HUEY.enqueue(task)
        enqueued.append(task.name)
    return sorted(enqueued)
