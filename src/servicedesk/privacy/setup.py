"""Permissions the privacy and security records need: only the head reads the logs."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from servicedesk.accounts.roles import Role

HEAD_PERMISSIONS = [
    ("privacy", "view_personaldataaccess"),
    ("privacy", "view_anonymisationrun"),
    ("ops", "view_workerheartbeat"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),  # unlocking a locked-out login
    ("axes", "view_accessfailurelog"),
    ("otp_totp", "view_totpdevice"),
    ("otp_totp", "delete_totpdevice"),  # resetting a lost phone
]


def grant_privacy_permissions() -> str:
    """Give the head group read access to the logs and the right to unlock and reset."""
    group, _ = Group.objects.get_or_create(name=Role.HEAD.value)
    wanted = Q(pk__in=[])
    for app_label, codename in HEAD_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted))
    group.permissions.add(*permissions)
    return f"{len(permissions)} прав руководителю"
