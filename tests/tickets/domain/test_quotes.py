"""Splitting e-mail replies into what was written and the quoted history."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from servicedesk.tickets.domain.quotes import split_quoted


def test_classic_quoting_is_folded() -> None:
    body = "Спасибо, баллы пришли.\n\n> Здравствуйте!\n> Баллы начислены."
    parts = split_quoted(body)
    assert parts.visible == "Спасибо, баллы пришли.\n"
    assert parts.quoted.startswith("> Здравствуйте!")


def test_russian_and_english_reply_headers_start_the_quote() -> None:
    ru = "Проверьте ещё раз.\n\n12.01.2026, 10:00, Поддержка Plas-Tek пишет:\nТекст"
    en = "Still broken.\nOn Mon, Jan 12, 2026 at 10:00 AM Support <s@x.ru> wrote:\nText"
    assert split_quoted(ru).visible == "Проверьте ещё раз.\n"
    assert split_quoted(en).visible == "Still broken."
    assert split_quoted(en).quoted.endswith("Text")


def test_outlook_original_message_and_header_block_start_the_quote() -> None:
    outlook = "Да, всё верно.\n-----Original Message-----\nFrom: a@b.ru\nSent: today"
    russian = "Ок.\n\nОт: Поддержка <s@x.ru>\nОтправлено: 12 января\nТема: SD-000001"
    assert split_quoted(outlook).visible == "Да, всё верно."
    assert split_quoted(russian).quoted.startswith("От: Поддержка")


def test_a_lone_from_line_in_the_text_is_not_a_quote() -> None:
    body = "От: магазина на Тверской звонили дважды.\nПроверьте кассу."
    assert split_quoted(body).quoted == ""


def test_a_message_that_is_all_quote_is_shown_whole() -> None:
    body = "> только цитата\n> и больше ничего"
    parts = split_quoted(body)
    assert parts.visible == body
    assert parts.quoted == ""


def test_plain_text_has_no_quote() -> None:
    assert split_quoted("Касса не принимает карту").quoted == ""


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_nothing_is_lost_by_splitting(body: str) -> None:
    parts = split_quoted(body)
    joined = parts.visible if not parts.quoted else f"{parts.visible}\n{parts.quoted}"
    assert joined == body
