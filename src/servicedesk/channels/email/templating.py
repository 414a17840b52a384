"""Notification templates: ``{{ name }}`` placeholders filled with plain strings.

Templates are edited by people in the admin, so they are data, not code: no
template engine, no attribute access, no filters, no loops. A placeholder names
one value from a fixed list per notification kind; anything else is refused when
the template is saved. Values are inserted as they are (the mail is plain text);
in a subject, line breaks in values become spaces so a header cannot be split.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

_PLACEHOLDER: Final = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_LINE_BREAKS: Final = re.compile(r"[\r\n]+\s*")
# Anything that looks like template-engine syntax but is not a plain placeholder.
_CONSTRUCT: Final = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)

COMMON: Final = {
    "number": "номер обращения, SD-000123",
    "tag": "метка для темы, [SD-000123]",
    "subject": "тема обращения",
    "requester": "имя заявителя (может быть пустым)",
    "greeting": "приветствие: «Здравствуйте, Имя!» или «Здравствуйте!»",
    "link": "секретная ссылка на обращение для заявителя",
    "site_url": "адрес службы поддержки",
}

PLACEHOLDERS: Final[dict[str, dict[str, str]]] = {
    "received": COMMON
    | {
        "service": "услуга (или «будет определена специалистом»)",
        "reaction_due": "срок реакции по SLA",
        "resolution_due": "срок решения по SLA",
    },
    "reply": COMMON | {"reply": "текст ответа сотрудника", "agent": "имя сотрудника"},
    "resolved": COMMON
    | {"reply": "текст ответа, отправленного вместе с решением (может быть пустым)"},
    "attachment_refused": COMMON
    | {"files": "список непринятых файлов с размерами", "limit": "допустимый размер, МБ"},
}


def placeholders_in(template: str) -> list[str]:
    """Return the placeholder names used in `template`, in order of first use."""
    return list(dict.fromkeys(match.group(1) for match in _PLACEHOLDER.finditer(template)))


def unknown_placeholders(template: str, kind: str) -> list[str]:
    """Return the placeholders of `template` that a `kind` notification does not provide."""
    allowed = PLACEHOLDERS.get(kind, COMMON)
    return [name for name in placeholders_in(template) if name not in allowed]


def unsupported_constructs(template: str) -> list[str]:
    """Return the ``{{ … }}`` and ``{% … %}`` pieces that are not plain placeholders."""
    return [
        match.group(0)
        for match in _CONSTRUCT.finditer(template)
        if not _PLACEHOLDER.fullmatch(match.group(0))
    ]


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the placeholders; an unknown one renders empty (saving refuses it anyway)."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), template)


def render_subject(template: str, values: Mapping[str, str]) -> str:
    """Fill a subject template; the result is one line without surrounding spaces."""
    one_line = {name: _LINE_BREAKS.sub(" ", value) for name, value in values.items()}
    return " ".join(render(template, one_line).split())
