"""Typer commands: parse, build Settings and services, print or run the app."""
