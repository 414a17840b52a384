"""Classification in the admin: the head edits the settings, everyone sees models and labels."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.classification.models import ClassifierSettings

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/admin/classification/classifiersettings/1/change/"


def test_head_edits_the_threshold_and_out_of_range_values_are_refused(
    world: dict[str, Any], client: Any
) -> None:
    client.force_login(world["head"])
    assert client.get(SETTINGS_URL).status_code == 200

    refused = client.post(
        SETTINGS_URL, {"enabled": "on", "auto_apply_threshold": "1.5", "retrain_weekday": "0"}
    )
    assert refused.status_code == 200  # the form again, with the error
    assert ClassifierSettings.objects.get().auto_apply_threshold == 0.6

    saved = client.post(
        SETTINGS_URL, {"enabled": "on", "auto_apply_threshold": "0.8", "retrain_weekday": "2"}
    )
    assert saved.status_code == 302
    settings = ClassifierSettings.objects.get()
    assert (settings.auto_apply_threshold, settings.retrain_weekday) == (0.8, 2)


def test_engineer_sees_models_and_labels_but_not_changes_settings(
    world: dict[str, Any], client: Any
) -> None:
    client.force_login(world["agent"])
    assert client.get("/admin/classification/servicelabel/").status_code == 200
    assert client.get("/admin/classification/classifiermodel/").status_code == 200
    assert client.get(SETTINGS_URL).status_code == 200  # read-only view
    response = client.post(
        SETTINGS_URL, {"enabled": "on", "auto_apply_threshold": "0.1", "retrain_weekday": "0"}
    )
    assert response.status_code == 403
    assert ClassifierSettings.objects.get().auto_apply_threshold == 0.6
