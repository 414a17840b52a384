"""Sign-in, the home page and saved filters."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from servicedesk.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="web/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="web/password_change_done.html"),
        name="password_change_done",
    ),
    path("queues/counts/", views.queue_menu_counts, name="queue_counts"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("filters/", views.saved_filter_create, name="saved_filter_save"),
    path("filters/<int:pk>/delete/", views.saved_filter_remove, name="saved_filter_delete"),
    path("i18n/", include("django.conf.urls.i18n")),
]
