"""Normalise phone and loyalty-card numbers so lookups match however they were typed."""

from __future__ import annotations

import re

import phonenumbers

_NON_DIGITS = re.compile(r"\D+")
_MIN_CARD_DIGITS = 6
_MAX_CARD_DIGITS = 20
_MAX_EXTENSION_DIGITS = 6


class InvalidIdentifier(ValueError):
    """A phone or card number that cannot be normalised."""


def normalise_phone(raw: str, region: str = "RU") -> str:
    """Return the E.164 form (`+79161234567`), or the digits of a short internal extension.

    `8 (916) 123-45-67`, `+7 916 123 45 67` and `79161234567` all give `+79161234567`.
    """
    text = raw.strip()
    digits = _NON_DIGITS.sub("", text)
    if not digits:
        raise InvalidIdentifier("Номер телефона не содержит цифр")
    if len(digits) <= _MAX_EXTENSION_DIGITS and not text.startswith("+"):
        return digits
    if len(digits) == 11 and digits[0] in "78" and not text.startswith("+"):
        text = "+7" + digits[1:]
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidIdentifier(f"Не удалось разобрать номер телефона «{raw}»") from error
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidIdentifier(f"Номер телефона «{raw}» невозможен")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalise_card(raw: str) -> str:
    """Return the digits of a loyalty card number typed with spaces or dashes."""
    digits = _NON_DIGITS.sub("", raw)
    if not _MIN_CARD_DIGITS <= len(digits) <= _MAX_CARD_DIGITS:
        raise InvalidIdentifier(
            f"Номер карты должен содержать от {_MIN_CARD_DIGITS} до {_MAX_CARD_DIGITS} цифр"
        )
    return digits


def mask_tail(value: str, visible: int = 4) -> str:
    """Return `value` with all but the last `visible` characters replaced by `•`."""
    if len(value) <= visible:
        return value
    return "•" * (len(value) - visible) + value[-visible:]
