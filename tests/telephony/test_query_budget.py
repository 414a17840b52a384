"""Each call event costs a fixed number of queries, whoever the caller is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_new_call_and_a_repeat_stay_within_their_query_budget(world, l1, send) -> None:
    send(callId="warm", event="newCall", **{"from": "+79161234567"})  # token, settings row
    with CaptureQueriesContext(connection) as new_call:
        send(callId="q1", event="newCall", **{"from": "+79161234567"})
    with CaptureQueriesContext(connection) as repeat:
        send(callId="q1", event="newCall", **{"from": "+79161234567"})
    assert len(new_call) <= 18
    assert len(repeat) <= 4


def test_ringing_many_l1_agents_costs_no_extra_queries(world, l1, send) -> None:
    from servicedesk.accounts.roles import Role
    from tests import factories

    send(callId="warm", event="newCall", **{"from": "+79161234567"})
    with CaptureQueriesContext(connection) as two_agents:
        send(callId="q2", event="newCall", **{"from": "+79161234567"})
    for _ in range(8):
        factories.staff(Role.SD_MANAGER)
    with CaptureQueriesContext(connection) as ten_agents:
        body = send(callId="q3", event="newCall", **{"from": "+79161234567"}).json()
    assert len(body["popup_for"]) == 10
    assert len(ten_agents) == len(two_agents)
