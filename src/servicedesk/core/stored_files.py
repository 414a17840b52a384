"""Files written to storage by work that may yet be rolled back.

Storage is not transactional: a file saved for a row that is then rolled back stays on
disk with nothing pointing at it. Mail intake rolls work back on purpose (a batch done
again message by message, a message handled again after a race, a message quarantined),
so it runs each attempt inside `deleted_if_rolled_back()`, and the services that save a
file call `remember_written()`. When the block fails, the files it wrote are deleted;
when it succeeds, they are handed to the enclosing block, which may still fail.

A lost connection is the exception: the COMMIT may have reached the database before the
error did, and then rows point at the files. They are kept; an orphan is cheap, a row
without its file is not.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

_written: ContextVar[list[str] | None] = ContextVar("files_written", default=None)


def remember_written(name: str) -> None:
    """Note a file just saved, so that it goes if the work around it is rolled back."""
    written = _written.get()
    if written is not None:
        written.append(name)


@contextmanager
def deleted_if_rolled_back() -> Iterator[None]:
    """Delete the files remembered inside the block if the block raises.

    Enter it outside the transaction it guards, so that an error at COMMIT counts too.
    """
    enclosing = _written.get()
    written: list[str] = []
    token = _written.set(written)
    try:
        yield
    except (OperationalError, InterfaceError):
        raise  # the COMMIT may have gone through: keep the files
    except BaseException:
        for name in written:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("file %s of rolled-back work could not be deleted", name)
        raise
    else:
        if enclosing is not None:
            enclosing.extend(written)
    finally:
        _written.reset(token)
