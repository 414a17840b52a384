"""Operational state kept in the database: the background workers' heartbeat."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a background worker ran the heartbeat task, one row per worker host.

    `/readyz` fails when the newest row is older than WORKER_HEARTBEAT_MAX_AGE, which
    means no consumer is taking tasks off the queue (stopped, stuck, or cut off).
    """

    worker = models.CharField("воркер", max_length=200, unique=True)
    beat_at = models.DateTimeField("последний сигнал", db_index=True)

    class Meta:
        verbose_name = "сигнал воркера"
        verbose_name_plural = "сигналы воркеров"
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
