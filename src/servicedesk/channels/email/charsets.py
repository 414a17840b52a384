"""Decode bytes of unknown or mislabelled charset into text, Russian mail first.

Old Russian mail clients, web forms and scanners send windows-1251 or KOI8-R
text without a charset, with a wrong one (``us-ascii``, ``iso-8859-1``) or as raw
8-bit header bytes. ``charset_normalizer`` guesses wrong on short Cyrillic text,
so this module uses a small, predictable heuristic instead: valid UTF-8 wins,
then windows-1251 and KOI8-R are both tried and the reading that looks more like
Russian (frequent letters, lower case, sane capitalisation) is kept. KOI8-R read
as windows-1251 comes out mostly upper case with case flipping inside words,
and the other way round, which is what the score picks up.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass
from typing import Final

# Names as codecs.lookup() reports them, so that they compare equal to
# normalise_charset() results.
UTF8: Final = "utf-8"
CP1251: Final = "cp1251"
KOI8_R: Final = "koi8-r"

# Charset labels seen in the wild that Python's codec registry does not know.
_CHARSET_ALIASES: Final[dict[str, str]] = {
    "cp-1251": CP1251,
    "win-1251": CP1251,
    "win1251": CP1251,
    "windows1251": CP1251,
    "x-cp1251": CP1251,
    "x-win-1251": CP1251,
    "windows-1251-1": CP1251,
    "koi8": KOI8_R,
    "koi8r": KOI8_R,
    "koi-8-r": KOI8_R,
    "x-koi8-r": KOI8_R,
    "utf8mb4": UTF8,
    "unicode-1-1-utf-8": UTF8,
    "x-unicode20utf8": UTF8,
}

# Single-byte charsets whose label is often put on windows-1251 or UTF-8 bytes
# by misconfigured software; their decoding never fails, so it proves nothing.
_UNTRUSTED_LABELS: Final = frozenset(
    {"ascii", "iso8859-1", "cp1252", "iso8859-15", "cp437", "cp850"}
)
_CYRILLIC_SINGLE_BYTE: Final = frozenset({CP1251, KOI8_R, "koi8-u", "iso8859-5", "cp866"})

# Relative frequency (per cent) of letters in Russian prose; ё counted as е.
_RUSSIAN_LETTER_FREQUENCY: Final[dict[str, float]] = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47,
    "р": 4.73, "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81,
    "у": 2.62, "я": 2.01, "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59,
    "ч": 1.44, "й": 1.21, "х": 0.97, "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48,
    "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04, "ё": 0.04,
}  # fmt: skip
_LOG_FREQUENCY: Final = {
    letter: math.log(share) for letter, share in _RUSSIAN_LETTER_FREQUENCY.items()
}
# Frequent letter pairs of Russian; a wrong code page rarely produces them.
_COMMON_PAIRS_TABLE: Final = (
    "ст но то на ен ов ни ра во ко ал по пр ре ер ог ол ли ор ос ет ан од ин ат ел та го ес "
    "ка ом де ло ва ле не ки ти ро мо ль ск ем ил пе те да ве ри ой ая ый ие ых их ть ся тв "
    "чт за ам ак ба ди др ед ез ей же зн им ит ич ла ме ми ны ож он ош па ру са се си сл со "
    "сп сь тр ту уж ча че ще эт юч яв"
)
_COMMON_PAIRS: Final = frozenset(_COMMON_PAIRS_TABLE.split())
_RUSSIAN_LETTERS: Final = frozenset(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
)
_RUSSIAN_PUNCTUATION: Final = frozenset("«»—–…№“”„‘’\u00a0•")
_CYRILLIC_WORD: Final = re.compile(r"[а-яёА-ЯЁ]+")
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")
# A reading must beat the declared charset by this much before we overrule the
# sender: a wrong guess garbles a correct message, a missed one leaves it garbled.
_OVERRULE_MARGIN: Final = 1.5
_CP1251_HEAD_START: Final = 0.5


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, the codec used, and why it differs from the label."""

    text: str
    charset: str
    note: str | None = None


def normalise_charset(label: str | None) -> str | None:
    """Return the Python codec name for a MIME charset label, or None if unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    cleaned = _CHARSET_ALIASES.get(cleaned, cleaned)
    try:
        codec = codecs.lookup(cleaned)
    except (LookupError, ValueError):
        return None
    # "base64", "rot13", "zlib" and friends are codecs too, but not charsets.
    return codec.name if getattr(codec, "_is_text_encoding", True) else None


def russian_score(text: str) -> float:
    """Score how much `text` looks like Russian written by a person; higher is better.

    Add up the mean log-frequency of its Cyrillic letters, the share of common
    letter pairs, the share of words with normal capitalisation (``слово``,
    ``Слово``, ``СЛОВО``) and, a little, of lower-case letters; subtract for
    pseudo-graphics and other characters Russian text does not use. Text
    without Cyrillic letters scores minus infinity. Weights were fitted on
    subjects and sentences encoded both ways (see the charset tests); short
    all-capital abbreviations (``ЭЦП``, ``КПП``) stay ambiguous.
    """
    words = _CYRILLIC_WORD.findall(text)
    letters = sum(len(word) for word in words)
    if not letters:
        return -math.inf
    lowered = [word.lower() for word in words]
    log_frequency = sum(_LOG_FREQUENCY[ch] for word in lowered for ch in word) / letters
    pairs = [word[i : i + 2] for word in lowered for i in range(len(word) - 1)]
    common_pairs = sum(pair in _COMMON_PAIRS for pair in pairs) / len(pairs) if pairs else 0.0
    lowercase = sum(ch.islower() for word in words for ch in word) / letters
    normal_case = (
        sum(
            len(word)
            for word in words
            if word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())
        )
        / letters
    )
    foreign = sum(
        1
        for ch in text
        if not (ch.isascii() or ch in _RUSSIAN_LETTERS or ch in _RUSSIAN_PUNCTUATION)
    )
    score: float = (
        log_frequency
        + 6.0 * common_pairs
        + 3.0 * normal_case
        + 0.05 * lowercase
        - 5.0 * foreign / len(text)
    )
    return score


def _best_cyrillic_reading(data: bytes) -> tuple[str, str]:
    """Decode 8-bit `data` as windows-1251 or KOI8-R, whichever looks more Russian."""
    as_cp1251 = data.decode(CP1251, errors="replace")
    as_koi8 = data.decode(KOI8_R)
    # windows-1251 is far more common than KOI8-R in today's mail, so it gets a
    # head start that decides short all-capital abbreviations in its favour.
    if russian_score(as_koi8) > russian_score(as_cp1251) + _CP1251_HEAD_START:
        return as_koi8, KOI8_R
    return as_cp1251, CP1251


def _looks_like_misdeclared_cyrillic(latin_text: str) -> bool:
    """Tell whether Latin-1 text is really windows-1251 or KOI8-R Russian.

    Russian read as Latin-1 gives whole words of accented letters (``Ïðèâåò``);
    real Western text mixes a few accented letters into ASCII words (``Müller``).
    """
    eight_bit_words = re.findall(r"[\w\u00c0-\u00ff]+", latin_text)
    accented = [word for word in eight_bit_words if any("\u00c0" <= ch <= "\u00ff" for ch in word)]
    if not accented:
        return False
    entirely_accented = [word for word in accented if all(ord(ch) >= 0xC0 for ch in word)]
    return len(entirely_accented) >= max(1, 0.7 * len(accented))


def _decode_utf8_strictly(data: bytes) -> str | None:
    try:
        return data.decode(UTF8)
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> DecodedText:
    """Decode `data` using the declared charset when it is believable, guessing otherwise.

    Never raises. Valid UTF-8 with non-ASCII bytes is taken as UTF-8 whatever the
    label says (a Cyrillic single-byte text is practically never valid UTF-8).
    A declared windows-1251 / KOI8-R is overruled only when the other reading is
    clearly more Russian; Latin labels are overruled when the text reads as
    whole words of accented letters.
    """
    if data.isascii():
        return DecodedText(data.decode("ascii"), "ascii")
    codec = normalise_charset(declared)
    utf8_text = _decode_utf8_strictly(data)
    if utf8_text is not None and (codec is None or codec == UTF8 or _is_single_byte(codec)):
        note = None if codec in (None, UTF8) else f"declared {declared!r}, decoded as UTF-8"
        return DecodedText(utf8_text, UTF8, note)

    if codec in _CYRILLIC_SINGLE_BYTE:
        return _decode_declared_cyrillic(data, codec, declared)
    if codec is not None and codec != UTF8 and codec not in _UNTRUSTED_LABELS:
        try:
            return DecodedText(data.decode(codec), codec)
        except (UnicodeError, LookupError):
            pass  # Fall through to guessing: the label is wrong.
    if codec in _UNTRUSTED_LABELS and codec != "ascii":
        latin_text = data.decode(codec, errors="replace")
        if not _looks_like_misdeclared_cyrillic(latin_text):
            return DecodedText(latin_text, codec)

    text, guessed = _best_cyrillic_reading(data)
    why = "no charset" if declared is None else f"declared {declared!r} does not fit"
    return DecodedText(text, guessed, f"{why}; guessed {guessed}")


def _decode_declared_cyrillic(data: bytes, codec: str, declared: str | None) -> DecodedText:
    declared_text = data.decode(codec, errors="replace")
    other = KOI8_R if codec != KOI8_R else CP1251
    other_text = data.decode(other, errors="replace")
    if russian_score(other_text) > russian_score(declared_text) + _OVERRULE_MARGIN:
        return DecodedText(other_text, other, f"declared {declared!r}, text is {other}")
    return DecodedText(declared_text, codec)


def _is_single_byte(codec: str) -> bool:
    return codec in _UNTRUSTED_LABELS or codec in _CYRILLIC_SINGLE_BYTE


def clean_text(text: str) -> str:
    """Return `text` safe to store: no NUL, no lone surrogates, LF line endings.

    PostgreSQL rejects NUL in text columns and lone surrogates cannot be encoded
    as UTF-8, and both come out of broken mail.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode(UTF8)
    except UnicodeEncodeError:
        text = _LONE_SURROGATE.sub("\ufffd", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
