"""Machine-written mail is recognised so that it never opens tickets or loops."""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message
from email.policy import default

import pytest

from servicedesk.channels.email.loops import (
    AutoReplyKind,
    BounceInfo,
    classify_auto_reply,
    detect_bounce,
)


@pytest.mark.parametrize(
    ("headers", "kind", "reason"),
    [
        (
            {"Auto-Submitted": "auto-replied"},
            AutoReplyKind.AUTO_REPLY,
            "Auto-Submitted: auto-replied",
        ),
        (
            {"auto-submitted": "Auto-Generated (ticket system)"},
            AutoReplyKind.AUTO_GENERATED,
            "Auto-Submitted: auto-generated",
        ),
        (
            {"Auto-Submitted": "auto-notified; owner-email=x@y.ru"},
            AutoReplyKind.AUTO_GENERATED,
            "Auto-Submitted: auto-notified",
        ),
        ({"X-Autoreply": "yes"}, AutoReplyKind.AUTO_REPLY, "x-autoreply header present"),
        ({"X-Autorespond": "1"}, AutoReplyKind.AUTO_REPLY, "x-autorespond header present"),
        ({"Precedence": "auto_reply"}, AutoReplyKind.AUTO_REPLY, "Precedence: auto_reply"),
        ({"Precedence": "bulk"}, AutoReplyKind.BULK, "Precedence: bulk"),
        ({"Precedence": "JUNK"}, AutoReplyKind.BULK, "Precedence: junk"),
        ({"Precedence": "list"}, AutoReplyKind.BULK, "Precedence: list"),
        ({"List-Id": "<clients.plastek.ru>"}, AutoReplyKind.BULK, "List-Id header present"),
        (
            {
                "Content-Type": 'multipart/report; report-type="disposition-notification"; boundary=x'
            },
            AutoReplyKind.AUTO_GENERATED,
            "read receipt",
        ),
    ],
)
def test_machine_headers_are_recognised(
    headers: dict[str, str], kind: AutoReplyKind, reason: str
) -> None:
    verdict = classify_auto_reply(headers, "Re: [SD-000042] Касса")
    assert verdict is not None
    assert (verdict.kind, verdict.reason) == (kind, reason)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Auto-Submitted": "no"},
        {"X-Auto-Response-Suppress": "All"},  # a request to others, sent by normal Outlook mail
        {"Precedence": "first-class"},
        {"X-Autoreply": ""},
    ],
)
def test_person_mail_is_not_an_auto_reply(headers: dict[str, str]) -> None:
    assert classify_auto_reply(headers, "Касса не печатает чеки") is None


@pytest.mark.parametrize(
    "subject",
    [
        "Автоответ: Re: [SD-000042] Касса",
        "Автоматический ответ: [SD-000042] Касса",
        "АВТОМАТИЧЕСКИЙ ОТВЕТ: Касса",
        "Out of Office: [SD-000042]",
        "Out of the office until Monday",
        "Auto-Reply: your request",
        "Automatic reply: [SD-000042] Till",
        "AutoReply",
        "Я в отпуске до 10 ноября",
        "Нет на месте",
        "Вне офиса до понедельника",
    ],
)
def test_out_of_office_subjects_are_auto_replies(subject: str) -> None:
    verdict = classify_auto_reply({}, subject)
    assert verdict is not None
    assert verdict.kind is AutoReplyKind.AUTO_REPLY


@pytest.mark.parametrize(
    "subject",
    [
        "Касса не работает, я в отпуске с понедельника",
        "Re: Автоответчик на телефоне не работает",
        "Настроить out of office в Outlook",
        "",
    ],
)
def test_people_writing_about_vacations_are_not_auto_replies(subject: str) -> None:
    assert classify_auto_reply({}, subject) is None


def message(raw: str) -> Message:
    return message_from_bytes(raw.replace("\n", "\r\n").encode(), policy=default)


def test_null_return_path_alone_is_no_bounce_because_vacation_replies_use_it() -> None:
    vacation = message(
        "Return-Path: <>\nFrom: a@x.ru\nSubject: I am away\nAuto-Submitted: auto-replied\n\nAway.\n"
    )
    assert detect_bounce(vacation) is None


def test_null_return_path_with_bounce_subject_is_a_bounce() -> None:
    bounce = message(
        "Return-Path: <>\nFrom: robot@hosting.ru\nSubject: Недоставленное сообщение\n\n"
        "Письмо для <ivan@x.ru> не доставлено: 550 5.2.2 Mailbox full\n"
        "Message-ID: <sd.000001.received.0000000000000001@plastek.ru>\n"
    )
    info = detect_bounce(bounce)
    assert info == BounceInfo(
        original_message_id="sd.000001.received.0000000000000001@plastek.ru",
        recipient=None,
        status="5.2.2",
        diagnostic="Письмо для <ivan@x.ru> не доставлено: 550 5.2.2 Mailbox full",
    )


def test_postmaster_bounce_is_a_bounce_even_without_details() -> None:
    info = detect_bounce(message("From: postmaster@x.ru\nSubject: oops\n\nSomething failed.\n"))
    assert info == BounceInfo(None, None, None, None)
    assert info.is_permanent


def test_delayed_delivery_report_is_not_permanent() -> None:
    report = message(
        'From: MAILER-DAEMON@mx.ru\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nDelayed.\n--b\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.ru\n\nFinal-Recipient: rfc822; slow@x.ru\nAction: delayed\nStatus: 4.4.1\n--b--\n"
    )
    info = detect_bounce(report)
    assert info is not None
    assert (info.recipient, info.status, info.is_permanent) == ("slow@x.ru", "4.4.1", False)


def test_person_mail_is_no_bounce() -> None:
    assert detect_bounce(message("From: ivan@x.ru\nSubject: Касса\n\nНе работает.\n")) is None
