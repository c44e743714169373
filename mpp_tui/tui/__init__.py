"""Textual screens (counter, kiosk, board, supervisor, log); they never run SQL themselves."""
