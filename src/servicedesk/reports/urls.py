"""Report pages under /reports/."""

from django.urls import path

from servicedesk.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("sla/", views.report_page, {"kind": "sla"}, name="sla"),
    path("backlog/", views.report_page, {"kind": "backlog"}, name="backlog"),
    path("load/", views.report_page, {"kind": "load"}, name="load"),
    path("billing/", views.report_page, {"kind": "billing"}, name="billing"),
    path("billing/close/", views.billing_close, name="billing_close"),
    path("mix/", views.report_page, {"kind": "mix"}, name="mix"),
]
