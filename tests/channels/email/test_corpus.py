"""What an agent sees for each message of the ugly-mail corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicedesk.channels.email.compose import ticket_number_from_message_id
from servicedesk.channels.email.loops import AutoReplyKind
from servicedesk.channels.email.parse import ParsedMessage, parse_message
from servicedesk.channels.email.thread_keys import candidate_message_ids, find_ticket_numbers

from . import build_corpus

CORPUS = Path(__file__).parent / "corpus"
OUR_RECEIVED_ID = build_corpus.OUR_RECEIVED_ID


def parsed(name: str) -> ParsedMessage:
    return parse_message((CORPUS / name).read_bytes())


def test_corpus_files_match_their_generator(tmp_path: Path) -> None:
    rebuilt = build_corpus.build(tmp_path)
    committed = {path.name: path.read_bytes() for path in CORPUS.glob("*.eml")}
    assert committed == rebuilt


def test_corpus_has_at_least_thirty_messages_each_with_its_own_test() -> None:
    names = sorted(path.name for path in CORPUS.glob("*.eml"))
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [name for name in names if f'parsed("{name}")' not in source]
    assert len(names) >= 30
    assert untested == []


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda path: path.name)
def test_every_corpus_message_parses_into_storable_text(path: Path) -> None:
    message = parse_message(path.read_bytes())
    strings = [
        message.message_id,
        message.subject,
        message.text,
        message.visible_text,
        message.quoted_text,
        message.html or "",
        message.from_name or "",
        *message.defects,
        *(attachment.filename for attachment in message.attachments),
    ]
    for value in strings:
        value.encode("utf-8")  # no lone surrogates
        assert "\x00" not in value
    assert message.text.startswith(message.visible_text)
    assert message.text.endswith(message.quoted_text)
    assert all(attachment.size == len(attachment.payload) for attachment in message.attachments)


def test_koi8r_message_shows_russian_subject_sender_and_body() -> None:
    message = parsed("01_koi8r_body_and_subject.eml")
    assert message.subject == "Не печатает чек на кассе 2"
    assert message.from_name == "Иванов Сергей"
    assert message.from_address == "s.ivanov@shop-ural.ru"
    assert message.visible_text.startswith("Здравствуйте!\n\nНа кассе 2 в магазине на Ленина")
    assert message.visible_text.endswith("тел. 8 (343) 555-12-34")  # signature stays visible
    assert message.defects == ()


def test_windows1251_body_without_charset_is_guessed() -> None:
    message = parsed("02_cp1251_body_without_charset.eml")
    assert message.subject == "Счёт за ноябрь"
    assert message.visible_text.startswith("Добрый день.\nПрошу выставить счёт")
    assert "text/plain part: no charset; guessed cp1251" in message.defects


def test_raw_8bit_windows1251_subject_and_sender_name_are_decoded() -> None:
    message = parsed("03_raw_8bit_cp1251_subject.eml")
    assert message.subject == "Не работает терминал оплаты в зале"
    assert message.from_name == "Петров Иван"
    assert message.from_address == "petrov@kassa-plus.ru"
    assert message.visible_text == "Терминал не принимает карты с утра."


def test_rfc2231_cyrillic_file_names_are_decoded_including_continuations() -> None:
    message = parsed("04_rfc2231_cyrillic_filename.eml")
    assert message.from_name == "Ольга"  # raw UTF-8 header
    assert [a.filename for a in message.attachments] == ["Акт сверки.pdf", "Счёт на оплату.xlsx"]
    assert message.attachments[0].payload.startswith(b"%PDF-1.4")
    assert message.attachments[0].content_type == "application/pdf"
    assert message.visible_text == "Акт сверки во вложении."


def test_outlook_rfc2047_file_name_in_quotes_is_decoded() -> None:
    message = parsed("05_rfc2047_filename_outlook.eml")
    assert message.from_name == "Смирнова Анна"
    assert message.visible_text == "Фото ошибки на экране кассы во вложении."
    (photo,) = message.attachments
    assert (photo.filename, photo.content_type, photo.inline) == (
        "Фото кассы.jpg",
        "image/jpeg",
        False,
    )
    assert photo.payload.startswith(b"\xff\xd8\xff\xe0")


def test_missing_end_boundary_still_yields_body_and_attachment() -> None:
    message = parsed("06_missing_end_boundary.eml")
    assert message.visible_text == "Накладная во вложении, письмо обрезано."
    assert [a.filename for a in message.attachments] == ["nakl.pdf"]
    assert message.attachments[0].payload.startswith(b"%PDF-1.4")
    assert "CloseBoundaryNotFoundDefect" in message.defects
    assert not message.unparseable


def test_message_without_subject_has_empty_subject_and_a_note() -> None:
    message = parsed("07_no_subject.eml")
    assert message.subject == ""
    assert message.from_name == "Пётр"
    assert message.visible_text == "Касса опять зависла."
    assert "no Subject header" in message.defects


def test_message_without_from_has_no_sender_and_a_note() -> None:
    message = parsed("08_no_from.eml")
    assert (message.from_name, message.from_address) == (None, None)
    assert message.subject == "Сообщение с терминала"
    assert message.visible_text == "Ошибка ККТ: 0x1A"
    assert "no From header" in message.defects


def test_empty_body_gives_empty_text_not_an_error() -> None:
    message = parsed("09_empty_body.eml")
    assert message.subject == "Позвоните мне"
    assert (message.text, message.visible_text, message.quoted_text) == ("", "", "")
    assert message.html is None
    assert not message.unparseable


def test_html_only_message_is_sanitised_and_turned_into_text() -> None:
    message = parsed("10_html_only_script_onclick.eml")
    assert message.visible_text.startswith("Не работает весы в отделе овощи.")
    assert message.html is not None
    for dangerous in ("<script", "onclick", "onerror", "javascript:", "document.cookie", "<style"):
        assert dangerous not in message.html
    assert "<b>весы</b>" in message.html
    assert "Заявка" not in message.text  # the <title> is not body text
    assert message.reply_to_addresses == ("client@mail.ru",)


def test_multipart_alternative_prefers_plain_text_and_keeps_clean_html() -> None:
    message = parsed("11_multipart_alternative.eml")
    assert message.subject == "Не приходят чеки на почту"  # Q-encoded
    assert message.text == "Покупателям не приходят электронные чеки."
    assert message.html == "<div>Покупателям <b>не приходят</b> электронные чеки.</div>\n"
    assert message.attachments == ()


def test_inline_images_are_attachments_marked_inline_with_content_id() -> None:
    message = parsed("12_inline_images_content_id.eml")
    assert [(a.filename, a.content_id, a.inline) for a in message.attachments] == [
        ("image001.png", "image001.png@01DC4C8F.1A2B3C40", True),
        ("attachment-2.png", "logo@client-shop.ru", True),
    ]
    assert message.html is not None
    assert 'src="cid:image001.png@01DC4C8F.1A2B3C40"' in message.html
    assert message.visible_text.startswith("Ошибка на экране:")


def test_forwarded_message_is_kept_as_an_eml_named_after_its_subject() -> None:
    message = parsed("13_forwarded_message_rfc822.eml")
    assert message.subject == "Fwd: Жалоба покупателя"
    assert message.visible_text == "Разберитесь, пожалуйста, с жалобой ниже."
    (forwarded,) = message.attachments
    assert (forwarded.filename, forwarded.content_type) == (
        "Жалоба покупателя.eml",
        "message/rfc822",
    )
    inner = parse_message(forwarded.payload)
    assert inner.from_address == "pokupatel@mail.ru"
    assert inner.text == "Мне пробили товар дважды."


def test_outlook_russian_reply_hides_the_quoted_header_block() -> None:
    message = parsed("14_outlook_reply_ru.eml")
    assert message.subject == "RE: [SD-000077] Касса не печатает чеки"
    assert find_ticket_numbers(message.subject) == (77,)
    assert message.visible_text.startswith("Добрый день!\n\nКасса заработала, спасибо.")
    assert message.visible_text.endswith("тел. +7 (343) 555-00-11")
    assert message.quoted_text.startswith("От: Служба поддержки Пластек")


def test_gmail_russian_reply_with_wrapped_attribution_is_split() -> None:
    message = parsed("15_gmail_ru_reply.eml")
    assert message.from_name == "Иван Петров"
    assert message.visible_text == "Проблема повторилась сегодня утром."
    assert message.quoted_text.startswith("пн, 3 нояб. 2025 г. в 10:15, Служба поддержки Пластек <")
    assert candidate_message_ids(message) == (OUR_RECEIVED_ID,)


def test_yandex_reply_keeps_the_signature_and_hides_the_quote() -> None:
    message = parsed("16_yandex_reply.eml")
    assert (
        message.visible_text
        == "Спасибо, всё работает.\n\n-- \nС уважением, Николай\n8 912 000-00-00"
    )
    assert message.quoted_text.startswith('03.11.2025, 10:15, "Служба поддержки Пластек"')


def test_mailru_reply_is_split_at_its_date_and_sender_line() -> None:
    message = parsed("17_mailru_reply.eml")
    assert message.subject == "Re[2]: [SD-000042] Касса не печатает чеки"
    assert message.visible_text == "Добрый день, касса снова не печатает."
    assert message.quoted_text.startswith("Понедельник, 3 ноября 2025, 10:15 +03:00 от Служба")


def test_thunderbird_reply_is_split_at_pishet() -> None:
    message = parsed("18_thunderbird_reply.eml")
    assert message.visible_text == "Обновление не помогло, ошибка та же."
    assert message.quoted_text.startswith("03.11.2025 10:15, Служба поддержки Пластек пишет:")


def test_apple_mail_reply_hides_the_iphone_footer_with_the_quote() -> None:
    message = parsed("19_apple_mail_reply.eml")
    assert message.visible_text == "The scanner works again, thanks."
    assert message.quoted_text.startswith("Sent from my iPhone\n\nOn 3 Nov 2025, at 10:15")


def test_out_of_office_with_auto_submitted_is_an_auto_reply() -> None:
    message = parsed("20_out_of_office_auto_submitted.eml")
    assert message.auto_submitted is not None
    assert message.auto_submitted.kind is AutoReplyKind.AUTO_REPLY
    assert message.auto_submitted.reason == "Auto-Submitted: auto-replied"
    assert message.bounce is None
    assert message.loop_header("X-Auto-Response-Suppress") == "All"


def test_precedence_bulk_newsletter_is_bulk() -> None:
    message = parsed("21_precedence_bulk.eml")
    assert message.auto_submitted is not None
    assert message.auto_submitted.kind is AutoReplyKind.BULK
    assert message.from_name == "Новости 1С"


def test_x_autoreply_header_marks_an_auto_reply() -> None:
    message = parsed("22_x_autoreply.eml")
    assert message.auto_submitted is not None
    assert message.auto_submitted.kind is AutoReplyKind.AUTO_REPLY
    assert message.auto_submitted.reason == "x-autoreply header present"


def test_russian_autoresponder_subject_alone_marks_an_auto_reply() -> None:
    message = parsed("23_autoreply_subject_only.eml")
    assert message.subject == "Автоответ: Я в отпуске до 10.11"
    assert message.auto_submitted is not None
    assert message.auto_submitted.kind is AutoReplyKind.AUTO_REPLY
    assert message.auto_submitted.reason.startswith("out-of-office subject")


def test_dsn_bounce_names_our_notification_and_the_failed_recipient() -> None:
    message = parsed("24_dsn_bounce_of_our_notification.eml")
    assert message.bounce is not None
    assert message.bounce.original_message_id == OUR_RECEIVED_ID
    assert ticket_number_from_message_id(message.bounce.original_message_id, "plastek.ru") == 42
    assert message.bounce.recipient == "nobody@client-shop.ru"
    assert message.bounce.status == "5.1.1"
    assert message.bounce.diagnostic == (
        "550 5.1.1 <nobody@client-shop.ru>: Recipient address rejected: User unknown"
    )
    assert message.bounce.is_permanent
    assert [a.content_type for a in message.attachments] == [
        "message/delivery-status",
        "text/rfc822-headers",
    ]


def test_mailer_daemon_bounce_without_report_is_still_read() -> None:
    message = parsed("25_mailer_daemon_plain_bounce.eml")
    assert message.bounce is not None
    assert message.bounce.original_message_id == build_corpus.OUR_ANSWERED_ID
    assert message.bounce.recipient == "ivan@old-shop.ru"
    assert message.bounce.status == "5.1.1"
    assert message.bounce.diagnostic == "550 5.1.1 Mailbox does not exist"
    assert message.from_address == "mailer-daemon@mx.hosting.ru"


def test_reply_carries_ticket_tag_and_threading_headers() -> None:
    message = parsed("26_reply_with_ticket_tag_and_in_reply_to.eml")
    assert find_ticket_numbers(message.subject) == (42,)
    assert message.in_reply_to == OUR_RECEIVED_ID  # the trailing comment is dropped
    assert message.references == ("first.42@client-shop.ru", OUR_RECEIVED_ID)
    assert candidate_message_ids(message) == (OUR_RECEIVED_ID, "first.42@client-shop.ru")
    assert message.visible_text == "Чек всё ещё не печатается."


def test_garbage_bytes_are_unparseable_but_returned() -> None:
    message = parsed("27_garbage_bytes.eml")
    assert message.unparseable
    assert message.message_id_synthesised
    assert message.message_id == f"{message.raw_sha256}@synthesised.invalid"
    assert message.text == ""
    assert message.defects == ("no e-mail headers found",)


def test_zero_byte_file_is_unparseable_with_a_stable_id() -> None:
    message = parsed("28_zero_bytes.eml")
    assert message.unparseable
    assert message.message_id == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855@synthesised.invalid"
    )
    assert message.defects == ("empty message: no bytes at all",)


def test_base64_with_broken_padding_is_decoded_anyway() -> None:
    message = parsed("29_base64_broken_padding.eml")
    assert message.subject == "Двойное списание"
    assert message.visible_text.startswith("Прошу вернуть деньги за двойное списани")
    (blob,) = message.attachments
    assert blob.filename == "check.bin"
    assert blob.payload[:3] == b"\x00\x01\x02"
    assert any(defect.startswith("InvalidBase64") for defect in message.defects)


def test_huge_header_line_is_cut_with_a_note() -> None:
    message = parsed("30_huge_header_line.eml")
    assert message.subject.startswith("Report xxx")
    assert len(message.subject) == 1000
    assert "Subject cut to 1000 of 20007 characters" in message.defects
    assert message.visible_text == "See subject."


def test_duplicate_message_id_headers_use_the_first() -> None:
    message = parsed("31_duplicate_message_id.eml")
    assert message.message_id == "dup.first@client-shop.ru"
    assert not message.message_id_synthesised
    assert "2 Message-ID headers; the first valid one is used" in message.defects


def test_latin1_label_on_windows1251_text_is_overruled() -> None:
    message = parsed("32_declared_latin1_is_cp1251.eml")
    assert message.visible_text == "Выгрузка чеков за смену не прошла, касса пишет ошибку обмена."
    assert any("guessed cp1251" in defect for defect in message.defects)


def test_windows1251_label_on_utf8_text_is_overruled() -> None:
    message = parsed("33_declared_cp1251_is_utf8.eml")
    assert message.visible_text == "Сломался сканер штрихкодов на второй кассе."


def test_koi8r_text_without_charset_is_recognised() -> None:
    message = parsed("34_missing_charset_koi8.eml")
    assert message.visible_text.startswith("Ночная выгрузка остатков")
    assert "text/plain part: no charset; guessed koi8-r" in message.defects


def test_lf_only_message_from_a_pipe_parses_and_unknown_zone_is_utc() -> None:
    message = parsed("35_lf_only_pipe.eml")
    assert message.subject == "Письмо через pipe"
    assert message.visible_text == "Строки разделены только LF."
    assert message.date is not None
    assert message.date.utcoffset() is not None
    assert message.date.isoformat() == "2025-11-03T07:30:00+00:00"


def test_raw_8bit_file_name_is_decoded() -> None:
    message = parsed("36_raw_8bit_filename.eml")
    assert [a.filename for a in message.attachments] == ["Отчёт по продажам.xls"]


def test_html_only_outlook_reply_is_split_at_its_header_block() -> None:
    message = parsed("37_outlook_html_only_reply_ru.eml")
    assert message.visible_text == (
        "Коллеги, ошибка ушла после перезагрузки.\n\nС уважением,\nКовалёв Дмитрий"
    )
    assert re.match(r"От: Служба поддержки Пластек <support@plastek\.ru>", message.quoted_text)
