"""Persistence: tables, engine, migrations and reference-data loading."""
