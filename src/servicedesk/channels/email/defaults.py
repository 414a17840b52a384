"""The Russian notification templates the desk starts with (the head edits them later)."""

from __future__ import annotations

from typing import Final

from servicedesk.channels.email.models import EmailTemplate

DEFAULT_TEMPLATES: Final[dict[str, tuple[str, str]]] = {
    "received": (
        "{{ tag }} Обращение зарегистрировано: {{ subject }}",
        """{{ greeting }}

Ваше обращение зарегистрировано под номером {{ number }}.

Тема: {{ subject }}
Услуга: {{ service }}
Срок реакции: {{ reaction_due }}
Срок решения: {{ resolution_due }}

Следить за обращением: {{ link }}

Чтобы дополнить обращение, ответьте на это письмо, сохранив номер {{ tag }} в теме.

Служба поддержки Plas-Tek
""",
    ),
    "reply": (
        "{{ tag }} Ответ по обращению: {{ subject }}",
        """{{ greeting }}

{{ reply }}

{{ agent }}
Служба поддержки Plas-Tek

Обращение {{ number }}: {{ link }}
Чтобы ответить, просто ответьте на это письмо.
""",
    ),
    "resolved": (
        "{{ tag }} Обращение решено: {{ subject }}",
        """{{ greeting }}

Обращение {{ number }} «{{ subject }}» решено.

{{ reply }}

Если проблема осталась, просто ответьте на это письмо — обращение вернётся в работу.

Служба поддержки Plas-Tek
{{ link }}
""",
    ),
    "attachment_refused": (
        "{{ tag }} Вложение не принято: {{ subject }}",
        """{{ greeting }}

Ваше письмо принято к обращению {{ number }}, но эти файлы больше допустимых {{ limit }} МБ
и не сохранены:

{{ files }}

Пришлите их, пожалуйста, ссылкой на файлообменник или частями, ответив на это письмо.

Служба поддержки Plas-Tek
""",
    ),
}


def load_default_templates() -> str:
    """Create the templates that are missing; templates already there (edited) are kept."""
    created = 0
    for kind, (subject, body) in DEFAULT_TEMPLATES.items():
        _, made = EmailTemplate.objects.get_or_create(
            kind=kind, defaults={"subject": subject, "body": body}
        )
        created += made
    return f"создано {created}, всего {len(DEFAULT_TEMPLATES)}"
