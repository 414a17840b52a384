from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "servicedesk.ops"
    label = "ops"
    verbose_name = "Эксплуатация"

    def ready(self) -> None:
        from servicedesk.ops import metrics, requestid

        requestid.connect_signals()
        metrics.register_builtin_gauges()
