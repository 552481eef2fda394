"""First start: where the vault lives, the passphrase, key derivation, the recovery key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from gk_desktop.i18n import N_, _
from gk_desktop.storage.location import CLOUD, NETWORK, REMOVABLE, location_warnings
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.widgets import PassphrasePair, RecoveryKeyView

_WARNINGS = {
    NETWORK: N_("This folder is on a network share. The vault belongs on this computer's own disk: "
             "over a network, a power cut or a dropped connection can damage it."),
    REMOVABLE: N_("This folder is on a removable drive. If the drive is pulled while the vault is open, "
               "entries can be lost. Please choose a folder on this computer's own disk."),
    CLOUD: N_("This folder is inside a cloud-sync folder. The sync program copies the files while they "
           "change, which can damage the vault, and keeps copies outside its control."),
}


class FolderPage(QWizardPage):
    def __init__(self, default: Path) -> None:
        super().__init__()
        self.setTitle(_("Welcome to gk-desktop"))
        self.setSubTitle(_("All case data are kept in one encrypted vault on this computer. "
                           "First choose where the vault lives."))
        self.path = QLineEdit(str(default))
        self.path.setAccessibleName(_("Vault folder"))
        browse = QPushButton(_("Choose …"))
        browse.clicked.connect(self._browse)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setObjectName("warning")
        self.warning.setStyleSheet("color: #8a4b00;")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Vault folder")))
        layout.addLayout(row)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        self.path.textChanged.connect(self._check)
        self._check()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Vault folder"), self.path.text())
        if chosen:
            self.path.setText(chosen)

    def folder(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def _check(self) -> None:
        text = self.path.text().strip()
        warnings = location_warnings(self.folder()) if text else []
        exists = bool(text) and (self.folder() / "vault.keys").exists()
        lines = [_(_WARNINGS[w]) for w in warnings]
        if exists:
            lines.append(_("There is already a vault in this folder. Please choose another folder, "
                           "or close the wizard and unlock it."))
        self.warning.setText("\n".join(lines))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        text = self.path.text().strip()
        return bool(text) and Path(text).expanduser().is_absolute() and not (self.folder() / "vault.keys").exists()


class PassphrasePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Choose a passphrase"))
        self.setSubTitle(_("The passphrase opens the vault. Nobody can look it up or reset it; "
                           "the recovery key of the next steps is the only way back."))
        self.pair = PassphrasePair()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pair)
        layout.addStretch(1)
        self.pair.changed.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.pair.is_acceptable()


class CreatePage(QWizardPage):
    """Measures the machine for Argon2 and creates the vault, off the GUI thread."""

    created = Signal(str)

    def __init__(self, wizard: "SetupWizard") -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Creating the vault"))
        self.setSubTitle(_("The key derivation is tuned to this computer so that unlocking takes about a second."))
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._done = False
        self._running = False

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        if self._done or self._running:
            return
        self._running = True
        self._wizard.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.progress.setValue(0)
        self.message.setText(_("Please wait …"))
        folder = self._wizard.folder_page.folder()
        passphrase = self._wizard.passphrase_page.pair.passphrase()

        def work(ctx: Any) -> str:
            from gk_desktop.services import vault_admin

            return vault_admin.init_vault(folder, passphrase, progress=ctx.progress, source="gui")

        Op(self, work, lane="cpu").on_progress(lambda f: self.progress.setValue(int(f * 100))) \
            .on_success(self._created).on_failure(self._failed).run()

    def _created(self, printed: str) -> None:
        self._running = False
        self._done = True
        self.progress.setValue(100)
        self.message.setText(_("The vault is created."))
        self._wizard.passphrase_page.pair.clear()
        self._wizard.recovery_page.view.set_key(printed)
        self.completeChanged.emit()
        self._wizard.next()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self._wizard.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.message.setText(error_text(exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self._done


class RecoveryPage(QWizardPage):
    def __init__(self, sheet: Callable[[str], bytes]) -> None:
        super().__init__()
        self.setTitle(_("The recovery key"))
        self.view = RecoveryKeyView(sheet)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.view.confirmed_changed.connect(lambda _c: self.completeChanged.emit())

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.view.confirm.isChecked()


class SetupWizard(QWizard):
    """Signals:
        vault_created(Path): the folder of the new vault, after the recovery key was confirmed.
    """

    vault_created = Signal(object)

    def __init__(self, default_folder: Path, sheet: Callable[[str], bytes], parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("gk-desktop")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(720, 520)
        self.folder_page = FolderPage(default_folder)
        self.passphrase_page = PassphrasePage()
        self.create_page = CreatePage(self)
        self.recovery_page = RecoveryPage(sheet)
        for page in (self.folder_page, self.passphrase_page, self.create_page, self.recovery_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Open the vault"))
        self.currentIdChanged.connect(self._page_changed)

    def _page_changed(self, _id: int) -> None:
        # No way back once the vault exists.
        if self.currentPage() is self.create_page or self.currentPage() is self.recovery_page:
            self.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def reject(self) -> None:
        # Never leave while the vault is being created, nor before its recovery key was confirmed:
        # a vault whose recovery key nobody saw would be one forgotten passphrase from total loss.
        if self.create_page._running:
            return
        if self.create_page._done and not self.recovery_page.view.confirm.isChecked():
            self.recovery_page.view.status.setText(
                _("Please store the recovery key first and confirm it; the vault already exists."))
            return
        super().reject()

    def accept(self) -> None:
        folder = self.folder_page.folder()
        self.recovery_page.view.clear()
        super().accept()
        self.vault_created.emit(folder)
