"""Log file set-up: tracebacks go here, never to the user's screen."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def setup_logging(path: Path, level: int = logging.INFO) -> Path | None:
    """Send log records to a rotating file (1 MB × 5); returns the path, or None if unwritable."""
    root = logging.getLogger()
    if any(getattr(h, "_mpp", False) for h in root.handlers):
        return path
    logging.getLogger("alembic").setLevel(logging.WARNING)  # not two lines per command
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        # No log file: drop records rather than let logging print tracebacks on the screen.
        null = logging.NullHandler()
        null._mpp = True  # type: ignore[attr-defined]
        root.addHandler(null)
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._mpp = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
