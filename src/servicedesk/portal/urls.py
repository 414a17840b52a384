"""The client portal and the guest's secret link."""

from __future__ import annotations

from django.urls import path

from servicedesk.portal import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.ticket_list, name="list"),
    path("portal/new/", views.ticket_new, name="new"),
    path("portal/preview/", views.service_preview, name="preview"),
    path("portal/<str:number>/", views.ticket_detail, name="detail"),
    path("portal/<str:number>/reply/", views.ticket_reply_view, name="reply"),
    path("portal/<str:number>/status/", views.ticket_status, name="status"),
    path("t/<str:token>/", views.guest_ticket, name="guest"),
    path("t/<str:token>/files/<int:attachment_id>/", views.guest_file, name="guest_file"),
]
