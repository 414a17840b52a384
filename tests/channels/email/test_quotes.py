"""Quoted history is collapsed for Russian and English mail clients, never a word lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.channels.email.quotes import split_quoted

# (client, text, expected visible, expected start of the quoted part)
REPLIES = [
    (
        "gmail_en",
        "Thanks, it works.\n\nOn Mon, Nov 3, 2025 at 10:15 AM Plas-Tek Support <support@plastek.ru> wrote:\n\n> Hello\n",
        "Thanks, it works.",
        "On Mon, Nov 3, 2025",
    ),
    (
        "gmail_en_wrapped",
        "Thanks!\n\nOn Mon, Nov 3, 2025 at 10:15 AM Plas-Tek Support <\nsupport@plastek.ru> wrote:\n\n> Hello\n",
        "Thanks!",
        "On Mon, Nov 3, 2025",
    ),
    (
        "gmail_ru",
        "Спасибо.\n\nпн, 3 нояб. 2025 г. в 10:15, Иван <i@x.ru>:\n\n> Добрый день\n",
        "Спасибо.",
        "пн, 3 нояб. 2025 г. в 10:15, Иван <i@x.ru>:",
    ),
    (
        "gmail_ru_wrapped_three_lines",
        "Повторилось.\n\nчт, 13 нояб. 2025 г. в 09:05, Отдел технической поддержки компании\n"
        "Пластек Екатеринбург <\nsupport@plastek.ru>:\n\n> Здравствуйте\n",
        "Повторилось.",
        "чт, 13 нояб. 2025 г. в 09:05",
    ),
    (
        "yandex",
        'Готово.\n\n03.11.2025, 10:15, "Иван" <i@x.ru>:\n> Проверьте кассу\n',
        "Готово.",
        '03.11.2025, 10:15, "Иван" <i@x.ru>:',
    ),
    (
        "mailru",
        "Не помогло.\n\n\nПонедельник, 3 ноября 2025, 10:15 +03:00 от Иван <i@x.ru>:\n>\n>Перезагрузите\n",
        "Не помогло.",
        "Понедельник, 3 ноября 2025, 10:15 +03:00 от Иван",
    ),
    (
        "mailru_quoted_attribution",
        "Не помогло.\n\n>Понедельник, 3 ноября 2025, 10:15 +03:00 от Иван <i@x.ru>:\n>\n>Перезагрузите\n",
        "Не помогло.",
        ">Понедельник",
    ),
    (
        "thunderbird_ru",
        "Ошибка та же.\n\n03.11.2025 10:15, Иван Петров пишет:\n> Обновите драйвер\n",
        "Ошибка та же.",
        "03.11.2025 10:15, Иван Петров пишет:",
    ),
    (
        "thunderbird_en",
        "Same error.\n\nOn 11/3/25 10:15, Ivan Petrov wrote:\n> Update the driver\n",
        "Same error.",
        "On 11/3/25 10:15, Ivan Petrov wrote:",
    ),
    (
        "apple_mail_en",
        "Works now.\n\nOn 3 Nov 2025, at 10:15, Ivan <i@x.ru> wrote:\n\n> Try again\n",
        "Works now.",
        "On 3 Nov 2025, at 10:15",
    ),
    (
        "apple_mail_ru",
        "Работает.\n\n3 нояб. 2025 г., в 10:15, Иван Петров <i@x.ru> написал(а):\n\n> Попробуйте\n",
        "Работает.",
        "3 нояб. 2025 г., в 10:15",
    ),
    (
        "outlook_ru",
        "Касса заработала.\n\nС уважением,\nАнна\n\nОт: Служба поддержки [mailto:support@plastek.ru]\n"
        "Отправлено: 3 ноября 2025 г. 10:15\nКому: Анна\nТема: RE: [SD-000042] Касса\n\nЗдравствуйте!\n",
        "Касса заработала.\n\nС уважением,\nАнна",
        "От: Служба поддержки",
    ),
    (
        "outlook_en",
        "Fixed.\n\nFrom: Plas-Tek Support <support@plastek.ru>\nSent: Monday, November 3, 2025 10:15 AM\n"
        "To: Anna\nSubject: [SD-000042] Till\n\nHello\n",
        "Fixed.",
        "From: Plas-Tek Support",
    ),
    (
        "outlook_web_rule",
        "Fixed.\n\n________________________________\nFrom: Support <support@plastek.ru>\n"
        "Sent: Monday, November 3, 2025 10:15\nTo: Anna\n\nHello\n",
        "Fixed.",
        "________________________________\nFrom: Support",
    ),
    (
        "outlook_bold_labels_from_html",
        "Готово.\n\n*От:* Служба поддержки <support@plastek.ru>\n*Отправлено:* 3 ноября 2025 г. 10:15\n\nТекст\n",
        "Готово.",
        "*От:* Служба поддержки",
    ),
    (
        "original_message_en",
        "See below.\n\n-----Original Message-----\nFrom: Ivan\nHello\n",
        "See below.",
        "-----Original Message-----",
    ),
    (
        "original_message_ru",
        "См. ниже.\n\n-----Исходное сообщение-----\nОт: Иван\nПривет\n",
        "См. ниже.",
        "-----Исходное сообщение-----",
    ),
    (
        "original_message_ru_bare",
        "См. ниже.\n\nИсходное сообщение\nОт кого: Иван\nПривет\n",
        "См. ниже.",
        "Исходное сообщение",
    ),
    (
        "the_bat_vy_pisali_top_posted",
        "Спасибо, всё ясно.\n\nВы писали 3 ноября 2025 г., 10:15:\n\n> Перезагрузите кассу\n",
        "Спасибо, всё ясно.",
        "Вы писали 3 ноября 2025 г., 10:15:",
    ),
    (
        "iphone_footer_before_quote",
        "Ок\n\nОтправлено с iPhone\n\n> 3 нояб. 2025 г., в 10:15, Иван <i@x.ru> написал(а):\n> Привет\n",
        "Ок",
        "Отправлено с iPhone",
    ),
    (
        "mailru_mobile_footer_after_signature_dashes",
        "Ок, жду.\n\n--\nОтправлено из мобильной Почты Mail.ru\n",
        "Ок, жду.",
        "--\nОтправлено из мобильной Почты Mail.ru",
    ),
    (
        "sent_from_my_iphone_alone",
        "Call me back please.\n\nSent from my iPhone\n",
        "Call me back please.",
        "Sent from my iPhone",
    ),
]


@pytest.mark.parametrize(
    ("text", "visible", "quoted_start"),
    [pytest.param(text, visible, quoted, id=client) for client, text, visible, quoted in REPLIES],
)
def test_reply_is_split_at_the_quote(text: str, visible: str, quoted_start: str) -> None:
    assert split_quoted(text)[0] == visible
    assert split_quoted(text)[1].startswith(quoted_start)


NOT_QUOTES = [
    ("plain_request", "Добрый день!\nКасса не печатает чеки.\n\nС уважением,\nИван"),
    ("sentence_starting_with_ot", "От: бухгалтерии поступил запрос на акт сверки.\nПрошу помочь."),
    ("list_after_colon", "Проблемы:\n- касса 1\n- весы 10:15 утра\n- сканер"),
    ("someone_writes_in_prose", "Клиент пишет, что касса не работает с 10:15."),
    ("signature_is_kept", "Спасибо!\n\n-- \nИван Петров\nтел. 8 912 000-00-00"),
    ("decorative_rule", "Итоги:\n________________________\nВсё хорошо."),
]


@pytest.mark.parametrize("text", [pytest.param(text, id=name) for name, text in NOT_QUOTES])
def test_text_without_quote_stays_visible(text: str) -> None:
    assert split_quoted(text) == (text, "")


def test_gmail_forward_is_the_request_itself_and_stays_visible() -> None:
    text = (
        "Посмотрите, пожалуйста.\n\n---------- Forwarded message ---------\n"
        "От: Иван <i@x.ru>\nDate: пн, 3 нояб. 2025 г. в 10:15\nSubject: Касса\nTo: <a@x.ru>\n\n"
        "Касса не работает.\n"
    )
    assert split_quoted(text) == (text.rstrip(), "")


def test_bottom_posted_answer_below_the_quote_stays_visible() -> None:
    text = (
        "Здравствуйте, Служба.\n\nВы писали 3 ноября 2025 г., 10:15:\n\n> Перезагрузите кассу\n\n"
        "Перезагрузили, не помогло.\n\n-- \nС уважением, Иван"
    )
    assert split_quoted(text) == (text, "")


def test_answers_between_quoted_lines_stay_visible() -> None:
    text = "Ответы ниже.\n\n> Модель кассы?\nАТОЛ 30Ф\n> Версия прошивки?\n5.8.1"
    assert split_quoted(text) == (text, "")


def test_reply_with_nothing_above_the_quote_is_all_visible() -> None:
    text = "> Старый текст\n> ещё строка\n"
    assert split_quoted(text) == (text.rstrip(), "")


def test_empty_text_splits_into_two_empty_parts() -> None:
    assert split_quoted("") == ("", "")


def test_only_white_space_separates_visible_and_quoted_parts() -> None:
    text = "Ответ.  \n\n\nOn Mon, Nov 3, 2025 at 10:15 AM Ivan <i@x.ru> wrote:\n> q\n"
    visible, quoted = split_quoted(text)
    assert (visible, text[len(visible) : len(text) - len(quoted)]) == ("Ответ.", "  \n\n\n")


@given(
    st.lists(
        st.sampled_from(
            [
                "Привет",
                "> цитата",
                "",
                "   ",
                "От: Иван",
                "Кому: Пётр",
                "-- ",
                "Sent from my iPhone",
                "On Mon, Nov 3, 2025 at 10:15 AM Ivan <i@x.ru> wrote:",
                "03.11.2025, 10:15, Иван <i@x.ru>:",
                "-----Original Message-----",
                "________________________________",
                "Иван пишет:",
                "текст 10:15",
            ]
        )
        | st.text(max_size=40),
        max_size=25,
    ),
    st.sampled_from(["\n", "\r\n"]),
)
def test_split_never_loses_anything_but_white_space(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    visible, quoted = split_quoted(text)
    assert text.startswith(visible)
    assert text.endswith(quoted)
    assert len(visible) + len(quoted) <= len(text)
    assert text[len(visible) : len(text) - len(quoted)].strip() == ""
    assert visible == visible.rstrip()
