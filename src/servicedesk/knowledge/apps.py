from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "servicedesk.knowledge"
    label = "knowledge"
    verbose_name = "База знаний"
