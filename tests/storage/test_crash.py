"""Crash safety and the single-instance lock (SECURITY.md §3: B1, B3, B6).

B1  kill -9 loop: a child commits multi-row transactions and acknowledges each after COMMIT; the
    parent kills it at a random time and then checks that nothing acknowledged is lost, no
    transaction is half there, and the database is intact.
B3  crash during the key-file rewrite of a passphrase change, a recovery-key reissue and a
    recovery: a fault is injected at every step of ``fsutil.atomic_write``, and a child that
    changes the passphrase in a loop is killed at random times; afterwards exactly one of the old
    and the new state is valid, never neither, and vault.db is untouched.
B6  a second process is refused with exit 6 while the vault is held, and after the holder is
    killed with -9 the next start opens normally.

The trial counts are small for ``make test``; ``GK_LONG=1`` (``make test-long``) runs the long
versions, which are then marked ``slow``. Random times come from seeded generators; the assertions
never depend on timing, only the number of commits per trial does.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from sqlalchemy import func, select

from conftest import NEW_PASSPHRASE, PASSPHRASE
from gk_desktop.errors import GkError, VaultInUseError
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import fsutil, keys
from gk_desktop.storage import vault as vault_mod
from gk_desktop.storage.models import SYNCED_MODELS, Case, Client, Contact
from gk_desktop.storage.stamps import verify_stamps

LONG = os.environ.get("GK_LONG") == "1"
# Marks a test ``slow`` only when it runs its long version, so ``make test`` runs the short one
# and ``make test-long`` (GK_LONG=1, -m slow) the long one.
long_when_requested: Callable[[Any], Any] = pytest.mark.slow if LONG else (lambda f: f)

KILL_TRIALS = 200 if LONG else int(os.environ.get("GK_KILL_TRIALS", 20))
CHANGE_KILL_TRIALS = 100 if LONG else 10
CHILD_TIMEOUT_S = 60.0


# --------------------------------------------------------------------------- child processes


def _child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["GK_KDF_PROFILE"] = "test"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


class Child:
    """A Python child whose stdout lines are collected by a thread; killed only with SIGKILL."""

    def __init__(self, code: str, args: list[str], env: dict[str, str], stderr_path: Path) -> None:
        self._stderr_path = stderr_path
        self._stderr = open(stderr_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []  # complete lines only (a line cut by the kill is not counted)
        self._events: queue.Queue[str | None] = queue.Queue()
        self._pump = threading.Thread(target=self._read, daemon=True)
        self._pump.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if raw.endswith("\n"):
                self.lines.append(raw[:-1])
                self._events.put(raw[:-1])
        self._events.put(None)

    def wait_for(self, prefix: str, timeout: float = CHILD_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise AssertionError(f"child gave no {prefix!r} line within {timeout} s; stderr:\n{self.stderr()}")
            if line is None:
                self.finish()
                raise AssertionError(
                    f"child ended (exit {self.proc.returncode}) before {prefix!r}; stderr:\n{self.stderr()}"
                )
            if line.startswith(prefix):
                return line

    def kill(self) -> None:
        """kill -9, then collect every line the child wrote before it died."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.finish()

    def kill_running(self) -> None:
        """kill -9 a child that must still be running (it must not have died on its own)."""
        self.kill()
        assert self.proc.returncode == -signal.SIGKILL, (
            f"child ended by itself (exit {self.proc.returncode}) before the kill; stderr:\n{self.stderr()}"
        )

    def finish(self) -> None:
        self.proc.wait(timeout=CHILD_TIMEOUT_S)
        self._pump.join(timeout=CHILD_TIMEOUT_S)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()

    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return self._stderr_path.read_text(encoding="utf-8", errors="replace")[-4000:]


# --------------------------------------------------------------------------- B1: kill -9 loop

B1_CHILD = r"""
import datetime as dt
import os
import sys
from pathlib import Path

from gk_desktop.paths import VaultPaths
from gk_desktop.storage.models import Case, Client, Contact
from gk_desktop.storage.vault import open_vault

data_dir, start = sys.argv[1], int(sys.argv[2])
out = sys.stdout
out.write("OPENING\n")
out.flush()
vault = open_vault(VaultPaths(Path(data_dir)), os.environ["GK_PASSPHRASE"])
i = start
while True:
    with vault.session() as s:
        client = Client(case_code=f"GK-26-{i:06d}", first_name=f"Vorname{i}", last_name=f"Nachname{i}",
                        birth_date=dt.date(2001, 2, 3))
        s.add(client)
        s.flush()
        case = Case(client_id=client.id, first_contact_on=dt.date(2026, 1, 10))
        s.add(case)
        s.flush()
        for k in range(3):
            s.add(Contact(case_id=case.id,
                          at=dt.datetime(2026, 1, 10, 9, k, tzinfo=dt.timezone.utc),
                          duration_min=30, note=f"Gespräch {i}/{k}"))
        s.commit()
        client_id = client.id
    out.write(f"ACK {client_id}\n")
    out.flush()
    i += 1
"""


def _inspect_after_kill(paths: VaultPaths, acked: set[str]) -> dict[str, Any]:
    """The next start after a kill: open normally, then count what is lost, partial or corrupt."""
    with vault_mod.open_vault(paths, PASSPHRASE) as v:
        quick = [str(r[0]) for r in v.conn.execute("PRAGMA quick_check").fetchall()]
        cipher = [str(r[0]) for r in v.conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        with v.session() as s:
            present = set(s.scalars(select(Client.id)))
            cases_per_client = (
                select(Client.id, func.count(Case.id))
                .outerjoin(Case, Case.client_id == Client.id)
                .group_by(Client.id)
                .having(func.count(Case.id) != 1)
            )
            contacts_per_case = (
                select(Case.id, func.count(Contact.id))
                .outerjoin(Contact, Contact.case_id == Case.id)
                .group_by(Case.id)
                .having(func.count(Contact.id) != 3)
            )
            partial = s.execute(cases_per_client).all() + s.execute(contacts_per_case).all()
            stamp_problems = verify_stamps(s, SYNCED_MODELS)
    return {
        "clients": len(present),
        "lost": sorted(acked - present),
        "partial": partial,
        "corrupt": quick != ["ok"] or bool(cipher),
        "quick_check": quick[:5],
        "cipher_integrity_check": cipher[:5],
        "stamp_problems": stamp_problems[:5],
        "n_stamp_problems": len(stamp_problems),
    }


# Each vault takes this many trials, then a fresh one is created: the checks after each kill read
# the whole vault, so the long run would otherwise slow down with every trial.
B1_TRIALS_PER_VAULT = 20


@long_when_requested
def test_b1_kill9_loop_loses_no_acknowledged_commit(tmp_path: Path) -> None:
    rng = random.Random(0xB1)
    acked: set[str] = set()
    totals = {"trials": 0, "acked": 0, "lost": 0, "partial": 0, "corrupt": 0, "stamp_problems": 0,
              "unopenable": 0}
    lost: set[str] = set()
    partial: set[str] = set()
    failures: list[str] = []
    next_index = 0
    for trial in range(KILL_TRIALS):
        if trial % B1_TRIALS_PER_VAULT == 0:
            paths = VaultPaths(tmp_path / f"vault-{trial // B1_TRIALS_PER_VAULT}")
            vault_mod.create_vault(paths, PASSPHRASE)
            acked.clear()
            next_index = 0
        delay = rng.uniform(0.050, 0.600)
        # Even trials time the kill from just before open_vault (so some kills hit the unlock and
        # its audit write), odd trials from the first acknowledged commit (so every such trial
        # has commits to lose).
        trigger = "OPENING" if trial % 2 == 0 else "ACK "
        child = Child(B1_CHILD, [str(paths.root), str(next_index)],
                      _child_env(GK_PASSPHRASE=PASSPHRASE), tmp_path / f"b1-child-{trial}.err")
        try:
            child.wait_for(trigger)
            time.sleep(delay)
            child.kill_running()
        finally:
            child.kill()
        trial_acks = [line.split(" ", 1)[1] for line in child.lines if line.startswith("ACK ")]
        acked.update(trial_acks)  # the acknowledged ids of the current vault
        totals["trials"] += 1
        totals["acked"] += len(trial_acks)
        # The lock is free after kill -9: the parent's open_vault must succeed (no VaultInUseError).
        try:
            result = _inspect_after_kill(paths, acked)
        except GkError as exc:  # VaultInUseError: the lock outlived the kill; IntegrityError: damage
            totals["unopenable"] += 1
            failures.append(f"trial {trial}: the next start failed: {type(exc).__name__}: {exc}")
            break
        lost.update(f"{paths.root.name}/{i}" for i in result["lost"])
        partial.update(f"{paths.root.name}/{row[0]}" for row in result["partial"])
        totals["lost"], totals["partial"] = len(lost), len(partial)  # distinct units, not per trial
        totals["corrupt"] += int(result["corrupt"])
        totals["stamp_problems"] += result["n_stamp_problems"]
        if result["lost"] or result["partial"] or result["corrupt"] or result["n_stamp_problems"]:
            failures.append(f"trial {trial} (kill after {delay * 1000:.0f} ms from {trigger.strip()}): {result}")
        next_index = result["clients"]  # case codes stay unique: every committed client counts
    summary = (
        f"kill -9 x {totals['trials']} trials, {totals['acked']} acked commits: "
        f"lost {totals['lost']} / partial {totals['partial']} / corrupt {totals['corrupt']} "
        f"/ stamp problems {totals['stamp_problems']} / next start failed {totals['unopenable']}"
    )
    print(summary)
    assert not failures, summary + "\n" + "\n".join(failures[:5])
    assert (totals["lost"], totals["partial"], totals["corrupt"], totals["stamp_problems"], totals["unopenable"]) == (
        0, 0, 0, 0, 0), summary
    # Every odd trial waited for a first acknowledged commit, so the loop really committed.
    assert totals["acked"] >= KILL_TRIALS // 2, summary


# --------------------------------------------------------------------------- B3: fault injection


class Crash(BaseException):
    """A simulated process death at an injection point (not an Exception: nothing may catch it)."""


# Where the fault strikes inside one fsutil.atomic_write of vault.keys. ``before`` faults raise
# instead of running the step, ``after`` faults run it and then raise. ``renamed`` says whether the
# new key file is in place when the fault strikes.
# (label, module, attribute, which call within the atomic_write, when, renamed)
INJECTION_POINTS: list[tuple[str, Any, str, int, str, bool]] = [
    ("_write_temp", fsutil, "_write_temp", 1, "before", False),
    ("os.open (temp file)", os, "open", 1, "before", False),
    ("os.fsync (temp file)", os, "fsync", 1, "before", False),
    ("_write_temp done", fsutil, "_write_temp", 1, "after", False),
    ("_replace", fsutil, "_replace", 1, "before", False),
    ("os.replace", os, "replace", 1, "before", False),
    ("os.replace done", os, "replace", 1, "after", True),
    ("_fsync_dir", fsutil, "_fsync_dir", 1, "before", True),
    ("os.open (directory)", os, "open", 2, "before", True),
    ("os.fsync (directory)", os, "fsync", 2, "before", True),
    ("_fsync_dir done", fsutil, "_fsync_dir", 1, "after", True),
]
FAULTS: list[tuple[str, Callable[[], BaseException]]] = [
    ("OSError", lambda: OSError("injected")),
    ("Crash", lambda: Crash("injected")),
]


def _install_fault(monkeypatch: pytest.MonkeyPatch, point: tuple[str, Any, str, int, str, bool],
                   make_exc: Callable[[], BaseException], fired: list[str]) -> None:
    """Wrap fsutil.atomic_write so the fault is armed only while the key file is written."""
    label, module, attr, nth, when, _renamed = point
    real_atomic_write = fsutil.atomic_write

    def atomic_write_with_fault(path: Path, data: bytes) -> None:
        real_step = getattr(module, attr)
        calls = {"n": 0}

        def faulty_step(*args: Any, **kwargs: Any) -> Any:
            calls["n"] += 1
            if calls["n"] != nth:
                return real_step(*args, **kwargs)
            fired.append(label)
            if when == "before":
                raise make_exc()
            real_step(*args, **kwargs)
            raise make_exc()

        with monkeypatch.context() as m:
            m.setattr(module, attr, faulty_step)
            real_atomic_write(path, data)

    monkeypatch.setattr(fsutil, "atomic_write", atomic_write_with_fault)


def _passphrase_opens(paths: VaultPaths, passphrase: str) -> bool:
    """The key file unwraps the data key with ``passphrase`` (a damaged key file opens with nothing)."""
    try:
        keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), passphrase).wipe()
    except GkError:
        return False
    return True


def _recovery_opens(paths: VaultPaths, recovery: str) -> bool:
    try:
        keys.unlock_with_recovery_key(keys.load_keyfile(paths.keys), recovery).wipe()
    except GkError:
        return False
    return True


def _vault_opens(paths: VaultPaths, passphrase: str | None = None, recovery: str | None = None) -> bool:
    """A full, read-only unlock (no write, so vault.db stays as it is)."""
    try:
        with vault_mod.open_vault(paths, passphrase, recovery_key=recovery, read_only=True) as v:
            return v.conn.execute("SELECT count(*) FROM client").fetchone()[0] >= 0
    except GkError:
        return False


def _leftover_temps(paths: VaultPaths) -> list[Path]:
    return sorted(paths.root.glob(f".{paths.keys.name}.*.part"))


@pytest.mark.parametrize("operation", ["change_passphrase", "reissue_recovery_key", "recover"])
def test_b3_fault_at_each_key_file_write_step_leaves_old_or_new(
    new_vault, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    paths, old_recovery = new_vault
    keys_snapshot = paths.keys.read_bytes()
    db_snapshot = paths.db.read_bytes()
    runs = unopenable = wrong_state = leftovers = 0
    problems: list[str] = []
    for point in INJECTION_POINTS:
        label, _module, _attr, _nth, _when, renamed = point
        for fault_name, make_exc in FAULTS:
            # Every run starts from the same vault.
            paths.keys.write_bytes(keys_snapshot)
            for tmp in _leftover_temps(paths):
                tmp.unlink()
            issued: list[str] = []
            real_new_recovery_key = keys.new_recovery_key

            def capture_new_recovery_key() -> tuple[keys.SecretBytes, str]:
                secret, printed = real_new_recovery_key()
                issued.append(printed)
                return secret, printed

            fired: list[str] = []
            with monkeypatch.context() as m:
                m.setattr(keys, "new_recovery_key", capture_new_recovery_key)
                _install_fault(m, point, make_exc, fired)
                try:
                    if operation == "change_passphrase":
                        vault_mod.change_passphrase(paths, PASSPHRASE, NEW_PASSPHRASE)
                    elif operation == "reissue_recovery_key":
                        vault_mod.reissue_recovery_key(paths, PASSPHRASE)
                    else:
                        vault_mod.recover(paths, old_recovery, NEW_PASSPHRASE)
                except (OSError, Crash):
                    pass
            runs += 1
            where = f"{operation} / {label} / {fault_name}"
            assert fired == [label], f"{where}: the injection point was not reached ({fired})"
            assert paths.db.read_bytes() == db_snapshot, f"{where}: vault.db changed"
            leftovers += len(_leftover_temps(paths))

            # Which state is valid? The old and the new one are told apart by their secrets.
            old_pass, new_pass = _passphrase_opens(paths, PASSPHRASE), _passphrase_opens(paths, NEW_PASSPHRASE)
            old_rk = _recovery_opens(paths, old_recovery)
            new_rk = _recovery_opens(paths, issued[0]) if issued else False
            if operation == "change_passphrase":
                old_state = old_pass and not new_pass and old_rk
                new_state = new_pass and not old_pass and old_rk
            elif operation == "reissue_recovery_key":
                old_state = old_pass and old_rk and not new_rk
                new_state = old_pass and new_rk and not old_rk
            else:
                old_state = old_pass and old_rk and not new_pass and not new_rk
                new_state = new_pass and new_rk and not old_pass and not old_rk
            state = {"old_pass": old_pass, "new_pass": new_pass, "old_rk": old_rk, "new_rk": new_rk}
            if old_state == new_state:  # neither (or, impossibly, both)
                unopenable += 1
                problems.append(f"{where}: neither old nor new state is valid: {state}")
                continue
            if new_state != renamed:
                wrong_state += 1
                problems.append(f"{where}: expected the {'new' if renamed else 'old'} state, got {state}")
            # The valid state really opens the vault, with its passphrase and its recovery key.
            passphrase = NEW_PASSPHRASE if (new_state and operation != "reissue_recovery_key") else PASSPHRASE
            recovery = issued[0] if (new_state and operation != "change_passphrase") else old_recovery
            if not (_vault_opens(paths, passphrase) and _vault_opens(paths, recovery=recovery)):
                unopenable += 1
                problems.append(f"{where}: the {'new' if new_state else 'old'} state does not open the vault")
            assert paths.db.read_bytes() == db_snapshot, f"{where}: vault.db changed by a read-only open"
    summary = (
        f"{operation}: {len(INJECTION_POINTS)} injection points x {len(FAULTS)} fault kinds = {runs} runs: "
        f"{unopenable} unopenable states, {wrong_state} in the wrong state "
        f"({leftovers} leftover temp files, which never stop the vault from opening)"
    )
    print(summary)
    assert unopenable == 0 and wrong_state == 0, summary + "\n" + "\n".join(problems[:10])


# --------------------------------------------------------------------------- B3: kill -9 loop

B3_CHILD = r"""
import os
import sys
from pathlib import Path

from gk_desktop.paths import VaultPaths
from gk_desktop.storage import vault

paths = VaultPaths(Path(sys.argv[1]))
done, limit = int(sys.argv[2]), int(sys.argv[3])
pair = (os.environ["GK_PASSPHRASE"], os.environ["GK_NEW_PASSPHRASE"])
print("GO", flush=True)
for i in range(done, done + limit):
    vault.change_passphrase(paths, pair[i % 2], pair[(i + 1) % 2])
    print(f"DONE {i + 1}", flush=True)
print("IDLE", flush=True)
sys.stdin.read()
"""
# Changes per trial: the key file collects one pending event per change until the next unlock,
# so the child stops after this many (about 15 KiB of key file) and waits to be killed.
B3_CHANGES_PER_TRIAL = 120


@long_when_requested
def test_b3_kill9_during_passphrase_changes_leaves_exactly_one_passphrase(new_vault, tmp_path: Path) -> None:
    paths, recovery = new_vault
    rng = random.Random(0xB3)
    pair = (PASSPHRASE, NEW_PASSPHRASE)
    changes = 0  # changes that are in effect; pair[changes % 2] is the current passphrase
    unopenable = 0
    acked_total = 0
    in_flight_applied = 0  # kills after the rename but before the acknowledgement
    problems: list[str] = []
    for trial in range(CHANGE_KILL_TRIALS):
        db_before = paths.db.read_bytes()
        delay = rng.uniform(0.002, 0.450)
        child = Child(B3_CHILD, [str(paths.root), str(changes), str(B3_CHANGES_PER_TRIAL)],
                      _child_env(GK_PASSPHRASE=PASSPHRASE, GK_NEW_PASSPHRASE=NEW_PASSPHRASE),
                      tmp_path / f"b3-child-{trial}.err")
        try:
            child.wait_for("GO")
            time.sleep(delay)
            child.kill_running()
        finally:
            child.kill()
        done = [int(line.split()[1]) for line in child.lines if line.startswith("DONE ")]
        acked = done[-1] if done else changes
        acked_total += acked - changes
        where = f"trial {trial} (kill after {delay * 1000:.0f} ms, {acked - changes} changes acknowledged)"
        assert paths.db.read_bytes() == db_before, f"{where}: vault.db changed"
        opens = {p: _passphrase_opens(paths, p) for p in pair}
        if sum(opens.values()) != 1:
            unopenable += 1
            problems.append(f"{where}: opens with {opens}")
            break
        current = PASSPHRASE if opens[PASSPHRASE] else NEW_PASSPHRASE
        # The state is the acknowledged one, or the one after the change in flight at the kill.
        if current == pair[acked % 2]:
            changes = acked
        elif acked < changes + B3_CHANGES_PER_TRIAL:
            changes = acked + 1
            in_flight_applied += 1
        else:
            problems.append(f"{where}: the passphrase is not the one of the last acknowledged change")
            break
        # The next start: a normal unlock (the lock is free, the pending events move to the audit
        # table), and the recovery key, which no passphrase change touches, still opens the vault.
        vault_mod.open_vault(paths, current).close()
        if not _vault_opens(paths, recovery=recovery):
            unopenable += 1
            problems.append(f"{where}: the recovery key no longer opens the vault")
    summary = (
        f"passphrase change killed with -9 x {CHANGE_KILL_TRIALS} trials "
        f"({acked_total} acknowledged changes, {in_flight_applied} kills found the change in flight applied, "
        f"{len(_leftover_temps(paths))} leftover temp files): {unopenable} unopenable states"
    )
    print(summary)
    assert not problems and unopenable == 0, summary + "\n" + "\n".join(problems[:5])


# --------------------------------------------------------------------------- B6: second instance

HOLDER_CHILD = r"""
import os
import sys
from pathlib import Path

from gk_desktop.paths import VaultPaths
from gk_desktop.storage.vault import open_vault

vault = open_vault(VaultPaths(Path(sys.argv[1])), os.environ["GK_PASSPHRASE"])
print("HELD", flush=True)
sys.stdin.read()
"""


def _gk_cli(data_dir: Path, *args: str, lang: str = "de") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gk_desktop.cli", "--data-dir", str(data_dir), *args],
        env=_child_env(GK_PASSPHRASE=PASSPHRASE, GK_LANG=lang),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=CHILD_TIMEOUT_S,
    )


def _in_use_message(lang: str) -> str:
    from gk_desktop.i18n import DOMAIN, LOCALE_DIR

    tr = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)
    message = tr.gettext("The vault is open in another window or program. Close it there and try again.")
    return tr.gettext("Error: {message}").format(message=message)


def _assert_refused(result: subprocess.CompletedProcess[str], lang: str) -> None:
    assert result.returncode == 6, (result.returncode, result.stderr[-2000:])
    assert result.stderr.strip() == _in_use_message(lang), result.stderr[-2000:]
    assert result.stdout == ""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_b6_second_process_is_refused_while_a_child_holds_the_vault(new_vault, tmp_path: Path, lang: str) -> None:
    paths, _recovery = new_vault
    keys_before = paths.keys.read_bytes()
    holder = Child(HOLDER_CHILD, [str(paths.root)], _child_env(GK_PASSPHRASE=PASSPHRASE), tmp_path / "holder.err")
    try:
        holder.wait_for("HELD")
        _assert_refused(_gk_cli(paths.root, "info", lang=lang), lang)
        # Also in this process: a second unlock and a key-file command are refused, nothing changes.
        with pytest.raises(VaultInUseError):
            vault_mod.open_vault(paths, PASSPHRASE)
        with pytest.raises(VaultInUseError):
            vault_mod.change_passphrase(paths, PASSPHRASE, NEW_PASSPHRASE)
        assert paths.keys.read_bytes() == keys_before
        holder.kill_running()
    finally:
        holder.kill()
    # After kill -9 the next start opens normally, and the vault is intact.
    info = _gk_cli(paths.root, "info", lang=lang)
    assert info.returncode == 0, info.stderr[-2000:]
    check = _gk_cli(paths.root, "check", "--json", lang=lang)
    assert check.returncode == 0, (check.stdout, check.stderr[-2000:])


def test_b6_second_process_is_refused_while_this_process_holds_the_vault(new_vault) -> None:
    paths, _recovery = new_vault
    with vault_mod.open_vault(paths, PASSPHRASE):
        _assert_refused(_gk_cli(paths.root, "info"), "de")
    assert _gk_cli(paths.root, "info").returncode == 0
