"""The key hierarchy of a vault (ARCHITECTURE.md §3, SECURITY.md §2).

A random 256-bit data key (DEK) opens SQLCipher as a raw key. ``vault.keys`` holds the DEK wrapped
twice with AES-256-GCM: once under Argon2id(passphrase), once under a printed recovery key. The
whole slot header (format, version, vault id, slot name, KDF parameters and salt) is the AEAD's
associated data, so changing any header byte makes the unwrap fail. KDF parameters read from the
file are checked against hard limits before Argon2 runs, so a crafted file cannot exhaust memory.

Nothing secret is ever stored in clear or put into a repr, log line or exception message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gk_desktop.errors import InputRejectedError, IntegrityError, WrongSecretError
from gk_desktop.i18n import _
from gk_desktop.storage import fsutil

log = logging.getLogger(__name__)

KEYFILE_FORMAT = "gk-desktop-vault-keys"
KEYFILE_VERSION = 1
DEK_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12

# Argon2id policy (SECURITY.md §2). Floor for production vaults, ceiling for any file we read.
ARGON2_VERSION = 19
FLOOR_MEMORY_KIB = 256 * 1024
FLOOR_TIME_COST = 3
MAX_MEMORY_KIB = 1024 * 1024
MAX_TIME_COST = 10
MAX_PARALLELISM = 8
DEFAULT_PARALLELISM = 4
CALIBRATION_TARGET_S = (0.5, 1.0)
# The fast profile for tests, allowed only with GK_KDF_PROFILE=test.
TEST_MEMORY_KIB = 1024
TEST_TIME_COST = 1
TEST_PARALLELISM = 1

PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"

MIN_PASSPHRASE_LENGTH = 14
MIN_PASSPHRASE_SCORE = 3  # zxcvbn: 3 = "safely unguessable" (about 10^10 guesses)


def test_profile_enabled() -> bool:
    return os.environ.get("GK_KDF_PROFILE", "").strip().lower() == "test"


class SecretBytes:
    """Key material that never shows itself in a repr, str or log line."""

    __slots__ = ("_value",)

    def __init__(self, value: bytes) -> None:
        self._value = bytearray(value)

    def get(self) -> bytes:
        return bytes(self._value)

    def hex(self) -> str:
        return self._value.hex()

    def wipe(self) -> None:
        """Overwrite the bytes we hold (copies made elsewhere are out of our reach)."""
        for i in range(len(self._value)):
            self._value[i] = 0
        self._value = bytearray()

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return "SecretBytes(<redacted>)"

    __str__ = __repr__

    def __reduce__(self) -> Any:  # never pickled
        raise TypeError("SecretBytes cannot be pickled")


def normalize_passphrase(passphrase: str) -> bytes:
    """The same passphrase typed on any system gives the same bytes (Unicode NFC, UTF-8)."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


# --------------------------------------------------------------------------- passphrase policy


@dataclass(frozen=True)
class PassphraseAssessment:
    ok: bool
    score: int  # 0..4
    problems: tuple[str, ...]


def assess_passphrase(passphrase: str) -> PassphraseAssessment:
    """Check the policy: at least 14 characters, not a common password, not easily guessed."""
    problems: list[str] = []
    stripped = passphrase.strip()
    if len(stripped) < MIN_PASSPHRASE_LENGTH:
        problems.append(
            _("The passphrase must have at least {n} characters.").format(n=MIN_PASSPHRASE_LENGTH)
        )
    score = 0
    if stripped:
        from zxcvbn import zxcvbn
        from zxcvbn.frequency_lists import FREQUENCY_LISTS

        common = _common_passwords(FREQUENCY_LISTS)
        folded = stripped.lower()
        if folded in common or folded.replace(" ", "") in common or _is_repetition(folded):
            problems.append(_("This passphrase is too common. Please choose another one."))
        result = zxcvbn(stripped[:200])
        score = int(result["score"])
        if score < MIN_PASSPHRASE_SCORE and len(stripped) >= MIN_PASSPHRASE_LENGTH and not problems:
            problems.append(
                _("This passphrase is easy to guess. Several unrelated words are a good choice.")
            )
    return PassphraseAssessment(ok=not problems, score=score, problems=tuple(problems))


_COMMON_CACHE: frozenset[str] | None = None


def _common_passwords(lists: dict[str, Any]) -> frozenset[str]:
    global _COMMON_CACHE
    if _COMMON_CACHE is None:
        extra = {
            "passwortpasswort", "passwort1234567", "hallohallohallo", "einszweidreivier",
            "ichliebedich123", "qwertzuiopasdfgh", "gemeinsamklappts", "teilhabemanagement",
        }
        _COMMON_CACHE = frozenset(lists["passwords"]) | frozenset(extra)
    return _COMMON_CACHE


def _is_repetition(text: str) -> bool:
    """``abcabcabcabc`` or ``aaaaaaaaaaaaaa``: a short unit repeated."""
    n = len(text)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and text[:size] * (n // size) == text:
            return True
    return False


def require_passphrase_policy(passphrase: str) -> None:
    result = assess_passphrase(passphrase)
    if not result.ok:
        raise InputRejectedError(" ".join(result.problems))


# --------------------------------------------------------------------------- Argon2id


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int
    time_cost: int
    parallelism: int
    salt: bytes = field(repr=False)
    profile: str = "production"
    alg: str = "argon2id"
    version: int = ARGON2_VERSION

    def header(self) -> dict[str, Any]:
        return {
            "alg": self.alg,
            "version": self.version,
            "memory_kib": self.memory_kib,
            "time_cost": self.time_cost,
            "parallelism": self.parallelism,
            "salt": _b64(self.salt),
            "profile": self.profile,
        }

    @classmethod
    def from_header(cls, data: Any) -> "KdfParams":
        if not isinstance(data, dict):
            raise _damaged()
        try:
            params = cls(
                memory_kib=_int(data["memory_kib"]),
                time_cost=_int(data["time_cost"]),
                parallelism=_int(data["parallelism"]),
                salt=_unb64(data["salt"]),
                profile=str(data.get("profile", "production")),
                alg=str(data["alg"]),
                version=_int(data["version"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _damaged() from exc
        return params


def check_kdf_limits(params: KdfParams) -> None:
    """Refuse parameters outside the hard limits before any Argon2 work (SECURITY.md C2)."""
    if params.alg != "argon2id" or params.version != ARGON2_VERSION:
        raise IntegrityError(_("The key file uses an unknown key derivation. It is damaged or from another program."))
    if len(params.salt) != SALT_BYTES:
        raise _damaged()
    if not (1 <= params.parallelism <= MAX_PARALLELISM):
        raise _absurd_kdf()
    if not (1 <= params.time_cost <= MAX_TIME_COST):
        raise _absurd_kdf()
    if not (8 * params.parallelism <= params.memory_kib <= MAX_MEMORY_KIB):
        raise _absurd_kdf()
    below_floor = params.memory_kib < FLOOR_MEMORY_KIB or params.time_cost < FLOOR_TIME_COST
    if below_floor and not test_profile_enabled():
        raise IntegrityError(
            _(
                "The key file asks for a key derivation below the security minimum "
                "(at least 256 MiB and 3 passes). The vault is refused."
            )
        )


def _argon2_raw(secret: bytes, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret=secret,
        salt=params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
        version=params.version,
    )


def derive_passphrase_key(passphrase: str, params: KdfParams) -> SecretBytes:
    check_kdf_limits(params)
    return SecretBytes(_argon2_raw(normalize_passphrase(passphrase), params))


def test_kdf_params() -> KdfParams:
    return KdfParams(TEST_MEMORY_KIB, TEST_TIME_COST, TEST_PARALLELISM, secrets.token_bytes(SALT_BYTES), "test")


def calibrate_kdf(
    progress: Callable[[float], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> KdfParams:
    """Argon2id parameters for this machine: at least the floor, unlock about 0.5-1 s.

    Starts at 256 MiB / 3 passes; doubles memory while the measured time stays under the lower end
    of the target and the doubled cost is expected to stay within it; beyond the memory ceiling it
    adds passes. With ``GK_KDF_PROFILE=test`` the fast test profile is returned at once.
    """
    if test_profile_enabled():
        if progress:
            progress(1.0)
        return test_kdf_params()
    low, high = CALIBRATION_TARGET_S
    memory, passes = FLOOR_MEMORY_KIB, FLOOR_TIME_COST
    probe_salt = secrets.token_bytes(SALT_BYTES)
    steps = 0
    while True:
        params = KdfParams(memory, passes, DEFAULT_PARALLELISM, probe_salt)
        # Best of two probes, so that a moment of load elsewhere does not decide the cost.
        elapsed = float("inf")
        for _probe in range(2):
            start = clock()
            _argon2_raw(b"calibration", params)
            elapsed = min(elapsed, clock() - start)
        steps += 1
        if progress:
            progress(min(0.95, steps / 3))
        if elapsed >= low:
            break
        # Cost grows about linearly in memory and passes.
        if memory * 2 <= MAX_MEMORY_KIB and elapsed * 2 <= high:
            memory *= 2
        elif passes + 1 <= MAX_TIME_COST and elapsed * (passes + 1) / passes <= high:
            passes += 1
        else:
            break
    if progress:
        progress(1.0)
    return KdfParams(memory, passes, DEFAULT_PARALLELISM, secrets.token_bytes(SALT_BYTES))


# --------------------------------------------------------------------------- recovery key

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_INDEX = {c: i for i, c in enumerate(_B32)}
# Characters people misread for base32 letters and digits.
_CONFUSABLES = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})
RECOVERY_GROUP_DATA = 4
RECOVERY_GROUPS = 13  # 52 base32 characters carry the 256-bit key


def _group_check(group_index: int, chars: str) -> str:
    total = 7 * (group_index + 1)
    for j, ch in enumerate(chars):
        total += (2 * j + 1) * _B32_INDEX[ch]
    return _B32[total % 32]


def format_recovery_key(raw: bytes) -> str:
    """13 groups of 4 base32 characters plus one check character each, joined by dashes."""
    if len(raw) != 32:
        raise ValueError("recovery key must be 32 bytes")
    body = base64.b32encode(raw).decode("ascii").rstrip("=")
    assert len(body) == RECOVERY_GROUPS * RECOVERY_GROUP_DATA
    groups = []
    for i in range(RECOVERY_GROUPS):
        chunk = body[i * 4 : i * 4 + 4]
        groups.append(chunk + _group_check(i, chunk))
    return "-".join(groups)


def parse_recovery_key(text: str) -> SecretBytes:
    """Accepts the printed groups; spaces and dashes are ignored, case does not matter."""
    cleaned = "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-_.")
    cleaned = cleaned.translate(_CONFUSABLES)
    expected = RECOVERY_GROUPS * (RECOVERY_GROUP_DATA + 1)
    if len(cleaned) != expected or any(ch not in _B32_INDEX for ch in cleaned):
        raise WrongSecretError(
            _("The recovery key has the wrong length or contains characters it cannot contain. "
              "It has 13 groups of 5 characters.")
        )
    body = []
    for i in range(RECOVERY_GROUPS):
        group = cleaned[i * 5 : i * 5 + 5]
        if _group_check(i, group[:4]) != group[4]:
            raise WrongSecretError(
                _("Group {n} of the recovery key is not right. Please compare it with the recovery sheet.").format(n=i + 1)
            )
        body.append(group[:4])
    joined = "".join(body) + "===="
    try:
        raw = base64.b32decode(joined)
    except ValueError as exc:  # pragma: no cover - guarded by the checks above
        raise WrongSecretError(_("The recovery key is not right.")) from exc
    return SecretBytes(raw)


def new_recovery_key() -> tuple[SecretBytes, str]:
    raw = secrets.token_bytes(32)
    return SecretBytes(raw), format_recovery_key(raw)


def derive_recovery_key(recovery: SecretBytes, salt: bytes) -> SecretBytes:
    # The recovery key has 256 bits of entropy: a KDF for stretching is not needed, HKDF suffices.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"gk-desktop recovery slot v1")
    return SecretBytes(hkdf.derive(recovery.get()))


# --------------------------------------------------------------------------- the key file


@dataclass(frozen=True)
class Slot:
    name: str
    kdf: dict[str, Any]
    nonce: bytes = field(repr=False)
    wrapped: bytes = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"kdf": self.kdf, "nonce": _b64(self.nonce), "wrapped_key": _b64(self.wrapped)}


@dataclass(frozen=True)
class PendingEvent:
    kind: str
    at: str
    source: str
    id: str = ""  # becomes the audit event's id, so an event is never recorded twice

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "at": self.at, "source": self.source, "id": self.id}


@dataclass(frozen=True)
class KeyFile:
    vault_id: str
    created: str
    slots: dict[str, Slot]
    pending_events: tuple[PendingEvent, ...] = ()
    events_mac: bytes = field(default=b"", repr=False)

    # -- header / AAD

    def slot_aad(self, slot_name: str, kdf: dict[str, Any]) -> bytes:
        header = {
            "format": KEYFILE_FORMAT,
            "version": KEYFILE_VERSION,
            "vault_id": self.vault_id,
            "slot": slot_name,
            "kdf": kdf,
        }
        return _canonical(header)

    def with_events(self, events: tuple[PendingEvent, ...], dek: SecretBytes) -> "KeyFile":
        """A copy whose pending events are ``events``, authenticated under the data key."""
        return replace(self, pending_events=events, events_mac=_events_mac(dek, self.vault_id, events))

    @property
    def kdf_params(self) -> KdfParams:
        return KdfParams.from_header(self.slots[PASSPHRASE_SLOT].kdf)

    # -- serialisation

    def to_bytes(self) -> bytes:
        data = {
            "format": KEYFILE_FORMAT,
            "version": KEYFILE_VERSION,
            "vault_id": self.vault_id,
            "created": self.created,
            "slots": {name: slot.to_json() for name, slot in sorted(self.slots.items())},
            "pending_events": {
                "events": [e.to_json() for e in self.pending_events],
                "mac": _b64(self.events_mac),
            },
        }
        return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> "KeyFile":
        if len(raw) > 64 * 1024:
            raise _damaged()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise _damaged() from None if isinstance(exc, RecursionError) else exc
        if not isinstance(data, dict) or data.get("format") != KEYFILE_FORMAT:
            raise _damaged()
        if data.get("version") != KEYFILE_VERSION:
            raise IntegrityError(_("The key file has a version this program does not know. Please update the program."))
        try:
            slots = {}
            for name, s in data["slots"].items():
                if name not in (PASSPHRASE_SLOT, RECOVERY_SLOT) or not isinstance(s, dict):
                    raise ValueError(name)
                slot = Slot(name, s["kdf"], _unb64(s["nonce"]), _unb64(s["wrapped_key"]))
                if len(slot.nonce) != NONCE_BYTES or len(slot.wrapped) != DEK_BYTES + 16:
                    raise ValueError("slot sizes")
                slots[name] = slot
            if PASSPHRASE_SLOT not in slots:
                raise ValueError("no passphrase slot")
            pend = data.get("pending_events") or {}
            events = tuple(
                PendingEvent(str(e["kind"]), str(e["at"]), str(e["source"]), str(e.get("id") or ""))
                for e in pend.get("events", [])
            )
            mac = _unb64(pend.get("mac", ""))
            uuid.UUID(str(data["vault_id"]))
            return cls(str(data["vault_id"]), str(data["created"]), slots, events, mac)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _damaged() from exc


def load_keyfile(path: Path) -> KeyFile:
    return KeyFile.from_bytes(path.read_bytes())


def save_keyfile(path: Path, keyfile: KeyFile) -> None:
    """Atomic: a crash at any step leaves the old file or the new one, never a mix."""
    data = keyfile.to_bytes()
    KeyFile.from_bytes(data)  # never write what we could not read back
    fsutil.atomic_write(path, data)


def _wrap(kek: SecretBytes, dek: SecretBytes, aad: bytes) -> tuple[bytes, bytes]:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce, AESGCM(kek.get()).encrypt(nonce, dek.get(), aad)


def _unwrap(kek: SecretBytes, slot: Slot, aad: bytes) -> SecretBytes | None:
    try:
        dek = AESGCM(kek.get()).decrypt(slot.nonce, slot.wrapped, aad)
    except InvalidTag:
        return None
    if len(dek) != DEK_BYTES:
        return None
    return SecretBytes(dek)


def make_passphrase_slot(keyfile_vault_id: str, passphrase: str, dek: SecretBytes, params: KdfParams) -> Slot:
    kek = derive_passphrase_key(passphrase, params)
    kdf = params.header()
    aad = KeyFile(keyfile_vault_id, "", {}).slot_aad(PASSPHRASE_SLOT, kdf)
    nonce, wrapped = _wrap(kek, dek, aad)
    kek.wipe()
    return Slot(PASSPHRASE_SLOT, kdf, nonce, wrapped)


def make_recovery_slot(keyfile_vault_id: str, recovery: SecretBytes, dek: SecretBytes) -> Slot:
    salt = secrets.token_bytes(SALT_BYTES)
    kdf = {"alg": "hkdf-sha256", "salt": _b64(salt)}
    kek = derive_recovery_key(recovery, salt)
    aad = KeyFile(keyfile_vault_id, "", {}).slot_aad(RECOVERY_SLOT, kdf)
    nonce, wrapped = _wrap(kek, dek, aad)
    kek.wipe()
    return Slot(RECOVERY_SLOT, kdf, nonce, wrapped)


def new_keyfile(passphrase: str, params: KdfParams) -> tuple[KeyFile, SecretBytes, str]:
    """A fresh vault's key file, its data key and the printed recovery key."""
    vault_id = str(uuid.uuid4())
    dek = SecretBytes(secrets.token_bytes(DEK_BYTES))
    recovery, printed = new_recovery_key()
    slots = {
        PASSPHRASE_SLOT: make_passphrase_slot(vault_id, passphrase, dek, params),
        RECOVERY_SLOT: make_recovery_slot(vault_id, recovery, dek),
    }
    recovery.wipe()
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    keyfile = KeyFile(vault_id, created, slots)
    return keyfile.with_events((), dek), dek, printed


def with_passphrase(keyfile: KeyFile, dek: SecretBytes, passphrase: str, params: KdfParams) -> KeyFile:
    """The key file with the data key rewrapped under ``passphrase`` (other slots unchanged)."""
    slot = make_passphrase_slot(keyfile.vault_id, passphrase, dek, params)
    return replace(keyfile, slots={**keyfile.slots, PASSPHRASE_SLOT: slot})


def with_new_recovery_key(keyfile: KeyFile, dek: SecretBytes, printed: str | None = None) -> tuple[KeyFile, str]:
    """The key file with a new recovery slot, and the new key as printed; the old key stops.

    ``printed`` is a key made beforehand with :func:`new_recovery_key` and already shown to the
    worker (the GUI writes the slot only after the worker confirmed storing the key)."""
    if printed is None:
        recovery, printed = new_recovery_key()
    else:
        recovery = parse_recovery_key(printed)
    slot = make_recovery_slot(keyfile.vault_id, recovery, dek)
    recovery.wipe()
    return replace(keyfile, slots={**keyfile.slots, RECOVERY_SLOT: slot}), printed


def unlock_with_passphrase(keyfile: KeyFile, passphrase: str) -> SecretBytes:
    slot = keyfile.slots[PASSPHRASE_SLOT]
    params = KdfParams.from_header(slot.kdf)
    check_kdf_limits(params)  # before Argon2 runs
    kek = derive_passphrase_key(passphrase, params)
    dek = _unwrap(kek, slot, keyfile.slot_aad(PASSPHRASE_SLOT, slot.kdf))
    kek.wipe()
    if dek is None:
        log.warning("unlock failed: wrong passphrase or damaged key slot")
        raise WrongSecretError(
            _("The passphrase is not right. Please enter it again. "
              "If it is forgotten, the recovery key helps.")
        )
    return dek


def unlock_with_recovery_key(keyfile: KeyFile, recovery_text: str) -> SecretBytes:
    recovery = parse_recovery_key(recovery_text)
    slot = keyfile.slots.get(RECOVERY_SLOT)
    if slot is None:
        raise WrongSecretError(_("This vault has no recovery key."))
    try:
        salt = _unb64(slot.kdf["salt"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _damaged() from exc
    if slot.kdf.get("alg") != "hkdf-sha256" or len(salt) != SALT_BYTES:
        raise _damaged()
    kek = derive_recovery_key(recovery, salt)
    recovery.wipe()
    dek = _unwrap(kek, slot, keyfile.slot_aad(RECOVERY_SLOT, slot.kdf))
    kek.wipe()
    if dek is None:
        log.warning("unlock failed: wrong recovery key or damaged key slot")
        raise WrongSecretError(
            _("The recovery key does not fit this vault. Please check that it is the newest recovery sheet.")
        )
    return dek


def _events_key(dek: SecretBytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gk-desktop pending events v1")
    return hkdf.derive(dek.get())


def _events_mac(dek: SecretBytes, vault_id: str, events: tuple[PendingEvent, ...]) -> bytes:
    payload = _canonical({"vault_id": vault_id, "events": [e.to_json() for e in events]})
    return hmac.new(_events_key(dek), payload, hashlib.sha256).digest()


def verified_pending_events(keyfile: KeyFile, dek: SecretBytes) -> tuple[PendingEvent, ...]:
    """The events recorded by commands that wrote only the key file, if their MAC is right."""
    if not keyfile.pending_events:
        return ()
    expected = _events_mac(dek, keyfile.vault_id, keyfile.pending_events)
    if not hmac.compare_digest(expected, keyfile.events_mac):
        log.warning("pending security events in the key file failed their check and were ignored")
        return ()
    return keyfile.pending_events


MAX_PENDING_EVENTS = 100  # keeps vault.keys far below its 64 KiB read limit


def add_pending_event(keyfile: KeyFile, dek: SecretBytes, kind: str, source: str) -> KeyFile:
    events = verified_pending_events(keyfile, dek) + (
        PendingEvent(kind, datetime.now(timezone.utc).isoformat(timespec="seconds"), source, str(uuid.uuid4())),
    )
    if len(events) > MAX_PENDING_EVENTS:
        # Only a long run of key-file-only commands without any unlock gets here.
        log.warning("pending security events capped at %d; the oldest were dropped", MAX_PENDING_EVENTS)
        events = events[-MAX_PENDING_EVENTS:]
    return keyfile.with_events(events, dek)


# --------------------------------------------------------------------------- helpers


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not an integer")
    return value


def _damaged() -> IntegrityError:
    return IntegrityError(
        _("The key file vault.keys is damaged or not a key file of this program. "
          "Restore it from a backup.")
    )


def _absurd_kdf() -> IntegrityError:
    return IntegrityError(
        _("The key file asks for key derivation settings outside the allowed limits. "
          "It is damaged or was tampered with.")
    )

