"""Routing rules, work shifts and least-loaded assignment as plain Python (no Django)."""
