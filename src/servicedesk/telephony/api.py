"""Telephony endpoints: our webhook, vendor adapters, pop-ups, call links, call-backs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Router

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability
from servicedesk.api.auth import TokenAuth, current_user
from servicedesk.api.schemas import ERRORS
from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.telephony import present, selectors, services
from servicedesk.telephony.domain.calls import CallEventData, CallEventKind, Direction
from servicedesk.telephony.domain.mango import mango_events, mango_signature_valid
from servicedesk.telephony.domain.vendors import MappingError
from servicedesk.telephony.domain.zadarma import zadarma_events, zadarma_signature_valid
from servicedesk.telephony.schemas import (
    CallbackAttemptOut,
    CallbackIn,
    CallbackOut,
    CallEventIn,
    CallEventOut,
    CallOut,
    CallTicketIn,
    CallTicketOut,
    PopupEnvelope,
)
from servicedesk.telephony.services.calls import popup_mark_shown

router = Router(tags=["Телефония"])


def _staff(request: HttpRequest) -> User:
    user = current_user(request)
    if not user.is_support_staff:
        raise Forbidden("Телефония: доступно только сотрудникам поддержки")
    return user


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return clock.now()
    if value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value


def _receive(events: list[CallEventData], source: str, raw: dict[str, Any]) -> list[dict[str, Any]]:
    answers = []
    for event in events:
        outcome = services.call_event_receive(event=event, source=source, raw=raw)
        answers.append({"duplicate": outcome.duplicate, **outcome.result})
    return answers


@router.post(
    "/telephony/events",
    response={200: CallEventOut, **ERRORS},
    auth=TokenAuth(),
    summary="Событие звонка от АТС (наша схема)",
)
def call_event(request: HttpRequest, payload: CallEventIn) -> Any:
    user = current_user(request)
    config = selectors.telephony_settings()
    if user.pk != config.webhook_user_id and not user.can(Capability.MANAGE_CHANNELS):
        raise Forbidden("Этот токен не принадлежит технической учётной записи телефонии")
    event = CallEventData(
        call_id=payload.callId,
        kind=CallEventKind(payload.event),
        at=_aware(payload.timestamp),
        from_number=payload.from_,
        to_number=payload.to,
        direction=Direction(payload.direction) if payload.direction else None,
        queue=payload.queue,
        extension=payload.extension.strip(),
        cause=payload.cause,
        duration=payload.duration,
        recording_url=payload.recordingUrl,
    )
    raw = payload.model_dump(by_alias=True, mode="json")
    return _receive([event], "webhook", raw)[0]


def _form_json(request: HttpRequest) -> tuple[str, dict[str, Any]]:
    text = request.POST.get("json", "")
    try:
        payload = json.loads(text)
    except ValueError as error:
        raise ValidationFailed("Поле json: некорректный JSON", field="json") from error
    if not isinstance(payload, dict):
        raise ValidationFailed("Поле json должно содержать объект", field="json")
    return text, payload


@router.post(
    "/telephony/mango/events/{kind}",
    response={200: None, **ERRORS},
    auth=None,
    summary="Mango Office: уведомления API Realtime (call, summary, recording)",
)
def mango_event(request: HttpRequest, kind: str) -> Any:
    config = selectors.telephony_settings()
    text = request.POST.get("json", "")
    if not mango_signature_valid(
        api_key=request.POST.get("vpbx_api_key", ""),
        sign=request.POST.get("sign", ""),
        json_text=text,
        expected_key=config.mango_api_key,
        salt=config.mango_api_salt,
    ):
        raise Forbidden("Подпись Mango Office не сходится (или ключи не настроены)")
    _, payload = _form_json(request)
    try:
        events = mango_events(kind, payload, received_at=clock.now())
    except MappingError as error:
        raise ValidationFailed(str(error), field="json") from error
    _receive(events, "mango", {"kind": kind, "json": payload})
    return HttpResponse(status=200)


@router.get(
    "/telephony/zadarma/events",
    response={200: None, **ERRORS},
    auth=None,
    summary="Zadarma: проверка адреса (zd_echo)",
)
def zadarma_echo(request: HttpRequest, zd_echo: str = "") -> Any:
    response = HttpResponse(zd_echo[:200], content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/telephony/zadarma/events",
    response={200: None, **ERRORS},
    auth=None,
    summary="Zadarma: уведомления о звонках (NOTIFY_*)",
)
def zadarma_event(request: HttpRequest) -> Any:
    config = selectors.telephony_settings()
    data = {key: request.POST.get(key, "") for key in request.POST}
    if not zadarma_signature_valid(
        data, request.headers.get("Signature", ""), config.zadarma_api_secret
    ):
        if data.get("event", "").startswith("NOTIFY_") or not config.zadarma_api_secret:
            raise Forbidden("Подпись Zadarma не сходится (или секрет не настроен)")
        return HttpResponse(status=200)  # an event we neither sign-check nor use
    try:
        events = zadarma_events(data, received_at=clock.now(), zone=ZoneInfo(settings.TIME_ZONE))
    except MappingError as error:
        raise ValidationFailed(str(error), field="event") from error
    _receive(events, "zadarma", data)
    return HttpResponse(status=200)


@router.get(
    "/telephony/popup",
    response={200: PopupEnvelope, **ERRORS},
    summary="Текущий звонок для моего внутреннего номера (всплывающая карточка)",
)
def popup(request: HttpRequest) -> Any:
    popup = selectors.pending_popup(_staff(request))
    if popup is None:
        return {"popup": None}
    card = selectors.caller_card(popup.call)
    popup_mark_shown(popup)
    return {"popup": present.popup_out(popup, card)}


@router.post(
    "/telephony/popup/{popup_id}/dismiss",
    response={200: PopupEnvelope, **ERRORS},
    summary="Закрыть всплывающую карточку",
)
def dismiss_popup(request: HttpRequest, popup_id: int) -> Any:
    services.popup_dismiss(actor=_staff(request), popup_id=popup_id)
    return {"popup": None}


@router.get("/telephony/calls", response={200: list[CallOut], **ERRORS}, summary="Журнал звонков")
def list_calls(request: HttpRequest, limit: int = 100) -> Any:
    _staff(request)
    calls = selectors.recent_calls(max(1, min(limit, 500)))
    return [present.call_out(call) for call in calls.prefetch_related("ticket_links__ticket")]


@router.get(
    "/telephony/calls/{path:call_id}/recording",
    response={200: None, **ERRORS},
    url_name="call_recording",
    summary="Скачать запись звонка",
)
def call_recording(request: HttpRequest, call_id: str) -> Any:
    _staff(request)
    call = selectors.call_by_id(call_id)
    if not call.recording:
        raise NotFound("Записи этого звонка нет")
    response = FileResponse(
        call.recording.open("rb"),
        as_attachment=True,
        filename=f"call{call.pk}{call.recording.name[call.recording.name.rfind('.') :]}",
        content_type=call.recording_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/telephony/calls/{path:call_id}/link",
    response={200: CallTicketOut, **ERRORS},
    summary="Связать звонок с обращением",
)
def link_call(request: HttpRequest, call_id: str, payload: CallTicketIn) -> Any:
    link = services.call_link_ticket(
        actor=_staff(request), call_id=call_id, ticket_number=payload.ticket
    )
    link.refresh_from_db()
    return {
        "call": link.call.call_id,
        "ticket": link.ticket.display_number,
        "linked_at": link.linked_at,
        "recording_attached": link.recording_attached_at is not None,
    }


@router.get("/telephony/calls/{path:call_id}", response={200: CallOut, **ERRORS}, summary="Звонок")
def get_call(request: HttpRequest, call_id: str) -> Any:
    _staff(request)
    return present.call_out(selectors.call_by_id(call_id))


@router.get(
    "/telephony/callbacks",
    response={200: list[CallbackOut], **ERRORS},
    summary="Очередь перезвона (пропущенные звонки)",
)
def callbacks(request: HttpRequest) -> Any:
    _staff(request)
    return [present.callback_out(item) for item in selectors.callback_queue()]


@router.post(
    "/telephony/callbacks/{path:call_id}",
    response={200: CallbackAttemptOut, **ERRORS},
    summary="Отметить попытку перезвонить",
)
def mark_callback(request: HttpRequest, call_id: str, payload: CallbackIn) -> Any:
    attempt = services.callback_mark(
        actor=_staff(request), call_id=call_id, reached=payload.reached, note=payload.note
    )
    return {
        "call": call_id,
        "reached": attempt.reached,
        "note": attempt.note,
        "at": attempt.at,
        "queue_left": attempt.reached,
    }
