"""What the workspace remembers per person: saved queue filters."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedFilter(models.Model):
    """A queue with its filters that an agent named and keeps in the sidebar.

    `querystring` is the queue page's query (queue, filters, ordering) without the page
    number, so opening it shows the first page of the same list.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_filters",
        verbose_name="пользователь",
    )
    name = models.CharField("название", max_length=80)
    querystring = models.CharField("параметры", max_length=1000)
    created_at = models.DateTimeField("создан")

    class Meta:
        verbose_name = "сохранённый фильтр"
        verbose_name_plural = "сохранённые фильтры"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name
