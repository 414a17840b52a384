from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "servicedesk.web"
    label = "web"
    verbose_name = "Рабочее место"
