"""Uploaded files: executables refused, the rest stored privately and only ever downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicedesk.core.options import desk_options
from servicedesk.tickets.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(world, api_as):
    api = api_as(world["agent"])
    body = {"subject": "Не печатает чек", "client": world["mega"].code, "outlet": "M-01"}
    return api.post("/tickets", body).json()["number"]


def upload(api, number: str, name: str, content: bytes, content_type: str, public: bool = True):
    return api.client.post(
        f"/api/v1/tickets/{number}/attachments",
        {"file": SimpleUploadedFile(name, content, content_type=content_type), "public": public},
        headers=api.headers,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00rest"),
        ("отчёт.pdf.exe", b"%PDF-1.7"),
        ("script.js", b"WScript.Echo(1)"),
        ("run.BAT", b"@echo off"),
        ("photo.jpg", b"MZ\x90\x00 a renamed program"),
        ("tool", b"\x7fELF\x02\x01"),
    ],
)
def test_programs_are_refused_whatever_they_are_called(
    world, api_as, ticket, name, content
) -> None:
    response = upload(api_as(world["agent"]), ticket, name, content, "application/octet-stream")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"][0]["loc"] == ["body", "file"]
    assert "не принят" in body["message"]
    assert not Attachment.objects.exists()


def test_the_deny_list_is_configurable(world, api_as, ticket, settings) -> None:
    settings.ATTACHMENT_DENIED_EXTENSIONS = ["xlsm"]
    api = api_as(world["agent"])
    assert upload(api, ticket, "macro.xlsm", b"PK\x03\x04", "application/zip").status_code == 422
    assert upload(api, ticket, "setup.exe.txt", b"text", "text/plain").status_code == 201


def test_files_larger_than_the_limit_are_refused(world, api_as, ticket, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    desk_options.cache_clear()
    response = upload(api_as(world["agent"]), ticket, "big.log", b"x" * 2048, "text/plain")
    assert response.status_code == 422
    assert "больше допустимых" in response.json()["message"]


def test_a_page_is_stored_under_a_random_name_and_only_downloaded(world, api_as, ticket) -> None:
    api = api_as(world["agent"])
    page = b"<html><script>alert(1)</script></html>"
    created = upload(api, ticket, "отчёт.html", page, "text/html")
    assert created.status_code == 201
    stored = Attachment.objects.get()
    assert "отчёт" not in stored.file.name
    assert Path(stored.file.path).read_bytes() == page

    download = api.get(f"/attachments/{stored.pk}")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == page


def test_a_harmless_file_keeps_its_type_but_is_still_an_attachment(world, api_as, ticket) -> None:
    api = api_as(world["agent"])
    stored = upload(api, ticket, "касса.png", b"\x89PNG\r\n\x1a\n....", "image/png").json()
    download = api.get(f"/attachments/{stored['id']}")
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")


def test_files_are_served_only_to_those_who_may_see_the_ticket(world, api_as, ticket) -> None:
    agent = api_as(world["agent"])
    public = upload(agent, ticket, "чек.txt", b"receipt", "text/plain").json()
    internal = upload(agent, ticket, "логи.txt", b"logs", "text/plain", public=False).json()
    mega = api_as(world["mega_user"])
    apteka = api_as(world["apteka_user"])
    assert mega.get(f"/attachments/{public['id']}").status_code == 200
    assert mega.get(f"/attachments/{internal['id']}").status_code == 404
    assert apteka.get(f"/attachments/{public['id']}").status_code == 404


def test_there_is_no_public_url_for_uploaded_files(world, api_as, ticket, client) -> None:
    stored = upload(api_as(world["agent"]), ticket, "чек.txt", b"receipt", "text/plain")
    assert stored.status_code == 201
    path = Attachment.objects.get().file.name
    assert client.get(f"/attachments-not-public/{path}").status_code == 404
    assert client.get(f"/media/{path}").status_code == 404


def test_control_characters_are_removed_from_file_names(world, api_as, ticket) -> None:
    response = upload(api_as(world["agent"]), ticket, "чек\x00\x07.txt", b"text", "text/plain")
    assert response.status_code == 201
    assert response.json()["filename"] == "чек.txt"
