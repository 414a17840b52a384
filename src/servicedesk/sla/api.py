"""SLA endpoints: preview, notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS, StrictIn
from servicedesk.sla.notifications import notification_mark_read
from servicedesk.sla.selectors import notifications_for, sla_preview, unread_notification_count

router = Router(tags=["SLA"])


class PreviewIn(StrictIn):
    service: str = Field(..., min_length=1, max_length=40)
    client: str | None = Field(None, max_length=40)
    calendar: str | None = Field(None, max_length=40)
    at: datetime | None = None


class PreviewOut(Schema):
    sla_level: str
    priority: str
    calendar: str
    acknowledgement_due: datetime | None
    reaction_due: datetime
    resolution_due: datetime


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    ticket: str | None
    created_at: datetime
    read: bool


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


@router.post("/sla/preview", response={200: PreviewOut, **ERRORS}, summary="Прогноз сроков")
def preview(request: HttpRequest, payload: PreviewIn) -> Any:
    result = sla_preview(
        service=payload.service, client=payload.client, calendar=payload.calendar, at=payload.at
    )
    return result.__dict__


@router.get(
    "/notifications", response={200: list[NotificationOut], **ERRORS}, summary="Уведомления"
)
def list_notifications(
    request: HttpRequest,
    limit: int = Query(20, ge=1, le=200),  # type: ignore[type-arg]
) -> Any:
    return [
        {
            "id": n.id,
            "kind": n.kind,
            "title": n.title,
            "body": n.body,
            "ticket": n.ticket.display_number if n.ticket else None,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in notifications_for(current_user(request), limit)
    ]


@router.get("/notifications/unread-count", response={200: UnreadOut, **ERRORS})
def unread_count(request: HttpRequest) -> Any:
    return {"unread": unread_notification_count(current_user(request))}


@router.post("/notifications/read", response={200: MarkedOut, **ERRORS}, summary="Прочитать все")
def mark_all_read(request: HttpRequest) -> Any:
    return {"marked": notification_mark_read(user=current_user(request))}


@router.post("/notifications/{notification_id}/read", response={200: MarkedOut, **ERRORS})
def mark_read(request: HttpRequest, notification_id: int) -> Any:
    return {
        "marked": notification_mark_read(
            user=current_user(request), notification_id=notification_id
        )
    }
