"""gk-desktop: the composition root of the GUI.

Start-up order (ARCHITECTURE.md §2): paths → logging → QApplication → translators → lock screen
(or the set-up wizard on the first start). SQLAlchemy, Alembic, SQLCipher and the services are
imported in the unlock worker, so the lock screen shows before the heavy imports.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from gk_desktop import __version__
from gk_desktop.i18n import _

log = logging.getLogger("gk_desktop.app")
START_TIME = time.perf_counter()


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gk-desktop", description=_("Case work with an encrypted vault."))
    parser.add_argument("--version", action="version", version=f"gk-desktop {__version__}")
    parser.add_argument("--data-dir", help=_("data folder (default: GK_DATA_DIR or the user data folder)"))
    parser.add_argument("--lang", choices=("de", "en"), help=_("language of the program"))
    parser.add_argument("--selftest", action="store_true",
                        help=_("start offscreen with a temporary vault, open the main window, lock, quit"))
    parser.add_argument("--screenshot", metavar="FILE", help=_("with --selftest: save a picture of the main window"))
    parser.add_argument("--quit-after-lock-screen", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def make_sheet(data_dir: Path) -> Callable[[str], bytes]:
    """The recovery sheet (PDF bytes, in memory) for the vault in ``data_dir``."""

    def sheet(printed: str) -> bytes:
        from gk_desktop.domain.clock import today
        from gk_desktop.documents.recovery_sheet import recovery_sheet_pdf
        from gk_desktop.i18n import language
        from gk_desktop.paths import VaultPaths
        from gk_desktop.settings import Settings
        from gk_desktop.storage.keys import load_keyfile

        vault_id = load_keyfile(VaultPaths(data_dir).keys).vault_id
        settings = Settings.load()
        return recovery_sheet_pdf(printed, created=today(), vault_id_short=vault_id[:8], lang=language(),
                                  municipality=settings.municipality_name, logo=settings.municipality_logo or None)

    return sheet


class AppController:
    """Owns the windows and the vault handle; the only place that switches between them."""

    def __init__(self, app: Any, data_dir: Path, settings: Any, *, clock: Callable[[], float] = time.monotonic) -> None:
        from PySide6.QtCore import QSettings

        from gk_desktop.paths import config_dir

        self.app = app
        self.data_dir = data_dir
        self.settings = settings
        self.vault: Any = None
        self.lock_screen: Any = None
        self.wizard: Any = None
        self.main_window: Any = None
        self._clock = clock
        self.qsettings = QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
        self._idle: Any = None
        from gk_desktop.ui.clipboard import ClipboardGuard

        self.clipboard_guard = ClipboardGuard(app)
        app.aboutToQuit.connect(self.shutdown)

    @property
    def idle(self) -> Any:
        """The idle watcher, made at the first unlock (keeps the start path short)."""
        if self._idle is None:
            from gk_desktop.ui.idle import IdleWatcher

            self._idle = IdleWatcher(self.settings.auto_lock_minutes, clock=self._clock)
            self._idle.idle.connect(self.lock)
            self._idle.lock_key.connect(self.lock)
        return self._idle

    # -- screens

    def start(self) -> None:
        from gk_desktop.paths import VaultPaths

        if VaultPaths(self.data_dir).has_vault():
            self.show_lock_screen()
        else:
            self.show_wizard()

    def show_wizard(self) -> None:
        from gk_desktop.ui.setup_wizard import SetupWizard

        self.wizard = SetupWizard(self.data_dir, lambda key: make_sheet(self.wizard.folder_page.folder())(key))
        self.wizard.vault_created.connect(self._wizard_done)
        self.wizard.rejected.connect(self.app.quit)
        self.wizard.show()

    def _wizard_done(self, folder: Path) -> None:
        self.data_dir = folder
        if not os.environ.get("GK_DATA_DIR"):
            self.settings = self.settings.with_value("data_dir", str(folder))
            self.settings.save()
        self.wizard.deleteLater()
        self.wizard = None
        self.show_lock_screen()

    def _ensure_lock_screen(self) -> Any:
        from PySide6.QtWidgets import QMainWindow

        from gk_desktop.ui.lock_screen import LockScreen

        if self.lock_screen is None:
            window = QMainWindow()
            window.setWindowTitle("gk-desktop")
            window.resize(1024, 700)
            screen = LockScreen(self.data_dir, make_sheet(self.data_dir))
            screen.unlocked.connect(self.on_unlocked)
            window.setCentralWidget(screen)
            self.lock_screen = window
        return self.lock_screen

    def show_lock_screen(self) -> None:
        window = self._ensure_lock_screen()
        screen = window.centralWidget()
        screen.data_dir = self.data_dir
        screen.clear()
        if self.main_window is not None:
            window.setGeometry(self.main_window.geometry())
        window.show()
        window.raise_()
        window.activateWindow()

    def on_unlocked(self, vault: Any) -> None:
        from gk_desktop.ui.main_window import MainWindow

        self.vault = vault
        register_fonts()  # not at start: the lock screen shows no names, and it comes up faster
        self.main_window = MainWindow(self.settings, vault, make_sheet(self.data_dir), self.qsettings)
        self.main_window.lock_requested.connect(self.lock)
        sv = self.main_window.settings_view
        sv.auto_lock_changed.connect(self.set_auto_lock)
        sv.backup_warning_changed.connect(self.set_backup_warning)
        sv.document_limit_changed.connect(self.set_document_limit)
        sv.retention_changed.connect(self.set_retention_years)
        sv.short_advice_changed.connect(self.set_short_advice_months)
        sv.deadline_setting_changed.connect(self.set_deadline_setting)
        sv.printing_setting_changed.connect(self.set_plain_setting)
        sv.language_changed.connect(self.set_language)
        sv.restore_requested.connect(self.restore)
        if self.lock_screen is not None:
            self.lock_screen.hide()
        if self.qsettings.value("main_window/maximized", False, type=bool):
            self.main_window.showMaximized()
        else:
            self.main_window.show()
        self.main_window.refresh()
        self.main_window.offer_drafts()
        self.idle.set_minutes(self.settings.auto_lock_minutes)
        self.idle.start()

    # -- locking

    def lock(self) -> None:
        """Lock at once: close dialogs, clear and destroy every view that held case data, then close
        the vault on the database thread, after the work already running there (nothing waits on
        the GUI thread; a running backup finishes, its result is dropped with its window)."""
        from PySide6.QtWidgets import QApplication, QProgressDialog

        if self.vault is None and self.main_window is None:
            return
        if self._idle is not None:
            self._idle.stop()
        for widget in QApplication.topLevelWidgets():
            if widget.isWindow() and widget.isModal() and widget.isVisible():
                if isinstance(widget, QProgressDialog):
                    widget.hide()  # closing it would cancel the work it shows
                elif hasattr(widget, "close_for_lock"):
                    widget.close_for_lock()  # a form that would otherwise ask before discarding
                else:
                    widget.close()
        if self.main_window is not None:
            self.main_window.save_geometry()
            self.main_window.clear()
            self.show_lock_screen()
            self.main_window.hide()
            self.main_window.deleteLater()
            self.main_window = None
        vault, self.vault = self.vault, None
        if vault is not None:
            from gk_desktop.services import session
            from gk_desktop.ui.ops import Op

            def close(_ctx: Any) -> None:
                from gk_desktop import memory

                session.lock(vault)
                memory.release()  # the next unlock's key derivation starts from what is in use

            Op(None, close).on_failure(
                lambda exc: log.error("closing the vault failed (%s)", type(exc).__name__)).run()
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        from gk_desktop.ui.privacy import privacy

        privacy.reset()

    def shutdown(self) -> None:
        from gk_desktop.ui import ops

        self.lock()
        ops.wait_all()  # quitting: the vault must be closed before the process ends

    # -- settings

    def set_auto_lock(self, minutes: int) -> None:
        self.settings = self.settings.with_value("auto_lock_minutes", minutes)
        self.settings.save()
        self.idle.set_minutes(self.settings.auto_lock_minutes)

    def set_backup_warning(self, days: int) -> None:
        self.settings = self.settings.with_value("backup_warning_days", days)
        self.settings.save()
        if self.main_window is not None:
            self.main_window.set_settings(self.settings)
            self.main_window.refresh()

    def set_document_limit(self, megabytes: int) -> None:
        self.settings = self.settings.with_value("max_document_mb", megabytes)
        self.settings.save()
        if self.main_window is not None:
            self.main_window.case_view.document_limit_mb = self.settings.max_document_mb

    def set_retention_years(self, years: int) -> None:
        self.settings = self.settings.with_value("retention_years", years)
        self.settings.save()
        if self.main_window is not None:
            self.main_window.case_view.retention_years = self.settings.retention_years

    def set_short_advice_months(self, months: int) -> None:
        self.settings = self.settings.with_value("short_advice_idle_months", months)
        self.settings.save()
        if self.main_window is not None:
            self.main_window.referrals_view.short_advice_months = self.settings.short_advice_idle_months

    def set_deadline_setting(self, key: str, value: Any) -> None:
        """A period or the lead times of the deadlines changed: saved, and the start page works them out anew."""
        self.settings = self.settings.with_value(key, value)
        self.settings.save()
        if self.main_window is not None:
            self.main_window.set_deadline_settings(self.settings)

    def set_plain_setting(self, key: str, value: Any) -> None:
        """A setting read where it is used (the printouts read theirs when they are made)."""
        self.settings = self.settings.with_value(key, value)
        self.settings.save()

    def set_language(self, lang: str) -> None:
        from gk_desktop.ui import i18n as ui_i18n

        self.settings = self.settings.with_value("language", lang)
        self.settings.save()
        ui_i18n.install(self.app, lang)
        # Rebuild the windows in the new language; the vault stays open.
        if self.main_window is not None:
            vault = self.vault
            old = self.main_window
            old.save_geometry()
            old.hide()
            old.deleteLater()
            self.main_window = None
            if self.lock_screen is not None:
                self.lock_screen.deleteLater()
                self.lock_screen = None
            self.on_unlocked(vault)
            self.main_window.show_settings(1)

    def restore(self, backup_file: Path) -> None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

        ask = QInputDialog(self.main_window)
        ask.setWindowTitle(_("Restore a backup"))
        ask.setLabelText(_("Passphrase that was valid when the backup was made:"))
        ask.setTextEchoMode(QLineEdit.EchoMode.Password)
        ask.setOkButtonText(_("Restore"))
        ask.setCancelButtonText(_("Cancel"))
        ok = ask.exec() == QInputDialog.DialogCode.Accepted
        passphrase = ask.textValue()
        ask.setTextValue("")
        if not ok or not passphrase:
            return
        self.lock()
        from gk_desktop.ui.ops import Op, error_text

        data_dir = self.data_dir

        def work(_ctx: Any) -> str:
            from gk_desktop.services import vault_admin

            return vault_admin.restore(backup_file, data_dir, passphrase=passphrase,
                                       replace_existing=True, source="gui")

        def done(_device: str) -> None:
            QMessageBox.information(self.lock_screen, _("Restore a backup"),
                                    _("The backup was restored. Please unlock the vault."))

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self.lock_screen, _("Restore a backup"),
                                _("The backup was not restored; the vault is as it was.") + "\n\n" + error_text(exc))

        Op(self.lock_screen, work).on_success(done).on_failure(failed).run()


def _quit_on_first_paint(app: Any, window: Any) -> None:
    from PySide6.QtCore import QEvent, QObject

    class _Filter(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint:
                # CLOCK_MONOTONIC is system-wide: the benchmark subtracts its own start time.
                sys.stdout.write(f"first_paint_monotonic {time.monotonic():.6f}\n")
                sys.stdout.flush()
                app.quit()
            return False

    window._gk_paint_filter = _Filter(window)
    window.installEventFilter(window._gk_paint_filter)


def _install_excepthook() -> None:
    def hook(exc_type: Any, exc: BaseException, tb: Any) -> None:
        log.error("unhandled exception", exc_info=(exc_type, exc, tb))
        try:
            from PySide6.QtWidgets import QApplication, QMessageBox

            from gk_desktop.ui.ops import error_text

            if QApplication.instance() is not None:
                QMessageBox.critical(None, _("Something went wrong"), error_text(exc))
        except Exception:  # noqa: BLE001 - the hook itself must never raise
            pass

    sys.excepthook = hook


_fonts_registered = False


def register_fonts() -> None:
    """The Noto fonts of the printed documents for Qt too, so every name on screen has its glyphs
    (Qt falls back between them by itself). Once per process."""
    global _fonts_registered
    if _fonts_registered:
        return
    from PySide6.QtGui import QFontDatabase

    from gk_desktop.documents.fonts import font_files

    for path in font_files():
        if path.is_file():
            QFontDatabase.addApplicationFont(str(path))
    _fonts_registered = True


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    from gk_desktop.hardening import disable_core_dumps
    from gk_desktop.paths import VaultPaths, config_dir, resolve_data_dir

    disable_core_dumps()
    if args.selftest:
        return selftest(args.screenshot, args.lang or "de")
    from gk_desktop.settings import Settings

    settings = Settings.load()
    explicit = args.data_dir or os.environ.get("GK_DATA_DIR")
    data_dir = resolve_data_dir(explicit or settings.data_dir or None)
    from gk_desktop.logsetup import setup_logging

    setup_logging(VaultPaths(data_dir).logs if data_dir.is_dir() else config_dir() / "logs")
    _install_excepthook()
    from PySide6.QtWidgets import QApplication

    from gk_desktop.ui import i18n as ui_i18n

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("gk-desktop")
    from gk_desktop.ui import gc_guard

    gc_guard.install(app)
    app.setApplicationVersion(__version__)
    ui_i18n.install(app, args.lang or settings.language)
    controller = AppController(app, data_dir, settings)
    controller.start()
    if args.quit_after_lock_screen:  # benchmark: quit at the first paint of the first window
        _quit_on_first_paint(app, controller.lock_screen or controller.wizard)
    return int(app.exec())


def selftest(screenshot: str | None, lang: str) -> int:
    """Offscreen, temporary folder, test KDF: create a vault, open the main window, lock, quit."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["GK_KDF_PROFILE"] = "test"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gk-selftest-") as tmp:
        os.environ["GK_CONFIG_DIR"] = str(Path(tmp) / "config")
        data_dir = Path(tmp) / "data"
        from PySide6.QtCore import QEventLoop, QTimer
        from PySide6.QtWidgets import QApplication

        from gk_desktop.settings import Settings
        from gk_desktop.ui import i18n as ui_i18n

        app = QApplication.instance() or QApplication(["gk-desktop"])
        from gk_desktop.ui import gc_guard

        gc_guard.install(app)
        ui_i18n.install(app, lang)
        from gk_desktop.services import session, vault_admin

        passphrase = "selbsttest tresor ohne echte daten 2026"
        vault_admin.init_vault(data_dir, passphrase, source="gui")
        controller = AppController(app, data_dir, Settings.load())
        controller.start()
        controller.on_unlocked(session.unlock(data_dir, passphrase))
        loop = QEventLoop()
        QTimer.singleShot(500, loop.quit)
        loop.exec()
        ok = controller.main_window is not None and controller.main_window.isVisible()
        if screenshot and ok:
            ok = controller.main_window.grab().save(screenshot)
        controller.lock()
        ok = ok and controller.vault is None and controller.lock_screen is not None and controller.lock_screen.isVisible()
        controller.lock_screen.close()
        app.processEvents()
    sys.stderr.write(("selftest ok\n" if ok else "selftest FAILED\n"))
    return 0 if ok else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
