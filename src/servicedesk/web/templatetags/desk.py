"""Template helpers of the workspace: SLA badges, due phrases, message bodies, sidebar."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability, Role
from servicedesk.channels.email.quotes import split_quoted as split_mail_quote
from servicedesk.core import clock
from servicedesk.tickets.domain.quotes import SplitBody
from servicedesk.web import format as fmt
from servicedesk.web import sla_view

register = template.Library()

STATE_CLASSES = {"breached": "breached", "paused": "paused", "met": "met", "cancelled": "paused"}
SHORT_LABELS = {"acknowledgement": "Подтв.", "reaction": "Реакц.", "resolution": "Реш."}


@register.filter
def duration(seconds: int | None) -> str:
    return fmt.format_duration(seconds or 0)


@register.filter
def due(value: Any) -> str:
    """Render a due time relative to now in the display time zone: `завтра 12:00`."""
    if value is None:
        return "—"
    zone = timezone.get_current_timezone()
    return fmt.due_phrase(
        value, clock.now(), zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC")
    )


@register.filter
def clocks_of(clocks: Mapping[int, Sequence[sla_view.ClockView]] | None, pk: int) -> Sequence[Any]:
    return (clocks or {}).get(pk, ())


@register.filter
def item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """Return `mapping[key]`, or an empty list when it is missing."""
    return (mapping or {}).get(key, [])


@register.filter
def minutes(value: int | None) -> str:
    return fmt.format_duration((value or 0) * 60)


@register.filter
def open_clocks(clocks: Sequence[sla_view.ClockView] | None) -> list[sla_view.ClockView]:
    """Return the clocks a queue row needs: the ones not met (a met clock is just ✓)."""
    return [c for c in clocks or () if c.state not in ("met", "cancelled")]


@register.filter
def sla_class(clock_view: sla_view.ClockView) -> str:
    """Return the badge colour: red breached, amber at risk, grey paused, green met."""
    if clock_view.state in STATE_CLASSES:
        return STATE_CLASSES[clock_view.state]
    return "risk" if clock_view.at_risk else "running"


@register.filter
def short_label(clock_view: sla_view.ClockView) -> str:
    return SHORT_LABELS.get(clock_view.target, clock_view.label)


@register.filter
def role_label(code: str) -> str:
    """Return the Russian name of a role queue code (`sql_engineer` → «Инженер SQL»)."""
    try:
        return Role(code).label
    except ValueError:
        return code or "—"


@register.filter
def split_quote(body: str) -> SplitBody:
    """Split a message into what was written and the quoted history (folded on the page).

    Uses the e-mail channel's splitter, the one intake used to record
    `InboundMessage.quote_start`, so e-mail text folds exactly where intake marked it.
    """
    visible, quoted = split_mail_quote(body or "")
    return SplitBody(visible=visible, quoted=quoted)


_TICKET_REF = re.compile(r"\b(SD-\d{1,12})\b")


@register.filter(needs_autoescape=False)
def message_text(text: str, link_tickets: bool = False) -> SafeString:
    """Escape a message, keep its line breaks, and (for staff) link ticket numbers."""
    html = str(escape(text or ""))
    if link_tickets:
        html = _TICKET_REF.sub(
            lambda m: f'<a href="{reverse("tickets:detail", args=[m.group(1)])}">{m.group(1)}</a>',
            html,
        )
    return mark_safe(html.replace("\n", "<br>"))


@register.filter
def filesize(size: int | None) -> str:
    value = int(size or 0)
    if value < 1024:
        return f"{value} Б"
    if value < 1024 * 1024:
        return f"{value / 1024:.0f} КБ"
    return f"{value / (1024 * 1024):.1f} МБ"


@register.inclusion_tag("web/_sidebar.html", takes_context=True)
def sidebar(context: template.Context) -> dict[str, Any]:
    """Render the staff sidebar: queues, per-role queues, saved filters.

    The counts arrive by a separate request (`web:queue_counts`) right after the page,
    so no page waits for them and they refresh every minute on their own.
    """
    from servicedesk.web.selectors import saved_filters

    request: HttpRequest = context["request"]
    user = request.user
    if not isinstance(user, User):
        return {"queues": []}
    menu = queue_menu(
        user,
        counts=None,
        current_queue=request.GET.get("queue", ""),
        current_role=request.GET.get("role_queue", ""),
    )
    return menu | {
        "request": request,
        "saved": saved_filters(user),
        "path": request.path,
        "can_view_reports": user.can(Capability.VIEW_REPORTS),
    }


def queue_menu(
    user: User, *, counts: dict[str, int] | None, current_queue: str, current_role: str
) -> dict[str, Any]:
    """Return what the queue list of the sidebar shows (with counts when known)."""
    from servicedesk.tickets.selectors import Queue

    return {
        "queues": [(queue, (counts or {}).get(queue.value)) for queue in Queue],
        "roles": sorted(user.roles, key=lambda role: role.label),
        "current_queue": current_queue,
        "current_role": current_role,
        "counted": counts is not None,
    }


@register.simple_tag
def unread_count(user: User) -> int:
    return sla_view.unread_notification_count(user)
