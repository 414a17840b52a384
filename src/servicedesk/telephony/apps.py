from django.apps import AppConfig


class TelephonyConfig(AppConfig):
    name = "servicedesk.telephony"
    label = "telephony"
    verbose_name = "Телефония"
