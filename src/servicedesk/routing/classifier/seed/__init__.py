"""Seed requests shipped with the classifier (seed_ru.jsonl), read as package data."""
