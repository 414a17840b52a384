"""Files saved by work that is rolled back do not stay on disk without a row."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError

from servicedesk.core.stored_files import deleted_if_rolled_back, remember_written


def saved(name: str) -> str:
    stored = default_storage.save(f"test-stored-files/{name}", ContentFile(b"data"))
    remember_written(stored)
    return stored


def test_files_of_a_failed_block_are_deleted_and_of_a_successful_one_kept() -> None:
    with deleted_if_rolled_back():
        kept = saved("kept.txt")
    with pytest.raises(RuntimeError), deleted_if_rolled_back():
        gone = saved("gone.txt")
        raise RuntimeError("упало")

    assert default_storage.exists(kept)
    assert not default_storage.exists(gone)
    default_storage.delete(kept)


def test_a_block_that_succeeded_inside_one_that_failed_loses_its_files_too() -> None:
    with pytest.raises(RuntimeError), deleted_if_rolled_back():
        with deleted_if_rolled_back():
            inner = saved("inner.txt")
        raise RuntimeError("упало после")

    assert not default_storage.exists(inner)


def test_files_stay_when_the_connection_was_lost_since_the_commit_may_have_gone_through() -> None:
    with pytest.raises(OperationalError), deleted_if_rolled_back():
        name = saved("maybe-committed.txt")
        raise OperationalError("server closed the connection unexpectedly")

    assert default_storage.exists(name)
    default_storage.delete(name)


def test_outside_a_block_nothing_is_tracked() -> None:
    name = saved("plain.txt")
    with pytest.raises(RuntimeError), deleted_if_rolled_back():
        raise RuntimeError("упало")
    assert default_storage.exists(name)
    default_storage.delete(name)
