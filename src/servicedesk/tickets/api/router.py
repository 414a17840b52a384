"""Ticket endpoints: thin handlers that parse input, call one service or selector, present."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from servicedesk.api.auth import current_user
from servicedesk.api.pagination import paginate
from servicedesk.api.schemas import ERRORS
from servicedesk.core.errors import NotFound
from servicedesk.privacy.masking import mask_identifiers
from servicedesk.security.uploads import DOWNLOAD_CSP, download_content_type
from servicedesk.tickets import selectors, services
from servicedesk.tickets.api import present
from servicedesk.tickets.api.schemas import (
    AttachmentOut,
    CommentIn,
    CommentOut,
    EventOut,
    PriorityIn,
    StatusOut,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketPatchIn,
    TransitionIn,
)
from servicedesk.tickets.models import Attachment, Channel

router = Router(tags=["Обращения"])


def _utc(value: datetime | None) -> datetime | None:
    # PostgreSQL refuses offsets beyond ±15:59 (e.g. "-18:14", which ISO 8601 allows).
    return value.astimezone(UTC) if value is not None and value.tzinfo is not None else value


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


class TicketQuery(Schema):
    status: str | None = Field(None, description="Коды статусов через запятую")
    category: str | None = Field(None, description="Категории статусов через запятую")
    service: str | None = Field(None, description="Коды услуг через запятую")
    client: str | None = Field(None, description="Коды клиентов через запятую")
    outlet: str | None = None
    assignee: str | None = Field(None, description="Логин или none")
    line: str | None = None
    channel: str | None = None
    role_queue: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = Field(None, max_length=200, description="Текст или номер")
    ordering: str = Field("-number", pattern=r"^-?(number|created_at|updated_at)$")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)
    exact_count: bool = Field(
        False,
        description="Считать точно и больше 10 000 совпадений (медленнее на больших выборках)",
    )


@router.post("/tickets", response={201: TicketOut, **ERRORS}, summary="Зарегистрировать")
def create_ticket(request: HttpRequest, payload: TicketIn) -> Any:
    actor = current_user(request)
    data = services.NewTicket(**payload.model_dump())
    if actor.client_id is not None:
        data = services.NewTicket(**(payload.model_dump() | {"channel": Channel.PORTAL}))
    ticket = services.ticket_create(actor=actor, data=data)
    return Status(201, present.ticket_card(actor, ticket.number))


@router.get("/tickets", response={200: TicketPage, **ERRORS}, summary="Список")
def list_tickets(request: HttpRequest, query: Query[TicketQuery]) -> Any:
    filters = selectors.TicketFilters(
        status=_csv(query.status),
        status_category=_csv(query.category),
        service=_csv(query.service),
        client=_csv(query.client),
        outlet=query.outlet,
        assignee=query.assignee,
        line=_csv(query.line),
        channel=_csv(query.channel),
        role_queue=query.role_queue,
        created_from=_utc(query.created_from),
        created_to=_utc(query.created_to),
        text=query.q,
    )
    rows, meta = paginate(
        selectors.ticket_list(current_user(request), filters, query.ordering),
        query.page,
        query.page_size,
        exact_count=query.exact_count,
        fetch=present.ticket_rows,
        key="number",
    )
    # Lists never show whole phone or card numbers typed into a subject (152-FZ).
    return meta | {"results": [row | {"subject": mask_identifiers(row["subject"])} for row in rows]}


@router.get("/tickets/{number}", response={200: TicketOut, **ERRORS}, summary="Карточка")
def get_ticket(request: HttpRequest, number: str) -> Any:
    return present.ticket_card(current_user(request), number)


@router.patch("/tickets/{number}", response={200: TicketOut, **ERRORS}, summary="Изменить")
def patch_ticket(request: HttpRequest, number: str, payload: TicketPatchIn) -> Any:
    actor = current_user(request)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    ticket = services.ticket_update(
        actor=actor, number=number, version=version, patch=services.TicketPatch(**changes)
    )
    return present.ticket_card(actor, ticket.number)


@router.post(
    "/tickets/{number}/transitions", response={200: TicketOut, **ERRORS}, summary="Сменить статус"
)
def transition_ticket(request: HttpRequest, number: str, payload: TransitionIn) -> Any:
    actor = current_user(request)
    ticket = services.ticket_transition(
        actor=actor,
        number=number,
        status=payload.status,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return present.ticket_card(actor, ticket.number)


@router.get(
    "/tickets/{number}/transitions",
    response={200: list[StatusOut], **ERRORS},
    summary="Доступные статусы",
)
def allowed_transitions(request: HttpRequest, number: str) -> Any:
    actor = current_user(request)
    ticket = selectors.access_ticket(actor, number)
    return [
        {"code": s.code, "name": s.name, "category": s.category}
        for s in services.allowed_statuses(ticket, actor)
    ]


@router.post(
    "/tickets/{number}/take", response={200: TicketOut, **ERRORS}, summary="Взять в работу"
)
def take_ticket(request: HttpRequest, number: str) -> Any:
    actor = current_user(request)
    ticket = services.ticket_take(actor=actor, number=number)
    return present.ticket_card(actor, ticket.number)


@router.post(
    "/tickets/{number}/priority", response={200: TicketOut, **ERRORS}, summary="Повысить приоритет"
)
def raise_priority(request: HttpRequest, number: str, payload: PriorityIn) -> Any:
    actor = current_user(request)
    ticket = services.ticket_raise_priority(
        actor=actor,
        number=number,
        sla_level=payload.sla_level,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return present.ticket_card(actor, ticket.number)


@router.get(
    "/tickets/{number}/comments", response={200: list[CommentOut], **ERRORS}, summary="Переписка"
)
def list_comments(request: HttpRequest, number: str) -> Any:
    actor = current_user(request)
    ticket = selectors.access_ticket(actor, number)
    staff = actor.is_support_staff
    return [
        present.comment_out(c, include_internal_files=staff)
        for c in selectors.visible_comments(actor, ticket)
    ]


@router.post("/tickets/{number}/comments", response={201: CommentOut, **ERRORS}, summary="Ответить")
def add_comment(request: HttpRequest, number: str, payload: CommentIn) -> Any:
    actor = current_user(request)
    comment = services.ticket_comment(
        actor=actor,
        number=number,
        body=payload.body,
        is_public=payload.public,
        channel=Channel.PORTAL if actor.client_id else Channel.API,
        expected_version=payload.version,
    )
    return Status(201, present.comment_out(comment, include_internal_files=True))


@router.get("/tickets/{number}/events", response={200: list[EventOut], **ERRORS}, summary="История")
def list_events(request: HttpRequest, number: str) -> Any:
    actor = current_user(request)
    ticket = selectors.access_ticket(actor, number)
    return [present.event_out(e) for e in selectors.visible_events(actor, ticket)]


@router.get(
    "/tickets/{number}/attachments",
    response={200: list[AttachmentOut], **ERRORS},
    summary="Вложения",
)
def list_attachments(request: HttpRequest, number: str) -> Any:
    actor = current_user(request)
    ticket = selectors.access_ticket(actor, number)
    attachments = ticket.attachments.all()
    if actor.client_id is not None:
        attachments = attachments.filter(is_public=True)
    return [present.attachment_out(a) for a in attachments]


@router.post(
    "/tickets/{number}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Приложить файл",
)
def upload_attachment(
    request: HttpRequest,
    number: str,
    file: File[UploadedFile],
    public: Form[bool] = True,
) -> Any:
    attachment = services.ticket_attach(
        actor=current_user(request),
        number=number,
        content=file.open("rb"),
        filename=file.name or "",
        content_type=file.content_type or "",
        size=file.size or 0,
        is_public=public,
    )
    return Status(201, present.attachment_out(attachment))


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="attachment_download",
    summary="Скачать файл",
)
def download_attachment(request: HttpRequest, attachment_id: int) -> Any:
    actor = current_user(request)
    attachment = Attachment.objects.select_related("ticket").filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("Файл не найден")
    selectors.access_ticket(actor, attachment.ticket.number)
    if actor.client_id is not None and not attachment.is_public:
        raise NotFound("Файл не найден")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=download_content_type(attachment.filename, attachment.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
