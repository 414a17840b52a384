from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "servicedesk.calendars"
    label = "calendars"
    verbose_name = "Календари"
