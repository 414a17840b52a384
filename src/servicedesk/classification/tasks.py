"""Background work of classification (huey): the weekly retraining on people's labels."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from servicedesk.classification.services import classification_retrain_if_due


# Hourly, because huey's crontab runs on UTC: the service itself checks the configured
# weekday and hour in the desk's time zone (03:00 Europe/Moscow by default), and does
# nothing unless someone labelled a request after the active model was trained.
@db_periodic_task(crontab(minute="7"))
def retrain_classifier_weekly() -> str | None:
    with HUEY.lock_task("classification-retrain"):
        model = classification_retrain_if_due()
    return model.version if model is not None else None
