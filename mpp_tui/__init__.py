"""mpp-tui: the queue and counter system for a Mal Pelayanan Publik, in the terminal."""

__version__ = "0.1.0"
