"""Widgets that each own one piece of the counter screen."""
