from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "servicedesk.core"
    label = "core"
    verbose_name = "Ядро"

    def ready(self) -> None:
        from servicedesk.core.pgtime import use_c_timestamps

        connection_created.connect(use_c_timestamps, dispatch_uid="core-c-timestamps")
