"""The ticket records which article went into a reply, without forcing the agent to reload."""

from __future__ import annotations

import pytest

from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.knowledge.models import ArticleUsage, Visibility
from servicedesk.knowledge.services import kb_record_usage
from servicedesk.tickets import services as tickets
from servicedesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(kb) -> Ticket:
    return tickets.ticket_create(
        actor=kb["agent"],
        data=tickets.NewTicket(subject="Баллы", client=kb["mega"].code, channel="phone"),
    )


def test_using_an_article_is_a_history_event_and_the_version_stays(kb, write, ticket) -> None:
    article = write("Начисление баллов")
    event = kb_record_usage(
        ticket=ticket.display_number, article=article.pk, actor=kb["agent"], mode="text"
    )
    after = Ticket.objects.get(pk=ticket.pk)
    assert after.version == ticket.version
    assert event.type == "knowledge_used"
    assert event.data == {"article_id": article.pk, "title": "Начисление баллов", "mode": "text"}
    assert event.actor == kb["agent"]
    assert ArticleUsage.objects.get().ticket == after


def test_a_reply_after_inserting_an_article_is_not_refused_as_stale(kb, write, ticket) -> None:
    article = write("Начисление баллов")
    kb_record_usage(ticket=ticket.number, article=article.pk, actor=kb["agent"], mode="link")
    tickets.ticket_comment(
        actor=kb["agent"], number=ticket.number, body="Ответ", expected_version=ticket.version
    )


def test_bad_mode_unknown_article_and_client_users_are_refused(kb, write, ticket) -> None:
    article = write("Начисление баллов", visibility=Visibility.CLIENT)
    with pytest.raises(ValidationFailed):
        kb_record_usage(ticket=ticket.number, article=article.pk, actor=kb["agent"], mode="paste")
    with pytest.raises(NotFound):
        kb_record_usage(ticket=ticket.number, article=999999, actor=kb["agent"], mode="link")
    with pytest.raises(Forbidden):
        kb_record_usage(
            ticket=ticket.number, article=article.pk, actor=kb["mega_user"], mode="link"
        )
    assert not ticket.events.filter(type="knowledge_used").exists()


def test_the_widget_endpoint_records_usage(client, kb, write, ticket) -> None:
    article = write("Начисление баллов")
    client.force_login(kb["agent"])
    answer = client.post(
        "/kb/usage/", {"ticket": ticket.display_number, "article": article.pk, "mode": "link"}
    )
    assert answer.status_code == 204
    assert ticket.events.filter(type="knowledge_used").count() == 1
    bad = client.post("/kb/usage/", {"ticket": "SD-999999", "article": article.pk, "mode": "link"})
    assert bad.status_code == 404


def test_the_api_records_usage(api_as, kb, write, ticket) -> None:
    article = write("Начисление баллов")
    answer = api_as(kb["agent"]).post(
        "/kb/usage", {"ticket": ticket.display_number, "article": article.pk, "mode": "text"}
    )
    assert answer.status_code == 201
    assert answer.json()["ticket"] == ticket.display_number
    events = api_as(kb["agent"]).get(f"/tickets/{ticket.number}/events").json()
    assert events[-1]["type"] == "knowledge_used"
