"""Telephony rules without Django: a call's state machine and the vendor mappings."""
