"""The gk-cli contract (CLI.md): commands, JSON output, exit codes, secrets from the environment."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import NEW_PASSPHRASE, PASSPHRASE
from gk_desktop import cli
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import keys
from gk_desktop.storage.migrations import HEAD_REVISION

SECRET_VARS = ("GK_PASSPHRASE", "GK_NEW_PASSPHRASE", "GK_RECOVERY_KEY")


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch):
    """No terminal to ask on: a command must never prompt in these tests."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    def no_prompt(*_a: Any, **_k: Any) -> str:
        raise AssertionError("gk-cli prompted for a secret without a terminal")

    monkeypatch.setattr("getpass.getpass", no_prompt)


class Cli:
    """Runs ``gk_desktop.cli.main`` in-process with a given environment; returns (code, out, err)."""

    def __init__(self, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir = data_dir
        self._mp = monkeypatch
        self._capsys = capsys

    def __call__(self, *args: str, data_dir: Path | None = None, **env: str | None) -> tuple[int, str, str]:
        for var in SECRET_VARS:
            self._mp.delenv(var, raising=False)
        for var, value in env.items():
            if value is not None:
                self._mp.setenv(var, value)
        self._capsys.readouterr()
        code = cli.main(["--data-dir", str(data_dir or self.data_dir), *args])
        captured = self._capsys.readouterr()
        for var in SECRET_VARS:
            self._mp.delenv(var, raising=False)
        return code, captured.out, captured.err

    def json(self, *args: str, expect: int = 0, **env: str | None) -> dict[str, Any]:
        """Run with ``--json``; stdout must be exactly one JSON object."""
        code, out, err = self(*args, "--json", **env)
        assert code == expect, (code, out, err)
        payload = json.loads(out)
        assert isinstance(payload, dict)
        assert out.count("\n") == 1 and out.endswith("\n")
        if expect != 0:
            assert set(payload) == {"error", "exit_code"}
            assert payload["exit_code"] == expect
            assert payload["error"]
        return payload


@pytest.fixture
def run(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(data_dir, monkeypatch, capsys)


@pytest.fixture
def vault(run: Cli) -> str:
    """A vault made by ``gk-cli init``; returns the printed recovery key."""
    return run.json("init", GK_PASSPHRASE=PASSPHRASE)["recovery_key"]


def _state(root: Path, names: tuple[str, ...] = ("vault.db", "vault.keys")) -> dict[str, tuple[str, int]]:
    out = {}
    for name in names:
        p = root / name
        out[name] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
    return out


def _subprocess(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GK_")}
    environ.update({"GK_KDF_PROFILE": "test", "GK_LANG": "de", "GK_DATA_DIR": str(tmp_path / "data")}, **env)
    return subprocess.run(
        [sys.executable, "-m", "gk_desktop.cli", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=120,  # a guard against a hang (waiting for input), not a timing assertion
    )


# --------------------------------------------------------------------------- init


def test_init_json(run: Cli, data_dir: Path) -> None:
    payload = run.json("init", GK_PASSPHRASE=PASSPHRASE)
    assert set(payload) == {"recovery_key", "data_dir"}
    assert payload["data_dir"] == str(data_dir)
    assert len(keys.parse_recovery_key(payload["recovery_key"])) == 32
    paths = VaultPaths(data_dir)
    assert paths.db.is_file() and paths.keys.is_file()
    from gk_desktop.storage.vault import open_vault

    with open_vault(paths, recovery_key=payload["recovery_key"]) as v:
        assert v.dek is not None


def test_init_human_output_shows_the_recovery_key(run: Cli, data_dir: Path) -> None:
    code, out, _err = run("init", GK_PASSPHRASE=PASSPHRASE)
    assert code == 0
    groups = [g for line in out.splitlines() for g in line.split() if len(g) == 5 and g.isupper()]
    printed = "-".join(groups[-13:])
    from gk_desktop.storage.vault import open_vault

    with open_vault(VaultPaths(data_dir), recovery_key=printed) as v:
        assert v.dek is not None


def test_second_init_is_exit_8_and_changes_nothing(run: Cli, vault: str, data_dir: Path) -> None:
    before = _state(data_dir)
    assert run("init", GK_PASSPHRASE=NEW_PASSPHRASE)[0] == 8
    run.json("init", expect=8, GK_PASSPHRASE=NEW_PASSPHRASE)
    assert run("init")[0] == 8  # no secret needed to find that out
    assert _state(data_dir) == before


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["check"],
        ["backup"],
        ["demo", "--clients", "3"],
        ["change-passphrase"],
        ["recover"],
        ["reissue-recovery-key"],
    ],
)
def test_commands_on_an_empty_dir_are_exit_8(run: Cli, data_dir: Path, command: list[str]) -> None:
    env = {"GK_PASSPHRASE": PASSPHRASE, "GK_NEW_PASSPHRASE": NEW_PASSPHRASE, "GK_RECOVERY_KEY": "X"}
    assert run(*command, **env)[0] == 8
    run.json(*command, expect=8, **env)
    assert run(*command)[0] == 8  # even without any secret
    assert not data_dir.exists()


# --------------------------------------------------------------------------- secrets and exit codes


@pytest.mark.parametrize(
    "command",
    [["info"], ["check"], ["backup"], ["demo", "--clients", "2"], ["reissue-recovery-key"], ["change-passphrase"]],
)
def test_wrong_passphrase_is_exit_3(run: Cli, vault: str, data_dir: Path, command: list[str]) -> None:
    before = _state(data_dir)
    env = {"GK_PASSPHRASE": "falsche passphrase heute", "GK_NEW_PASSPHRASE": NEW_PASSPHRASE}
    code, _out, err = run(*command, **env)
    assert code == 3
    assert err.strip()
    run.json(*command, expect=3, **env)
    assert _state(data_dir) == before
    assert not (data_dir / "backups").exists()


def test_wrong_recovery_key_is_exit_3(run: Cli, vault: str) -> None:
    foreign = keys.format_recovery_key(os.urandom(32))
    run.json("info", expect=3, GK_RECOVERY_KEY=foreign)
    run.json("recover", expect=3, GK_RECOVERY_KEY=foreign, GK_NEW_PASSPHRASE=NEW_PASSPHRASE)
    run.json("info", expect=3, GK_RECOVERY_KEY="not a recovery key")


@pytest.mark.parametrize(
    ("command", "env"),
    [
        (["init"], {}),
        (["info"], {}),
        (["check"], {}),
        (["backup"], {}),
        (["demo", "--clients", "1"], {}),
        (["reissue-recovery-key"], {}),
        (["change-passphrase"], {"GK_PASSPHRASE": PASSPHRASE}),  # the new one is missing
        (["change-passphrase"], {"GK_NEW_PASSPHRASE": NEW_PASSPHRASE}),  # the old one is missing
        (["recover"], {"GK_NEW_PASSPHRASE": NEW_PASSPHRASE}),
        (["recover"], {"GK_RECOVERY_KEY": "AAAAA"}),
    ],
)
def test_missing_secret_without_terminal_is_exit_2(
    run: Cli, tmp_path: Path, command: list[str], env: dict[str, str]
) -> None:
    target = tmp_path / "vault-for-missing-secret"
    if command != ["init"]:
        assert run("init", "--json", data_dir=target, GK_PASSPHRASE=PASSPHRASE)[0] == 0
        before = _state(target)
    code, out, err = run(*command, "--json", data_dir=target, **env)
    assert code == 2
    assert json.loads(out) == {"error": json.loads(out)["error"], "exit_code": 2}
    assert "GK_" in err
    if command == ["init"]:
        assert not VaultPaths(target).has_vault()
    else:
        assert _state(target) == before


def test_missing_secret_without_terminal_subprocess(tmp_path: Path) -> None:
    """A real process with stdin from /dev/null: exit 2 at once, no prompt, nothing created."""
    result = _subprocess(["init", "--json"], tmp_path)
    assert result.returncode == 2, result.stderr
    assert json.loads(result.stdout)["exit_code"] == 2
    assert "GK_PASSPHRASE" in result.stderr
    assert not VaultPaths(tmp_path / "data").has_vault()


def test_subprocess_round_trip(tmp_path: Path) -> None:
    """init and info in real processes; info without a secret and without a terminal is exit 2."""
    created = _subprocess(["init", "--json"], tmp_path, GK_PASSPHRASE=PASSPHRASE)
    assert created.returncode == 0, created.stderr
    payload = json.loads(created.stdout)
    assert set(payload) == {"recovery_key", "data_dir"}
    assert payload["data_dir"] == str(tmp_path / "data")

    info = _subprocess(["info", "--json"], tmp_path, GK_RECOVERY_KEY=payload["recovery_key"])
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["kdf"]["profile"] == "test"

    missing = _subprocess(["info", "--json"], tmp_path)
    assert missing.returncode == 2
    assert json.loads(missing.stdout)["exit_code"] == 2


@pytest.mark.parametrize("weak", ["short", "passwordpassword", "aaaaaaaaaaaaaaaa", "iloveyou12345678"])
def test_policy_violation_is_exit_4(run: Cli, tmp_path: Path, weak: str) -> None:
    fresh = tmp_path / "fresh"
    assert run("init", data_dir=fresh, GK_PASSPHRASE=weak)[0] == 4
    code, out, err = run("init", "--json", data_dir=fresh, GK_PASSPHRASE=weak)
    assert code == 4 and json.loads(out)["exit_code"] == 4
    assert weak not in out + err
    assert not VaultPaths(fresh).has_vault()


def test_policy_violation_on_change_recover_restore_is_exit_4(run: Cli, vault: str, data_dir: Path, tmp_path: Path) -> None:
    backup_path = run.json("backup", GK_PASSPHRASE=PASSPHRASE)["path"]
    before = _state(data_dir)
    run.json("change-passphrase", expect=4, GK_PASSPHRASE=PASSPHRASE, GK_NEW_PASSPHRASE="passwordpassword")
    run.json("recover", expect=4, GK_RECOVERY_KEY=vault, GK_NEW_PASSPHRASE="aaaaaaaaaaaaaaaa")
    assert _state(data_dir) == before
    target = tmp_path / "restored"
    code, out, _err = run("restore", backup_path, "--json", data_dir=target,
                          GK_PASSPHRASE=PASSPHRASE, GK_NEW_PASSPHRASE="short")
    assert code == 4 and json.loads(out)["exit_code"] == 4
    assert not VaultPaths(target).has_vault()


def test_usage_errors_are_exit_2(run: Cli, vault: str) -> None:
    run.json("demo", "--clients", "-1", expect=2, GK_PASSPHRASE=PASSPHRASE)
    run.json("demo", "--clients", "100001", expect=2, GK_PASSPHRASE=PASSPHRASE)
    assert cli.main([]) == 2
    assert cli.main(["no-such-command"]) == 2


@pytest.mark.parametrize(
    "args",
    [["demo", "--json", "--clients", "many"], ["demo", "--json"], ["backup", "--json", "--to"]],
    ids=["bad-int", "missing-option", "option-without-value"],
)
def test_json_usage_error_still_prints_one_json_object(
    run: Cli, vault: str, data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """CLI.md: with --json the command prints exactly one JSON object on stdout, also when the
    arguments are wrong (exit 2)."""
    capsys.readouterr()
    try:
        code = cli.main(["--data-dir", str(data_dir), *args])
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr().out
    assert code == 2
    payload = json.loads(out)
    assert isinstance(payload, dict) and payload.get("exit_code") == 2


# --------------------------------------------------------------------------- info and check


def test_info_json(run: Cli, vault: str, data_dir: Path) -> None:
    before = _state(data_dir)
    payload = run.json("info", GK_PASSPHRASE=PASSPHRASE)
    required = {"data_dir", "schema_version", "sqlcipher_version", "kdf", "device_id", "counts"}
    assert required <= set(payload)
    assert payload["data_dir"] == str(data_dir)
    assert payload["schema_version"] == HEAD_REVISION
    assert payload["sqlcipher_version"].startswith("4.19.0")
    assert payload["kdf"] == {"profile": "test", "memory_kib": 1024, "time_cost": 1, "parallelism": 1}
    assert len(payload["device_id"]) == 36
    counts = payload["counts"]
    assert {"client", "case", "contact"} <= set(counts)
    assert all(isinstance(n, int) for n in counts.values())
    assert counts["client"] == 0
    # The same through the recovery key; info writes nothing to the vault.
    assert run.json("info", GK_RECOVERY_KEY=vault)["device_id"] == payload["device_id"]
    assert _state(data_dir) == before


def test_info_human_output(run: Cli, vault: str) -> None:
    code, out, _err = run("info", GK_PASSPHRASE=PASSPHRASE)
    assert code == 0
    assert "4.19.0" in out and "Argon2id" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_check_json(run: Cli, vault: str, data_dir: Path) -> None:
    run.json("demo", "--clients", "5", GK_PASSPHRASE=PASSPHRASE)
    before = _state(data_dir)
    payload = run.json("check", GK_PASSPHRASE=PASSPHRASE)
    assert payload["ok"] is True
    assert payload["quick_check"] == "ok"
    assert payload["cipher_integrity_check"] == []
    assert _state(data_dir) == before


def test_check_of_a_damaged_vault_is_not_ok(run: Cli, vault: str, data_dir: Path) -> None:
    db = VaultPaths(data_dir).db
    raw = bytearray(db.read_bytes())
    raw[len(raw) - 100] ^= 0xFF  # inside the last page, after the first one
    db.write_bytes(bytes(raw))
    code, out, _err = run("check", "--json", GK_PASSPHRASE=PASSPHRASE)
    assert code == 5
    payload = json.loads(out)
    assert payload.get("ok") is not True


# --------------------------------------------------------------------------- key-file commands


def test_change_passphrase_json(run: Cli, vault: str, data_dir: Path) -> None:
    payload = run.json("change-passphrase", GK_PASSPHRASE=PASSPHRASE, GK_NEW_PASSPHRASE=NEW_PASSPHRASE)
    assert "recovery_key" in payload
    run.json("info", expect=3, GK_PASSPHRASE=PASSPHRASE)
    run.json("info", GK_PASSPHRASE=NEW_PASSPHRASE)
    run.json("info", GK_RECOVERY_KEY=vault)  # the recovery key stays the same


def test_recover_json(run: Cli, vault: str) -> None:
    payload = run.json("recover", GK_RECOVERY_KEY=vault, GK_NEW_PASSPHRASE=NEW_PASSPHRASE)
    new_key = payload["recovery_key"]
    assert isinstance(new_key, str) and new_key != vault
    assert len(keys.parse_recovery_key(new_key)) == 32
    run.json("info", expect=3, GK_RECOVERY_KEY=vault)
    run.json("info", expect=3, GK_PASSPHRASE=PASSPHRASE)
    run.json("info", GK_PASSPHRASE=NEW_PASSPHRASE)
    run.json("info", GK_RECOVERY_KEY=new_key)


def test_reissue_recovery_key_json(run: Cli, vault: str) -> None:
    payload = run.json("reissue-recovery-key", GK_PASSPHRASE=PASSPHRASE)
    new_key = payload["recovery_key"]
    assert isinstance(new_key, str) and new_key != vault
    run.json("info", expect=3, GK_RECOVERY_KEY=vault)
    run.json("info", GK_RECOVERY_KEY=new_key)
    run.json("info", GK_PASSPHRASE=PASSPHRASE)


# --------------------------------------------------------------------------- backup and restore


def test_backup_json_and_to_file(run: Cli, vault: str, data_dir: Path, tmp_path: Path) -> None:
    payload = run.json("backup", GK_PASSPHRASE=PASSPHRASE)
    assert set(payload) == {"path"}
    made = Path(payload["path"])
    assert made.is_file() and made.parent == data_dir / "backups"
    assert made.name.startswith("gk-backup-") and made.name.endswith(".gkbackup")

    dest = tmp_path / "usb" / "copy.gkbackup"
    payload = run.json("backup", "--to", str(dest), GK_PASSPHRASE=PASSPHRASE)
    assert payload == {"path": str(dest)}
    assert dest.is_file()
    # An existing file is never overwritten.
    content = dest.read_bytes()
    run.json("backup", "--to", str(dest), expect=4, GK_PASSPHRASE=PASSPHRASE)
    assert dest.read_bytes() == content
    assert run.json("info", GK_PASSPHRASE=PASSPHRASE)["backups"] == 1


def test_restore_into_another_dir_gets_a_new_device_id(run: Cli, vault: str, data_dir: Path, tmp_path: Path) -> None:
    run.json("demo", "--clients", "4", "--seed", "2", GK_PASSPHRASE=PASSPHRASE)
    original = run.json("info", GK_PASSPHRASE=PASSPHRASE)
    backup_path = run.json("backup", GK_PASSPHRASE=PASSPHRASE)["path"]

    other = tmp_path / "other"
    code, out, err = run("restore", backup_path, "--json", data_dir=other, GK_PASSPHRASE=PASSPHRASE)
    assert code == 0, err
    restored = json.loads(out)
    assert restored["data_dir"] == str(other)
    assert restored["device_id"] != original["device_id"]
    code, out, _err = run("info", "--json", data_dir=other, GK_PASSPHRASE=PASSPHRASE)
    assert code == 0
    info = json.loads(out)
    assert info["device_id"] == restored["device_id"]
    for table in ("client", "case", "contact", "record_clock", "field_version"):
        assert info["counts"][table] == original["counts"][table]
    code, out, _err = run("check", "--json", data_dir=other, GK_PASSPHRASE=PASSPHRASE)
    assert code == 0 and json.loads(out)["ok"] is True

    # Restoring with the recovery key works too; over an existing vault only with --replace.
    code, out, _err = run("restore", backup_path, "--json", data_dir=other, GK_RECOVERY_KEY=vault)
    assert code == 8 and json.loads(out)["exit_code"] == 8
    code, out, _err = run("restore", backup_path, "--replace", "--json", data_dir=other, GK_RECOVERY_KEY=vault)
    assert code == 0
    assert json.loads(out)["device_id"] not in (original["device_id"], restored["device_id"])
    assert any(p.name.startswith("replaced-") for p in other.iterdir())


def test_restore_errors(run: Cli, vault: str, tmp_path: Path) -> None:
    backup_path = Path(run.json("backup", GK_PASSPHRASE=PASSPHRASE)["path"])
    other = tmp_path / "other"
    code, out, _err = run("restore", str(backup_path), "--json", data_dir=other, GK_PASSPHRASE=NEW_PASSPHRASE)
    assert code == 3 and json.loads(out)["exit_code"] == 3
    damaged = tmp_path / "damaged.gkbackup"
    raw = bytearray(backup_path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    damaged.write_bytes(bytes(raw))
    code, out, _err = run("restore", str(damaged), "--json", data_dir=other, GK_PASSPHRASE=PASSPHRASE)
    assert code == 5 and json.loads(out)["exit_code"] == 5
    code, out, _err = run("restore", str(tmp_path / "missing.gkbackup"), "--json", data_dir=other,
                          GK_PASSPHRASE=PASSPHRASE)
    assert code == 4 and json.loads(out)["exit_code"] == 4
    code, out, _err = run("restore", str(backup_path), "--json", data_dir=other)
    assert code == 2 and json.loads(out)["exit_code"] == 2
    assert not VaultPaths(other).has_vault()


# --------------------------------------------------------------------------- demo


def test_demo_json(run: Cli, vault: str) -> None:
    payload = run.json("demo", "--clients", "20", "--seed", "3", GK_PASSPHRASE=PASSPHRASE)
    assert set(payload) == {"clients", "cases", "contacts"}
    assert payload["clients"] == 20
    assert payload["cases"] >= 20 and payload["contacts"] >= 20
    counts = run.json("info", GK_PASSPHRASE=PASSPHRASE)["counts"]
    assert counts["client"] == 20
    assert counts["case"] == payload["cases"] and counts["contact"] == payload["contacts"]
    assert run.json("check", GK_PASSPHRASE=PASSPHRASE)["ok"] is True


def test_demo_same_seed_same_data(run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from gk_desktop.storage.models import Client
    from gk_desktop.storage.vault import open_vault

    monkeypatch.setenv("GK_TODAY", "2026-03-02")
    rows = []
    results = []
    for name in ("a", "b"):
        target = tmp_path / name
        assert run("init", data_dir=target, GK_PASSPHRASE=PASSPHRASE)[0] == 0
        code, out, _err = run("demo", "--clients", "20", "--seed", "3", "--json", data_dir=target,
                              GK_PASSPHRASE=PASSPHRASE)
        assert code == 0
        results.append(json.loads(out))
        with open_vault(VaultPaths(target), PASSPHRASE) as v, v.session() as s:
            rows.append(sorted(
                (c.first_name, c.last_name, c.birth_date, c.gender, c.case_code)
                for c in s.execute(select(Client)).scalars()
            ))
    assert results[0] == results[1]
    assert rows[0] == rows[1]


def test_info_and_check_leave_the_data_folder_as_it_was(run: Cli, vault: str, data_dir: Path) -> None:
    """CLI.md: info and check never write, not even -wal/-shm files."""

    def snapshot() -> dict[str, tuple[int, int]]:
        return {
            str(p.relative_to(data_dir)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in data_dir.rglob("*") if p.is_file() and "logs" not in p.parts
        }

    before = snapshot()
    run.json("info", GK_PASSPHRASE=PASSPHRASE)
    run.json("check", GK_PASSPHRASE=PASSPHRASE)
    assert snapshot() == before


# --------------------------------------------------------------------------- client register


CLIENT = {
    "first_name": "Mohammed", "last_name": "Al-Hassan", "birth_date": "2001-03-04", "gender": "MAENNLICH",
    "residence_status": "DULDUNG_60A", "residence_valid_until": "2027-02-01",
    "name_variants": ["Muhammad", "محمد الحسن"], "nationalities": ["SY"],
    "education_records": [{"institution": "Berufskolleg", "country": "DE", "start_date": "2021-08-01",
                           "attendance_ok": True}],
    "case": {"access_route": "AUSLAENDERBEHOERDE", "request": "Ausbildungsplatz"},
}
LIST_KEYS = {"id", "case_code", "first_name", "last_name", "birth_date", "age", "target_group",
             "residence_status", "residence_valid_until", "phase", "last_contact"}


def _write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_client_add_show_add_round_trip(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    added = run.json("client", "add", "--from", _write(tmp_path, "c.json", CLIENT), GK_PASSPHRASE=PASSPHRASE)
    assert set(added) == {"id", "case_code", "possible_duplicates"} and added["possible_duplicates"] == []
    shown = run.json("client", "show", added["case_code"], GK_PASSPHRASE=PASSPHRASE)
    assert set(shown) == {"client", "cases", "contacts", "documents"}
    c = shown["client"]
    assert c["id"] == added["id"] and c["case_code"] == added["case_code"]
    assert c["target_group"] == "PRIMAER_DULDUNG" and c["age"] == 25
    assert [v["name"] for v in c["name_variants"]] == ["Muhammad", "محمد الحسن"]
    assert [k["phase"] for k in shown["cases"]] == ["ERSTKONTAKT"]
    # What show printed is accepted by add (ids and derived values ignored), from stdin too.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(shown).encode("utf-8"))))
    again = run.json("client", "add", "--from", "-", GK_PASSPHRASE=PASSPHRASE)
    assert again["possible_duplicates"] == [{"case_code": added["case_code"], "reason": "same_birth_date_similar_name"}]
    shown2 = run.json("client", "show", again["case_code"], GK_PASSPHRASE=PASSPHRASE)

    def strip(d: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in d.items() if k not in {"id", "case_code"}}
        for key, value in out.items():
            if isinstance(value, list):
                out[key] = [{k: v for k, v in i.items() if k != "id"} if isinstance(i, dict) else i for i in value]
        return out

    assert strip(shown2["client"]) == strip(c)
    listed = run.json("client", "list", GK_PASSPHRASE=PASSPHRASE)["clients"]
    assert len(listed) == 2 and all(set(r) == LIST_KEYS for r in listed)
    assert {r["case_code"] for r in listed} == {added["case_code"], again["case_code"]}


def test_client_update_and_errors(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", CLIENT), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    out = run.json("client", "update", code.lower(), "--from", _write(tmp_path, "u.json", {"phone": "+49 1570 2"}),
                   GK_PASSPHRASE=PASSPHRASE)
    assert out["case_code"] == code
    assert run.json("client", "show", code, GK_PASSPHRASE=PASSPHRASE)["client"]["phone"] == "+49 1570 2"
    before = (tmp_path / "data" / "vault.db").stat().st_size
    # A date that cannot be: exit 4, a German message naming the field, nothing changed.
    err = run.json("client", "add", "--from", _write(tmp_path, "bad.json", {**CLIENT, "birth_date": "2001-02-30"}),
                   expect=4, GK_PASSPHRASE=PASSPHRASE)["error"]
    assert "birth_date" in err and "kein gültiges Datum" in err
    assert len(run.json("client", "list", GK_PASSPHRASE=PASSPHRASE)["clients"]) == 1
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert "JSON" in run.json("client", "add", "--from", str(tmp_path / "broken.json"), expect=4, GK_PASSPHRASE=PASSPHRASE)["error"]
    run.json("client", "add", "--from", str(tmp_path / "missing.json"), expect=4, GK_PASSPHRASE=PASSPHRASE)
    run.json("client", "add", "--from", _write(tmp_path, "list.json", [CLIENT]), expect=4, GK_PASSPHRASE=PASSPHRASE)
    run.json("client", "show", "GK-26-ZZZZZZ", expect=7, GK_PASSPHRASE=PASSPHRASE)
    run.json("client", "update", "GK-26-ZZZZZZ", "--from", _write(tmp_path, "u2.json", {}), expect=7, GK_PASSPHRASE=PASSPHRASE)
    run.json("client", "add", expect=2, GK_PASSPHRASE=PASSPHRASE)  # --from is required
    run.json("client", "show", code, expect=3, GK_PASSPHRASE="wrong passphrase entirely")
    assert (tmp_path / "data" / "vault.db").stat().st_size >= before


def test_search_contract(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", CLIENT), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    run.json("client", "add", "--from", _write(tmp_path, "d.json", {"first_name": "Şükrü", "last_name": "Yılmaz",
                                                                    "birth_date": "2000-01-01"}), GK_PASSPHRASE=PASSPHRASE)
    out = run.json("search", "muhammad al", GK_PASSPHRASE=PASSPHRASE)
    assert out["query"] == "muhammad al"
    assert out["results"] == [{"case_code": code, "first_name": "Mohammed", "last_name": "Al-Hassan",
                               "match": "name", "snippet": "Muhammad Al-Hassan"}]
    assert [r["last_name"] for r in run.json("search", "sukru yil", GK_PASSPHRASE=PASSPHRASE)["results"]] == ["Yılmaz"]
    assert run.json("search", code, GK_PASSPHRASE=PASSPHRASE)["results"][0]["match"] == "case_code"
    assert len(run.json("search", "gk", "--limit", "1", GK_PASSPHRASE=PASSPHRASE)["results"]) == 1
    run.json("search", "gk", "--limit", "0", expect=2, GK_PASSPHRASE=PASSPHRASE)


def test_canary_client_absent_in_plaintext_from_every_file(run: Cli, vault: str, tmp_path: Path) -> None:
    canary = {"first_name": "Zqxcanaryvor", "last_name": "Zqxcanarynach-Müller", "birth_date": "2002-02-02",
              "name_variants": ["زقكسكناري"], "address": "Zqxcanarystraße 1", "internal_notes": "Zqxcanarynotiz",
              "residence_status": "DULDUNG_60A"}
    code = run.json("client", "add", "--from", _write(tmp_path, "canary.json", canary), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    run.json("client", "update", code, "--from", _write(tmp_path, "u.json", {"phone": "+49 1570 ZQXCANARYTEL"}),
             GK_PASSPHRASE=PASSPHRASE)
    assert run.json("search", "zqxcanaryvor", GK_PASSPHRASE=PASSPHRASE)["results"]
    run.json("client", "show", code, GK_PASSPHRASE=PASSPHRASE)
    run.json("backup", GK_PASSPHRASE=PASSPHRASE)
    (tmp_path / "canary.json").unlink()
    (tmp_path / "u.json").unlink()
    needles = [b"zqxcanary", "زقكسكناري".encode("utf-8"), "زقكسكناري".encode("utf-16-le"), "zqxcanary".encode("utf-16-le"),
               code.encode("ascii")]
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert any(p.name == "vault.db" for p in files) and any(p.suffix == ".gkbackup" for p in files)
    for path in files:
        data = path.read_bytes().lower()
        for needle in needles:
            assert needle.lower() not in data, (path.name, needle)


def test_contact_add_and_note_search(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", CLIENT), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    interview = {"datetime": "2026-11-24T09:30:00+01:00", "duration_min": 30, "contact_type": "TELEFONISCH",
                 "note": "Termin beim Berufskolleg vereinbart.", "need_areas": ["SCHULE_BILDUNG"]}
    out = run.json("contact", "add", code, "--from", _write(tmp_path, "i.json", interview), GK_PASSPHRASE=PASSPHRASE)
    assert set(out) == {"id"}
    shown = run.json("client", "show", code, GK_PASSPHRASE=PASSPHRASE)
    assert [c["id"] for c in shown["contacts"]] == [out["id"]] and shown["contacts"][0]["need_areas"] == ["SCHULE_BILDUNG"]
    found = run.json("search", "berufskolleg", GK_PASSPHRASE=PASSPHRASE)["results"]
    assert [(r["case_code"], r["match"], r["contact_id"]) for r in found] == [(code, "note", out["id"])]
    assert "Berufskolleg" in found[0]["snippet"]
    err = run.json("contact", "add", code, "--from", _write(tmp_path, "bad.json", {**interview, "datetime": "gestern"}),
                   expect=4, GK_PASSPHRASE=PASSPHRASE)["error"]
    assert "datetime:" in err
    assert len(run.json("client", "show", code, GK_PASSPHRASE=PASSPHRASE)["contacts"]) == 1
    run.json("contact", "add", "GK-26-ZZZZZZ", "--from", _write(tmp_path, "i2.json", interview), expect=7,
             GK_PASSPHRASE=PASSPHRASE)


# --------------------------------------------------------------------------- documents


def _pdf(text: str = "Zqxclipdf") -> bytes:
    import io as _io

    from reportlab.pdfgen import canvas

    buf = _io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_document_add_list_export_round_trip(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", CLIENT), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    pdf = _pdf()
    src = tmp_path / "zeugnis.pdf"
    src.write_bytes(pdf)
    added = run.json("document", "add", code, str(src), "--type", "ZEUGNIS", "--date", "2026-07-01",
                     GK_PASSPHRASE=PASSPHRASE)
    assert set(added) == {"id", "sha256"} and added["sha256"] == hashlib.sha256(pdf).hexdigest()
    listed = run.json("document", "list", code, GK_PASSPHRASE=PASSPHRASE)["documents"]
    assert [(d["id"], d["type"], d["date"], d["size"]) for d in listed] == [(added["id"], "ZEUGNIS", "2026-07-01", len(pdf))]
    out = tmp_path / "export" / "copy.pdf"
    out.parent.mkdir()
    exported = run.json("document", "export", added["id"], "--to", str(out), GK_PASSPHRASE=PASSPHRASE)
    assert exported["sha256"] == added["sha256"] and out.read_bytes() == pdf
    assert hashlib.sha256(out.read_bytes()).hexdigest() == added["sha256"]
    shown = run.json("client", "show", code, GK_PASSPHRASE=PASSPHRASE)
    assert [d["id"] for d in shown["documents"]] == [added["id"]]
    assert run.json("document", "delete", added["id"], GK_PASSPHRASE=PASSPHRASE)["unlinked"] == 0
    assert run.json("document", "list", code, GK_PASSPHRASE=PASSPHRASE)["documents"] == []


def test_document_refusals_change_nothing(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", CLIENT), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    before = _state(run.data_dir)
    mislabelled = tmp_path / "scan.png"
    mislabelled.write_bytes(_pdf())
    assert "PNG" in run.json("document", "add", code, str(mislabelled), expect=4, GK_PASSPHRASE=PASSPHRASE)["error"]
    pdf = tmp_path / "pass.pdf"
    pdf.write_bytes(_pdf())
    err = run.json("document", "add", code, str(pdf), "--type", "PASS_KOPIE", expect=4, GK_PASSPHRASE=PASSPHRASE)["error"]
    assert "purpose" in err and "delete_by" in err
    run.json("document", "add", code, str(tmp_path / "missing.pdf"), expect=4, GK_PASSPHRASE=PASSPHRASE)
    # The size limit is the setting of the app (settings.json in the config folder).
    config = Path(os.environ["GK_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"max_document_mb": 1}), encoding="utf-8")
    big = tmp_path / "gross.pdf"
    data = _pdf()
    big.write_bytes(data[:-6] + b" " * (1024 * 1024) + data[-6:])
    assert "1 MB" in run.json("document", "add", code, str(big), expect=4, GK_PASSPHRASE=PASSPHRASE)["error"]
    assert _state(run.data_dir) == before
    run.json("document", "add", "GK-26-NOPE00", str(pdf), expect=7, GK_PASSPHRASE=PASSPHRASE)
    run.json("document", "export", "no-such-id", "--to", str(tmp_path / "x.pdf"), expect=7, GK_PASSPHRASE=PASSPHRASE)
    assert not (tmp_path / "x.pdf").exists()
    run.json("document", "add", code, str(pdf), "--type", "PASS_KOPIE", "--purpose", "Vorlage ABH",
             "--delete-by", "2027-01-31", GK_PASSPHRASE=PASSPHRASE)


# --------------------------------------------------------------------------- offers and partners


def test_offers_import_export_and_partners(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    good = tmp_path / "angebote.csv"
    good.write_bytes("\ufeffname;category;provider;age_min;age_max;statuses\r\n"
                     "Berufssprachkurs B1;SPRACHE_BAMF;VHS Rheine;18;;DULDUNG_60A|AUFENTHALTSGESTATTUNG\r\n"
                     "Coaching;GK_B1_COACHING;Bildungswerk;18;27;\r\n".encode("utf-8"))
    assert run.json("offers", "import", str(good), GK_PASSPHRASE=PASSPHRASE) == {"added": 2, "updated": 0, "partners_added": 2}
    out = tmp_path / "export.csv"
    exported = run.json("offers", "export", str(out), GK_PASSPHRASE=PASSPHRASE)
    assert exported["offers"] == 2 and Path(exported["path"]) == out.resolve()
    first = out.read_bytes()
    run.json("offers", "export", str(out), GK_PASSPHRASE=PASSPHRASE)
    assert out.read_bytes() == first  # byte-stable
    assert run.json("offers", "import", str(out), GK_PASSPHRASE=PASSPHRASE) == {"added": 0, "updated": 0, "partners_added": 0}
    partners = run.json("partners", "list", GK_PASSPHRASE=PASSPHRASE)["partners"]
    assert all(set(p) == {"id", "name", "partner_type"} for p in partners)
    assert {"VHS Rheine", "Bildungswerk"} <= {p["name"] for p in partners}
    assert any(p["partner_type"] == "BEHOERDE" for p in partners)
    # A bad row refuses the whole file: exit 4, the row and reason named, nothing changed.
    bad = tmp_path / "bad.csv"
    bad.write_bytes("name;category\r\nNeu;SCHULE\r\nKaputt;KINO\r\n".encode("utf-8"))
    before = _state(run.data_dir)
    payload = run.json("offers", "import", str(bad), expect=4, GK_PASSPHRASE=PASSPHRASE)
    assert "3" in payload["error"] and "KINO" not in payload["error"].split("category")[0]
    assert len(run.json("offers", "list", GK_PASSPHRASE=PASSPHRASE)["offers"]) == 2
    assert before["vault.keys"] == _state(run.data_dir)["vault.keys"]


def test_residence_check(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    data = {"first_name": "Samir", "last_name": "Haddad", "birth_date": "2001-03-01", "entry_date_de": "2019-05-01",
            "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2019-05-01", "valid_until": "2027-04-30"}]}
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", data), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    out = run.json("residence-check", code, GK_PASSPHRASE=PASSPHRASE)
    assert [c["pathway"] for c in out["checks"]] == ["P60C", "P16G", "P19D_1A", "P60D", "P25A", "P25B", "P104C"]
    for check in out["checks"]:
        assert check["result"] in {"GRUEN", "GELB", "ROT", "GRAU"} and check["rule_stand"] == "2026-11-25"
        assert all(set(c) >= {"key", "status", "value", "expected_date"} for c in check["criteria"])
    one = run.json("residence-check", code, "--pathway", "P25A", GK_PASSPHRASE=PASSPHRASE)
    assert [c["pathway"] for c in one["checks"]] == ["P25A"]
    run.json("residence-check", code, "--pathway", "P99", expect=4, GK_PASSPHRASE=PASSPHRASE)
    run.json("residence-check", "GK-26-NOPE00", expect=7, GK_PASSPHRASE=PASSPHRASE)


def test_residence_check_save(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    data = {"first_name": "Samir", "last_name": "Haddad", "birth_date": "2001-03-01",
            "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2019-05-01", "valid_until": "2027-04-30"}]}
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", data), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    extra = _write(tmp_path, "x.json", {"abh_consulted_on": "2026-11-20", "outcomes": {"integration_prognosis": "JA"}})
    out = run.json("residence-check", code, "--pathway", "P25A", "--save", "--from", extra, GK_PASSPHRASE=PASSPHRASE)
    (saved,) = out["checks"]
    assert saved["id"] and saved["pathway"] == "P25A" and saved["rule_stand"] == "2026-11-25"
    run.json("residence-check", code, "--save", expect=2, GK_PASSPHRASE=PASSPHRASE)
    (listed,) = run.json("residence-check", code, "--saved", GK_PASSPHRASE=PASSPHRASE)["saved"]
    assert listed["id"] == saved["id"] and listed["outcomes"] == {"integration_prognosis": "JA"}
    later = _write(tmp_path, "later.json", {"applied_on": "2026-11-24"})
    (changed,) = run.json("residence-check", code, "--update", saved["id"], "--from", later,
                          GK_PASSPHRASE=PASSPHRASE)["saved"]
    assert changed["applied_on"] == "2026-11-24" and changed["abh_consulted_on"] == "2026-11-20"
    bad = _write(tmp_path, "bad.json", {"decided_on": "2026-11-01"})
    run.json("residence-check", code, "--update", saved["id"], "--from", bad, expect=4, GK_PASSPHRASE=PASSPHRASE)
    run.json("residence-check", code, "--update", "nope", "--from", later, expect=7, GK_PASSPHRASE=PASSPHRASE)


def test_residence_overview(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    data = {"first_name": "Samir", "last_name": "Haddad", "birth_date": "2000-03-01", "entry_date_de": "2019-05-01",
            "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2019-05-01", "valid_until": "2027-04-30"}],
            "education_records": [{"country": "DE", "start_date": "2019-08-01", "end_date": "2022-07-31",
                                   "attendance_ok": True, "qualification": "HSA_9"}]}
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", data), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    out = run.json("residence-overview", GK_PASSPHRASE=PASSPHRASE)
    assert out["on"] == "2026-11-25" and out["rule_stand"] == "2026-11-25"
    assert {"case_code": code, "pathway": "P25A", "result": "GRUEN"}.items() <= next(
        r for r in out["pathways"] if r["pathway"] == "P25A").items()
    assert [(r["case_code"], r["deadline"]) for r in out["turning_27"]] == [(code, "2027-02-28")]
    assert run.json("residence-overview", "--months", "2", GK_PASSPHRASE=PASSPHRASE)["turning_27"] == []
    run.json("residence-overview", "--months", "0", expect=2, GK_PASSPHRASE=PASSPHRASE)
    assert "Samir" not in json.dumps(out) and "Haddad" not in json.dumps(out)


def test_deadlines_done_dismiss_reopen(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    data = {"first_name": "Samir", "last_name": "Haddad", "birth_date": "2001-03-01",
            "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2025-05-01", "valid_until": "2026-11-30"}]}
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", data), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    out = run.json("deadlines", GK_PASSPHRASE=PASSPHRASE)["deadlines"]
    (duldung,) = [d for d in out if d["type"] == "DULDUNG_ABLAUF"]
    assert set(duldung) >= {"key", "type", "due", "remind_from", "case_code", "status", "source"}
    assert (duldung["due"], duldung["case_code"], duldung["status"]) == ("2026-11-30", code, "OFFEN")
    assert duldung["remind_from"] == "2026-11-02"
    assert "Samir" not in json.dumps(out) and "Haddad" not in json.dumps(out)
    assert not [d for d in run.json("deadlines", "--days", "2", GK_PASSPHRASE=PASSPHRASE)["deadlines"]
                if d["type"] == "DULDUNG_ABLAUF"]
    (done,) = run.json("deadlines", "done", duldung["key"], GK_PASSPHRASE=PASSPHRASE)["deadlines"]
    assert done["status"] == "ERLEDIGT"
    assert duldung["key"] not in {d["key"] for d in run.json("deadlines", GK_PASSPHRASE=PASSPHRASE)["deadlines"]}
    shown = {d["key"]: d["status"] for d in run.json("deadlines", "--all", GK_PASSPHRASE=PASSPHRASE)["deadlines"]}
    assert shown[duldung["key"]] == "ERLEDIGT"
    run.json("deadlines", "dismiss", duldung["key"], GK_PASSPHRASE=PASSPHRASE)
    run.json("deadlines", "reopen", duldung["key"], GK_PASSPHRASE=PASSPHRASE)
    assert duldung["key"] in {d["key"] for d in run.json("deadlines", GK_PASSPHRASE=PASSPHRASE)["deadlines"]}
    run.json("deadlines", "done", GK_PASSPHRASE=PASSPHRASE, expect=2)
    run.json("deadlines", "done", "garbage", GK_PASSPHRASE=PASSPHRASE, expect=4)
    run.json("deadlines", "done", "DULDUNG_ABLAUF:nobody:2026-11-30", GK_PASSPHRASE=PASSPHRASE, expect=7)
    run.json("deadlines", "--days", "-1", GK_PASSPHRASE=PASSPHRASE, expect=2)


def test_calendar_file(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    data = {"first_name": "Zzcanary", "last_name": "Qqcanary", "birth_date": "2001-03-01",
            "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2025-05-01", "valid_until": "2026-12-31"}]}
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", data), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    target = tmp_path / "out" / "fristen.ics"
    target.parent.mkdir()
    out = run.json("calendar", "--to", str(target), GK_PASSPHRASE=PASSPHRASE)
    assert out["path"] == str(target) and out["events"] >= 1
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and code.encode() in raw
    assert b"Zzcanary" not in raw and b"Qqcanary" not in raw
    assert sorted(p.name for p in target.parent.iterdir()) == ["fristen.ics"]
    run.json("calendar", "--to", str(tmp_path / "x.txt"), GK_PASSPHRASE=PASSPHRASE, expect=2)
    run.json("calendar", "--to", str(tmp_path), GK_PASSPHRASE=PASSPHRASE, expect=2)


def test_print_documents(run: Cli, vault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    import subprocess

    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    data = {"first_name": "Zzcanary", "last_name": "شفيق", "birth_date": "2001-03-01",
            "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2025-05-01", "valid_until": "2026-12-31"}]}
    code = run.json("client", "add", "--from", _write(tmp_path, "c.json", data), GK_PASSPHRASE=PASSPHRASE)["case_code"]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "fallblatt.pdf"
    assert run.json("print", "casesheet", code, "--to", str(target), GK_PASSPHRASE=PASSPHRASE) == {"path": str(target)}
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF") and sorted(p.name for p in out_dir.iterdir()) == ["fallblatt.pdf"]
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Zzcanary" in text and code in text
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert "Zzcanary" not in info
    run.json("print", "info-sheet", code, "--lang", "en", "--to", str(out_dir / "info.pdf"), GK_PASSPHRASE=PASSPHRASE)
    assert (out_dir / "info.pdf").read_bytes().startswith(b"%PDF")
    run.json("print", "referral", code, "--to", str(out_dir / "r.pdf"), GK_PASSPHRASE=PASSPHRASE, expect=4)  # no --id
    run.json("print", "agreement", code, "--to", str(out_dir / "a.pdf"), GK_PASSPHRASE=PASSPHRASE, expect=7)  # none yet
    run.json("print", "casesheet", code, "--to", str(out_dir / "x.txt"), GK_PASSPHRASE=PASSPHRASE, expect=2)
    run.json("print", "casesheet", "GK-26-NOPE00", "--to", str(out_dir / "n.pdf"), GK_PASSPHRASE=PASSPHRASE, expect=7)
    assert not (out_dir / "r.pdf").exists() and not (out_dir / "n.pdf").exists()
    assert not re.search("Zzcanary", " ".join(p.name for p in out_dir.iterdir()))
