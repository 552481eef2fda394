"""Input fields with a security meaning (kept tiny: the lock screen imports it at start)."""

from __future__ import annotations

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

    With ``defer_hints`` the caller applies :func:`apply_sensitive_hints` itself right after its
    first paint (the lock screen), long before a person can type a character.
    """
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    if not defer_hints:
        apply_sensitive_hints(field)
    return field
