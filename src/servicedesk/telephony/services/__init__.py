"""Writes of telephony: the one pipeline every PBX event goes through, and agent actions."""

from servicedesk.telephony.services.calls import call_link_ticket, callback_mark, popup_dismiss
from servicedesk.telephony.services.events import CallEventOutcome, call_event_receive

__all__ = [
    "CallEventOutcome",
    "call_event_receive",
    "call_link_ticket",
    "callback_mark",
    "popup_dismiss",
]
