"""Allow `python -m mpp_tui`."""

from mpp_tui.cli.main import main

main()
