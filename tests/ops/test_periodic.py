"""Every periodic task can be put on the queue on demand (after an upgrade, by hand, in tests)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from servicedesk.ops.models import WorkerHeartbeat
from servicedesk.ops.periodic import periodic_task_names

pytestmark = pytest.mark.django_db


def test_the_periodic_tasks_of_every_app_are_found() -> None:
    names = periodic_task_names()
    assert {"worker_heartbeat", "anonymise_closed_daily"} <= set(names)


def test_enqueue_periodic_runs_them_and_lists_them(capsys) -> None:
    call_command("enqueue_periodic", "--only", "worker_heartbeat")
    assert capsys.readouterr().out.split() == ["worker_heartbeat"]
    assert WorkerHeartbeat.objects.count() == 1  # tests run tasks inline
