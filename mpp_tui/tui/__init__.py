"""Textual screens (counter, kiosk, board, supervisor, log); never imports sqlalchemy or runs SQL."""
