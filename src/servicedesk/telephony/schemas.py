"""API schemas of telephony: our webhook schema in, calls, pop-ups and call-backs out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from ninja import Schema
from pydantic import Field, field_validator, model_validator

from servicedesk.api.schemas import Ref, StrictIn


class CallEventIn(StrictIn):
    """One call event in the desk's own schema (see README «Телефония и проблемы»)."""

    event: Literal["newCall", "answer", "hangup", "record"]
    callId: str = Field(..., min_length=1, max_length=150, description="ID звонка в АТС")
    from_: str = Field("", alias="from", max_length=100, description="Номер звонящего")
    to: str = Field("", max_length=100, description="Набранный номер или внутренний")
    direction: Literal["in", "out"] | None = None
    queue: str = Field("", max_length=100)
    extension: str = Field("", max_length=16, description="Внутренний номер ответившего")
    cause: str = Field("", max_length=100, description="Причина завершения")
    duration: int | None = Field(None, ge=0, le=172_800, description="Разговор, секунд")
    recordingUrl: str = Field("", max_length=1000)
    timestamp: datetime | None = Field(
        None, description="Время события, ISO 8601 (без зоны — по TIME_ZONE) или unix"
    )

    @field_validator("callId")
    @classmethod
    def _call_id(cls, value: str) -> str:
        text = value.strip()
        if not text:
            raise ValueError("ID звонка не может быть пустым")
        return text

    @field_validator("recordingUrl")
    @classmethod
    def _url(cls, value: str) -> str:
        text = value.strip()
        if text and urlsplit(text).scheme not in ("http", "https"):
            raise ValueError("Ссылка на запись должна начинаться с http:// или https://")
        return text

    @model_validator(mode="after")
    def _record_has_url(self) -> CallEventIn:
        if self.event == "record" and not self.recordingUrl:
            raise ValueError("Для события record нужна ссылка recordingUrl")
        return self


class CallEventOut(Schema):
    duplicate: bool
    call: str
    event: str
    state: str
    direction: str | None
    answered_by: str | None
    missed: bool
    duration: int
    callback: str | None
    caller: dict[str, Any]
    popup_for: list[str]


class CallTicketIn(StrictIn):
    ticket: str = Field(..., min_length=1, max_length=40, description="Номер обращения")


class CallTicketOut(Schema):
    call: str
    ticket: str
    linked_at: datetime
    recording_attached: bool


class PersonOut(Schema):
    username: str
    name: str


class CallOut(Schema):
    call_id: str
    direction: str | None
    from_number: str
    to_number: str
    queue: str
    state: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    duration: int
    missed: bool
    answered_by: PersonOut | None
    cause: str
    contact: str | None
    client: Ref | None
    outlet: Ref | None
    recording: str
    recording_url: str | None
    tickets: list[str]
    callback: str | None


class OpenTicketOut(Schema):
    number: str
    subject: str
    status: str
    client: str


class ContactOut(Schema):
    id: int
    name: str
    kind: str
    client: Ref | None
    outlet: Ref | None


class PopupOut(Schema):
    id: int
    call: CallOut
    phone: str
    contacts: list[ContactOut]
    outlets: list[Ref]
    clients: list[Ref]
    open_tickets: list[OpenTicketOut]
    call_card_url: str
    shown_at: datetime | None


class PopupEnvelope(Schema):
    popup: PopupOut | None


class CallbackOut(Schema):
    number: str
    call: str
    missed_count: int
    first_missed_at: datetime
    last_missed_at: datetime
    attempts: int
    last_attempt_at: datetime | None
    last_attempt_note: str
    contact: str | None
    client: Ref | None
    outlet: Ref | None


class CallbackIn(StrictIn):
    reached: bool
    note: str = Field("", max_length=500)


class CallbackAttemptOut(Schema):
    call: str
    reached: bool
    note: str
    at: datetime
    queue_left: bool
