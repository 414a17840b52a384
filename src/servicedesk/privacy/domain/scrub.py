"""Find phone numbers, card numbers and e-mail addresses in free text and mask them.

A "number" is 10 to 20 digits, possibly split by spaces, dashes, dots and brackets
(`+7 (916) 123-45-67`, `8-916-1234567`, `2770 0000 0100 1`). All digits but the last
four become `•`, separators stay, so a masked text still reads naturally. Dates, times
and IPv4 addresses are left alone; so are shorter numbers (ticket numbers, amounts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "•"
VISIBLE = 4
NAME_PLACEHOLDER = "[имя скрыто]"

_NUMBER = re.compile(r"(?<![\w+])\+?\d(?:[\s().\-]{0,2}\d){9,19}(?![\w:])")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")


def mask_digits(value: str, visible: int = VISIBLE) -> str:
    """Replace every digit of `value` except the last `visible` ones with `•`."""
    total = sum(char.isdigit() for char in value)
    keep_from = total - visible
    seen = 0
    out = []
    for char in value:
        if char.isdigit():
            out.append(char if seen >= keep_from else MASK)
            seen += 1
        else:
            out.append(char)
    return "".join(out)


def mask_email(address: str) -> str:
    """Return `i•••@example.ru` for `ivanov@example.ru`."""
    local, _, domain = address.partition("@")
    if not domain:
        return mask_digits(address)
    return f"{local[:1]}{MASK * 3}@{domain}"


def _mask_number(match: re.Match[str]) -> str:
    text = match.group(0)
    if _IPV4.fullmatch(text):
        return text
    return mask_digits(text)


def mask_identifiers(text: str) -> str:
    """Mask every phone/card-looking number and e-mail address in `text`."""
    if not text:
        return text
    text = _NUMBER.sub(_mask_number, text)
    return _EMAIL.sub(lambda m: mask_email(m.group(0)), text)


def scrub_text(text: str, names: Iterable[str] = ()) -> str:
    """Mask identifiers and replace the given people's names (anonymisation of old tickets)."""
    result = mask_identifiers(text)
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 3}, key=len, reverse=True):
        result = re.sub(re.escape(name), NAME_PLACEHOLDER, result, flags=re.IGNORECASE)
    return result


def scrub_json(value: object, names: Iterable[str] = ()) -> object:
    """Return `value` (JSON data) with every string scrubbed; keys and numbers kept."""
    names = tuple(names)
    if isinstance(value, str):
        return scrub_text(value, names)
    if isinstance(value, list):
        return [scrub_json(item, names) for item in value]
    if isinstance(value, dict):
        return {key: scrub_json(item, names) for key, item in value.items()}
    return value
