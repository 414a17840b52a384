"""Background work of telephony: copying call recordings into our storage."""

from __future__ import annotations

from huey.api import Task
from huey.contrib.djhuey import db_task
from huey.exceptions import RetryTask

from servicedesk.telephony.services.recordings import (
    RecordingTemporaryError,
    call_recording_download,
)


@db_task(context=True)
def download_recording(call_pk: int, task: Task | None = None) -> str:
    """Download a call's recording; on a temporary failure re-queue with backoff.

    The attempt count lives on the call, so the backoff grows (30 s, 1 min, 2 min, …)
    and the service gives up after its maximum, marking the call's recording failed.
    """
    try:
        return call_recording_download(call_pk)
    except RecordingTemporaryError as error:
        raise RetryTask(str(error), delay=error.delay) from error
