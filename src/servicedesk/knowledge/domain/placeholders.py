"""Reply templates: `{{ name }}` placeholders filled in one pass, never evaluated.

Values are inserted as they are: a requester called "{{ ticket_number }}" or
"<script>" stays exactly that text (the reply is plain text; pages escape it), and a
placeholder that is not in the list stays in the reply literally.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDERS: dict[str, str] = {
    "requester_name": "имя заявителя",
    "ticket_number": "номер обращения",
    "reaction_due": "срок реакции",
    "resolution_due": "срок решения",
    "client": "клиент",
    "service": "услуга",
    "agent_name": "имя сотрудника",
}

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def placeholders_in(template: str) -> list[str]:
    """Return the placeholder names used in `template`, in order of first use."""
    return list(dict.fromkeys(match.group(1) for match in _PLACEHOLDER.finditer(template)))


def unknown_placeholders(template: str) -> list[str]:
    """Return the names in `template` that are not placeholders we can fill."""
    return [name for name in placeholders_in(template) if name not in PLACEHOLDERS]


def render_placeholders(template: str, values: Mapping[str, str]) -> str:
    """Fill known placeholders with `values`; leave anything else literally as written."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values and name in PLACEHOLDERS else match.group(0)

    return _PLACEHOLDER.sub(fill, template)
