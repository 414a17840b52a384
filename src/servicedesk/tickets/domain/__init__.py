"""Ticket rules without Django: status categories, transitions, event types."""
