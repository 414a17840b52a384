"""Create the five role groups with the admin permissions each role needs."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from servicedesk.accounts.roles import Role

OUR_APPS = (
    "accounts",
    "calendars",
    "catalog",
    "tickets",
    "sla",
    "channels",
    "routing",
    "classification",
    "reports",
    "problems",
    "telephony",
    "knowledge",
    "core",
)

# Every staff role reads everything of ours in the admin and works tickets there;
# configuration (catalogue, calendars, SLA, routing, people) is the head's.
_WORK = [
    ("tickets", "change_ticket"),
    ("tickets", "add_ticket"),
    ("tickets", "add_comment"),
    ("tickets", "add_attachment"),
    ("accounts", "add_contact"),
    ("accounts", "change_contact"),
    ("accounts", "add_contactphone"),
    ("accounts", "add_contactcard"),
    ("accounts", "add_contactemail"),
]
_EXTRA: dict[Role, list[tuple[str, str]]] = {
    Role.SYSADMIN: [
        ("channels", "add_mailbox"),
        ("channels", "change_mailbox"),
        ("telephony", "add_telephonysettings"),
        ("telephony", "change_telephonysettings"),
    ],
    Role.SERVICE_MANAGER: [
        ("problems", "add_problem"),
        ("problems", "change_problem"),
        ("problems", "change_massincident"),
    ],
}


def setup_role_groups() -> None:
    """Create or refresh the groups named after the role codes."""
    ours = Q(content_type__app_label__in=OUR_APPS)
    view_all = Permission.objects.filter(ours, codename__startswith="view_")
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.HEAD:
            group.permissions.set(
                Permission.objects.filter(ours | Q(content_type__app_label="auth"))
            )
            continue
        wanted = Q()
        for app_label, codename in _WORK + _EXTRA.get(role, []):
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(list(view_all) + list(Permission.objects.filter(wanted)))
