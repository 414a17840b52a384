from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "servicedesk.catalog"
    label = "catalog"
    verbose_name = "Каталог услуг"

    def ready(self) -> None:
        from servicedesk.catalog import checks  # noqa: F401  (registers the checks)
