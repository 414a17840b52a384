"""The configuration check: command output, Django check framework, applying the mapping."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command

from servicedesk.catalog.models import CatalogChange, Service

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("catalog_check", *args, stdout=out)
    return out.getvalue()


def test_command_lists_every_problem_in_russian(plastek: None) -> None:
    output = run()
    assert "Замечаний по каталогу: 14" in output
    assert "Услуга «Железо» (hardware): влияние «Всеобъемлющее», но уровень SL_3 (Низкий)" in output
    assert "«Кассовая интеграция» (pos_integration)" in output
    assert "уровень по умолчанию SL_2" in output


def test_django_check_reports_the_same_problems_when_a_database_is_named(plastek: None) -> None:
    found = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    ids = [m.id for m in found if m.id and m.id.startswith("catalog.")]
    assert ids.count("catalog.W001") == 11
    assert ids.count("catalog.W002") == 2
    assert all(m.level == checks.WARNING for m in found if m.id in ids)


def test_apply_impact_mapping_fixes_levels_and_records_who(plastek: None) -> None:
    output = run("--apply-impact-mapping", "--actor", "Руднева О.")
    assert "hardware: SL_3 → SL_1" in output
    assert Service.objects.get(code="hardware").sla_level.code == "SL_1"
    assert Service.objects.get(code="report").sla_level.code == "SL_3"
    assert Service.objects.get(code="mailing").sla_level.code == "SL_2"
    change = CatalogChange.objects.get()
    assert change.actor_label == "Руднева О."
    assert {"service": "hardware", "from": "SL_3", "to": "SL_1"} in change.changes
    after = run()
    assert "W001" not in after
    assert "Замечаний по каталогу: 3" in after


def test_applying_twice_changes_nothing_the_second_time(plastek: None) -> None:
    run("--apply-impact-mapping")
    output = run("--apply-impact-mapping")
    assert "Изменено услуг: 0" in output
    assert CatalogChange.objects.count() == 1


def test_loading_plastek_again_keeps_the_heads_edits(plastek: None) -> None:
    from servicedesk.core.setup import load_plastek_configuration

    Service.objects.filter(code="hardware").update(name="Оборудование")
    load_plastek_configuration()
    assert Service.objects.get(code="hardware").name == "Оборудование"
    assert Service.objects.count() == 16
