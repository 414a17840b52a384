"""URL map: admin, API v1, and the web UI."""

from django.contrib import admin
from django.urls import include, path

from servicedesk.api.main import api
from servicedesk.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("kb/", include("servicedesk.knowledge.urls")),
    path("telephony/", include("servicedesk.telephony.urls")),
]
