from django.apps import AppConfig


class WorklogsConfig(AppConfig):
    name = "servicedesk.worklogs"
    label = "worklogs"
    verbose_name = "Трудозатраты"
