"""API schemas of problems, mass incidents and development hand-offs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from servicedesk.api.schemas import PageOut, Ref, StrictIn

ProblemStatusCode = Literal["open", "known_error", "resolved", "closed"]


class PersonOut(Schema):
    username: str
    name: str


class TicketStatusOut(Schema):
    code: str
    name: str
    category: str


class TicketRefOut(Schema):
    number: str
    subject: str
    status: TicketStatusOut
    client: Ref


class ProblemStatusOut(Schema):
    code: str
    label: str


class LinkedIncidentOut(TicketRefOut):
    linked_at: datetime


class ProblemOut(Schema):
    id: int
    number: str
    title: str
    description: str
    cause: str
    workaround: str
    status: ProblemStatusOut
    allowed_statuses: list[str]
    owner: PersonOut | None
    incident_count: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None


class ProblemDetailOut(ProblemOut):
    incidents: list[LinkedIncidentOut]


class ProblemPage(PageOut):
    results: list[ProblemOut]


class ProblemIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field("", max_length=50_000)
    cause: str = Field("", max_length=50_000)
    workaround: str = Field("", max_length=50_000)
    owner: str | None = Field(
        None, max_length=150, description="Логин; по умолчанию сервис-менеджер"
    )


class ProblemPatchIn(StrictIn):
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=50_000)
    cause: str | None = Field(None, max_length=50_000)
    workaround: str | None = Field(None, max_length=50_000)
    owner: str | None = Field(None, max_length=150)


class ProblemTransitionIn(StrictIn):
    status: ProblemStatusCode


class TicketLinkIn(StrictIn):
    ticket: str = Field(..., min_length=1, max_length=40, description="Номер обращения")


class TicketProblemOut(Schema):
    problem: ProblemOut | None


class SimilarOut(TicketRefOut):
    created_at: datetime
    outlet: Ref | None
    service: Ref | None
    score: float
    text_similarity: float
    reasons: list[str]
    problem: str | None
    mass_parent: str | None


class MassChildOut(TicketRefOut):
    linked_at: datetime
    resolved_with_parent_at: datetime | None
    detached_at: datetime | None
    detach_reason: str


class MassIncidentOut(Schema):
    parent: TicketRefOut
    message: str
    effective_message: str
    children: list[MassChildOut]
    detached: list[MassChildOut]


class MassLinkIn(StrictIn):
    children: list[str] = Field(..., min_length=1, max_length=500)
    message: str | None = Field(None, max_length=10_000)


class MassMessageIn(StrictIn):
    message: str = Field(..., max_length=10_000)


class MassResolveIn(StrictIn):
    message: str | None = Field(None, max_length=10_000)
    version: int | None = Field(None, ge=1)


class HandoffOut(Schema):
    id: int
    ticket: str
    tracker_key: str
    tracker_url: str
    state_note: str
    state_updated_at: datetime
    handed_off_by: PersonOut | None
    handed_off_at: datetime
    returned_at: datetime | None
    returned_by: PersonOut | None
    return_note: str
    active: bool


class TicketHandoffsOut(Schema):
    active: HandoffOut | None
    history: list[HandoffOut]


class HandoffIn(StrictIn):
    tracker_key: str = Field(..., min_length=1, max_length=64)
    tracker_url: str = Field("", max_length=500)
    state_note: str = Field("", max_length=5000)


class HandoffStateIn(StrictIn):
    state_note: str = Field(..., max_length=5000)
    tracker_key: str | None = Field(None, min_length=1, max_length=64)
    tracker_url: str | None = Field(None, max_length=500)


class HandoffReturnIn(StrictIn):
    note: str = Field("", max_length=5000)
    status: str = Field(
        "open", min_length=1, max_length=40, description="Код статуса или категории"
    )
