"""Who is on shift, and the least-loaded choice within a role."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.calendars.domain.production import five_two_moscow
from servicedesk.routing.domain.assignment import Candidate, choose_assignee, ticket_weight
from servicedesk.routing.domain.shifts import Absence, Shift, WorkPattern, on_shift

MSK = ZoneInfo("Europe/Moscow")
CALENDAR = five_two_moscow([2026])
MONDAY_10_MSK = datetime(2026, 3, 2, 10, 0, tzinfo=MSK)
SATURDAY_12_MSK = datetime(2026, 3, 7, 12, 0, tzinfo=MSK)


def pattern(**kwargs: object) -> WorkPattern:
    return WorkPattern(zone=MSK, calendar=kwargs.pop("calendar", CALENDAR), **kwargs)  # type: ignore[arg-type]


def test_five_two_person_works_weekday_hours_only() -> None:
    assert on_shift(pattern(), MONDAY_10_MSK)
    assert not on_shift(pattern(), MONDAY_10_MSK.replace(hour=19))
    assert not on_shift(pattern(), SATURDAY_12_MSK)
    assert not on_shift(pattern(), datetime(2026, 1, 5, 10, tzinfo=MSK))  # New Year holidays


def test_an_extra_shift_covers_a_weekend_and_an_absence_outranks_everything() -> None:
    duty = Shift(SATURDAY_12_MSK - timedelta(hours=3), SATURDAY_12_MSK + timedelta(hours=6))
    assert on_shift(pattern(shifts=(duty,)), SATURDAY_12_MSK)
    vacation = Absence(date(2026, 3, 7), date(2026, 3, 15))
    assert not on_shift(pattern(shifts=(duty,), absences=(vacation,)), SATURDAY_12_MSK)
    sick_monday = Absence(date(2026, 3, 2), date(2026, 3, 2))
    assert not on_shift(pattern(absences=(sick_monday,)), MONDAY_10_MSK)
    assert on_shift(pattern(absences=(sick_monday,)), MONDAY_10_MSK + timedelta(days=1))


def test_absence_days_are_counted_in_the_team_zone() -> None:
    # 23:30 UTC on 1 March is already 2 March in Moscow.
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    away = pattern(
        calendar=None, shifts=(Shift(late - timedelta(hours=1), late + timedelta(hours=1)),)
    )
    assert on_shift(away, late)
    assert not on_shift(
        WorkPattern(MSK, None, away.shifts, (Absence(date(2026, 3, 2), date(2026, 3, 2)),)), late
    )


def test_shift_only_person_without_calendar() -> None:
    assert not on_shift(pattern(calendar=None), MONDAY_10_MSK)


def test_bad_shifts_and_absences_are_refused() -> None:
    with pytest.raises(ValueError, match="end before"):
        Absence(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(ValueError, match="after it starts"):
        Shift(MONDAY_10_MSK, MONDAY_10_MSK)
    with pytest.raises(ValueError, match="aware"):
        on_shift(pattern(), datetime(2026, 3, 2, 10))


def test_least_loaded_on_shift_wins_and_ties_are_stable() -> None:
    team = [
        Candidate("anna", on_shift=True, load=5, open_tickets=3),
        Candidate("boris", on_shift=True, load=2, open_tickets=2),
        Candidate("vera", on_shift=False, load=0),
        Candidate("gleb", on_shift=True, load=2, open_tickets=1),
    ]
    assert choose_assignee(team) == team[3]  # same load as boris, fewer tickets
    assert choose_assignee([c for c in team if c.username != "gleb"]) == team[1]
    assert choose_assignee([team[2]]) is None


def test_urgent_and_raised_tickets_weigh_more() -> None:
    assert ticket_weight(0, False) > ticket_weight(1, False) > ticket_weight(2, False)
    assert ticket_weight(2, True) > ticket_weight(2, False)
    assert ticket_weight(None, False) == ticket_weight(2, False)
    assert ticket_weight(9, False) == ticket_weight(2, False)


CANDIDATES = st.lists(
    st.builds(
        Candidate,
        username=st.text("abcdefgh", min_size=1, max_size=6),
        on_shift=st.booleans(),
        load=st.floats(0, 100, allow_nan=False),
        open_tickets=st.integers(0, 50),
    ),
    max_size=10,
)


@given(CANDIDATES)
def test_the_chosen_one_is_on_shift_with_minimal_load(candidates: list[Candidate]) -> None:
    chosen = choose_assignee(candidates)
    working = [c for c in candidates if c.on_shift]
    if not working:
        assert chosen is None
        return
    assert chosen is not None and chosen.on_shift
    assert chosen.load == min(c.load for c in working)
