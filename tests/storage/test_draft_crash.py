"""An interview being typed survives kill -9 as a draft, and leaves no plaintext behind
(DOMAIN.md §3 Contact: "a crash or power loss loses at most the last seconds"; SECURITY.md E1).

A child process opens the vault, types an interview into the editor through QTest and waits until
the editor reports that its draft has landed in the vault; then it says SAVED and types on, with
autosaves running, until the parent kills it with SIGKILL. The parent then finds the draft with at
least the text saved before the kill, and finds the canary text neither in the child's temporary
folder nor in plaintext in any file of the vault.
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import CANARY_FIRST, CANARY_LAST, PASSPHRASE
from gk_desktop.paths import VaultPaths
from gk_desktop.services import clients, drafts
from gk_desktop.storage.vault import create_vault, open_vault

CANARY = "ZQXCANARYDRAFT"
PART_A = f"{CANARY} Gespräch über die Ausbildung – Zeugnisse übersetzen, Şükrü bringt die Duldung mit. "
CONTINUATION = re.compile(r"( weiter \d+ – ü)*( weiter \d* ?–? ?)?")
TIMEOUT_S = 30.0

CHILD = r"""
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gk_desktop.paths import VaultPaths
from gk_desktop.storage.vault import open_vault
from gk_desktop.ui import interview_editor
from gk_desktop.ui.interview_editor import InterviewEditor

interview_editor.AUTOSAVE_MAX_DELAY_MS = 100  # steady typing below still autosaves every ~150 ms

data_dir, code, client_id, part_a = sys.argv[1:5]
vault = open_vault(VaultPaths(Path(data_dir)), os.environ.pop("GK_TEST_PASSPHRASE"), source="gui")
app = QApplication([])
editor = InterviewEditor(vault, code, client_id)
editor.autosave_timer.setInterval(50)
editor.show()


def type_text(text):
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, editor.note, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def pump(seconds, until=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if until is not None and until():
            return True
        time.sleep(0.005)
    return False


type_text(part_a)
if not pump(20, editor.draft_is_current):
    sys.exit(3)
sys.stdout.write("SAVED\n")
sys.stdout.flush()
i = 0
while i < 3000:  # typing on, autosaves running, until the parent kills us
    type_text(f" weiter {i} – ü")
    pump(0.01)
    i += 1
sys.exit(4)
"""


def _patterns(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def _hits(root: Path, texts: list[str]) -> list[str]:
    """Files under ``root`` that contain any of ``texts`` (UTF-8, UTF-16LE or UTF-16BE)."""
    patterns = [p for t in texts for p in _patterns(t)]
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if any(p in data for p in patterns):
                found.append(str(path.relative_to(root)))
    return found


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def test_the_sweep_finds_plaintext(tmp_path: Path) -> None:
    # Negative control: the scan below would notice the canary in any of the encodings.
    for i, pattern in enumerate(_patterns(CANARY + " über")):
        (tmp_path / f"f{i}").write_bytes(b"\0" * 100 + pattern + b"\0")
    assert _hits(tmp_path, [CANARY]) == ["f0", "f1", "f2"]


def test_draft_survives_kill_9_and_leaves_no_plaintext(tmp_path: Path) -> None:
    data_dir = Path(os.environ["GK_DATA_DIR"])
    paths = VaultPaths(data_dir)
    create_vault(paths, PASSPHRASE)
    vault = open_vault(paths, PASSPHRASE)
    try:
        client = clients.add_client(vault, {"first_name": CANARY_FIRST, "last_name": CANARY_LAST,
                                            "birth_date": "2003-04-05"})
    finally:
        vault.close()

    child_tmp = tmp_path / "child-tmp"
    child_tmp.mkdir()
    env = dict(os.environ)
    env.update({
        "GK_KDF_PROFILE": "test", "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1",
        "GK_DATA_DIR": str(data_dir), "GK_CONFIG_DIR": os.environ["GK_CONFIG_DIR"],
        "TMPDIR": str(child_tmp), "TEMP": str(child_tmp), "TMP": str(child_tmp),
        "GK_TEST_PASSPHRASE": PASSPHRASE, "PYTHONDONTWRITEBYTECODE": "1",
    })
    stderr_path = tmp_path / "child-stderr.txt"
    with open(stderr_path, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), client.case_code, client.id, PART_A],
            stdout=subprocess.PIPE, stderr=stderr, env=env, text=True, encoding="utf-8")
        lines: queue.Queue = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + TIMEOUT_S
            line = ""
            while line != "SAVED":
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
                assert line is not None, (
                    f"child ended (exit {proc.wait()}) before SAVED:\n{stderr_path.read_text()[-3000:]}")
            # It types on and autosaves meanwhile: the kill lands in the middle of that.
            time.sleep(random.Random(20261125).uniform(0.3, 0.8))
            assert proc.poll() is None, f"child ended by itself (exit {proc.returncode})"
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=TIMEOUT_S)
            reader.join(timeout=TIMEOUT_S)
            assert proc.stdout is not None
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, stderr_path.read_text()[-3000:]

    secrets = [CANARY, CANARY_FIRST, CANARY_LAST]
    # Straight after the crash: the vault files (database, WAL, key file …) hold no plaintext.
    assert _hits(data_dir, secrets) == []
    assert not (data_dir / "vault.db").read_bytes().startswith(b"SQLite format 3\0")
    # Nothing was written to the temporary folder that holds the text.
    assert _hits(child_tmp, secrets) == [], sorted(str(p) for p in child_tmp.rglob("*"))
    assert CANARY not in stderr_path.read_text(encoding="utf-8")

    vault = open_vault(paths, PASSPHRASE)
    try:
        (draft,) = drafts.list_drafts(vault, "contact")
    finally:
        vault.close()
    note = draft.payload["contact"]["note"]
    assert draft.client_id == client.id and draft.payload["case_code"] == client.case_code
    assert note.startswith(PART_A), note[:200]
    assert CONTINUATION.fullmatch(note[len(PART_A):]), note[len(PART_A):][-200:]
    # After recovery and a clean close, still no plaintext anywhere in the data folder.
    assert _hits(data_dir, secrets) == []
