"""Hall hardware: the ticket printer and the voice that announces calls (no database, no UI)."""
