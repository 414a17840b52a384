"""URL map: admin, API v1, and the web UI."""

from django.contrib import admin
from django.urls import include, path

from servicedesk.api.main import api
from servicedesk.core import views as core_views

handler404 = "servicedesk.api.errors.page_not_found"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("kb/", include("servicedesk.knowledge.urls")),
    path("", include("servicedesk.ops.urls")),  # /readyz, /metrics
    path("account/2fa/", include("servicedesk.security.urls")),
    path("", include("servicedesk.web.urls")),
    path("", include("servicedesk.tickets.urls")),
    path("", include("servicedesk.portal.urls")),
    path("telephony/", include("servicedesk.telephony.urls")),
    path("reports/", include("servicedesk.reports.urls")),
    path("worklogs/", include("servicedesk.worklogs.urls")),
]
