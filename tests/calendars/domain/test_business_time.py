"""Hand-checked business-time cases: Russian holidays, short days, midnight, DST, years.

Each expected value is worked out in the comment above it; the 5/2 calendar is
Mon–Fri 09:00–18:00 Moscow time (9 h, no lunch break), short days 09:00–17:00.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicedesk.calendars.domain import business_time
from servicedesk.calendars.domain.business_time import (
    BusinessCalendar,
    CalendarError,
    Window,
    add_business_time,
    business_time_between,
    is_working_time,
    next_working_instant,
    windows_on,
)
from servicedesk.calendars.domain.production import (
    calendar_overrides_for,
    five_two_moscow,
    round_the_clock,
    russian_production_year,
)

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)
FIVE_TWO = five_two_moscow([2025, 2026, 2027])


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MOSCOW)


def every_day(*windows: tuple[str, str], timezone: str = "Europe/Berlin") -> BusinessCalendar:
    plan = tuple(Window.parse(start, end) for start, end in windows)
    return BusinessCalendar(timezone=timezone, week=(plan,) * 7)


# --- The three check scenarios of domain.md §1 -------------------------------------


def test_four_hours_from_friday_evening_end_on_the_short_working_saturday_at_noon() -> None:
    # Fri 31.10 17:00–18:00 is 1 h; Sat 01.11 is a working short day 09–17: 3 h more.
    assert add_business_time(FIVE_TWO, msk(2025, 10, 31, 17), 4 * HOUR) == msk(2025, 11, 1, 12)


def test_two_hours_from_december_30_end_after_the_new_year_holidays_and_january_9() -> None:
    # Tue 30.12 17–18 is 1 h; 31.12 is a transferred day off, 1–8.01 holidays, Fri 9.01
    # transferred off, 10–11.01 weekend: the second hour is Mon 12.01 09–10.
    assert add_business_time(FIVE_TWO, msk(2025, 12, 30, 17), 2 * HOUR) == msk(2026, 1, 12, 10)


def test_working_time_from_friday_to_wednesday_around_unity_day_is_seventeen_hours() -> None:
    # Fri 31.10 9 h + Sat 01.11 short 8 h; Mon 03.11 transferred off, Tue 04.11 holiday.
    assert business_time_between(FIVE_TWO, msk(2025, 10, 31, 9), msk(2025, 11, 5, 9)) == 17 * HOUR


# --- More 5/2 cases ---------------------------------------------------------------


def test_nine_hours_from_nine_end_at_six_the_same_day_not_next_morning() -> None:
    # 09:00 + 9 h uses the whole window exactly; the end of the window is the answer.
    assert add_business_time(FIVE_TWO, msk(2025, 10, 29, 9), 9 * HOUR) == msk(2025, 10, 29, 18)


def test_an_hour_from_a_minute_before_midnight_ends_at_ten_next_morning() -> None:
    # Wed 29.10 23:59 is outside the window; Thu 30.10 09:00 + 1 h.
    assert add_business_time(FIVE_TWO, msk(2025, 10, 29, 23, 59), HOUR) == msk(2025, 10, 30, 10)


def test_an_hour_from_a_weekend_starts_counting_on_monday_morning() -> None:
    assert add_business_time(FIVE_TWO, msk(2025, 11, 8, 10), HOUR) == msk(2025, 11, 10, 10)


def test_an_hour_from_the_transferred_day_off_skips_unity_day_as_well() -> None:
    # Mon 03.11 transferred off, Tue 04.11 holiday: Wed 05.11 09–10.
    assert add_business_time(FIVE_TWO, msk(2025, 11, 3, 10), HOUR) == msk(2025, 11, 5, 10)


def test_two_hours_from_the_short_eve_of_russia_day_end_the_next_monday() -> None:
    # Wed 11.06 is short (09–17): 16–17 is 1 h; Thu 12.06 holiday, Fri 13.06 transferred
    # off (from Sat 08.03), weekend: Mon 16.06 09–10.
    assert add_business_time(FIVE_TWO, msk(2025, 6, 11, 16), 2 * HOUR) == msk(2025, 6, 16, 10)


def test_the_eve_of_womens_day_on_a_friday_is_eight_hours() -> None:
    assert business_time_between(FIVE_TWO, msk(2025, 3, 7), msk(2025, 3, 8)) == 8 * HOUR


def test_the_short_working_saturday_ends_at_five() -> None:
    assert is_working_time(FIVE_TWO, msk(2025, 11, 1, 16, 59))
    assert not is_working_time(FIVE_TWO, msk(2025, 11, 1, 17))


def test_january_9_2026_is_not_working_time() -> None:
    assert not is_working_time(FIVE_TWO, msk(2026, 1, 9, 12))


def test_the_next_working_instant_after_december_30_is_january_12_at_nine() -> None:
    assert next_working_instant(FIVE_TWO, msk(2025, 12, 30, 18)) == msk(2026, 1, 12, 9)


def test_the_next_working_instant_inside_a_window_is_the_instant_itself() -> None:
    assert next_working_instant(FIVE_TWO, msk(2025, 12, 30, 17, 59)) == msk(2025, 12, 30, 17, 59)


def test_the_2026_year_of_the_nine_hour_five_two_calendar_is_2219_hours() -> None:
    # 247 working days × 9 h − 4 short days × 1 h. (The 1972 h norm assumes 8-hour days;
    # see the lunch-break calendar below.)
    assert business_time_between(FIVE_TWO, msk(2026, 1, 1), msk(2027, 1, 1)) == 2219 * HOUR


def test_adding_the_whole_2026_working_year_ends_at_six_on_december_30() -> None:
    # 31.12.2026 is a transferred day off, so Wed 30.12 18:00 closes the year's 2219 h.
    assert add_business_time(FIVE_TWO, msk(2026, 1, 1), 2219 * HOUR) == msk(2026, 12, 30, 18)


@pytest.mark.parametrize("year", [2025, 2026])
def test_an_eight_hour_calendar_with_a_lunch_break_works_the_1972_hour_norm(year: int) -> None:
    full = (Window.parse("09:00", "13:00"), Window.parse("14:00", "18:00"))
    short = (Window.parse("09:00", "13:00"), Window.parse("14:00", "17:00"))
    calendar = BusinessCalendar(
        timezone="Europe/Moscow",
        week=(full,) * 5 + ((), ()),
        overrides=calendar_overrides_for(russian_production_year(year), full, short),
    )
    assert business_time_between(calendar, msk(year, 1, 1), msk(year + 1, 1, 1)) == 1972 * HOUR


def test_a_year_long_span_crossing_two_years_adds_up_per_year() -> None:
    # 01.07.2025 00:00 → 01.07.2026 00:00 = rest of 2025 + first half of 2026.
    whole = business_time_between(FIVE_TWO, msk(2025, 7, 1), msk(2026, 7, 1))
    assert whole == business_time_between(
        FIVE_TWO, msk(2025, 7, 1), msk(2026, 1, 1)
    ) + business_time_between(FIVE_TWO, msk(2026, 1, 1), msk(2026, 7, 1))
    assert add_business_time(FIVE_TWO, msk(2025, 7, 1), whole) == msk(2026, 6, 30, 18)


def test_results_are_in_the_calendar_zone_whatever_the_zone_of_the_input() -> None:
    start = datetime(2025, 10, 31, 14, tzinfo=UTC)  # 17:00 Moscow
    result = add_business_time(FIVE_TWO, start, 4 * HOUR)
    assert result.tzinfo == MOSCOW
    assert result == msk(2025, 11, 1, 12)


def test_a_zero_duration_returns_the_start_even_outside_working_hours() -> None:
    start = datetime(2025, 11, 8, 7, tzinfo=UTC)  # a Saturday
    assert add_business_time(FIVE_TWO, start, timedelta(0)) == start


def test_microseconds_are_kept_exactly() -> None:
    start = msk(2025, 10, 29, 17) + timedelta(microseconds=1)
    assert add_business_time(FIVE_TWO, start, HOUR) == msk(2025, 10, 30, 9) + timedelta(
        microseconds=1
    )


# --- Round the clock, midnight and 24:00 ---------------------------------------------


def test_round_the_clock_counts_straight_through_midnight_and_holidays() -> None:
    calendar = round_the_clock()
    assert add_business_time(calendar, msk(2025, 12, 31, 23, 59), 2 * timedelta(minutes=1)) == msk(
        2026, 1, 1, 0, 1
    )
    assert business_time_between(calendar, msk(2025, 1, 1), msk(2026, 1, 1)) == 365 * 24 * HOUR
    assert is_working_time(calendar, msk(2026, 1, 1))


def test_an_evening_window_to_midnight_continues_into_an_early_window_next_day() -> None:
    evening = (Window.parse("18:00", "24:00"),)
    night = (Window.parse("00:00", "02:00"),)
    calendar = BusinessCalendar("Europe/Moscow", (evening, night, (), (), (), (), ()))
    # Mon 27.10.2025 23:00–24:00 is 1 h, Tue 00:00–01:00 the second.
    assert add_business_time(calendar, msk(2025, 10, 27, 23), 2 * HOUR) == msk(2025, 10, 28, 1)


def test_round_the_clock_in_berlin_has_a_23_hour_spring_day_and_a_25_hour_autumn_day() -> None:
    calendar = round_the_clock("Europe/Berlin")
    spring = business_time_between(
        calendar, datetime(2025, 3, 30, tzinfo=BERLIN), datetime(2025, 3, 31, tzinfo=BERLIN)
    )
    autumn = business_time_between(
        calendar, datetime(2025, 10, 26, tzinfo=BERLIN), datetime(2025, 10, 27, tzinfo=BERLIN)
    )
    assert (spring, autumn) == (23 * HOUR, 25 * HOUR)


# --- DST: windows across the gap and the repeated hour (Europe/Berlin) --------------


def test_a_window_spanning_the_spring_gap_is_one_hour_shorter() -> None:
    # 01:00–05:00 on Sun 30.03.2025: clocks jump 02:00 → 03:00, so 3 real hours.
    calendar = every_day(("01:00", "05:00"))
    day = (datetime(2025, 3, 30, tzinfo=BERLIN), datetime(2025, 3, 31, tzinfo=BERLIN))
    assert business_time_between(calendar, *day) == 3 * HOUR
    # 01:00–02:00 is the first hour, 03:00–04:00 CEST the second.
    assert add_business_time(calendar, datetime(2025, 3, 30, 1, tzinfo=BERLIN), 2 * HOUR) == (
        datetime(2025, 3, 30, 4, tzinfo=BERLIN)
    )


def test_a_window_starting_inside_the_spring_gap_starts_at_the_jump() -> None:
    # 02:30 never shows on 30.03.2025; the clock goes past it at the jump (03:00 CEST).
    calendar = every_day(("02:30", "04:00"))
    assert next_working_instant(calendar, datetime(2025, 3, 30, 0, tzinfo=BERLIN)) == datetime(
        2025, 3, 30, 3, tzinfo=BERLIN
    )
    day = (datetime(2025, 3, 30, tzinfo=BERLIN), datetime(2025, 3, 31, tzinfo=BERLIN))
    assert business_time_between(calendar, *day) == HOUR


def test_a_window_wholly_inside_the_spring_gap_has_no_working_time() -> None:
    calendar = every_day(("02:10", "02:50"), ("09:00", "10:00"))
    day = (datetime(2025, 3, 30, tzinfo=BERLIN), datetime(2025, 3, 31, tzinfo=BERLIN))
    assert business_time_between(calendar, *day) == HOUR


def test_a_window_spanning_the_autumn_repeated_hour_is_one_hour_longer() -> None:
    # 01:00–05:00 on Sun 26.10.2025: 02:00–03:00 runs twice, so 5 real hours.
    calendar = every_day(("01:00", "05:00"))
    day = (datetime(2025, 10, 26, tzinfo=BERLIN), datetime(2025, 10, 27, tzinfo=BERLIN))
    assert business_time_between(calendar, *day) == 5 * HOUR
    # 01:00 CEST + 4 real hours = 23:00 UTC + 4 h = 03:00 UTC = 04:00 CET.
    assert add_business_time(calendar, datetime(2025, 10, 26, 1, tzinfo=BERLIN), 4 * HOUR) == (
        datetime(2025, 10, 26, 4, tzinfo=BERLIN)
    )


def test_a_window_ending_inside_the_repeated_hour_ends_at_its_first_occurrence() -> None:
    # 00:00–02:30 ends at 02:30 CEST (fold=0); the second 02:15, in CET, is not working.
    calendar = every_day(("00:00", "02:30"))
    day = (datetime(2025, 10, 26, tzinfo=BERLIN), datetime(2025, 10, 27, tzinfo=BERLIN))
    assert business_time_between(calendar, *day) == 2.5 * HOUR
    assert is_working_time(calendar, datetime(2025, 10, 26, 2, 15, tzinfo=BERLIN, fold=0))
    assert not is_working_time(calendar, datetime(2025, 10, 26, 2, 15, tzinfo=BERLIN, fold=1))


def test_an_hour_repeated_at_the_end_of_a_day_is_worked_twice() -> None:
    # Sao Paulo, 17.02.2019 00:00 (-02) never showed: at 23:59:59 the clock went back to
    # 16.02 23:00 (-03). Saturday 16.02 lasted 25 h, all of it in Saturday's window.
    sao_paulo = ZoneInfo("America/Sao_Paulo")
    saturday_only = BusinessCalendar(
        "America/Sao_Paulo", ((),) * 5 + ((Window.parse("00:00", "24:00"),), ())
    )
    saturday = (
        datetime(2019, 2, 16, tzinfo=sao_paulo),
        datetime(2019, 2, 17, 12, tzinfo=sao_paulo),
    )
    assert business_time_between(saturday_only, *saturday) == 25 * HOUR
    assert is_working_time(saturday_only, datetime(2019, 2, 16, 23, 30, tzinfo=sao_paulo, fold=1))


def test_a_clock_going_back_past_midnight_leaves_the_repeat_in_the_new_day() -> None:
    # St John's, 07.11.2010 00:01 (-02:30) went back to 06.11 23:01 (-03:30). Sunday
    # 00:00 had already been shown, so the repeated 23:01–24:00 belongs to Sunday.
    st_johns = ZoneInfo("America/St_Johns")
    saturday_only = BusinessCalendar(
        "America/St_Johns", ((),) * 5 + ((Window.parse("00:00", "24:00"),), ())
    )
    assert is_working_time(saturday_only, datetime(2010, 11, 6, 23, 30, tzinfo=st_johns, fold=0))
    assert not is_working_time(
        saturday_only, datetime(2010, 11, 6, 23, 30, tzinfo=st_johns, fold=1)
    )


def test_a_repeat_dated_the_day_before_is_counted_without_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With nothing cached a query lays out only the days it names; an end in the repeat
    # (dated 06.11, belonging to 07.11) must still reach into 07.11:
    # 22:00 (-02:30) → 00:01 is 2 h 1 min, 23:01 → 23:30 (-03:30) 29 min more.
    monkeypatch.setattr(business_time, "MAX_CACHED_YEARS", -1)
    st_johns = ZoneInfo("America/St_Johns")
    calendar = round_the_clock("America/St_Johns")
    start = datetime(2010, 11, 6, 22, tzinfo=st_johns)
    end = datetime(2010, 11, 6, 23, 30, tzinfo=st_johns, fold=1)
    assert business_time_between(calendar, start, end) == 2.5 * HOUR


# --- Validation and failure ----------------------------------------------------------


def test_windows_parse_and_format_wall_times_including_24_00() -> None:
    window = Window.parse("09:00", "24:00")
    assert (window.start, window.end) == (9 * 3600, 86_400)
    assert window.format() == ("09:00", "24:00")
    assert Window.parse("08:59:30", "09:00").format() == ("08:59:30", "09:00")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("24:00", "24:00", "24:00 допустимо только как конец"),
        ("9:00", "18:00", "неверное время '9:00'"),
        ("09:60", "18:00", "неверное время '09:60'"),
        ("18:00", "09:00", "конец 09:00 должен быть позже начала 18:00"),
        ("09:00", "09:00", "конец 09:00 должен быть позже начала 09:00"),
    ],
)
def test_a_malformed_window_is_rejected(start: str, end: str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        Window.parse(start, end)


def test_overlapping_windows_are_rejected_with_the_day_named() -> None:
    overlapping = (Window.parse("09:00", "13:00"), Window.parse("12:00", "18:00"))
    with pytest.raises(CalendarError, match=r"^week\.tue\[1\]: интервал 12:00–18:00 пересекается"):
        BusinessCalendar("Europe/Moscow", ((), overlapping, (), (), (), (), ()))


def test_unsorted_windows_are_rejected_with_the_date_named() -> None:
    unsorted = (Window.parse("14:00", "18:00"), Window.parse("09:00", "13:00"))
    with pytest.raises(CalendarError, match=r"^overrides\.2025-11-01\[1\]: интервалы должны идти"):
        BusinessCalendar("Europe/Moscow", ((),) * 7, {date(2025, 11, 1): unsorted})


def test_a_week_must_have_seven_days() -> None:
    with pytest.raises(CalendarError, match="ожидается 7 дней"):
        BusinessCalendar("Europe/Moscow", ((),) * 6)


def test_an_unknown_time_zone_is_rejected() -> None:
    with pytest.raises(CalendarError, match=r"^timezone: неизвестный часовой пояс"):
        BusinessCalendar("Europe/Atlantis", ((),) * 7)


def test_a_negative_duration_is_rejected() -> None:
    with pytest.raises(CalendarError, match="отрицательной"):
        add_business_time(FIVE_TWO, msk(2025, 1, 1), -HOUR)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(CalendarError, match="с часовым поясом"):
        business_time_between(FIVE_TWO, datetime(2025, 1, 1), msk(2025, 1, 2))


def test_a_calendar_without_working_time_gives_up_instead_of_looping() -> None:
    never = BusinessCalendar("Europe/Moscow", ((),) * 7)
    with pytest.raises(CalendarError, match="нет рабочего времени"):
        add_business_time(never, msk(2025, 1, 1), HOUR)
    with pytest.raises(CalendarError, match="нет рабочего времени"):
        next_working_instant(never, msk(2025, 1, 1))


def test_a_calendar_whose_only_working_day_is_used_up_gives_up_too() -> None:
    once = BusinessCalendar(
        "Europe/Moscow", ((),) * 7, {date(2025, 5, 5): (Window.parse("09:00", "10:00"),)}
    )
    assert add_business_time(once, msk(2025, 1, 1), HOUR) == msk(2025, 5, 5, 10)
    with pytest.raises(CalendarError, match="нет рабочего времени"):
        add_business_time(once, msk(2025, 1, 1), 2 * HOUR)


# --- Calendar value semantics and the cache -----------------------------------------


def test_an_override_replaces_the_day_and_an_empty_one_is_a_day_off() -> None:
    assert windows_on(FIVE_TWO, date(2025, 11, 1)) == (Window.parse("09:00", "17:00"),)
    assert windows_on(FIVE_TWO, date(2025, 11, 3)) == ()
    assert windows_on(FIVE_TWO, date(2025, 11, 5)) == (Window.parse("09:00", "18:00"),)


def test_calendars_are_immutable_hashable_values_that_do_not_compare_their_cache() -> None:
    fresh = five_two_moscow([2025, 2026, 2027])
    assert fresh == FIVE_TWO
    assert hash(fresh) == hash(FIVE_TWO)
    assert {fresh: "5/2"}[FIVE_TWO] == "5/2"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fresh.timezone = "UTC"  # type: ignore[misc]
    with pytest.raises(TypeError):
        fresh.overrides[date(2025, 1, 1)] = ()  # type: ignore[index]


def test_answers_do_not_depend_on_which_years_were_cached_first() -> None:
    calendar = five_two_moscow([2025, 2026, 2027])
    # Cache 2027 first, then widen backwards to 2025 and forwards past 2027.
    late = add_business_time(calendar, msk(2027, 3, 1), 100 * HOUR)
    early = business_time_between(calendar, msk(2025, 10, 31, 9), msk(2025, 11, 5, 9))
    beyond = add_business_time(calendar, msk(2027, 12, 30, 9), 40 * HOUR)
    cold = five_two_moscow([2025, 2026, 2027])
    assert late == add_business_time(cold, msk(2027, 3, 1), 100 * HOUR)
    assert early == 17 * HOUR
    # 30.12.2027 9 h; 31.12 off; 2028 is not loaded, so its plain weekdays count:
    # Mon 03.01.2028 – Wed 05.01 = 27 h, Thu 06.01 09:00 + 4 h.
    assert beyond == msk(2028, 1, 6, 13)


def test_spans_wider_than_the_cached_years_are_still_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(business_time, "MAX_CACHED_YEARS", 1)
    calendar = round_the_clock()
    assert business_time_between(calendar, msk(2020, 1, 1), msk(2030, 1, 1)) == timedelta(days=3653)
    assert add_business_time(calendar, msk(2020, 1, 1), timedelta(days=3653)) == msk(2030, 1, 1)
