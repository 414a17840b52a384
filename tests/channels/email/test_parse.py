"""parse_message decodes what it can, guesses what it must and never raises."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicedesk.channels.email import body, parse
from servicedesk.channels.email.body import MessageBody
from servicedesk.channels.email.parse import ParsedMessage, parse_message

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.eml"))


def mail(
    *header_lines: str, body: str = "Текст", content_type: str = "text/plain; charset=utf-8"
) -> bytes:
    """Return a small UTF-8 message with the given extra header lines."""
    head = "\r\n".join(header_lines)
    return (
        f"{head}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ).encode()


def assert_storable(message: ParsedMessage) -> None:
    """Check that every text field can go into a PostgreSQL text column."""
    for field in dataclasses.fields(message):
        value = getattr(message, field.name)
        values = value if isinstance(value, tuple) else (value,)
        for item in values:
            if isinstance(item, str):
                item.encode("utf-8")
                assert "\x00" not in item, field.name
    for attachment in message.attachments:
        attachment.filename.encode("utf-8")
        assert attachment.filename
        assert "/" not in attachment.filename
        assert "\\" not in attachment.filename
    assert message.text.startswith(message.visible_text)
    assert message.text.endswith(message.quoted_text)


# --- headers -----------------------------------------------------------------


def test_utf8_character_split_across_encoded_words_is_rejoined() -> None:
    # "Привет" is 12 bytes; clients cut encoded words at byte boundaries.
    first, second = "Привет".encode()[:5], "Привет".encode()[5:]
    import base64

    subject = (
        f"=?UTF-8?B?{base64.b64encode(first).decode()}?=\r\n"
        f" =?UTF-8?B?{base64.b64encode(second).decode()}?="
    )
    assert parse_message(mail(f"Subject: {subject}", "From: a@x.ru")).subject == "Привет"


def test_encoded_words_mixed_with_plain_and_raw_8bit_text() -> None:
    raw = (
        b"From: a@x.ru\r\nSubject: Re: =?koi8-r?Q?=F0=D2=C9=D7=C5=D4_=CD=C9=D2?= and \xd2\xe5\xf1\xf2\r\n"
        b"\r\nbody\r\n"
    )
    assert parse_message(raw).subject == "Re: Привет мир and Тест"


def test_encoded_word_with_an_unknown_charset_is_guessed() -> None:
    import base64

    word = base64.b64encode("Касса не работает".encode("cp1251")).decode()
    message = parse_message(mail(f"Subject: =?x-unknown?B?{word}?=", "From: a@x.ru"))
    assert message.subject == "Касса не работает"


def test_encoded_word_with_broken_base64_does_not_break_the_subject() -> None:
    message = parse_message(mail("Subject: Hi =?utf-8?B?!!!?= there", "From: a@x.ru"))
    assert message.subject == "Hi there"


def test_subject_is_stripped_and_folding_collapsed() -> None:
    message = parse_message(mail("Subject:   Касса\r\n    не работает  ", "From: a@x.ru"))
    assert message.subject == "Касса не работает"


def test_display_name_with_a_comma_inside_an_encoded_word_stays_one_address() -> None:
    import base64

    name = base64.b64encode("Иванов, Иван".encode()).decode()
    message = parse_message(
        mail(f"From: =?utf-8?B?{name}?= <Ivan@X.RU>", "Cc: b@y.ru, undisclosed-recipients:;")
    )
    assert (message.from_name, message.from_address) == ("Иванов, Иван", "ivan@x.ru")
    assert message.cc_addresses == ("b@y.ru",)


def test_unparseable_from_header_is_read_leniently() -> None:
    message = parse_message(mail('From: "broken <<a@x.ru>>" <a@x.ru', "Subject: s"))
    assert message.from_address is not None
    assert "a@x.ru" in message.from_address


def test_from_without_address_gives_no_address() -> None:
    message = parse_message(mail("From: Ivan Petrov", "Subject: s"))
    assert message.from_address is None
    assert "From header has no usable address" in message.defects


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Date: Mon, 3 Nov 2025 10:15:00 +0300", datetime(2025, 11, 3, 7, 15, tzinfo=UTC)),
        ("Date: Mon, 3 Nov 2025 10:15:00 -0000", datetime(2025, 11, 3, 10, 15, tzinfo=UTC)),
        ("Date: 3 Nov 2025 10:15 MSK", datetime(2025, 11, 3, 7, 15, tzinfo=UTC)),
        ("Date: Mon, 3 Nov 2025 10:15:00 XYZ", datetime(2025, 11, 3, 10, 15, tzinfo=UTC)),
        ("Date: Mon, 3 Nov 2025 10:15:00 GMT", datetime(2025, 11, 3, 10, 15, tzinfo=UTC)),
        ("Date: пн, 3 ноя 2025 10:15:00 +0300", None),
        ("Date: Mon, 3 Nov 3025 10:15:00 +0300", None),
        ("X-No-Date: 1", None),
    ],
)
def test_dates_are_aware_or_absent(header: str, expected: datetime | None) -> None:
    date = parse_message(mail("From: a@x.ru", header)).date
    assert date == expected
    assert date is None or date.tzinfo is not None


def test_missing_message_id_is_synthesised_stably_from_the_bytes() -> None:
    raw = mail("From: a@x.ru", "Subject: s")
    first, again, other = parse_message(raw), parse_message(raw), parse_message(raw + b" ")
    assert first.message_id_synthesised
    assert first.message_id == again.message_id != other.message_id
    assert "no Message-ID; one was made from the SHA-256 of the raw bytes" in first.defects


def test_loop_headers_are_kept_raw_and_found_in_any_case() -> None:
    message = parse_message(
        mail("From: a@x.ru", "Return-Path: <>", "List-Id: Clients\r\n <clients.x.ru>")
    )
    assert message.loop_header("Return-Path") == "<>"
    assert message.loop_header("LIST-ID") == "Clients <clients.x.ru>"
    assert message.loop_header("X-Loop") is None


# --- body and attachments ----------------------------------------------------


def test_single_text_part_with_a_file_name_is_still_the_body() -> None:
    raw = mail(
        "From: a@x.ru",
        'Content-Disposition: inline; filename="body.txt"',
        body="Тело письма",
    )
    message = parse_message(raw)
    assert (message.text, message.attachments) == ("Тело письма", ())


def test_apple_mail_text_split_around_an_image_is_joined() -> None:
    raw = (
        "From: a@x.ru\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nДо картинки\r\n"
        "--b\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlh\r\n"
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nПосле картинки\r\n--b--\r\n"
    ).encode()
    message = parse_message(raw)
    assert message.text == "До картинки\n\nПосле картинки"
    assert [a.filename for a in message.attachments] == ["attachment-1.gif"]


def test_unnamed_parts_are_numbered_by_their_place_among_all_attachments() -> None:
    raw = (
        b"From: a@x.ru\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
        b"--m\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n"
        b"--a\r\nContent-Type: text/plain\r\n\r\nText\r\n"
        b"--a\r\nContent-Type: multipart/related; boundary=r\r\n\r\n"
        b'--r\r\nContent-Type: text/html\r\n\r\n<img src="cid:p@x">\r\n'
        b"--r\r\nContent-Type: image/png\r\nContent-ID: <p@x>\r\n\r\npng\r\n--r--\r\n"
        b"--a--\r\n"
        b"--m\r\nContent-Type: application/pdf\r\n\r\npdf\r\n--m--\r\n"
    )
    message = parse_message(raw)
    assert [(a.filename, a.inline) for a in message.attachments] == [
        ("attachment-1.png", True),
        ("attachment-2.pdf", False),
    ]
    assert message.text == "Text"


def test_dangerous_file_names_lose_their_paths_and_control_characters() -> None:
    raw = (
        "From: a@x.ru\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n"
        '--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="../../etc/passwd"\r\n\r\nx\r\n'
        '--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="C:\\\\Users\\\\a\\\\Акт.pdf"\r\n\r\nx\r\n'
        '--b\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename=" .. "\r\n\r\nx\r\n'
        f'--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="{"я" * 300}.pdf"\r\n\r\nx\r\n'
        "--b--\r\n"
    ).encode()
    names = [a.filename for a in parse_message(raw).attachments]
    assert names[:3] == ["passwd", "Акт.pdf", "attachment-3.csv"]
    assert len(names[3]) == body.MAX_FILENAME_LENGTH
    assert names[3].endswith(".pdf")


def test_multipart_without_boundary_is_read_as_text() -> None:
    raw = b"From: a@x.ru\r\nContent-Type: multipart/mixed\r\n\r\nJust text after all\r\n"
    message = parse_message(raw)
    assert message.text == "Just text after all"
    assert "multipart/mixed without parts read as plain text" in message.defects


def test_absurdly_deep_nesting_is_cut_off_not_crashing() -> None:
    depth = 60
    opening = "".join(
        f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n" for i in range(depth)
    )
    closing = "".join(f"\r\n--b{i}--" for i in reversed(range(depth)))
    raw = f"From: a@x.ru\r\n{opening}Content-Type: text/plain\r\n\r\ndeep{closing}\r\n".encode()
    message = parse_message(raw)
    assert not message.unparseable
    assert any("MIME nesting deeper than" in defect for defect in message.defects)
    assert_storable(message)


def test_html_keeps_cid_images_but_drops_javascript_and_data_urls() -> None:
    html = (
        '<img src="cid:a@b"><img src="data:image/png;base64,AAAA">'
        '<a href="https://plastek.ru" onmouseover="x()">site</a><iframe src="https://e.x"></iframe>'
    )
    message = parse_message(
        mail("From: a@x.ru", body=html, content_type="text/html; charset=utf-8")
    )
    assert message.html is not None
    assert 'src="cid:a@b"' in message.html
    for removed in ("data:", "onmouseover", "<iframe"):
        assert removed not in message.html
    assert message.text == "site"


def test_nul_bytes_and_bare_cr_are_removed_from_text() -> None:
    message = parse_message(mail("From: a@x.ru", "Subject: a\x00b", body="one\x00two\rthree"))
    assert message.subject == "ab"
    assert message.text == "onetwo\nthree"


# --- never raise -------------------------------------------------------------


def test_bytes_with_header_lines_after_garbage_keep_a_best_effort_subject_and_sender() -> None:
    raw = b"\x00\x01garbage line\r\nSubject: =?utf-8?B?0J/QvtC80L7Qs9C40YLQtQ==?=\r\nFrom: Ivan <I@X.ru>\r\n\r\nbody"
    message = parse_message(raw)
    assert message.unparseable
    assert (message.subject, message.from_name, message.from_address) == (
        "Помогите",
        "Ivan",
        "i@x.ru",
    )


def test_a_crash_inside_the_parser_becomes_an_unparseable_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(raw: bytes) -> ParsedMessage:
        raise RecursionError("too deep")

    monkeypatch.setattr(parse, "_parse", explode)
    message = parse_message(b"Subject: still here\r\n\r\nbody")
    assert message.unparseable
    assert message.subject == "still here"
    assert message.defects == ("parser failed: RecursionError: too deep",)


def test_walking_parts_falls_back_to_compat32(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Message] = []

    def fail_once(message: Message) -> MessageBody:
        calls.append(message)
        if len(calls) == 1:
            raise ValueError("policy.default choked")
        return body.read_body(message)

    monkeypatch.setattr(parse, "read_body", fail_once)
    message = parse_message(mail("From: a@x.ru", body="Текст"))
    assert message.text == "Текст"
    assert (
        "MIME structure read with compat32 after ValueError: policy.default choked"
        in message.defects
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_raising(raw: bytes) -> None:
    assert_storable(parse_message(raw))


HEADER_LINES = st.sampled_from(
    [
        b"From: =?koi8-r?B?8NLJ18XU?= <a@x.ru>",
        b"From: \xcf\xf0\xe8 <\xff@x.ru>",
        b"From: <<<>>>",
        b'To: a@x.ru, , ,;; "unterminated',
        b"Subject: =?utf-8?B?",
        b"Subject: =?bogus?Q?=ZZ?=",
        b"Date: Mon, 99 Foo 2025 99:99:99 +9999",
        b"Message-ID: <\xff\xfe@x>",
        b"Message-ID:",
        b"References: <a@x> <b@x",
        b'Content-Type: multipart/mixed; boundary="b"',
        b"Content-Type: multipart/alternative; boundary=b",
        b"Content-Type: message/rfc822",
        b'Content-Type: text/plain; charset="=?utf-8?Q?x?="',
        b"Content-Type: text/html; charset=utf-7",
        b"Content-Type: text/plain; charset=rot13",
        b"Content-Type: text/plain; charset=undefined",
        b"Subject: =?idna?B?3q3vvg==?= =?unicode_escape?Q?=5Cx?=",
        b"Content-Type: ;;;",
        b"Content-Transfer-Encoding: base64",
        b"Content-Transfer-Encoding: quoted-printable",
        b"Content-Transfer-Encoding: x-uuencode",
        b"Content-Disposition: attachment; filename*=bogus''%ZZ%D0",
        b"Content-Disposition: attachment; filename*0*=utf-8''%D0; filename*2=x",
        b"Content-ID: <>",
        b"Auto-Submitted: auto-replied",
    ]
)
BODY_CHUNKS = st.sampled_from(
    [
        b"--b",
        b"--b--",
        b"Content-Type: text/html\r\n\r\n<p onclick=x>\xd0\x9f",
        b"Content-Type: message/delivery-status\r\n\r\nStatus: 5.1.1",
        b"=D0=9F=\r\n",
        b"0J/RgNC40LLQtdGC",
        b"begin 644 x\r\n#86)C\r\nend",
        b"\x00\xff\xfe",
        b"",
        b"> quoted",
        b"On Mon wrote:",
    ]
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(HEADER_LINES, max_size=12),
    st.lists(BODY_CHUNKS | st.binary(max_size=40), max_size=20),
)
def test_messages_assembled_from_nasty_pieces_parse_without_raising(
    header_lines: list[bytes], body_chunks: list[bytes]
) -> None:
    raw = b"\r\n".join(header_lines) + b"\r\n\r\n" + b"\r\n".join(body_chunks)
    assert_storable(parse_message(raw))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(CORPUS),
    st.integers(min_value=0, max_value=5000),
    st.binary(min_size=0, max_size=8),
)
def test_corrupted_corpus_messages_parse_without_raising(path: Path, at: int, junk: bytes) -> None:
    original = path.read_bytes()
    cut = min(at, len(original))
    assert_storable(parse_message(original[:cut] + junk + original[cut + len(junk) :]))
    assert_storable(parse_message(original[:cut]))


_NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    max_size=40,
)
_LOCAL = st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9._+-]{0,20}", fullmatch=True)
_DOMAIN = st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}\.(ru|com|test)", fullmatch=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_NAMES, local=_LOCAL, domain=_DOMAIN)
def test_a_plain_from_header_reads_as_the_client_wrote_it(
    name: str, local: str, domain: str
) -> None:
    """From values of one address and a plain or encoded name skip policy.default's full
    parser (which also puts a space between a long name's encoded words where there was
    none); the name must read back as RFC 2047 says and the address as written.

    The oracle is the standard library's RFC 2047 decoder, not the name as written: the
    writer sometimes folds a long name at a space that falls between two encoded words,
    and RFC 2047 §6.2 tells readers to drop such space ("…\u200b ¡" reads "…\u200b¡").
    """
    from email.header import decode_header, make_header
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import getaddresses

    from servicedesk.channels.email.headers import HeaderReader, _clean_address, _plain_address

    message = EmailMessage()
    message["From"] = Address(display_name=name, username=local, domain=domain)
    message["Subject"] = "x"
    raw = message.as_bytes(policy=SMTP)
    reader = HeaderReader(BytesParser(policy=parse._POLICY).parsebytes(raw))
    values = reader.raw["from"]
    if not all(map(_plain_address, values)):
        return
    [(display, _)] = getaddresses(values)
    said = str(make_header(decode_header(display)))
    assert reader.sender() == _clean_address(said, f"{local}@{domain}")
    if "=?" not in display:
        assert reader.sender() == _clean_address(name, f"{local}@{domain}")


@pytest.mark.parametrize(
    ("value", "sender", "addresses"),
    [
        ("a@b.ru c@d.ru", (None, "a@b.ru"), ("a@b.ru",)),
        ("<a@b.ru> Ivan", (None, "a@b.ru"), ("a@b.ru",)),
        ("Ivan <a@b.ru> x", ("Ivan", "a@b.ru"), ("a@b.ru",)),
        ("a@b.ru <c@d.ru>", (None, "a@b.ru"), ("a@b.ru",)),
    ],
)
def test_a_from_with_stray_words_is_read_by_the_full_parser(
    value: str, sender: tuple[str | None, str], addresses: tuple[str, ...]
) -> None:
    """The plain splitter would read these as two addresses, the second one broken."""
    from servicedesk.channels.email.headers import HeaderReader

    raw = f"From: {value}\r\nSubject: x\r\n\r\nтекст".encode()
    reader = HeaderReader(BytesParser(policy=parse._POLICY).parsebytes(raw))
    assert reader.sender() == sender
    assert reader.addresses("from") == addresses


@pytest.mark.parametrize(
    "raw",
    [
        *(path.read_bytes() for path in CORPUS),
        b"",
        b"\x00\x01 not an e-mail at all",
        b"Subject: only a subject\r\n\r\nbody",
        b"From: a@b.ru\r\nMessage-ID: <x@y>\r\nIn-Reply-To: <p@q> (comment)\r\n\r\n",
    ],
    ids=[*(path.stem for path in CORPUS), "empty", "binary", "subject-only", "headers-only"],
)
def test_threading_headers_alone_read_as_the_full_parse_reads_them(raw: bytes) -> None:
    full = parse_message(raw)

    alone = parse.read_threading_headers(raw)

    assert (alone.message_id, alone.in_reply_to, alone.references) == (
        full.message_id,
        full.in_reply_to,
        full.references,
    )
    assert (alone.subject, alone.from_address) == (full.subject, full.from_address)
