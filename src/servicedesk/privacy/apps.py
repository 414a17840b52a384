from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "servicedesk.privacy"
    label = "privacy"
    verbose_name = "Персональные данные"
