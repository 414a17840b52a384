from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "servicedesk.security"
    label = "security"
    verbose_name = "Безопасность"
