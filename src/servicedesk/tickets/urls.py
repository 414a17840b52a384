"""The workspace's ticket pages: queues, the ticket and its actions, the call card."""

from __future__ import annotations

from django.urls import path

from servicedesk.tickets.views import actions, calls, detail, queue

app_name = "tickets"

urlpatterns = [
    path("tickets/", queue.ticket_queue, name="queue"),
    path("tickets/<str:number>/", detail.ticket_detail, name="detail"),
    path("tickets/<str:number>/header/", detail.ticket_header, name="header"),
    path("tickets/<str:number>/take/", actions.take, name="take"),
    path("tickets/<str:number>/assign/", actions.assign, name="assign"),
    path("tickets/<str:number>/service/", actions.set_service, name="service"),
    path("tickets/<str:number>/service/preview/", actions.service_preview, name="service_preview"),
    path("tickets/<str:number>/priority/", actions.raise_priority, name="priority"),
    path("tickets/<str:number>/status/", actions.transition, name="status"),
    path("tickets/<str:number>/escalate/", actions.escalate, name="escalate"),
    path(
        "tickets/<str:number>/escalate/development/",
        actions.escalate_to_development,
        name="escalate_development",
    ),
    path("tickets/<str:number>/merge/", actions.merge, name="merge"),
    path("tickets/<str:number>/reply/", actions.reply, name="reply"),
    path("calls/new/", calls.call_new, name="call_new"),
    path("calls/lookup/", calls.call_lookup, name="call_lookup"),
    path("calls/pick/", calls.call_pick, name="call_pick"),
    path("calls/contact/", calls.call_contact, name="call_contact"),
    path("calls/preview/", calls.call_preview, name="call_preview"),
]
