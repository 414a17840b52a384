from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


def _forget_rules(**_: Any) -> None:
    from servicedesk.routing.selectors import forget_cached_rules

    forget_cached_rules()  # other processes notice the edit within RECHECK_SECONDS


class RoutingConfig(AppConfig):
    name = "servicedesk.routing"
    label = "routing"
    verbose_name = "Маршрутизация и графики"

    def ready(self) -> None:
        from servicedesk.routing.models import RoutingRule

        post_save.connect(_forget_rules, sender=RoutingRule, dispatch_uid="routing-rule-saved")
        post_delete.connect(_forget_rules, sender=RoutingRule, dispatch_uid="routing-rule-gone")
        for relation in (RoutingRule.services, RoutingRule.clients, RoutingRule.outlets):
            m2m_changed.connect(_forget_rules, sender=relation.through, weak=False)
