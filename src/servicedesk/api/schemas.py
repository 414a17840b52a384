"""Schemas shared by every router."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class StrictIn(Schema):
    """Input schema that refuses unknown fields instead of silently ignoring them."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Schema):
    loc: list[Any]
    msg: str
    type: str


class ErrorOut(Schema):
    code: str
    message: str
    detail: list[ErrorDetail]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class Ref(Schema):
    code: str
    name: str


class PageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    next_page: int | None
    previous_page: int | None
