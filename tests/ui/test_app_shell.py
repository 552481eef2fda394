"""The app shell driven as a worker would: wizard, lock screen, main window, lock, idle lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWizard

from conftest import CANARY_FIRST, PASSPHRASE, add_canary_client
from gk_desktop.app import AppController
from gk_desktop.settings import Settings
from gk_desktop.ui import ops


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def controller(qtbot, data_dir: Path):
    app = QApplication.instance()
    clock = FakeClock()
    ctl = AppController(app, data_dir, Settings.load(), clock=clock)
    ctl.clock = clock
    yield ctl
    ctl.shutdown()
    ops.wait_all()
    for w in (ctl.main_window, ctl.lock_screen, ctl.wizard):
        if w is not None:
            w.close()
            w.deleteLater()


def _unlock(qtbot, ctl, passphrase: str = PASSPHRASE) -> None:
    screen = ctl.lock_screen.centralWidget()
    screen.passphrase.setText(passphrase)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)


def test_first_start_wizard_creates_the_vault(qtbot, controller, data_dir: Path, monkeypatch) -> None:
    controller.start()
    wizard = controller.wizard
    assert wizard is not None and wizard.isVisible()
    assert wizard.folder_page.folder() == data_dir
    wizard.next()
    pair = wizard.passphrase_page.pair
    pair.first.setText("kurz")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    pair.first.setText(PASSPHRASE)
    pair.second.setText(PASSPHRASE)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=20_000)
    view = wizard.recovery_page.view
    assert view.key_label.text().count("\n") == 2
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    saved = data_dir.parent / "sheet.pdf"
    monkeypatch.setattr("gk_desktop.ui.widgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(saved), ""))
    view.save_button.click()
    qtbot.waitUntil(lambda: saved.exists() and view.save_button.isEnabled(), timeout=10_000)
    assert saved.read_bytes().startswith(b"%PDF")
    view.confirm.setChecked(True)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: controller.lock_screen is not None and controller.lock_screen.isVisible())
    assert (data_dir / "vault.keys").exists()
    assert pair.first.text() == "" and pair.second.text() == ""
    # The worker rehearses the new passphrase once and is in the main window.
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None and controller.main_window.isVisible(), timeout=10_000)
    assert [controller.main_window.nav.item(i).text() for i in range(controller.main_window.nav.count())] == [
        "Heute", "Übersicht", "Klient:innen", "Vermittlungen", "Prüfungen", "Angebote", "Einstellungen"]


def test_unlock_wrong_then_right_then_lock_clears_everything(qtbot, controller, new_vault) -> None:
    paths, _recovery = new_vault
    from gk_desktop.storage.vault import open_vault

    with open_vault(paths, PASSPHRASE) as v:
        add_canary_client(v)
    controller.start()
    screen = controller.lock_screen.centralWidget()
    _unlock(qtbot, controller, "falsche passphrase ganz sicher")
    qtbot.waitUntil(lambda: screen.message.text() != "", timeout=10_000)
    assert "nicht richtig" in screen.message.text() or "not right" in screen.message.text()
    assert controller.vault is None
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None and controller.main_window.isVisible(), timeout=10_000)
    window = controller.main_window
    assert window.windowTitle() == "gk-desktop"
    assert window.width() >= 1024 and window.height() >= 700
    qtbot.waitUntil(lambda: window.overview.clients.text() == "1", timeout=10_000)
    controller.lock()
    assert controller.vault is None and controller.main_window is None
    assert controller.lock_screen.isVisible()
    QApplication.processEvents()
    # D3: no widget, title or label still shows case data after locking.
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView

    for widget in QApplication.allWidgets():
        texts = [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount()
            except TypeError:  # list models hide columnCount(): one column
                columns = 1
            for row in range(model.rowCount()):
                for col in range(columns):
                    texts.append(str(model.data(model.index(row, col))))
        assert not any(CANARY_FIRST in t for t in texts), type(widget).__name__


def test_ctrl_l_locks(qtbot, controller, new_vault) -> None:
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None and controller.main_window.isVisible(), timeout=10_000)
    controller.main_window.lock_action.trigger()
    assert controller.vault is None and controller.lock_screen.isVisible()


def test_idle_lock_with_a_fake_clock(qtbot, controller, new_vault) -> None:
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    controller.clock.now += 4 * 60
    controller.idle.check()
    assert controller.vault is not None, "not yet: default is 5 minutes"
    controller.clock.now += 61
    controller.idle.check()
    assert controller.vault is None and controller.main_window is None


def test_passphrase_change_from_settings(qtbot, controller, new_vault, monkeypatch) -> None:
    from gk_desktop.ui.main_window import ChangePassphraseDialog

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    dialog = ChangePassphraseDialog(controller.vault, controller.main_window)
    qtbot.addWidget(dialog)
    new = "blauer kater tanzt im regen 42"
    dialog.old.setText(PASSPHRASE)
    dialog.pair.first.setText(new)
    dialog.pair.second.setText(new)
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.result() == 1, timeout=10_000)
    controller.lock()
    _unlock(qtbot, controller, new)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)


def test_backup_from_settings(qtbot, controller, new_vault, monkeypatch) -> None:
    paths, _ = new_vault
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    controller.main_window.settings_view.backup_button.click()
    qtbot.waitUntil(lambda: any(paths.backups.glob("*.gkbackup")), timeout=10_000)
    qtbot.waitUntil(lambda: "heute" in controller.main_window.overview.backup.text()
                    or "today" in controller.main_window.overview.backup.text(), timeout=10_000)


def test_language_switch(qtbot, controller, new_vault) -> None:
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    controller.set_language("en")
    assert controller.main_window.nav.item(1).text() == "Overview"
    assert Settings.load().language == "en"
    controller.set_language("de")
    assert controller.main_window.nav.item(1).text() == "Übersicht"
    assert controller.vault is not None


def test_document_limit_setting_reaches_the_case_view(qtbot, controller, new_vault) -> None:
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    window = controller.main_window
    assert window.case_view.document_limit_mb == 25 == window.settings_view.document_limit.value()
    window.settings_view.document_limit.setValue(7)
    assert window.case_view.document_limit_mb == 7 and Settings.load().max_document_mb == 7
    window.settings_view.retention_years.setValue(5)
    window.settings_view.short_advice_months.setValue(9)
    assert window.case_view.retention_years == 5 and window.referrals_view.short_advice_months == 9
    assert (Settings.load().retention_years, Settings.load().short_advice_idle_months) == (5, 9)


def test_deadline_settings_are_saved_and_reach_the_start_page(qtbot, controller, new_vault) -> None:
    import json

    from gk_desktop.domain import deadlines as dl

    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    window = controller.main_window
    view = window.settings_view
    view.deadline_spins["referral_followup_days"].setValue(21)
    assert Settings.load().referral_followup_days == 21
    assert window.deadlines_view.config.referral_followup_days == 21
    table = view.lead_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "PASS_ABLAUF")
    table.item(row, 1).setText("3 months")  # not a lead time: refused, the old value back
    assert not view.lead_message.isHidden() and table.item(row, 1).text() == "6m, 2m"
    assert Settings.load().deadline_leads == ""
    table.item(row, 1).setText("2m 4M")
    assert view.lead_message.isHidden() and table.item(row, 1).text() == "4m, 2m"
    assert json.loads(Settings.load().deadline_leads) == {"PASS_ABLAUF": "4m, 2m"}
    assert window.deadlines_view.config.leads_for(dl.DeadlineType.PASS_ABLAUF) == (dl.Lead(4, "M"), dl.Lead(2, "M"))


def test_selftest_subprocess(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    out = subprocess.run([sys.executable, "-m", "gk_desktop", "--selftest", "--screenshot", str(shot)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_forgotten_passphrase_recovery_from_the_lock_screen(qtbot, controller, new_vault, monkeypatch) -> None:
    from gk_desktop.ui.recovery_dialog import RecoveryDialog

    paths, recovery = new_vault
    controller.start()
    screen = controller.lock_screen.centralWidget()
    dialog = RecoveryDialog(paths.root, lambda key: b"%PDF-1.4", screen)
    qtbot.addWidget(dialog)
    dialog.show()
    new = "blauer kater tanzt im regen 42"
    dialog.key.setText("AAAAA-" + recovery[6:])  # a typo in group 1
    dialog.pair.first.setText(new)
    dialog.pair.second.setText(new)
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=10_000)
    assert "Gruppe 1" in dialog.message.text()
    dialog.key.setText(recovery.lower().replace("-", " "))
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.key_view.isVisible(), timeout=10_000)
    new_key = dialog.key_view._key
    assert new_key and new_key != recovery
    # Shown, not yet in force: the old key still opens the vault.
    from gk_desktop.storage.keys import load_keyfile, unlock_with_recovery_key

    unlock_with_recovery_key(load_keyfile(paths.keys), recovery).wipe()
    assert not dialog.ok.isEnabled()
    dialog.key_view.confirm.setChecked(True)
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.result() == 1, timeout=10_000)
    assert dialog.key_view._key == ""
    unlock_with_recovery_key(load_keyfile(paths.keys), new_key).wipe()
    _unlock(qtbot, controller, new)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)


def test_closing_the_recovery_dialog_before_confirming_changes_nothing(qtbot, controller, new_vault) -> None:
    from gk_desktop.storage.keys import load_keyfile, unlock_with_passphrase, unlock_with_recovery_key
    from gk_desktop.ui.recovery_dialog import RecoveryDialog

    paths, recovery = new_vault
    before = paths.keys.read_bytes()
    dialog = RecoveryDialog(paths.root, lambda key: b"%PDF", None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.key.setText(recovery)
    dialog.pair.first.setText("blauer kater tanzt im regen 42")
    dialog.pair.second.setText("blauer kater tanzt im regen 42")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.key_view.isVisible(), timeout=10_000)
    dialog.reject()
    assert paths.keys.read_bytes() == before
    unlock_with_recovery_key(load_keyfile(paths.keys), recovery).wipe()
    unlock_with_passphrase(load_keyfile(paths.keys), PASSPHRASE).wipe()

def test_lock_screen_comes_before_the_heavy_imports(tmp_path: Path, new_vault) -> None:
    """ARCHITECTURE.md §2: SQLAlchemy, Alembic, SQLCipher and the services load in the unlock worker."""
    paths, _ = new_vault
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from gk_desktop.app import AppController\n"
        "from gk_desktop.settings import Settings\n"
        "from pathlib import Path\n"
        "app = QApplication([])\n"
        f"c = AppController(app, Path({str(paths.root)!r}), Settings.load())\n"
        "c.start(); app.processEvents()\n"
        "assert c.lock_screen.isVisible()\n"
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'sqlcipher3', 'gk_desktop.services.session',"
        " 'gk_desktop.storage.vault', 'argon2', 'cryptography') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_window_geometry_is_remembered(qtbot, controller, new_vault) -> None:
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    controller.main_window.resize(1200, 780)
    controller.lock()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    assert (controller.main_window.width(), controller.main_window.height()) == (1200, 780)


def test_reissue_recovery_key_from_settings(qtbot, controller, new_vault) -> None:
    from gk_desktop.errors import WrongSecretError
    from gk_desktop.storage.keys import load_keyfile, unlock_with_recovery_key
    from gk_desktop.ui.main_window import ReissueDialog

    paths, old_key = new_vault
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)

    def dialog_with_key(passphrase: str):
        dialog = ReissueDialog(controller.vault, lambda key: b"%PDF", controller.main_window)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.passphrase.setText("falsch falsch falsch falsch")
        dialog.ok.click()
        qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=10_000)
        dialog.passphrase.setText(passphrase)
        dialog.ok.click()
        qtbot.waitUntil(lambda: dialog.view.isVisible(), timeout=10_000)
        return dialog

    # Closed before confirming: the old key stays valid.
    first = dialog_with_key(PASSPHRASE)
    first.reject()
    unlock_with_recovery_key(load_keyfile(paths.keys), old_key).wipe()

    dialog = dialog_with_key(PASSPHRASE)
    new_key = dialog.view._key
    assert not dialog.ok.isEnabled()
    dialog.view.confirm.setChecked(True)
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.result() == 1, timeout=10_000)
    keyfile = load_keyfile(paths.keys)
    unlock_with_recovery_key(keyfile, new_key).wipe()
    with pytest.raises(WrongSecretError):
        unlock_with_recovery_key(keyfile, old_key)

def test_restore_from_settings(qtbot, controller, new_vault, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from gk_desktop.storage import backup
    from gk_desktop.storage.vault import open_vault

    paths, _ = new_vault
    with open_vault(paths, PASSPHRASE) as v:
        saved = backup.create_backup(v)  # before the canary exists
        add_canary_client(v)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QInputDialog, "exec", lambda self: QInputDialog.DialogCode.Accepted)
    monkeypatch.setattr(QInputDialog, "textValue", lambda self: PASSPHRASE)
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    # After the file dialog and the confirmation (with the buttons "Zurückspielen"/"Abbrechen"):
    controller.main_window.settings_view.restore_requested.emit(saved)
    qtbot.waitUntil(lambda: controller.vault is None and any(paths.root.glob("replaced-*")), timeout=10_000)
    ops.wait_all()
    QApplication.processEvents()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    qtbot.waitUntil(lambda: controller.main_window.overview.clients.text() == "0", timeout=10_000)


def test_backup_warning_days_setting(qtbot, controller, new_vault) -> None:
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    controller.main_window.settings_view.backup_warning.setValue(30)
    assert Settings.load().backup_warning_days == 30
    controller.main_window.settings_view.auto_lock.setValue(15)
    assert Settings.load().auto_lock_minutes == 15


def test_exception_hook_logs_without_payload_and_shows_a_dialog(monkeypatch, tmp_path: Path) -> None:
    import logging

    from gk_desktop import app as app_mod
    from gk_desktop.logsetup import setup_logging

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    setup_logging(tmp_path / "logs")
    old = sys.excepthook
    try:
        app_mod._install_excepthook()
        try:
            raise RuntimeError(f"boom {CANARY_FIRST}")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old
        for h in list(logging.getLogger().handlers):
            if getattr(h, "_gk", False):
                h.flush()
    text = (tmp_path / "logs" / "gk-desktop.log").read_text()
    assert "RuntimeError" in text and CANARY_FIRST not in text
    assert shown and CANARY_FIRST not in shown[0]


def test_lock_screen_passphrase_field_is_kept_out_of_input_methods(qtbot, controller, new_vault) -> None:
    """SECURITY.md D7, also on the lock screen, whose hints are set right after its first paint."""
    from PySide6.QtWidgets import QLineEdit

    controller.start()
    screen = controller.lock_screen.centralWidget()
    qtbot.waitExposed(controller.lock_screen)
    qtbot.waitUntil(lambda: screen._setup_done, timeout=5_000)
    hints = screen.passphrase.inputMethodHints()
    assert hints & Qt.InputMethodHint.ImhSensitiveData and hints & Qt.InputMethodHint.ImhNoPredictiveText
    assert screen.passphrase.echoMode() == QLineEdit.EchoMode.Password


def test_quitting_locks_the_vault(qtbot, controller, new_vault) -> None:
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    vault = controller.vault
    QApplication.instance().aboutToQuit.emit()
    assert controller.vault is None and vault.conn is None


def test_version_flag() -> None:
    out = subprocess.run([sys.executable, "-m", "gk_desktop", "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("gk-desktop ")


def test_lock_while_an_operation_runs(qtbot, controller, new_vault) -> None:
    """Locking waits for running work; a result for a destroyed window is dropped, not raised."""
    errors = []
    old_hook = sys.excepthook
    sys.excepthook = lambda *exc: errors.append(exc)
    try:
        controller.start()
        _unlock(qtbot, controller)
        qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
        controller.main_window.refresh()
        controller.lock()
        for _ in range(5):
            QApplication.processEvents()
            qtbot.wait(20)
    finally:
        sys.excepthook = old_hook
    assert errors == []
    assert controller.vault is None and controller.main_window is None


def test_ctrl_l_locks_from_inside_a_modal_dialog(qtbot, controller, new_vault) -> None:
    from PySide6.QtTest import QTest

    from gk_desktop.ui.main_window import ChangePassphraseDialog

    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    dialog = ChangePassphraseDialog(controller.vault, controller.main_window)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.old.setFocus()
    QTest.keyClick(dialog.old, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert controller.vault is None and controller.main_window is None
    assert not dialog.isVisible()


def test_wizard_cannot_be_left_before_the_recovery_key_is_confirmed(qtbot, controller, data_dir: Path) -> None:
    controller.start()
    wizard = controller.wizard
    wizard.next()
    wizard.passphrase_page.pair.first.setText(PASSPHRASE)
    wizard.passphrase_page.pair.second.setText(PASSPHRASE)
    wizard.next()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled() or wizard.create_page._done
    wizard.reject()  # Esc or the window's close button while the vault is being made
    assert wizard.isVisible()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=20_000)
    wizard.reject()
    assert wizard.isVisible()
    assert wizard.recovery_page.view.status.text() != ""
    wizard.recovery_page.view.confirm.setChecked(True)
    wizard.reject()  # confirmed: leaving is fine now
    assert not wizard.isVisible()


def test_printing_settings_are_saved(qtbot, controller, new_vault) -> None:
    controller.start()
    _unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    view = controller.main_window.settings_view
    view.municipality_name.setText("Stadt Rheine")
    view.municipality_name.editingFinished.emit()
    view.controller_details.setPlainText("Stadt Rheine\nKlosterstraße 14\n48431 Rheine")
    assert Settings.load().municipality_name == "Stadt Rheine"
    assert Settings.load().controller_details.splitlines()[1] == "Klosterstraße 14"
