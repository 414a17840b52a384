"""Russian text is recovered from bytes with missing or wrong charset labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.channels.email.charsets import (
    clean_text,
    decode_bytes,
    normalise_charset,
    russian_score,
)

# Subjects and sentences of the kind the desk receives; all encodable in both code pages.
PHRASES = [
    "Привет",
    "СРОЧНО",
    "Не работает принтер",
    "ПРИНТЕР НЕ РАБОТАЕТ",
    "Касса",
    "КАССА 3",
    "Ошибка 1С",
    "Заявка",
    "Счёт-фактура",
    "Щёлково",
    "Отчёт за ноябрь",
    "Re: Вопрос по договору",
    "ИП Иванов",
    "Жалоба",
    "Подъезд 4",
    "Всё ок",
    "не работает",
    "ок, спасибо",
    "подключите, пожалуйста",
    "ВНИМАНИЕ",
    "АВАРИЯ НА ЛИНИИ",
    "ПРОШУ ПЕРЕЗВОНИТЬ",
    "Добрый день, коллеги! Касса на точке не печатает чеки уже второй день.",
    "ТЕРМИНАЛ",
    "ЗАКАЗ",
    "ДОГОВОР",
    "ЭКСПЕДИТОР",
]


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_unlabelled_russian_is_read_in_the_right_code_page(phrase: str, codec: str) -> None:
    assert decode_bytes(phrase.encode(codec)).text == phrase


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("subject", ["ЭЦП не работает", "Нет связи с ОФД", "УПД за октябрь"])
def test_capital_abbreviations_are_read_right_with_a_few_words_around(
    subject: str, codec: str
) -> None:
    # Alone, "ЭЦП" or "УПД" carry too little evidence (their other reading can
    # be a real word); a few words of context settle it.
    assert decode_bytes(subject.encode(codec)).text == subject


def test_valid_utf8_wins_over_a_single_byte_label() -> None:
    decoded = decode_bytes("Сканер сломался".encode(), "windows-1251")
    assert decoded.text == "Сканер сломался"
    assert decoded.charset == "utf-8"
    assert decoded.note == "declared 'windows-1251', decoded as UTF-8"


def test_windows1251_labelled_koi8r_is_overruled_when_clearly_wrong() -> None:
    text = "Касса на точке не печатает чеки уже второй день"
    decoded = decode_bytes(text.encode("cp1251"), "koi8-r")
    assert (decoded.text, decoded.charset) == (text, "cp1251")


def test_correct_cyrillic_label_is_kept_for_short_text() -> None:
    decoded = decode_bytes("ЧП".encode("koi8-r"), "koi8-r")
    assert (decoded.text, decoded.charset, decoded.note) == ("ЧП", "koi8-r", None)


def test_latin1_label_on_windows1251_russian_is_overruled() -> None:
    decoded = decode_bytes("Выгрузка не прошла".encode("cp1251"), "iso-8859-1")
    assert decoded.text == "Выгрузка не прошла"


def test_real_latin1_text_keeps_its_label() -> None:
    decoded = decode_bytes("Grüße aus München, Herr Müller".encode("latin-1"), "iso-8859-1")
    assert decoded.text == "Grüße aus München, Herr Müller"


def test_unknown_charset_label_falls_back_to_guessing() -> None:
    decoded = decode_bytes("Привет, мир".encode("cp1251"), "x-unknown-8bit")
    assert decoded.text == "Привет, мир"


def test_bad_utf8_without_label_is_guessed_not_replaced() -> None:
    assert decode_bytes("Ёлка".encode("cp1251"), "utf-8").text == "Ёлка"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("windows-1251", "cp1251"),
        ("CP-1251", "cp1251"),
        ("win-1251", "cp1251"),
        ('"koi8r"', "koi8-r"),
        ("x-koi8-r", "koi8-r"),
        ("us-ascii", "ascii"),
        ("utf8", "utf-8"),
        ("no-such-charset", None),
        ("base64", None),
        ("rot13", None),
        ("", None),
        (None, None),
    ],
)
def test_charset_labels_seen_in_the_wild_are_normalised(
    label: str | None, codec: str | None
) -> None:
    assert normalise_charset(label) == codec


def test_russian_score_prefers_russian_over_its_wrong_code_page_reading() -> None:
    data = "Принтер не печатает".encode("koi8-r")
    assert russian_score(data.decode("koi8-r")) > russian_score(data.decode("cp1251"))


def test_clean_text_removes_nul_and_lone_surrogates_and_normalises_newlines() -> None:
    assert clean_text("a\x00b\udcffc\r\nd\re") == "ab\ufffdc\nd\ne"


@given(
    st.binary(max_size=300),
    st.sampled_from(
        [None, "utf-8", "koi8-r", "cp1251", "latin-1", "bogus", "idna", "utf-16", "punycode"]
    ),
)
def test_any_bytes_decode_to_storable_text(data: bytes, label: str | None) -> None:
    text = clean_text(decode_bytes(data, label).text)
    text.encode("utf-8")
    assert "\x00" not in text
