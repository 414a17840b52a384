"""Work-time pages and partials under /worklogs/."""

from django.urls import path

from servicedesk.worklogs import views

app_name = "worklogs"

urlpatterns = [
    path("approvals/", views.approvals, name="approvals"),
    path("<int:worklog_id>/excess/", views.excess_decision, name="excess_decision"),
    path("<int:worklog_id>/correct/", views.worklog_correct, name="correct"),
    path("tickets/<str:number>/", views.ticket_work, name="ticket"),
    path("tickets/<str:number>/panel/", views.ticket_panel, name="ticket_panel"),
    path("tickets/<str:number>/add/", views.worklog_create, name="add"),
    path("tickets/<str:number>/estimates/", views.estimate_create, name="estimate_create"),
    path(
        "tickets/<str:number>/estimates/<int:estimate_id>/decision/",
        views.estimate_decision,
        name="estimate_decision",
    ),
    path("clients/<slug:code>/consultation/", views.consultation, name="consultation"),
]
