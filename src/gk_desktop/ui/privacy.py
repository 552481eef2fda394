"""Diskret-Modus: during a consultation the screen shows no other client's name.

One function, :func:`display_name`, decides for every view how a client's name is shown; views
connect to :data:`privacy.changed` and repaint. The open client (the one on the case view) is
shown in full; every other name becomes a neutral placeholder. Case codes stay (they are what
the worker and the ABH use instead of names).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gk_desktop.i18n import _

MASK = "•••••"


class Privacy(QObject):
    """Signals:
        changed(): the mode or the open client changed; views repaint their names.
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.enabled = False
        self.open_client_id: str | None = None

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self.enabled:
            self.enabled = enabled
            self.changed.emit()

    def set_open_client(self, client_id: str | None) -> None:
        if client_id != self.open_client_id:
            self.open_client_id = client_id
            if self.enabled:
                self.changed.emit()

    def hides(self, client_id: str | None) -> bool:
        return self.enabled and client_id != self.open_client_id

    def reset(self) -> None:
        """The app locks: back to normal, no client open."""
        self.open_client_id = None
        self.set_enabled(False)


privacy = Privacy()


def display_name(client_id: str | None, first_name: str, last_name: str) -> str:
    """"Last, First" — or the mask for anyone but the open client in Diskret-Modus."""
    if privacy.hides(client_id):
        return _("{mask} (hidden)").format(mask=MASK)
    return f"{last_name}, {first_name}"


def display_text(client_id: str | None, text: str) -> str:
    """Any text that carries a client's name (a name variant, a snippet): masked the same way."""
    return MASK if privacy.hides(client_id) else text
