"""Input fields with a security meaning (kept tiny: the lock screen imports it at start)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit


def apply_sensitive_hints(field: QLineEdit) -> None:
    # Importing PySide6's Qt namespace creates its ~100 enums (about 13 ms): done here, not at
    # module level, so the lock screen can paint first.
    from PySide6.QtCore import Qt

    field.setInputMethodHints(
        Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhNoAutoUppercase | Qt.InputMethodHint.ImhHiddenText
    )


def secret_field(placeholder: str = "", *, defer_hints: bool = False) -> QLineEdit:
    """A passphrase field: hidden echo, kept out of IME dictionaries (SECURITY.md D7).

    ``defer_hints`` sets the input-method hints on the first turn of the event loop, before any
    keystroke can reach the field (used by the lock screen, the first thing painted).
    """
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    if defer_hints:
        QTimer.singleShot(0, field, lambda: apply_sensitive_hints(field))
    else:
        apply_sensitive_hints(field)
    return field
