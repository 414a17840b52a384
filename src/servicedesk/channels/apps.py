from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "servicedesk.channels"
    label = "channels"
    verbose_name = "Каналы: почта"
