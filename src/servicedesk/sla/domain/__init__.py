"""SLA clocks without Django: replaying a clock's record into due instants and figures."""
