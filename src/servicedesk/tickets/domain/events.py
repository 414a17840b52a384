"""The kinds of things that happen to a ticket; each is one immutable event."""

from __future__ import annotations

from enum import StrEnum


class TicketEventType(StrEnum):
    CREATED = "created"
    FIELDS_CHANGED = "fields_changed"
    STATUS_CHANGED = "status_changed"
    REOPENED = "reopened"
    ASSIGNED = "assigned"
    SERVICE_CHANGED = "service_changed"
    PRIORITY_RAISED = "priority_raised"
    COMMENTED = "commented"
    ATTACHMENT_ADDED = "attachment_added"
    LINE_NOT_IN_CONTRACT = "line_not_in_contract"
    FIRST_REACTION = "first_reaction"
    KNOWLEDGE_USED = "knowledge_used"
    MACRO_APPLIED = "macro_applied"
    ESCALATED = "escalated"
    MERGED = "merged"
    # Problems, mass incidents and development hand-offs (servicedesk.problems)
    PROBLEM_LINKED = "problem_linked"
    PROBLEM_UNLINKED = "problem_unlinked"
    MASS_INCIDENT_LINKED = "mass_incident_linked"
    MASS_INCIDENT_UNLINKED = "mass_incident_unlinked"
    HANDED_TO_DEVELOPMENT = "handed_to_development"
    DEVELOPMENT_STATE_UPDATED = "development_state_updated"
    RETURNED_FROM_DEVELOPMENT = "returned_from_development"
    # Telephony (servicedesk.telephony)
    CALL_LINKED = "call_linked"
    # work time (servicedesk.worklogs)
    WORKLOG_ADDED = "worklog_added"
    WORKLOG_CORRECTED = "worklog_corrected"
    WORKLOG_EXCESS_DECIDED = "worklog_excess_decided"
    ESTIMATE_PROPOSED = "estimate_proposed"
    ESTIMATE_DECIDED = "estimate_decided"
    ANONYMISED = "anonymised"
    # e-mail (servicedesk.channels)
    EMAIL_FAILED = "email_failed"
    # routing and classification (servicedesk.routing, servicedesk.classification)
    ROUTED = "routed"
    SERVICE_SUGGESTED = "service_suggested"
    SERVICE_CLASSIFIED = "service_classified"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self, self.value)


EVENT_LABELS = {
    TicketEventType.CREATED: "Создано",
    TicketEventType.FIELDS_CHANGED: "Изменены поля",
    TicketEventType.STATUS_CHANGED: "Изменён статус",
    TicketEventType.REOPENED: "Открыто повторно",
    TicketEventType.ASSIGNED: "Назначено",
    TicketEventType.SERVICE_CHANGED: "Изменена услуга",
    TicketEventType.PRIORITY_RAISED: "Повышен приоритет",
    TicketEventType.COMMENTED: "Комментарий",
    TicketEventType.ATTACHMENT_ADDED: "Добавлен файл",
    TicketEventType.LINE_NOT_IN_CONTRACT: "Линия не входит в договор",
    TicketEventType.FIRST_REACTION: "Первая реакция",
    TicketEventType.KNOWLEDGE_USED: "Использована статья базы знаний",
    TicketEventType.MACRO_APPLIED: "Применён шаблон ответа",
    TicketEventType.ESCALATED: "Эскалация",
    TicketEventType.MERGED: "Объединение дубликатов",
    TicketEventType.PROBLEM_LINKED: "Связано с проблемой",
    TicketEventType.PROBLEM_UNLINKED: "Отвязано от проблемы",
    TicketEventType.MASS_INCIDENT_LINKED: "Связано с массовым инцидентом",
    TicketEventType.MASS_INCIDENT_UNLINKED: "Отвязано от массового инцидента",
    TicketEventType.HANDED_TO_DEVELOPMENT: "Передано в разработку",
    TicketEventType.DEVELOPMENT_STATE_UPDATED: "Обновлено состояние в разработке",
    TicketEventType.RETURNED_FROM_DEVELOPMENT: "Возвращено из разработки",
    TicketEventType.CALL_LINKED: "Связано со звонком",
    TicketEventType.WORKLOG_ADDED: "Списано время",
    TicketEventType.WORKLOG_CORRECTED: "Исправлено списание времени",
    TicketEventType.WORKLOG_EXCESS_DECIDED: "Решение о превышении оценки",
    TicketEventType.ESTIMATE_PROPOSED: "Предложена оценка трудозатрат",
    TicketEventType.ESTIMATE_DECIDED: "Решение клиента по оценке",
    TicketEventType.ANONYMISED: "Персональные данные обезличены",
    TicketEventType.EMAIL_FAILED: "Письмо не отправлено",
    TicketEventType.ROUTED: "Маршрутизация",
    TicketEventType.SERVICE_SUGGESTED: "Классификатор предложил услуги",
    TicketEventType.SERVICE_CLASSIFIED: "Услуга определена классификатором",
}
