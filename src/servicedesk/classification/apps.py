from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "servicedesk.classification"
    label = "classification"
    verbose_name = "Классификация обращений"
