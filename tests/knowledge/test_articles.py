"""Writing articles: versions, history, diff, sanitised Markdown, files, the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicedesk.core.errors import Forbidden, StaleVersion, ValidationFailed
from servicedesk.knowledge.models import ArticleVersion, ImmutableVersionError, Visibility
from servicedesk.knowledge.services import ArticleData, article_create, article_update

pytestmark = pytest.mark.django_db


def data(kb, **fields) -> ArticleData:
    return ArticleData(
        **(
            {"title": "Как активировать карту", "body": "Текст", "section_id": kb["section"].pk}
            | fields
        )
    )


def test_every_save_is_a_new_immutable_version_with_author_and_date(kb) -> None:
    article = article_create(actor=kb["agent"], data=data(kb))
    article_update(
        actor=kb["head"],
        article_id=article.pk,
        data=data(kb, body="Новый текст"),
        expected_version=1,
    )
    versions = list(ArticleVersion.objects.filter(article=article).order_by("number"))
    assert [(v.number, v.body, v.author) for v in versions] == [
        (1, "Текст", kb["agent"]),
        (2, "Новый текст", kb["head"]),
    ]
    versions[0].body = "подмена"
    with pytest.raises(ImmutableVersionError):
        versions[0].save()


def test_a_stale_edit_is_refused(kb) -> None:
    article = article_create(actor=kb["agent"], data=data(kb))
    article_update(actor=kb["agent"], article_id=article.pk, data=data(kb), expected_version=1)
    with pytest.raises(StaleVersion):
        article_update(actor=kb["head"], article_id=article.pk, data=data(kb), expected_version=1)


def test_only_staff_write_and_input_is_checked(kb) -> None:
    with pytest.raises(Forbidden):
        article_create(actor=kb["mega_user"], data=data(kb))
    with pytest.raises(ValidationFailed, match="Заголовок"):
        article_create(actor=kb["agent"], data=data(kb, title="   "))
    with pytest.raises(ValidationFailed, match="Услуги не найдены в каталоге: nope"):
        article_create(actor=kb["agent"], data=data(kb, services=("nope",)))
    with pytest.raises(ValidationFailed, match="Клиент «nope»"):
        article_create(actor=kb["agent"], data=data(kb, client="nope"))


def test_slugs_are_latin_and_unique(kb) -> None:
    first = article_create(actor=kb["agent"], data=data(kb))
    second = article_create(actor=kb["agent"], data=data(kb))
    assert first.slug == "kak-aktivirovat-kartu"
    assert second.slug == "kak-aktivirovat-kartu-2"


def test_markdown_is_rendered_and_sanitised(client, kb) -> None:
    body = "**Важно**: <script>alert(1)</script> [ссылка](javascript:alert(1)) <img src=x onerror=alert(1)>"
    article = article_create(
        actor=kb["agent"], data=data(kb, body=body, visibility=Visibility.PUBLIC)
    )
    page = client.get(f"/kb/public/{article.slug}/").content.decode()
    assert "<strong>Важно</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "onerror=alert(1)>" not in page


def test_staff_write_an_article_through_the_page_and_read_its_history(client, kb) -> None:
    client.force_login(kb["agent"])
    form = {
        "title": "Возврат покупки",
        "section": kb["section"].pk,
        "visibility": "client",
        "client": "",
        "services": ["consultation"],
        "keywords": "",
        "body": "Первая редакция.",
        "is_published": "on",
    }
    from servicedesk.catalog.models import Service

    form["services"] = [Service.objects.get(code="consultation").pk]
    created = client.post("/kb/new/", form)
    assert created.status_code == 302
    article_url = created["Location"]
    article_id = int(article_url.rstrip("/").split("/")[-1])
    edited = client.post(
        f"/kb/{article_id}/edit/", form | {"body": "Вторая редакция.", "version": 1}
    )
    assert edited.status_code == 302
    stale = client.post(f"/kb/{article_id}/edit/", form | {"body": "Третья.", "version": 1})
    assert "Статью уже изменил кто-то другой" in stale.content.decode()
    history = client.get(f"/kb/{article_id}/history/").content.decode()
    assert "Первая редакция" not in history and "Возврат покупки" in history
    diff = client.get(f"/kb/{article_id}/diff/?a=1&b=2").content.decode()
    assert "-Первая редакция." in diff
    assert "+Вторая редакция." in diff
    assert "Вторая редакция" in client.get(f"/kb/{article_id}/").content.decode()


def test_the_preview_renders_sanitised_markdown(client, kb) -> None:
    client.force_login(kb["agent"])
    answer = client.post("/kb/preview/", {"body": "# Заголовок\n<script>x</script>"})
    assert answer.content.decode().startswith("<h1>Заголовок</h1>")
    assert "<script>" not in answer.content.decode()


def test_files_are_served_only_to_readers_of_the_article(client, kb, write) -> None:
    internal = write("Внутренний регламент")
    public = write("Памятка кассира", visibility=Visibility.PUBLIC)
    client.force_login(kb["agent"])
    for article in (internal, public):
        upload = SimpleUploadedFile("памятка.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        assert client.post(f"/kb/{article.pk}/files/", {"file": upload}).status_code == 302
    internal_file = internal.attachments.get()
    public_file = public.attachments.get()
    assert client.get(f"/kb/files/{internal_file.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/kb/files/{internal_file.pk}/").status_code == 404
    download = client.get(f"/kb/files/{public_file.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in download["Content-Disposition"]
    client.force_login(kb["mega_user"])
    assert client.get(f"/kb/files/{internal_file.pk}/").status_code == 404


def test_an_empty_file_is_refused(client, kb, write) -> None:
    article = write("Памятка")
    client.force_login(kb["agent"])
    answer = client.post(f"/kb/{article.pk}/files/", {"file": SimpleUploadedFile("a.txt", b"")})
    assert answer.status_code == 422
    assert "пустой" in answer.content.decode()


def test_the_api_searches_reads_writes_and_refuses_bad_input(api_as, kb) -> None:
    api = api_as(kb["agent"])
    created = api.post(
        "/kb/articles",
        {
            "title": "Начисление баллов",
            "body": "Баллы приходят **за сутки**.",
            "section_id": kb["section"].pk,
            "visibility": "public",
            "services": ["consultation"],
        },
    )
    assert created.status_code == 201, created.json()
    article = created.json()
    assert article["html"] == "<p>Баллы приходят <strong>за сутки</strong>.</p>\n"
    assert article["public_url"] == f"/kb/public/{article['slug']}/"
    hits = api.get("/kb/search?q=баллы не начислились").json()
    assert [h["id"] for h in hits] == [article["id"]]
    assert hits[0]["title_html"] == "<mark>Начисление</mark> <mark>баллов</mark>"
    updated = api.put(
        f"/kb/articles/{article['id']}",
        {
            "title": "Начисление баллов",
            "body": "Новый текст",
            "section_id": kb["section"].pk,
            "version": 1,
        },
    )
    assert updated.json()["version"] == 2
    stale = api.put(
        f"/kb/articles/{article['id']}",
        {"title": "x", "body": "y", "section_id": kb["section"].pk, "version": 1},
    )
    assert stale.status_code == 409
    bad = api.post(
        "/kb/articles", {"title": "", "body": "x", "section_id": 1, "visibility": "secret"}
    )
    assert bad.status_code == 422
    assert {tuple(d["loc"][-1:]) for d in bad.json()["detail"]} == {("title",), ("visibility",)}
    assert api.get("/kb/search?q=").status_code == 422
    assert (
        api_as(kb["mega_user"])
        .post("/kb/articles", {"title": "x", "body": "y", "section_id": kb["section"].pk})
        .status_code
        == 403
    )
