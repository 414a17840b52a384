"""Fixed-window rate limits: parse "600/minute" and decide with a counter."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*")


@dataclass(frozen=True)
class Rate:
    """At most `count` requests per `seconds`-long window."""

    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


@dataclass(frozen=True)
class Decision:
    """Whether one more request fits, and when the window ends if not."""

    allowed: bool
    count: int
    retry_after: int


def parse_rate(text: str) -> Rate:
    """Parse `600/minute`, `30/min`, `10/s`, `1000/5m`, `5000/hour`, `20000/day`."""
    match = _RATE.fullmatch(text.lower())
    if match is None or match.group(3) not in _UNITS:
        raise ValueError(f"Неверный лимит «{text}»: ожидается, например, 600/minute")
    count = int(match.group(1))
    multiplier = int(match.group(2)) if match.group(2) else 1
    if count < 1 or multiplier < 1:
        raise ValueError(f"Неверный лимит «{text}»: число должно быть больше нуля")
    return Rate(count=count, seconds=multiplier * _UNITS[match.group(3)])


def window_of(rate: Rate, timestamp: float) -> int:
    """Return the number of the window `timestamp` (seconds since epoch) falls in."""
    return int(timestamp // rate.seconds)


def seconds_left(rate: Rate, timestamp: float) -> int:
    """Return whole seconds until the window of `timestamp` ends (at least 1)."""
    return max(1, math.ceil(rate.seconds - (timestamp % rate.seconds)))


def decide(rate: Rate, count: int, timestamp: float) -> Decision:
    """Decide for the `count`-th request of the window containing `timestamp`."""
    return Decision(
        allowed=count <= rate.count, count=count, retry_after=seconds_left(rate, timestamp)
    )
