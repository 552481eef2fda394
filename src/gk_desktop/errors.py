"""Errors that reach the worker, each with the exit code of the gk-cli contract (CLI.md).

Messages are plain sentences for the worker (German by default, through gettext); they never carry
personal data, secrets or technical internals.
"""

from __future__ import annotations


class GkError(Exception):
    """Base for expected failures. ``exit_code`` follows CLI.md."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(GkError):
    """Usage error, or a needed secret is missing (exit 2)."""

    exit_code = 2


class WrongSecretError(GkError):
    """Wrong passphrase, recovery key or pairing code (exit 3)."""

    exit_code = 3


class InputRejectedError(GkError):
    """Input rejected, nothing changed (exit 4)."""

    exit_code = 4


class IntegrityError(GkError):
    """Integrity or self-check failed (exit 5)."""

    exit_code = 5


class VaultInUseError(GkError):
    """The vault is in use by another process (exit 6)."""

    exit_code = 6


class NotFoundError(GkError):
    """Case code or id not found (exit 7)."""

    exit_code = 7


class VaultExistsError(GkError):
    """A vault already exists at the data directory (exit 8)."""

    exit_code = 8


class NoVaultError(GkError):
    """No vault at the data directory (exit 8)."""

    exit_code = 8
