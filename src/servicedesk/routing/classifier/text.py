"""Normalise a request's subject and body into the text the classifier reads.

Identifiers that vary between requests (card numbers, phones, e-mail addresses,
links, other numbers) are replaced by placeholders: their exact value says nothing
about the service, while the fact that one is present does ("a card number" hints at
a guest's incident or question, "a link" at a mailing or a test stand). Masking also
keeps personal data out of the model's vocabulary, which is saved to disk.
"""

from __future__ import annotations

import re

CARD_PLACEHOLDER = " <card> "
PHONE_PLACEHOLDER = " <phone> "
EMAIL_PLACEHOLDER = " <email> "
URL_PLACEHOLDER = " <url> "
NUMBER_PLACEHOLDER = " <num> "

# How many times the subject is repeated: it is short and written on purpose, so it
# carries more signal per word than the body with its greetings and signatures.
SUBJECT_WEIGHT = 2

# ASCII digits only: `\d` would also match other scripts' digits, which never form
# card numbers and would make the boundaries below unpredictable.
_DIGIT = "[0-9]"

# 13-19 digits, optionally grouped by single spaces or hyphens ("7788 0012 3456 9012").
# The lookarounds refuse a run that continues with more digits, so a list of outlet
# numbers ("1123 1124 1130 1131 1140", 20 digits) is not half-masked as a card.
_CARD = re.compile(
    rf"(?<!{_DIGIT}[ -])(?<!{_DIGIT}){_DIGIT}(?:[ -]?{_DIGIT}){{12,18}}(?![ -]?{_DIGIT})"
)
# Cards the writer already masked ("****9034", "7788 **** **** 9012").
_PARTLY_HIDDEN_CARD = re.compile(
    rf"(?<!{_DIGIT})(?:{_DIGIT}{{4}}[ -]?)?(?:\*{{2,}}[ -]?)+{_DIGIT}{{4}}(?!{_DIGIT})"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Full URLs, and bare host names on the domains our clients use ("coff.ee/stop").
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:ru|рф|com|net|org|io|ee|su)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Russian numbers: +7/8, then 10 digits with the usual spaces, hyphens, brackets:
# "8 (495) 710-22-31", "+7 916 555-12-34", "89161234567", "8-800-333-32-36".
_RUSSIAN_PHONE = re.compile(
    rf"(?<![0-9+])(?:\+7|8)[ -]?\(?{_DIGIT}{{3}}\)?[ -]?{_DIGIT}{{3}}"
    rf"[ -]?{_DIGIT}{{2}}[ -]?{_DIGIT}{{2}}(?!{_DIGIT})"
)
# Any other number written in international form: "+44 7700 900123".
_INTERNATIONAL_PHONE = re.compile(rf"\+{_DIGIT}(?:[ ()-]?{_DIGIT}){{7,14}}(?!{_DIGIT})")
# Stand-alone numbers, dates and times ("12.11", "14:00", "3.2.4"). Numbers glued to
# letters ("x2", "1с", "v3") are kept: they name things (a promotion multiplier,
# 1C:Розница, an API version) rather than vary per request.
_NUMBER = re.compile(rf"(?<!\w){_DIGIT}+(?:[.,:/]{_DIGIT}+)*(?!\w)")
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|fw|fwd|ответ|пересл)\s*(?:\[\d+\])?\s*:\s*)+")
_WHITESPACE = re.compile(r"\s+")


def mask_identifiers(text: str) -> str:
    """Replace card numbers, e-mails, links, phones and other numbers by placeholders.

    Cards go first so that no card number can survive inside another match, and
    phones before plain numbers so that a phone is not split into several numbers.
    """
    text = _CARD.sub(CARD_PLACEHOLDER, text)
    text = _PARTLY_HIDDEN_CARD.sub(CARD_PLACEHOLDER, text)
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    text = _URL.sub(URL_PLACEHOLDER, text)
    text = _RUSSIAN_PHONE.sub(PHONE_PLACEHOLDER, text)
    text = _INTERNATIONAL_PHONE.sub(PHONE_PLACEHOLDER, text)
    return _NUMBER.sub(NUMBER_PLACEHOLDER, text)


def normalise_fragment(text: str) -> str:
    """Lowercase one piece of text, fold ё into е, mask identifiers, collapse spaces."""
    folded = text.lower().replace("ё", "е")
    return _WHITESPACE.sub(" ", mask_identifiers(folded)).strip()


def normalise_for_classification(subject: str, text: str) -> str:
    """Return the single string the classifier is trained on and predicts from.

    Reply and forward prefixes are dropped from the subject ("Re: Fw: отчет" is about
    a report, not about replying), and the subject is repeated `SUBJECT_WEIGHT` times
    ahead of the body.
    """
    clean_subject = normalise_fragment(_REPLY_PREFIX.sub("", subject.strip().lower()))
    clean_text = normalise_fragment(text)
    parts = [clean_subject] * SUBJECT_WEIGHT if clean_subject else []
    if clean_text:
        parts.append(clean_text)
    return " ".join(parts)
