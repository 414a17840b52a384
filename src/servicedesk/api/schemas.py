"""Schemas shared by every router."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field


class StrictIn(Schema):
    """Input schema that refuses unknown fields instead of silently ignoring them."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """Output schema: plain pydantic, validated from the dicts the presenters build.

    ninja's Schema resolves every field through a getter meant for model instances;
    for dicts that costs several milliseconds per 50-row page for nothing.
    """


class ErrorDetail(Out):
    loc: list[Any]
    msg: str
    type: str


class ErrorOut(Out):
    code: str
    message: str
    detail: list[ErrorDetail]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class Ref(Out):
    code: str
    name: str


class PageOut(Out):
    count: int
    count_exact: bool = Field(
        description="false: more than 10 000 matches, `count` is the planner's estimate"
    )
    page: int
    page_size: int
    pages: int
    next_page: int | None
    previous_page: int | None
