from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "servicedesk.portal"
    label = "portal"
    verbose_name = "Портал клиента"
