"""The work-time partials the ticket page includes, and the approvals page."""

from __future__ import annotations

import pytest

from servicedesk.core import clock
from servicedesk.worklogs.services import estimate_propose
from tests.worklogs.builders import log_time, msk, new_ticket

pytestmark = pytest.mark.django_db

AT = msk(2026, 2, 3, 12)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def report_ticket(desk):
    return new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))


def as_user(client, user):
    client.force_login(user)
    return client


def test_staff_add_time_through_the_htmx_panel(client, desk, report_ticket) -> None:
    web = as_user(client, desk["agent"])
    url = f"/worklogs/tickets/{report_ticket.display_number}/add/"
    with clock.frozen_at(AT):
        response = web.post(url, {"minutes": "1:30", "note": "Отчёт собран"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="worklog-panel"' in html and "<html" not in html
    assert "Сохранено." in html
    assert "90 мин" in html and "Отчёт собран" in html
    assert report_ticket.worklogs.get().minutes == 90


def test_a_bad_entry_re_renders_the_panel_with_the_error(client, desk, report_ticket) -> None:
    web = as_user(client, desk["agent"])
    url = f"/worklogs/tickets/{report_ticket.display_number}/add/"
    with clock.frozen_at(AT):
        response = web.post(url, {"minutes": "1:75"}, **HTMX)
        future = web.post(url, {"minutes": "30", "work_date": "2026-03-01"}, **HTMX)
    assert response.status_code == 422
    assert "Минут в часе не больше 59" in response.content.decode()
    assert "будущую дату" in future.content.decode()
    assert not report_ticket.worklogs.exists()


def test_the_client_approves_an_estimate_from_the_panel(client, desk, report_ticket) -> None:
    with clock.frozen_at(AT):
        estimate = estimate_propose(actor=desk["agent"], number=report_ticket.number, hours="4")
    web = as_user(client, desk["mega_user"])
    with clock.frozen_at(AT):
        panel = web.get(f"/worklogs/tickets/{report_ticket.display_number}/panel/").content.decode()
        assert "Согласовать" in panel and "Списать время" not in panel
        response = web.post(
            f"/worklogs/tickets/{report_ticket.display_number}/estimates/{estimate.pk}/decision/",
            {"decision": "approve"},
            **HTMX,
        )
    assert "Согласованная оценка: <strong>4,00 ч</strong>" in response.content.decode()


def test_other_clients_never_see_the_panel(client, desk, report_ticket) -> None:
    web = as_user(client, desk["apteka_user"])
    with clock.frozen_at(AT):
        response = web.get(f"/worklogs/tickets/{report_ticket.display_number}/panel/")
    assert response.status_code == 404


def test_the_manager_approves_excess_on_the_approvals_page(client, desk, report_ticket) -> None:
    from servicedesk.worklogs.services import estimate_decide

    with clock.frozen_at(AT):
        estimate = estimate_propose(actor=desk["agent"], number=report_ticket.number, hours="1")
        estimate_decide(
            actor=desk["mega_user"],
            number=report_ticket.number,
            estimate_id=estimate.pk,
            approve=True,
        )
    log = log_time(desk["agent"], report_ticket, 90, AT)
    web = as_user(client, desk["manager"])
    with clock.frozen_at(AT):
        html = web.get("/worklogs/approvals/").content.decode()
        assert report_ticket.display_number in html and "30 мин" in html
        response = web.post(f"/worklogs/{log.pk}/excess/", {"decision": "approve"}, **HTMX)
    assert "превышение согласовано" in response.content.decode()
    assert as_user(client, desk["agent"]).get("/worklogs/approvals/").status_code == 403


def test_the_consultation_partial_shows_used_and_cap(client, desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "consultation", msk(2026, 2, 2, 10))
    log_time(desk["agent"], ticket, 660, AT)
    web = as_user(client, desk["mega_user"])
    with clock.frozen_at(AT):
        html = web.get(f"/worklogs/clients/{desk['mega'].code}/consultation/").content.decode()
        other = as_user(client, desk["apteka_user"]).get(
            f"/worklogs/clients/{desk['mega'].code}/consultation/"
        )
    assert "11,00 ч из 10,00 ч" in html
    assert "сверх лимита 1,00 ч" in html
    assert other.status_code == 404


def test_only_approvers_see_the_approvals_link(client, desk, report_ticket) -> None:
    page = f"/worklogs/tickets/{report_ticket.display_number}/"
    with clock.frozen_at(AT):
        engineer = as_user(client, desk["agent"]).get(page).content.decode()
        manager = as_user(client, desk["manager"]).get(page).content.decode()
    assert "/worklogs/approvals/" not in engineer
    assert "/worklogs/approvals/" in manager
