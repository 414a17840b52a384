"""Ticket API schemas: what goes in (strict) and what comes out."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from servicedesk.api.schemas import Out, PageOut, Ref, StrictIn

ChannelCode = Literal["phone", "email", "portal", "api"]
LineCode = Literal["L1", "L2", "L3"]


class TicketIn(StrictIn):
    subject: str = Field(..., min_length=1, max_length=300)
    description: str = Field("", max_length=100_000)
    client: str = Field(..., min_length=1, max_length=40, description="Код клиента")
    channel: ChannelCode = "api"
    service: str | None = Field(None, max_length=40, description="Код услуги каталога")
    outlet: str | None = Field(None, max_length=40, description="Код торговой точки")
    requester_id: int | None = Field(None, ge=1)
    line: LineCode | None = None
    assignee: str | None = Field(None, max_length=150, description="Логин сотрудника")
    role_queue: str = Field("", max_length=30)


class TicketPatchIn(StrictIn):
    version: int = Field(..., ge=1, description="Версия, которую вы видели (иначе 409)")
    subject: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=100_000)
    outlet: str | None = Field(None, max_length=40)
    requester_id: int | None = Field(None, ge=1)
    line: LineCode | None = None
    service: str | None = Field(None, max_length=40)
    assignee: str | None = Field(None, max_length=150)
    role_queue: str | None = Field(None, max_length=30)
    status: str | None = Field(None, max_length=40)


class TransitionIn(StrictIn):
    status: str = Field(..., min_length=1, max_length=40, description="Код статуса или категории")
    reason: str = Field("", max_length=2000)
    version: int | None = Field(None, ge=1)


class PriorityIn(StrictIn):
    sla_level: str = Field(..., min_length=1, max_length=20)
    reason: str = Field(..., min_length=1, max_length=2000)
    version: int | None = Field(None, ge=1)


class CommentIn(StrictIn):
    body: str = Field(..., min_length=1, max_length=100_000)
    public: bool = True
    version: int | None = Field(None, ge=1)


class StatusOut(Out):
    code: str
    name: str
    category: str


class LevelOut(Out):
    code: str
    priority: str


class PersonOut(Out):
    username: str
    name: str


class ContactRef(Out):
    id: int
    name: str
    kind: str


class ClockOut(Out):
    target: str
    label: str
    calendar: str
    due_at: datetime | None
    elapsed_seconds: int
    remaining_seconds: int
    target_seconds: int
    state: str
    paused: bool
    breached: bool
    at_risk: bool
    breached_at: datetime | None
    stopped_at: datetime | None


class TicketOut(Out):
    number: str
    subject: str
    description: str
    client: Ref
    outlet: Ref | None
    requester: ContactRef | None
    channel: str
    service: Ref | None
    line: str
    line_not_in_contract: bool
    sla_level: LevelOut | None
    priority_raised: bool
    status: StatusOut
    assignee: PersonOut | None
    role_queue: str
    created_at: datetime
    updated_at: datetime
    first_reaction_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int
    sla: list[ClockOut]


class TicketListRow(Out):
    number: str
    subject: str
    client: Ref
    outlet: Ref | None
    channel: str
    service: Ref | None
    line: str
    sla_level: LevelOut | None
    status: StatusOut
    assignee: PersonOut | None
    role_queue: str
    created_at: datetime
    updated_at: datetime
    version: int
    sla: list[ClockOut]


class TicketPage(PageOut):
    results: list[TicketListRow]


class AttachmentOut(Out):
    id: int
    filename: str
    content_type: str
    size: int
    public: bool
    created_at: datetime
    url: str


class CommentOut(Out):
    id: int
    author: str
    public: bool
    channel: str
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


class EventOut(Out):
    id: int
    type: str
    label: str
    actor: str
    created_at: datetime
    data: dict[str, object]
