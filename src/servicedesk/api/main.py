"""The NinjaAPI instance behind /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

from servicedesk.accounts.api import router as accounts_router
from servicedesk.api.auth import BrowserSessionAuth, TokenAuth
from servicedesk.api.errors import install_error_handlers
from servicedesk.api.parser import TextParser
from servicedesk.api.renderers import ReadableJSONRenderer
from servicedesk.calendars.api import router as calendars_router
from servicedesk.catalog.api import router as catalog_router
from servicedesk.channels.email.api import router as email_router
from servicedesk.classification.api import router as classification_router
from servicedesk.knowledge.api import router as knowledge_router
from servicedesk.privacy.api import router as privacy_router
from servicedesk.problems.api import router as problems_router
from servicedesk.reports.api import router as reports_router
from servicedesk.routing.api import router as routing_router
from servicedesk.security import api as security_api
from servicedesk.sla.api import router as sla_router
from servicedesk.telephony.api import router as telephony_router
from servicedesk.tickets.api.router import router as tickets_router
from servicedesk.worklogs.api import router as worklogs_router

api = NinjaAPI(
    title="Plas-Tek Service Desk API",
    version="1",
    description=(
        "REST API службы поддержки Plas-Tek. Авторизация: `Authorization: Bearer <токен>` "
        "(`manage.py issue_token ЛОГИН`) или сессия браузера. Ошибки — JSON с полями "
        "`code`, `message`, `detail[]` (сообщения на русском)."
    ),
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="api-v1",
    renderer=ReadableJSONRenderer(),
    parser=TextParser(),
)
install_error_handlers(api)
api.add_router("", tickets_router)
api.add_router("", catalog_router)
api.add_router("", accounts_router)
api.add_router("", sla_router)
api.add_router("", calendars_router)
api.add_router("", knowledge_router)
api.add_router("", problems_router)
api.add_router("", telephony_router)
api.add_router("", worklogs_router)
api.add_router("", reports_router)
api.add_router("", security_api.router)
api.add_router("", privacy_router)
api.add_router("", email_router)
api.add_router("", routing_router)
api.add_router("", classification_router)
security_api.install(api)
