"""The report pages: what the head, the manager and a client user see and download."""

from __future__ import annotations

import pytest

from servicedesk.core import clock
from tests.reports.dataset import NOW

pytestmark = pytest.mark.django_db


def page(client, user, path):
    client.force_login(user)
    with clock.frozen_at(NOW):
        return client.get(path)


def test_the_head_sees_every_report_in_the_navigation(client, data) -> None:
    html = page(client, data["head"], "/reports/").content.decode()
    for title in ("Соблюдение SLA", "Очередь и возраст", "Нагрузка", "Биллинг", "Каналы"):
        assert title in html


def test_the_sla_page_shows_figures_charts_tables_and_export_links(client, data) -> None:
    response = page(client, data["manager"], "/reports/sla/?month=2026-02")
    assert response.status_code == 200
    html = response.content.decode()
    assert "71,4\u00a0%" in html  # reaction compliance
    assert html.count("<svg") == 2
    assert "Нарушения SLA" in html
    assert f'href="/tickets/{data["t3"].display_number}/"' in html
    assert "format=xlsx" in html and "format=csv&amp;table=breaches" in html
    assert "cdn" not in html.lower()


def test_pages_download_xlsx_and_csv(client, data) -> None:
    xlsx = page(client, data["head"], "/reports/load/?month=2026-02&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx["Content-Disposition"] == 'attachment; filename="load-2026-02.xlsx"'
    csv = page(client, data["head"], "/reports/backlog/?month=2026-02&format=csv&table=flow")
    assert csv.content.startswith("\ufeffПериод;Поступило;Решено;Разница".encode())


def test_a_bad_filter_shows_a_russian_error_on_the_page(client, data) -> None:
    response = page(client, data["head"], "/reports/mix/?month=2026-99")
    assert response.status_code == 422
    assert "Месяц указывается как ГГГГ-ММ" in response.content.decode()


def test_client_users_get_their_reports_and_403_for_staff_ones(client, data) -> None:
    html = page(client, data["mega_user"], "/reports/billing/?month=2026-02").content.decode()
    assert "Мега" in html and "Аптека" not in html
    assert "Закрыть" not in html
    assert page(client, data["mega_user"], "/reports/load/").status_code == 403
    assert page(client, data["agent"], "/reports/sla/").status_code == 403


def test_the_head_closes_a_month_from_the_billing_page(client, data) -> None:
    html = page(client, data["head"], "/reports/billing/?month=2026-02").content.decode()
    assert "Закрыть февраль 2026" in html
    with clock.frozen_at(NOW):
        response = client.post("/reports/billing/close/", {"month": "2026-02"}, follow=True)
    html = response.content.decode()
    assert "Февраль 2026 закрыт" in html
    assert "месяц закрыт" in html
    assert "Закрыть февраль 2026" not in html


def test_the_manager_cannot_close_a_month(client, data) -> None:
    client.force_login(data["manager"])
    with clock.frozen_at(NOW):
        assert client.post("/reports/billing/close/", {"month": "2026-02"}).status_code == 403


def test_pages_need_a_login(client, data) -> None:
    response = client.get("/reports/sla/")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/reports/sla/?group_by=day",
        "/reports/sla/?group_by=assignee&line=L2",
        "/reports/backlog/?step=month",
        "/reports/load/",
        "/reports/billing/",
        "/reports/mix/",
        "/worklogs/approvals/",
    ],
)
def test_every_page_renders_on_the_demo_desk(client, path) -> None:
    from io import StringIO

    from django.core.management import call_command

    from servicedesk.accounts.models import User

    call_command("load_demo", "--tickets", "40", stdout=StringIO())
    client.force_login(User.objects.get(username="head"))
    response = client.get(path)
    assert response.status_code == 200
    assert "<table" in response.content.decode()
