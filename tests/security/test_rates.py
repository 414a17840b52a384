"""Rate arithmetic: parsing limits and deciding within fixed windows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.security.domain.rates import Rate, decide, parse_rate, seconds_left, window_of


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("600/minute", Rate(600, 60)),
        ("30/min", Rate(30, 60)),
        ("10/s", Rate(10, 1)),
        ("1000/5m", Rate(1000, 300)),
        ("5000/hour", Rate(5000, 3600)),
        (" 2 / day ", Rate(2, 86400)),
    ],
)
def test_limits_are_written_the_way_people_write_them(text: str, rate: Rate) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("bad", ["", "600", "600/fortnight", "0/minute", "abc/min", "-1/s"])
def test_nonsense_limits_are_refused_in_russian(bad: str) -> None:
    with pytest.raises(ValueError, match="Неверный лимит"):
        parse_rate(bad)


@given(
    seconds=st.integers(1, 86_400),
    whole=st.integers(0, 4_000_000_000),
    fraction=st.sampled_from([0.0, 0.25, 0.5, 0.75]),
)
def test_retry_after_points_into_the_next_window(seconds: int, whole: int, fraction: float) -> None:
    rate = Rate(10, seconds)
    timestamp = whole + fraction
    wait = seconds_left(rate, timestamp)
    assert 1 <= wait <= seconds
    assert window_of(rate, timestamp + wait) == window_of(rate, timestamp) + 1


@given(limit=st.integers(1, 1000), extra=st.integers(1, 100))
def test_exactly_the_limit_fits_in_a_window(limit: int, extra: int) -> None:
    rate = Rate(limit, 60)
    assert decide(rate, limit, 0.0).allowed
    assert not decide(rate, limit + extra, 0.0).allowed
