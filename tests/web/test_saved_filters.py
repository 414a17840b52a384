"""Saved queue filters: a name and the list's query, per person."""

from __future__ import annotations

import pytest

from servicedesk.core.errors import NotFound, ValidationFailed
from servicedesk.web.models import SavedFilter
from servicedesk.web.services import (
    clean_querystring,
    saved_filter_delete,
    saved_filter_save,
)

pytestmark = pytest.mark.django_db


def test_only_list_parameters_are_kept_in_a_stable_order() -> None:
    raw = "?page=3&q=касса&queue=all&csrfmiddlewaretoken=x&service=incident&client="
    assert clean_querystring(raw) == "queue=all&service=incident&q=%D0%BA%D0%B0%D1%81%D1%81%D0%B0"


def test_saving_under_the_same_name_replaces_the_filter(world) -> None:
    agent = world["agent"]
    first = saved_filter_save(user=agent, name="Касса", querystring="queue=all&q=касса")
    second = saved_filter_save(user=agent, name=" Касса ", querystring="queue=mine")
    assert first.pk == second.pk
    assert SavedFilter.objects.get().querystring == "queue=mine"


def test_a_filter_needs_a_name(world) -> None:
    with pytest.raises(ValidationFailed, match="Назовите"):
        saved_filter_save(user=world["agent"], name=" ", querystring="queue=all")


def test_people_delete_only_their_own_filters(world) -> None:
    saved = saved_filter_save(user=world["agent"], name="Мои", querystring="queue=mine")
    with pytest.raises(NotFound):
        saved_filter_delete(user=world["head"], pk=saved.pk)
    saved_filter_delete(user=world["agent"], pk=saved.pk)
    assert not SavedFilter.objects.exists()
