"""Calendar endpoints: the documented JSON format, read by anyone, replaced by the head."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router

from servicedesk.accounts.roles import Capability
from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS
from servicedesk.calendars.domain.business_time import CalendarError
from servicedesk.calendars.models import Calendar
from servicedesk.calendars.services import calendar_export, calendar_import
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed

router = Router(tags=["Календари"])


@router.get("/calendars/{code}", response={200: dict[str, Any], **ERRORS}, summary="Календарь")
def get_calendar(request: HttpRequest, code: str) -> Any:
    calendar = Calendar.objects.filter(code=code).first()
    if calendar is None:
        raise NotFound(f"Календарь «{code}» не найден")
    return calendar_export(calendar)


@router.put(
    "/calendars/{code}", response={200: dict[str, Any], **ERRORS}, summary="Заменить календарь"
)
def put_calendar(request: HttpRequest, code: str, document: Body[dict[str, Any]]) -> Any:
    if not current_user(request).can(Capability.CONFIGURE):
        raise Forbidden("Календари меняет руководитель")
    if document.get("code") != code:
        raise ValidationFailed("Код в адресе и в документе должны совпадать", field="code")
    try:
        calendar, _ = calendar_import(document)
    except CalendarError as error:
        raise ValidationFailed(str(error), field=error.path or None) from error
    return calendar_export(calendar)
