"""The project's URLs plus Django's standard LoginView at /login/, as the workspace will have."""

from django.contrib.auth.views import LoginView
from django.urls import path

from servicedesk.config.urls import urlpatterns as project_urls

urlpatterns = [
    path("login/", LoginView.as_view(template_name="security/base.html"), name="login"),
    *project_urls,
]
