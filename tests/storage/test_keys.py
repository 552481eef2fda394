"""The key hierarchy: passphrase policy (C6), KDF limits (C2), recovery key, key file tampering (A7)
and secrets hygiene (C7). SECURITY.md §3."""

from __future__ import annotations

import base64
import json
import logging
import os
import pickle
import traceback
import uuid
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NEW_PASSPHRASE, PASSPHRASE
from gk_desktop.errors import GkError, InputRejectedError, IntegrityError, WrongSecretError
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import keys
from gk_desktop.storage.keys import KdfParams, SecretBytes


# --------------------------------------------------------------------------- helpers


class Argon2Spy:
    """Stands in for ``keys._argon2_raw`` and records every call."""

    def __init__(self, real: Callable[..., bytes] | None = None) -> None:
        self.calls = 0
        self._real = real

    def __call__(self, secret: bytes, params: KdfParams) -> bytes:
        self.calls += 1
        if self._real is None:
            raise AssertionError("Argon2 must not run for these parameters")
        return self._real(secret, params)


@pytest.fixture
def argon2_spy(monkeypatch: pytest.MonkeyPatch) -> Argon2Spy:
    spy = Argon2Spy()
    monkeypatch.setattr("gk_desktop.storage.keys._argon2_raw", spy)
    return spy


def _keyfile_json(paths: VaultPaths) -> dict[str, Any]:
    return json.loads(paths.keys.read_bytes().decode("utf-8"))


def _dump(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _true_dek(paths: VaultPaths) -> bytes:
    return keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE).get()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _flip_b64(text: str, index: int = 0) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[index] ^= 0x01
    return _b64(bytes(raw))


# --------------------------------------------------------------------------- C6 passphrase policy


@pytest.mark.parametrize(
    "weak",
    [
        "",
        "short",
        "Zq7!vB2#kL9@x",  # strong characters, but 13 long
        "      x       ",  # 14 characters only with the blanks
        "passwordpassword",
        "PASSWORDPASSWORD",
        "  passwordpassword  ",
        "iloveyou12345678",
        "iloveyouiloveyou",
        "aaaaaaaaaaaaaaaa",
        "abcabcabcabcabc",
        "1234567890123456",
        "qwertyuiopasdfgh",
        "letmein123456789",
        "trustno1trustno1",
        "hallohallohallo",
        "passwortpasswort",
        "ichliebedich123",
    ],
)
def test_c6_weak_passphrases_are_rejected(weak: str) -> None:
    result = keys.assess_passphrase(weak)
    assert not result.ok
    assert result.problems
    with pytest.raises(InputRejectedError) as info:
        keys.require_passphrase_policy(weak)
    assert info.value.exit_code == 4
    # The message explains the rule but never repeats the passphrase.
    if len(weak.strip()) >= 5:
        assert weak.strip() not in str(info.value)


def test_c6_short_passphrase_is_reported_as_too_short() -> None:
    result = keys.assess_passphrase("Zq7!vB2#kL9@x")
    assert not result.ok
    assert any("14" in p for p in result.problems)


@pytest.mark.parametrize(
    "good",
    [
        PASSPHRASE,
        NEW_PASSPHRASE,
        "Tisch Wolke Fahrrad Zitrone",
        "pferd apfel wolke gitarre sonne",
        "Zq7!vB2#kL9@xW",  # exactly 14 characters, random
    ],
)
def test_c6_good_passphrases_are_accepted(good: str) -> None:
    result = keys.assess_passphrase(good)
    assert result.ok, result.problems
    assert result.score >= keys.MIN_PASSPHRASE_SCORE
    keys.require_passphrase_policy(good)  # does not raise


def test_c6_long_common_passwords_from_the_top_10k_are_rejected() -> None:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    long_common = [p for p in FREQUENCY_LISTS["passwords"][:10_000] if len(p) >= keys.MIN_PASSPHRASE_LENGTH]
    assert long_common, "the list should hold some long common passwords"
    for password in long_common:
        assert not keys.assess_passphrase(password).ok, password
        assert not keys.assess_passphrase(password.upper()).ok, password


def test_c6_create_vault_enforces_the_policy(vault_paths: VaultPaths) -> None:
    from gk_desktop.storage.vault import create_vault

    with pytest.raises(InputRejectedError):
        create_vault(vault_paths, "passwordpassword")
    assert not vault_paths.has_vault()


# --------------------------------------------------------------------------- C2 KDF parameter limits


ABSURD_KDF = [
    pytest.param({"memory_kib": 4 * 1024 * 1024}, id="memory-4GiB"),
    pytest.param({"time_cost": 2**32}, id="time-2^32"),
    pytest.param({"parallelism": 255}, id="parallelism-255"),
    pytest.param({"memory_kib": 4 * 1024 * 1024, "time_cost": 2**32, "parallelism": 255}, id="all-three"),
    pytest.param({"memory_kib": keys.MAX_MEMORY_KIB + 1}, id="memory-above-ceiling"),
    pytest.param({"time_cost": keys.MAX_TIME_COST + 1}, id="time-above-ceiling"),
    pytest.param({"parallelism": keys.MAX_PARALLELISM + 1}, id="parallelism-above-ceiling"),
    pytest.param({"parallelism": 0}, id="parallelism-0"),
    pytest.param({"time_cost": 0}, id="time-0"),
    pytest.param({"memory_kib": 0}, id="memory-0"),
    pytest.param({"memory_kib": -1024}, id="memory-negative"),
    pytest.param({"memory_kib": 7}, id="memory-below-8-per-lane"),
    pytest.param({"salt": _b64(b"\x01" * 8)}, id="salt-8-bytes"),
    pytest.param({"salt": _b64(b"\x01" * 64)}, id="salt-64-bytes"),
    pytest.param({"salt": ""}, id="salt-empty"),
    pytest.param({"salt": "not base64!"}, id="salt-not-base64"),
    pytest.param({"alg": "argon2i"}, id="alg-argon2i"),
    pytest.param({"alg": "argon2d"}, id="alg-argon2d"),
    pytest.param({"alg": "pbkdf2"}, id="alg-pbkdf2"),
    pytest.param({"version": 16}, id="argon2-version-16"),
    pytest.param({"memory_kib": "1024"}, id="memory-as-text"),
    pytest.param({"memory_kib": 1024.0}, id="memory-as-float"),
    pytest.param({"time_cost": True}, id="time-as-bool"),
    pytest.param({"parallelism": None}, id="parallelism-null"),
]


@pytest.mark.parametrize("change", ABSURD_KDF)
def test_c2_absurd_kdf_parameters_are_refused_before_argon2(
    new_vault: tuple[VaultPaths, str], argon2_spy: Argon2Spy, change: dict[str, Any]
) -> None:
    paths, _recovery = new_vault
    data = _keyfile_json(paths)
    data["slots"]["passphrase"]["kdf"].update(change)
    paths.keys.write_bytes(_dump(data))

    with pytest.raises(IntegrityError):
        keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE)
    from gk_desktop.storage.vault import open_vault

    with pytest.raises(IntegrityError) as info:
        open_vault(paths, PASSPHRASE)
    assert info.value.exit_code == 5
    assert argon2_spy.calls == 0


@pytest.mark.parametrize("missing", ["memory_kib", "time_cost", "parallelism", "salt", "alg", "version"])
def test_c2_missing_kdf_parameter_is_refused_before_argon2(
    new_vault: tuple[VaultPaths, str], argon2_spy: Argon2Spy, missing: str
) -> None:
    paths, _recovery = new_vault
    data = _keyfile_json(paths)
    del data["slots"]["passphrase"]["kdf"][missing]
    paths.keys.write_bytes(_dump(data))
    with pytest.raises(IntegrityError):
        keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE)
    assert argon2_spy.calls == 0


def test_c2_derive_checks_limits_itself(argon2_spy: Argon2Spy) -> None:
    params = KdfParams(4 * 1024 * 1024, 2**32, 255, b"\x00" * keys.SALT_BYTES, "production")
    with pytest.raises(IntegrityError):
        keys.derive_passphrase_key(PASSPHRASE, params)
    assert argon2_spy.calls == 0


def test_c2_limits_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GK_KDF_PROFILE", raising=False)
    salt = b"\x00" * keys.SALT_BYTES

    def ok(memory: int, time_cost: int, parallelism: int) -> None:
        keys.check_kdf_limits(KdfParams(memory, time_cost, parallelism, salt))

    ok(keys.FLOOR_MEMORY_KIB, keys.FLOOR_TIME_COST, 1)
    ok(keys.MAX_MEMORY_KIB, keys.MAX_TIME_COST, keys.MAX_PARALLELISM)
    for memory, time_cost, parallelism in [
        (keys.FLOOR_MEMORY_KIB - 1, keys.FLOOR_TIME_COST, 4),  # below the floor
        (keys.FLOOR_MEMORY_KIB, keys.FLOOR_TIME_COST - 1, 4),  # below the floor
        (keys.MAX_MEMORY_KIB + 1, keys.FLOOR_TIME_COST, 4),
        (keys.FLOOR_MEMORY_KIB, keys.MAX_TIME_COST + 1, 4),
        (keys.FLOOR_MEMORY_KIB, keys.FLOOR_TIME_COST, keys.MAX_PARALLELISM + 1),
    ]:
        with pytest.raises(IntegrityError):
            ok(memory, time_cost, parallelism)


@pytest.mark.parametrize("profile_env", [None, "", "production", "testing"])
def test_c2_below_floor_vault_refused_without_test_profile(
    new_vault: tuple[VaultPaths, str],
    argon2_spy: Argon2Spy,
    monkeypatch: pytest.MonkeyPatch,
    profile_env: str | None,
) -> None:
    paths, recovery = new_vault  # made with the fast test profile (1 MiB, 1 pass)
    if profile_env is None:
        monkeypatch.delenv("GK_KDF_PROFILE", raising=False)
    else:
        monkeypatch.setenv("GK_KDF_PROFILE", profile_env)
    assert not keys.test_profile_enabled()
    before = paths.keys.read_bytes()

    from gk_desktop.storage.vault import open_vault

    with pytest.raises(IntegrityError):
        open_vault(paths, PASSPHRASE)
    with pytest.raises(IntegrityError):
        keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE)
    assert argon2_spy.calls == 0
    assert paths.keys.read_bytes() == before


def test_c2_test_profile_switch_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_KDF_PROFILE", " TEST ")
    assert keys.test_profile_enabled()


def test_c2_oversized_key_file_is_refused(new_vault: tuple[VaultPaths, str], argon2_spy: Argon2Spy) -> None:
    paths, _recovery = new_vault
    data = _keyfile_json(paths)
    data["padding"] = "x" * (70 * 1024)
    with pytest.raises(IntegrityError):
        keys.KeyFile.from_bytes(_dump(data))
    assert argon2_spy.calls == 0


# --------------------------------------------------------------------------- recovery key


@settings(max_examples=200, deadline=None, database=None)
@given(raw=st.binary(min_size=32, max_size=32))
def test_recovery_key_round_trip(raw: bytes) -> None:
    printed = keys.format_recovery_key(raw)
    groups = printed.split("-")
    assert len(groups) == 13 and all(len(g) == 5 for g in groups)
    assert keys.parse_recovery_key(printed).get() == raw
    # Spaces, dashes and case do not matter.
    assert keys.parse_recovery_key(printed.lower()).get() == raw
    assert keys.parse_recovery_key(printed.replace("-", " ")).get() == raw
    assert keys.parse_recovery_key(printed.replace("-", "")).get() == raw
    assert keys.parse_recovery_key("  " + "  -  ".join(g.lower() for g in groups) + "\n").get() == raw


@settings(max_examples=20, deadline=None, database=None)
@given(raw=st.binary(min_size=32, max_size=32))
def test_recovery_key_any_single_changed_character_is_reported(raw: bytes) -> None:
    printed = keys.format_recovery_key(raw).replace("-", "")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    for pos, original in enumerate(printed):
        for replacement in alphabet:
            if replacement == original:
                continue
            changed = printed[:pos] + replacement + printed[pos + 1 :]
            with pytest.raises(WrongSecretError) as info:
                keys.parse_recovery_key(changed)
            # The message names the group with the typo.
            assert str(pos // 5 + 1) in str(info.value)


def test_recovery_key_wrong_length_or_characters() -> None:
    printed = keys.format_recovery_key(bytes(range(32)))
    compact = printed.replace("-", "")
    for bad in ["", compact[:-1], compact + "A", compact[:-5], compact + compact[:5], "-".join(printed.split("-")[:12])]:
        with pytest.raises(WrongSecretError) as info:
            keys.parse_recovery_key(bad)
        assert info.value.exit_code == 3
    with pytest.raises(WrongSecretError):
        keys.parse_recovery_key(compact[:-1] + "!")
    with pytest.raises(WrongSecretError):
        keys.parse_recovery_key(compact[:-1] + "ä")
    for size in (0, 16, 31, 33):
        with pytest.raises(ValueError):
            keys.format_recovery_key(b"\x00" * size)


def test_new_recovery_keys_differ() -> None:
    printed = {keys.new_recovery_key()[1] for _ in range(20)}
    assert len(printed) == 20


# --------------------------------------------------------------------------- key file tampering (A7)


def _unlock_outcome(raw: bytes, slot: str, secret: str) -> bytes | type[GkError]:
    """The DEK, or the error class when the unlock fails."""
    try:
        keyfile = keys.KeyFile.from_bytes(raw)
        if slot == "passphrase":
            return keys.unlock_with_passphrase(keyfile, secret).get()
        return keys.unlock_with_recovery_key(keyfile, secret).get()
    except (WrongSecretError, IntegrityError) as exc:
        return type(exc)


PASSPHRASE_SLOT_CHANGES: list[Any] = [
    pytest.param(lambda d: d.update(vault_id=str(uuid.uuid4())), id="vault_id"),
    pytest.param(lambda d: d.update(vault_id="not-a-uuid"), id="vault_id-garbage"),
    pytest.param(lambda d: d.update(format="other-program"), id="format"),
    pytest.param(lambda d: d.update(version=2), id="version"),
    pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(salt=_flip_b64(d["slots"]["passphrase"]["kdf"]["salt"])), id="kdf-salt"),
    pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(memory_kib=2048), id="kdf-memory"),
    pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(time_cost=2), id="kdf-time"),
    pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(parallelism=2), id="kdf-parallelism"),
    pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(profile="production"), id="kdf-profile"),
    pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(extra=1), id="kdf-extra-field"),
    pytest.param(lambda d: d["slots"]["passphrase"].update(nonce=_flip_b64(d["slots"]["passphrase"]["nonce"])), id="nonce"),
    pytest.param(lambda d: d["slots"]["passphrase"].update(nonce=_b64(b"\x00" * 8)), id="nonce-short"),
    pytest.param(lambda d: d["slots"]["passphrase"].update(wrapped_key=_flip_b64(d["slots"]["passphrase"]["wrapped_key"], 0)), id="wrapped-first-byte"),
    pytest.param(lambda d: d["slots"]["passphrase"].update(wrapped_key=_flip_b64(d["slots"]["passphrase"]["wrapped_key"], -1)), id="wrapped-tag"),
    pytest.param(lambda d: d["slots"]["passphrase"].update(wrapped_key=d["slots"]["passphrase"]["wrapped_key"][:-8]), id="wrapped-truncated"),
    pytest.param(lambda d: d["slots"]["passphrase"].update(wrapped_key=d["slots"]["recovery"]["wrapped_key"]), id="wrapped-from-other-slot"),
    pytest.param(lambda d: d["slots"].pop("passphrase"), id="slot-removed"),
]


@pytest.mark.parametrize("change", PASSPHRASE_SLOT_CHANGES)
def test_a7_changed_passphrase_slot_header_never_gives_a_key(
    new_vault: tuple[VaultPaths, str], change: Callable[[dict[str, Any]], Any]
) -> None:
    paths, _recovery = new_vault
    data = _keyfile_json(paths)
    change(data)
    outcome = _unlock_outcome(_dump(data), "passphrase", PASSPHRASE)
    assert outcome in (WrongSecretError, IntegrityError)


RECOVERY_SLOT_CHANGES: list[Any] = [
    pytest.param(lambda d: d.update(vault_id=str(uuid.uuid4())), id="vault_id"),
    pytest.param(lambda d: d["slots"]["recovery"]["kdf"].update(salt=_flip_b64(d["slots"]["recovery"]["kdf"]["salt"])), id="kdf-salt"),
    pytest.param(lambda d: d["slots"]["recovery"]["kdf"].update(salt=_b64(b"\x00" * 8)), id="kdf-salt-short"),
    pytest.param(lambda d: d["slots"]["recovery"]["kdf"].update(alg="argon2id"), id="kdf-alg"),
    pytest.param(lambda d: d["slots"]["recovery"]["kdf"].update(extra=1), id="kdf-extra-field"),
    pytest.param(lambda d: d["slots"]["recovery"].update(nonce=_flip_b64(d["slots"]["recovery"]["nonce"])), id="nonce"),
    pytest.param(lambda d: d["slots"]["recovery"].update(wrapped_key=_flip_b64(d["slots"]["recovery"]["wrapped_key"], 5)), id="wrapped"),
    pytest.param(lambda d: d["slots"]["recovery"].update(wrapped_key=d["slots"]["passphrase"]["wrapped_key"]), id="wrapped-from-other-slot"),
    pytest.param(lambda d: d["slots"].pop("recovery"), id="slot-removed"),
]


@pytest.mark.parametrize("change", RECOVERY_SLOT_CHANGES)
def test_a7_changed_recovery_slot_header_never_gives_a_key(
    new_vault: tuple[VaultPaths, str], change: Callable[[dict[str, Any]], Any]
) -> None:
    paths, recovery = new_vault
    data = _keyfile_json(paths)
    change(data)
    outcome = _unlock_outcome(_dump(data), "recovery", recovery)
    assert outcome in (WrongSecretError, IntegrityError)


def test_a7_unchanged_key_file_unlocks_both_slots(new_vault: tuple[VaultPaths, str]) -> None:
    paths, recovery = new_vault
    raw = _dump(_keyfile_json(paths))
    dek = _unlock_outcome(raw, "passphrase", PASSPHRASE)
    assert isinstance(dek, bytes) and len(dek) == keys.DEK_BYTES
    assert _unlock_outcome(raw, "recovery", recovery) == dek


def test_a7_slot_from_another_vault_does_not_unlock(tmp_path: Path, new_vault: tuple[VaultPaths, str]) -> None:
    """Same passphrase, slot moved between vaults: the vault id in the AAD stops it."""
    from gk_desktop.storage.vault import create_vault

    paths, _recovery = new_vault
    other = VaultPaths(tmp_path / "other")
    create_vault(other, PASSPHRASE)
    data = _keyfile_json(paths)
    data["slots"]["passphrase"] = _keyfile_json(other)["slots"]["passphrase"]
    assert _unlock_outcome(_dump(data), "passphrase", PASSPHRASE) is WrongSecretError


def _diff_paths(a: Any, b: Any, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: set[tuple[str, ...]] = set()
        for key in set(a) | set(b):
            if key not in a or key not in b:
                out.add(prefix + (key,))
            else:
                out |= _diff_paths(a[key], b[key], prefix + (key,))
        return out
    return set() if a == b and type(a) is type(b) else {prefix}


def _touches_slot(changed: set[tuple[str, ...]], slot: str) -> bool:
    """Whether a change reaches what authenticates ``slot``: the file's identity or the slot."""
    for path in changed:
        if path[0] in ("vault_id", "format", "version"):
            return True
        if path[0] == "slots" and (len(path) == 1 or path[1] not in ("passphrase", "recovery") or path[1] == slot):
            return True
    return False


def test_a7_every_single_bit_flip_in_the_key_file(new_vault: tuple[VaultPaths, str]) -> None:
    """Flip the low bit of every byte of vault.keys: each slot whose authenticated header, nonce or
    wrapped key changed refuses to unlock; a key, when one comes out, is always the right one."""
    paths, recovery = new_vault
    original_raw = paths.keys.read_bytes()
    original = json.loads(original_raw)
    dek = _true_dek(paths)
    checked_slot = {"passphrase": 0, "recovery": 0}
    for pos in range(len(original_raw)):
        mutated = bytearray(original_raw)
        mutated[pos] ^= 0x01
        raw = bytes(mutated)
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except ValueError:
            with pytest.raises(IntegrityError):
                keys.KeyFile.from_bytes(raw)
            continue
        changed = _diff_paths(original, parsed)
        assert changed, pos
        for slot, secret in (("passphrase", PASSPHRASE), ("recovery", recovery)):
            outcome = _unlock_outcome(raw, slot, secret)
            touches_slot = _touches_slot(changed, slot)
            if touches_slot:
                assert outcome in (WrongSecretError, IntegrityError), (pos, changed, slot)
                checked_slot[slot] += 1
            else:
                assert outcome == dek or outcome is IntegrityError, (pos, changed, slot)
    # The sweep really went through both slots' fields.
    assert checked_slot["passphrase"] > 50 and checked_slot["recovery"] > 50


@pytest.mark.parametrize("cut", ["empty", "one-byte", "half", "without-last-brace", "mid-wrapped-key"])
def test_a7_truncated_key_file_is_an_integrity_error(
    new_vault: tuple[VaultPaths, str], argon2_spy: Argon2Spy, cut: str
) -> None:
    paths, _recovery = new_vault
    raw = paths.keys.read_bytes()
    length = {
        "empty": 0,
        "one-byte": 1,
        "half": len(raw) // 2,
        "without-last-brace": len(raw.rstrip()) - 1,
        "mid-wrapped-key": raw.index(b'"wrapped_key"') + 30,
    }[cut]
    paths.keys.write_bytes(raw[:length])
    with pytest.raises(IntegrityError):
        keys.load_keyfile(paths.keys)
    from gk_desktop.storage.vault import open_vault

    with pytest.raises(IntegrityError):
        open_vault(paths, PASSPHRASE)
    assert argon2_spy.calls == 0


def test_a7_every_truncation_is_an_integrity_error(new_vault: tuple[VaultPaths, str]) -> None:
    paths, _recovery = new_vault
    raw = paths.keys.read_bytes().rstrip()  # the trailing newline is mere whitespace
    for length in range(len(raw)):
        with pytest.raises(IntegrityError):
            keys.KeyFile.from_bytes(raw[:length])


@pytest.mark.parametrize(
    "content",
    [b"\x00" * 64, os.urandom(512), b"\xff\xfe{}", b"[]", b"null", b'{"format": "gk-desktop-vault-keys"}'],
    ids=["zeros", "random", "bad-utf8", "list", "null", "format-only"],
)
def test_a7_foreign_key_file_is_an_integrity_error(new_vault: tuple[VaultPaths, str], content: bytes) -> None:
    paths, _recovery = new_vault
    paths.keys.write_bytes(content)
    with pytest.raises(IntegrityError):
        keys.load_keyfile(paths.keys)


def test_a7_missing_key_file_is_an_integrity_error(new_vault: tuple[VaultPaths, str]) -> None:
    from gk_desktop.storage.vault import open_vault

    paths, _recovery = new_vault
    paths.keys.unlink()
    before = paths.db.read_bytes()
    with pytest.raises(IntegrityError):
        open_vault(paths, PASSPHRASE)
    assert paths.db.read_bytes() == before


# --------------------------------------------------------------------------- C7 secrets hygiene


def _secret_variants(passphrase: str, dek_hex: str, recovery: str | None) -> list[str]:
    out = [passphrase, passphrase.upper(), dek_hex.lower(), dek_hex.upper(), dek_hex[:32], dek_hex[32:]]
    if recovery:
        out += [recovery, recovery.replace("-", ""), recovery.lower(), recovery.split("-")[0] + "-" + recovery.split("-")[1]]
    return out


def _assert_clean(text: str, secrets_: list[str], where: str) -> None:
    for secret in secrets_:
        assert secret not in text, f"secret found in {where}"


def test_c7_reprs_carry_no_secret(new_vault: tuple[VaultPaths, str]) -> None:
    from gk_desktop.storage.vault import open_vault

    paths, recovery = new_vault
    dek = keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE)
    dek_hex = dek.hex()
    secrets_ = _secret_variants(PASSPHRASE, dek_hex, recovery)

    assert repr(dek) == str(dek) == "SecretBytes(<redacted>)"
    assert f"{dek}" == "SecretBytes(<redacted>)"
    with pytest.raises(TypeError):
        pickle.dumps(dek)

    keyfile = keys.load_keyfile(paths.keys)
    params = keyfile.kdf_params
    texts = {
        "SecretBytes": repr(dek) + str(dek),
        "KdfParams": repr(params) + str(params),
        "KeyFile": repr(keyfile) + str(keyfile),
        "Slot": repr(keyfile.slots["passphrase"]) + repr(keyfile.slots["recovery"]),
    }
    with open_vault(paths, PASSPHRASE) as vault:
        texts["Vault"] = repr(vault) + str(vault)
        texts["engine"] = repr(vault.engine) + str(vault.engine)
        texts["engine.url"] = str(vault.engine.url) + repr(vault.engine.url)
        texts["engine.url.render"] = vault.engine.url.render_as_string(hide_password=False)
        texts["pool"] = repr(vault.engine.pool) + vault.engine.pool.status()
        texts["sync"] = repr(vault.sync)
        texts["timings"] = repr(vault.timings)
    for where, text in texts.items():
        _assert_clean(text, secrets_, where)
    # The salt and wrapped key stay out of the reprs too.
    slot = keyfile.slots["passphrase"]
    assert _b64(slot.wrapped) not in texts["KeyFile"]
    assert _b64(slot.nonce) not in texts["KeyFile"]
    assert repr(params.salt) not in texts["KdfParams"]


def test_c7_wipe_clears_the_bytes() -> None:
    secret = SecretBytes(b"\x11" * 32)
    assert secret.get() == b"\x11" * 32 and len(secret) == 32
    secret.wipe()
    assert len(secret) == 0 and secret.get() == b""


def _break_database(paths: VaultPaths) -> None:
    paths.db.write_bytes(os.urandom(paths.db.stat().st_size))


def test_c7_forced_unlock_failure_exposes_no_secret(new_vault: tuple[VaultPaths, str]) -> None:
    from gk_desktop.storage.vault import open_vault

    paths, recovery = new_vault
    dek_hex = keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE).hex()
    secrets_ = _secret_variants(PASSPHRASE, dek_hex, recovery)
    _break_database(paths)

    with pytest.raises(IntegrityError) as info:
        open_vault(paths, PASSPHRASE)
    exc = info.value
    text = "\n".join([
        str(exc),
        repr(exc),
        exc.message,
        "".join(traceback.format_exception(exc)),
        "".join(traceback.format_exception(exc, chain=True)),
        repr(exc.__context__),
        repr(exc.__cause__),
        str(info.getrepr(style="long", showlocals=False)),
    ])
    _assert_clean(text, secrets_, "exception")

    # Key objects still reachable from the traceback's frames hold nothing any more.
    tb = exc.__traceback__
    seen = 0
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if isinstance(value, SecretBytes):
                seen += 1
                assert len(value) == 0, f"unwiped key in {tb.tb_frame.f_code.co_name}"
        tb = tb.tb_next
    assert seen >= 1

    # The recovery-key path fails the same way, just as cleanly.
    with pytest.raises(IntegrityError) as info2:
        open_vault(paths, recovery_key=recovery)
    _assert_clean("".join(traceback.format_exception(info2.value)) + repr(info2.value), secrets_, "exception")


def test_c7_wrong_passphrase_error_does_not_echo_it(new_vault: tuple[VaultPaths, str]) -> None:
    from gk_desktop.storage.vault import open_vault

    paths, _recovery = new_vault
    wrong = "falsches pferd batterie heftklammer"
    with pytest.raises(WrongSecretError) as info:
        open_vault(paths, wrong)
    text = str(info.value) + repr(info.value) + "".join(traceback.format_exception(info.value))
    assert wrong not in text and PASSPHRASE not in text


def _read_logs(data_dir: Path) -> str:
    logs = data_dir / "logs"
    assert logs.is_dir()
    return "\n".join(p.read_text("utf-8", errors="replace") for p in sorted(logs.rglob("*")) if p.is_file())


def test_c7_cli_logs_and_output_hold_no_secret_after_failed_unlock(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gk_desktop import cli

    monkeypatch.setenv("GK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["--data-dir", str(data_dir), "init", "--json"]) == 0
    recovery = json.loads(capsys.readouterr().out)["recovery_key"]
    paths = VaultPaths(data_dir)
    dek_hex = keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE).hex()
    secrets_ = _secret_variants(PASSPHRASE, dek_hex, recovery) + [NEW_PASSPHRASE]

    # A change of passphrase and a backup leave their traces in the log as well.
    monkeypatch.setenv("GK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    assert cli.main(["--data-dir", str(data_dir), "change-passphrase"]) == 0
    monkeypatch.setenv("GK_PASSPHRASE", NEW_PASSPHRASE)
    monkeypatch.delenv("GK_NEW_PASSPHRASE")
    assert cli.main(["--data-dir", str(data_dir), "backup"]) == 0

    _break_database(paths)
    outputs = []
    for command in (["info"], ["check", "--json"], ["info", "--json"]):
        assert cli.main(["--data-dir", str(data_dir), *command]) == 5
        captured = capsys.readouterr()
        outputs += [captured.out, captured.err]
    # Wrong passphrase and wrong recovery key as well.
    monkeypatch.setenv("GK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["--data-dir", str(data_dir), "info"]) == 3
    monkeypatch.delenv("GK_PASSPHRASE")
    monkeypatch.setenv("GK_RECOVERY_KEY", recovery)
    assert cli.main(["--data-dir", str(data_dir), "info", "--json"]) == 5
    captured = capsys.readouterr()
    outputs += [captured.out, captured.err]

    log_text = _read_logs(data_dir)
    assert "IntegrityError" in log_text  # the failures were logged ...
    _assert_clean(log_text, secrets_, "log file")  # ... without any secret
    _assert_clean("\n".join(outputs), secrets_, "CLI output")


def test_c7_unexpected_exception_with_secret_in_message_is_not_logged(
    new_vault: tuple[VaultPaths, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    """An unexpected error whose message quotes secrets: the log file keeps frames only.

    Another handler on the root logger with a standard formatter (pytest's own log capture does
    the same; in the field any ``logging.basicConfig`` or library handler) may format the record
    before the file handler does; the log file must still not get the message.
    """
    import io

    from gk_desktop import cli

    foreign = logging.StreamHandler(io.StringIO())
    foreign.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger().addHandler(foreign)
    request.addfinalizer(lambda: logging.getLogger().removeHandler(foreign))

    paths, recovery = new_vault
    dek_hex = keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE).hex()
    secrets_ = _secret_variants(PASSPHRASE, dek_hex, recovery)

    def exploding_engine(conn: Any) -> Any:
        raise RuntimeError(f"boom {PASSPHRASE} {dek_hex} {recovery}")

    monkeypatch.setattr("gk_desktop.storage.engine.make_engine", exploding_engine)
    monkeypatch.setenv("GK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["--data-dir", str(paths.root), "info", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["exit_code"] == 1
    log_text = _read_logs(paths.root)
    assert "RuntimeError" in log_text and "frames only" in log_text
    _assert_clean(log_text, secrets_, "log file")
    _assert_clean(captured.out + captured.err, secrets_, "CLI output")


def test_pending_events_are_capped_so_the_key_file_stays_readable(new_vault) -> None:
    """A long run of key-file-only commands without an unlock must never make vault.keys unreadable."""
    from gk_desktop.storage.vault import open_vault, reissue_recovery_key

    paths, _ = new_vault
    keyfile = keys.load_keyfile(paths.keys)
    dek = keys.unlock_with_passphrase(keyfile, PASSPHRASE)
    for _ in range(keys.MAX_PENDING_EVENTS + 30):
        keyfile = keys.add_pending_event(keyfile, dek, "recovery_key_reissue", "cli")
    assert len(keyfile.pending_events) == keys.MAX_PENDING_EVENTS
    keys.save_keyfile(paths.keys, keyfile)
    reissue_recovery_key(paths, PASSPHRASE)
    assert len(keys.load_keyfile(paths.keys).pending_events) == keys.MAX_PENDING_EVENTS
    with open_vault(paths, PASSPHRASE) as v:
        with v.session() as s:
            from sqlalchemy import text

            n = s.execute(text("SELECT count(*) FROM audit_event WHERE kind = 'recovery_key_reissue'")).scalar_one()
    assert n == keys.MAX_PENDING_EVENTS


def test_stale_temp_files_are_removed_at_the_next_unlock(new_vault) -> None:
    from gk_desktop.storage import fsutil
    from gk_desktop.storage.vault import open_vault

    paths, _ = new_vault
    stale = fsutil.temp_name(paths.keys)
    stale.write_bytes(b"{}")
    other = paths.root / "notes.txt"
    other.write_text("kept")
    with open_vault(paths, PASSPHRASE):
        pass
    assert not stale.exists()
    assert other.exists()
    assert fsutil.stale_temp_files(paths.keys) == []
