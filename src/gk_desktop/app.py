"""gk-desktop: composition root of the GUI.

Order of start-up (ARCHITECTURE.md §2): paths → logging → QApplication → lock screen; storage and
services are imported in the unlock worker. The window, lock screen and set-up wizard are built by
the app-shell issue; until then this entry point reports that and points to gk-cli.
"""

from __future__ import annotations

import argparse
import sys

from gk_desktop import __version__
from gk_desktop.i18n import _


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gk-desktop")
    parser.add_argument("--version", action="version", version=f"gk-desktop {__version__}")
    parser.add_argument("--data-dir")
    parser.parse_args(argv)
    sys.stderr.write(
        _("gk-desktop {version}: the window (set-up wizard, lock screen, main window) comes with the "
          "next release. The vault can already be created and looked after with 'gk-cli'; see README.md.").format(
            version=__version__) + "\n"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
