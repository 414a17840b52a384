"""Checks shared by several ticket services; each raises a Russian DomainError."""

from __future__ import annotations

from servicedesk.accounts.models import Client, Contact, Outlet, SupportLine, User
from servicedesk.catalog.models import Service, SlaLevel
from servicedesk.catalog.selectors import effective_sla_level, service_with_level
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.core.queries import unique_row
from servicedesk.core.snapshots import snapshot
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.services.change import TicketChange

SUBJECT_MAX = 300
TEXT_MAX = 100_000


def require_text(value: str, *, field: str, label: str, maximum: int, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise ValidationFailed(f"Заполните поле «{label}»", field=field)
    if len(text) > maximum:
        raise ValidationFailed(
            f"Поле «{label}» длиннее {maximum} символов ({len(text)})", field=field
        )
    return text


def require_staff(actor: User | None, what: str) -> None:
    if actor is not None and not actor.is_support_staff:
        raise Forbidden(f"{what}: доступно только сотрудникам поддержки")


def service_by_code(code: str) -> Service:
    service = service_with_level(code)
    if service is None or not service.is_active:
        raise ValidationFailed(f"Услуга «{code}» не найдена в каталоге", field="service")
    return service


def level_by_code(code: str) -> SlaLevel:
    level = SlaLevel.objects.filter(code=code).first()
    if level is None:
        raise ValidationFailed(f"Уровень SLA «{code}» не найден", field="sla_level")
    return level


def outlet_of_client(client: Client, code: str) -> Outlet:
    outlet = Outlet.objects.filter(client=client, code=code).first()
    if outlet is None:
        raise ValidationFailed(
            f"Торговая точка «{code}» не найдена у клиента «{client.name}»", field="outlet"
        )
    return outlet


def contact_for_client(client: Client, contact_id: int) -> Contact:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise ValidationFailed(f"Контакт #{contact_id} не найден", field="requester")
    if contact.client_id not in (None, client.pk):
        raise ValidationFailed("Контакт относится к другому клиенту", field="requester")
    return contact


def staff_assignee(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None or not user.is_support_staff:
        raise ValidationFailed(
            f"Сотрудник «{username}» не найден среди сотрудников поддержки", field="assignee"
        )
    return user


def client_by_code(actor: User | None, code: str) -> Client:
    if actor is not None and actor.client_id is not None:
        if actor.client is None or actor.client.code != code:
            raise NotFound(f"Клиент «{code}» не найден", field="client")
        return actor.client
    client = _client_with_contract(code)
    if client is None:
        raise ValidationFailed(f"Клиент «{code}» не найден", field="client")
    if not client.is_active:
        raise ValidationFailed(f"Клиент «{client.name}» отключён", field="client")
    return client


@snapshot("accounts.Client", "accounts.Contract", "calendars.Calendar")
def _client_with_contract(code: str) -> Client | None:
    """Return the client with its contract and calendar (every new ticket reads them)."""
    return unique_row(Client.objects.select_related("contract__calendar").filter(code=code))


def default_line(client: Client, service: Service | None) -> str:
    if service is not None:
        return service.default_line
    contract = getattr(client, "contract", None)
    return SupportLine.L1 if contract is not None and contract.has_l1 else SupportLine.L2


def apply_line(change: TicketChange, line: str) -> None:
    """Set the line and flag (never refuse) a line the client has not bought."""
    if line not in SupportLine.values:
        raise ValidationFailed(f"Неизвестная линия поддержки «{line}»", field="line")
    change.set("line", line)
    contract = getattr(change.ticket.client, "contract", None)
    not_covered = contract is None or not contract.covers(line)
    if change.set("line_not_in_contract", not_covered) and not_covered:
        change.record(
            TicketEventType.LINE_NOT_IN_CONTRACT,
            {"line": line, "message": f"Клиент не покупал {line}: обращение принято и отмечено"},
        )


def apply_service(change: TicketChange, service: Service | None) -> None:
    """Set the service and the SLA level it carries; the raised priority does not survive."""
    ticket = change.ticket
    old_service = ticket.service
    old_level = ticket.sla_level
    level = effective_sla_level(service) if service is not None else None
    changed_service = change.set("service", service)
    changed_level = change.set("sla_level", level)
    change.set("priority_raised", False)
    if changed_service or changed_level:
        change.record(
            TicketEventType.SERVICE_CHANGED,
            {
                "service": {
                    "old": old_service.code if old_service else None,
                    "new": service.code if service else None,
                },
                "sla_level": {
                    "old": old_level.code if old_level else None,
                    "new": level.code if level else None,
                },
            },
        )
