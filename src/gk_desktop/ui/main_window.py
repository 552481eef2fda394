"""The main window: navigation, the overview of the vault, Klient:innen, and Einstellungen."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import _, ngettext
from gk_desktop.settings import Settings
from gk_desktop.settings import label as settings_label
from gk_desktop.ui.case_view import CaseView
from gk_desktop.ui.clients_view import ClientsView
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.privacy import privacy
from gk_desktop.ui.rules_view import LegalRulesView
from gk_desktop.ui.fields import secret_field
from gk_desktop.ui.widgets import PassphrasePair, RecoveryKeyView, format_date

WINDOW_TITLE = "gk-desktop"  # never personal data


class OverviewView(QWidget):
    """Facts about the open vault: records, last backup (with a warning), key derivation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(_("Overview"))
        f = self.heading.font()
        f.setPointSize(f.pointSize() + 5)
        self.heading.setFont(f)
        self.clients = QLabel("–")
        self.cases = QLabel("–")
        self.contacts = QLabel("–")
        self.backup = QLabel("–")
        self.backup.setWordWrap(True)
        self.security = QLabel("–")
        form = QFormLayout()
        form.addRow(_("Clients"), self.clients)
        form.addRow(_("Open cases"), self.cases)
        form.addRow(_("Interviews"), self.contacts)
        form.addRow(_("Last backup"), self.backup)
        form.addRow(_("Protection"), self.security)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addStretch(1)

    def show_summary(self, summary: Any, warn_after_days: int) -> None:
        self.clients.setText(str(summary.clients))
        self.cases.setText(str(summary.open_cases))
        self.contacts.setText(str(summary.contacts))
        self.backup.setText(backup_text(summary, warn_after_days))
        self.backup.setStyleSheet("color: #8a4b00;" if backup_overdue(summary, warn_after_days) else "")
        self.security.setText(_("Encrypted vault; key derivation Argon2id with {mib} MiB and {t} passes").format(
            mib=summary.kdf_memory_mib, t=summary.kdf_time_cost))

    def clear(self) -> None:
        for label in (self.clients, self.cases, self.contacts, self.backup, self.security):
            label.setText("–")


def backup_overdue(summary: Any, warn_after_days: int) -> bool:
    return summary.backup_age_days is None or summary.backup_age_days > warn_after_days


def backup_text(summary: Any, warn_after_days: int) -> str:
    if summary.last_backup is None:
        return _("No backup yet. Please make one under Settings › Security.")
    age = summary.backup_age_days
    when = format_date(summary.last_backup.date())
    if age == 0:
        text = _("today ({date})").format(date=when)
    else:
        text = ngettext("{days} day ago ({date})", "{days} days ago ({date})", age).format(days=age, date=when)
    if age > warn_after_days:
        text += " – " + ngettext("older than {n} day: please make a backup.",
                                 "older than {n} days: please make a backup.", warn_after_days).format(n=warn_after_days)
    return text


class SettingsView(QWidget):
    """Einstellungen: Sicherheit, Sprache and Rechtsgrundlagen.

    Signals:
        auto_lock_changed(int), backup_warning_changed(int), document_limit_changed(int), language_changed(str),
        restore_requested(Path), backup_done()
    """

    auto_lock_changed = Signal(int)
    backup_warning_changed = Signal(int)
    document_limit_changed = Signal(int)
    retention_changed = Signal(int)
    short_advice_changed = Signal(int)
    deadline_setting_changed = Signal(str, object)  # settings key, value
    printing_setting_changed = Signal(str, str)  # settings key, value
    language_changed = Signal(str)
    restore_requested = Signal(object)
    backup_done = Signal()

    def __init__(self, settings: Settings, vault: Any, sheet: Callable[[str], bytes],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._sheet = sheet
        heading = QLabel(_("Settings"))
        f = heading.font()
        f.setPointSize(f.pointSize() + 5)
        heading.setFont(f)
        tabs = QTabWidget()
        tabs.addTab(self._security_tab(settings), _("Security"))
        tabs.addTab(self._language_tab(settings), _("Language"))
        self.rules_view = LegalRulesView(vault)
        tabs.addTab(self.rules_view, _("Legal rules"))
        tabs.addTab(self._deadlines_tab(settings), _("Deadlines"))
        tabs.addTab(self._printing_tab(settings), _("Printouts"))
        self.tabs = tabs
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(tabs)

    def _security_tab(self, settings: Settings) -> QWidget:
        page = QWidget()
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(1, 15)
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.auto_lock.setSuffix(" " + _("min"))
        self.auto_lock.setMaximumWidth(110)
        self.auto_lock.setAccessibleName(_("Lock after inactivity (minutes)"))
        self.auto_lock.valueChanged.connect(self.auto_lock_changed)
        lock_box = QGroupBox(_("Locking"))
        lf = QFormLayout(lock_box)
        lf.addRow(_("Lock after inactivity (minutes)"), self.auto_lock)
        lf.addRow("", QLabel(_("Ctrl+L locks at once. The vault is also locked when the program ends.")))

        key_box = QGroupBox(_("Passphrase and recovery key"))
        self.change_button = QPushButton(_("Change passphrase …"))
        self.change_button.clicked.connect(self.change_passphrase)
        self.reissue_button = QPushButton(_("Issue a new recovery key …"))
        self.reissue_button.clicked.connect(self.reissue_recovery_key)
        kl = QHBoxLayout(key_box)
        kl.addWidget(self.change_button)
        kl.addWidget(self.reissue_button)
        kl.addStretch(1)

        backup_box = QGroupBox(_("Backups"))
        self.backup_state = QLabel("–")
        self.backup_state.setWordWrap(True)
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(_("Restore a backup …"))
        self.restore_button.clicked.connect(self.choose_restore)
        self.backup_warning = QSpinBox()
        self.backup_warning.setRange(1, 90)
        self.backup_warning.setValue(settings.backup_warning_days)
        self.backup_warning.setSuffix(" " + _("days"))
        self.backup_warning.setMaximumWidth(110)
        self.backup_warning.setAccessibleName(_("Warn when the last backup is older than (days)"))
        self.backup_warning.valueChanged.connect(self.backup_warning_changed)
        warn_form = QFormLayout()
        warn_form.addRow(_("Warn when the last backup is older than (days)"), self.backup_warning)
        bl = QVBoxLayout(backup_box)
        bl.addWidget(self.backup_state)
        bl.addLayout(warn_form)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        bl.addLayout(row)

        doc_box = QGroupBox(_("Documents"))
        self.document_limit = QSpinBox()
        self.document_limit.setRange(1, 100)
        self.document_limit.setValue(settings.max_document_mb)
        self.document_limit.setSuffix(" MB")
        self.document_limit.setMaximumWidth(110)
        self.document_limit.setAccessibleName(_("Largest document (MB)"))
        self.document_limit.valueChanged.connect(self.document_limit_changed)
        df = QFormLayout(doc_box)
        df.addRow(_("Largest document (MB)"), self.document_limit)
        df.addRow("", QLabel(_("Larger files are refused when attached; scans of a few pages need about 1–5 MB.")))

        case_box = QGroupBox(_("Cases"))
        self.retention_years = QSpinBox()
        self.retention_years.setRange(1, 10)
        self.retention_years.setValue(settings.retention_years)
        self.retention_years.setSuffix(" " + _("years"))
        self.retention_years.setMaximumWidth(110)
        self.retention_years.setAccessibleName(_("Keep a closed case for (years)"))
        self.retention_years.valueChanged.connect(self.retention_changed)
        self.short_advice_months = QSpinBox()
        self.short_advice_months.setRange(1, 24)
        self.short_advice_months.setValue(settings.short_advice_idle_months)
        self.short_advice_months.setSuffix(" " + _("months"))
        self.short_advice_months.setMaximumWidth(110)
        self.short_advice_months.setAccessibleName(_("Propose closing a short advice after (months without contact)"))
        self.short_advice_months.valueChanged.connect(self.short_advice_changed)
        cf = QFormLayout(case_box)
        cf.addRow(_("Keep a closed case for (years)"), self.retention_years)
        cf.addRow(_("Propose closing a short advice after (months without contact)"), self.short_advice_months)
        cf.addRow("", QLabel(_("The retention date of a case is set when it is closed (Löschfrist).")))

        layout = QVBoxLayout(page)
        layout.addWidget(lock_box)
        layout.addWidget(key_box)
        layout.addWidget(backup_box)
        layout.addWidget(doc_box)
        layout.addWidget(case_box)
        layout.addStretch(1)
        return page

    def _deadlines_tab(self, settings: Settings) -> QWidget:
        """Fristen: the periods that make a deadline and the lead times per type (settings of this
        device; the legal numbers are legal rules)."""
        from gk_desktop import labels
        from gk_desktop.domain import deadlines as dl
        from gk_desktop.services.deadlines import config_from

        page = QWidget()
        periods = QGroupBox(_("Periods"))
        pf = QFormLayout(periods)
        self.deadline_spins: dict[str, QSpinBox] = {}
        for key, low, high, suffix in (("referral_followup_days", 1, 90, _("days")), ("no_contact_weeks", 1, 52, _("weeks")),
                                       ("offer_verify_months", 1, 36, _("months"))):
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setValue(getattr(settings, key))
            spin.setSuffix(" " + suffix)
            spin.setMaximumWidth(130)
            spin.setAccessibleName(settings_label(key))
            spin.valueChanged.connect(lambda value, k=key: self.deadline_setting_changed.emit(k, value))
            pf.addRow(settings_label(key), spin)
            self.deadline_spins[key] = spin

        leads_box = QGroupBox(_("Lead times"))
        lv = QVBoxLayout(leads_box)
        hint = QLabel(_("When the start page and the calendar remind you before a deadline: days (d), weeks (w) or "
                        "months (m), separated by commas, e.g. “28d, 14d, 3d” or “6m, 2m”; 0d: on the day itself."))
        hint.setWordWrap(True)
        lv.addWidget(hint)
        config = config_from(settings)
        self.lead_table = QTableWidget(len(dl.DeadlineType), 2)
        self.lead_table.setHorizontalHeaderLabels([_("Deadline"), _("Remind before")])
        self.lead_table.verticalHeader().hide()
        self.lead_table.setAccessibleName(_("Lead times"))
        for row, kind in enumerate(dl.DeadlineType):
            name = QTableWidgetItem(labels.label(labels.DEADLINE_TYPE, kind.value))
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, kind.value)
            self.lead_table.setItem(row, 0, name)
            self.lead_table.setItem(row, 1, QTableWidgetItem(dl.leads_text(config.leads_for(kind))))
        self.lead_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lead_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.lead_table.itemChanged.connect(self._lead_edited)
        self.lead_message = QLabel()
        self.lead_message.setWordWrap(True)
        self.lead_message.setStyleSheet("QLabel { color: #b3261e; }")
        self.lead_message.hide()
        self._leads = {kind.value: dl.leads_text(config.leads_for(kind)) for kind in dl.DeadlineType}
        self._default_leads = {kind.value: dl.leads_text(dl.DEFAULT_LEADS[kind]) for kind in dl.DeadlineType}
        lv.addWidget(self.lead_table, 1)
        lv.addWidget(self.lead_message)
        layout = QVBoxLayout(page)
        layout.addWidget(periods)
        layout.addWidget(leads_box, 1)
        return page

    def _lead_edited(self, item: QTableWidgetItem) -> None:
        """A lead time typed: kept when it reads, else the old value comes back with a message."""
        import json

        from gk_desktop.domain import deadlines as dl

        if item.column() != 1:
            return
        kind = self.lead_table.item(item.row(), 0).data(Qt.ItemDataRole.UserRole)
        text = item.text().strip()
        try:
            parsed = dl.parse_leads(text)
            if not parsed:
                raise ValueError(text)
        except ValueError:
            self.lead_message.setText(_("“{text}” is not a lead time. Please write e.g. “28d, 14d, 3d” or “6m, 2m”; "
                                        "the previous value stays.").format(text=text))
            self.lead_message.show()
            self.lead_table.blockSignals(True)
            item.setText(self._leads[kind])
            self.lead_table.blockSignals(False)
            return
        self.lead_message.hide()
        shown = dl.leads_text(parsed)
        self._leads[kind] = shown
        if shown != text:
            self.lead_table.blockSignals(True)
            item.setText(shown)
            self.lead_table.blockSignals(False)
        changed = {k: v for k, v in self._leads.items() if v != self._default_leads[k]}
        self.deadline_setting_changed.emit("deadline_leads", json.dumps(changed, sort_keys=True) if changed else "")

    def _printing_tab(self, settings: Settings) -> QWidget:
        """Ausdrucke: the municipality on every page, and the controller and data-protection officer
        the consent form and the information sheet name (saved when the field is left)."""
        from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

        page = QWidget()
        form = QFormLayout()
        self.municipality_name = QLineEdit(settings.municipality_name)
        self.municipality_name.setPlaceholderText(_("e.g. Stadt Rheine – Kommunales Integrationsmanagement"))
        self.municipality_logo = QLineEdit(settings.municipality_logo)
        self.municipality_logo.setPlaceholderText(_("a PNG or JPEG file"))
        choose = QPushButton(_("Choose …"))
        choose.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.municipality_logo, 1)
        logo_row.addWidget(choose)
        self.controller_details = QPlainTextEdit(settings.controller_details)
        self.dpo_details = QPlainTextEdit(settings.dpo_details)
        for edit in (self.controller_details, self.dpo_details):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(90)
        for key, widget in (("municipality_name", self.municipality_name), ("municipality_logo", self.municipality_logo)):
            widget.setAccessibleName(settings_label(key))
            widget.editingFinished.connect(lambda k=key, w=widget: self.printing_setting_changed.emit(k, w.text().strip()))
        for key, widget in (("controller_details", self.controller_details), ("dpo_details", self.dpo_details)):
            widget.setAccessibleName(settings_label(key))
            widget.textChanged.connect(lambda k=key, w=widget: self.printing_setting_changed.emit(k, w.toPlainText().strip()))
        form.addRow(settings_label("municipality_name"), self.municipality_name)
        form.addRow(settings_label("municipality_logo"), logo_row)
        form.addRow(settings_label("controller_details"), self.controller_details)
        form.addRow(settings_label("dpo_details"), self.dpo_details)
        note = QLabel(_("The name and logo stand at the top of every printout; the controller and the data-protection "
                        "officer are named on the consent form and the information sheet (Art. 13 DSGVO)."))
        note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def _choose_logo(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Choose the logo"), "", _("Images (*.png *.jpg *.jpeg)"))
        if name:
            self.municipality_logo.setText(name)
            self.printing_setting_changed.emit("municipality_logo", name)

    def _language_tab(self, settings: Settings) -> QWidget:
        page = QWidget()
        self.german = QRadioButton("Deutsch")
        self.english = QRadioButton("English")
        (self.german if settings.language == "de" else self.english).setChecked(True)
        group = QButtonGroup(page)
        group.addButton(self.german)
        group.addButton(self.english)
        self.german.toggled.connect(lambda on: on and self.language_changed.emit("de"))
        self.english.toggled.connect(lambda on: on and self.language_changed.emit("en"))
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("Language of the program")))
        layout.addWidget(self.german)
        layout.addWidget(self.english)
        layout.addStretch(1)
        return page

    def show_summary(self, summary: Any, warn_after_days: int) -> None:
        self.backup_state.setText(_("Last backup: {text}").format(text=backup_text(summary, warn_after_days)))
        self.backup_state.setStyleSheet("color: #8a4b00;" if backup_overdue(summary, warn_after_days) else "")

    # -- actions

    def change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self._vault, self)
        dialog.exec()

    def reissue_recovery_key(self) -> None:
        ReissueDialog(self._vault, self._sheet, self).exec()

    def backup_now(self) -> None:
        """Back up with progress; "Abbrechen" stops it and leaves no partial file."""
        from gk_desktop.services import session

        progress = QProgressDialog(_("Backing up the vault …"), _("Cancel"), 0, 100, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        vault = self._vault
        self.backup_button.setEnabled(False)

        def work(ctx: Any) -> Path:
            def report(fraction: float) -> None:
                ctx.check()  # raises Cancelled inside the copy: the backup stops and cleans up
                ctx.progress(fraction)

            return session.backup_now(vault, report)

        def finish() -> None:
            progress.close()
            self.backup_button.setEnabled(True)

        def done(path: Path) -> None:
            finish()
            QMessageBox.information(self, _("Backup"), _("The backup was written to {path}.").format(path=path))
            self.backup_done.emit()

        def failed(exc: BaseException) -> None:
            finish()
            QMessageBox.warning(self, _("Backup"), error_text(exc))

        def cancelled() -> None:
            finish()
            self.backup_state.setText(_("The backup was cancelled; no backup was written."))

        self.backup_op = Op(self, work).on_progress(lambda f: progress.setValue(int(f * 100))) \
            .on_success(done).on_failure(failed).on_cancel(cancelled)
        progress.canceled.connect(self.backup_op.cancel)
        self.backup_op.run()

    def choose_restore(self) -> None:
        start = str(self._vault.paths.backups) if self._vault is not None else str(Path.home())
        name, _filter = QFileDialog.getOpenFileName(self, _("Restore a backup"), start,
                                                    _("Backups") + " (*.gkbackup)")
        if not name:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Restore a backup"),
                          _("The vault is locked, the current state is set aside (not deleted) and the backup "
                            "takes its place. Entries made after the backup are then only in the set-aside "
                            "copy."), parent=self)
        restore = box.addButton(_("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is restore:
            self.restore_requested.emit(Path(name))


class ChangePassphraseDialog(QDialog):
    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.setWindowTitle(_("Change passphrase"))
        self.old = secret_field()
        self.pair = PassphrasePair()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(_("Change passphrase"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._change)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Current passphrase"), self.old)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.pair)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.pair.changed.connect(self._update)
        self.old.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.old.text()) and self.pair.is_acceptable())

    def _change(self) -> None:
        from gk_desktop.services import session

        old, new, vault = self.old.text(), self.pair.passphrase(), self._vault
        self.ok.setEnabled(False)
        self.message.setText(_("Please wait …"))
        Op(self, lambda _ctx: session.change_passphrase(vault, old, new)).on_success(self._done).on_failure(self._failed).run()

    def _done(self, _result: Any) -> None:
        self.old.clear()
        self.pair.clear()
        QMessageBox.information(self, _("Change passphrase"), _("The passphrase was changed. The recovery key stays the same."))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))
        self._update()


class ReissueDialog(QDialog):
    """A new recovery key in two steps: confirm with the passphrase and see the new key; only
    after "sicher aufbewahrt" is it written, so closing the dialog early never loses a key."""

    def __init__(self, vault: Any, sheet: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._busy = False
        self._printed = ""
        self.setWindowTitle(_("Issue a new recovery key"))
        self.resize(560, 380)
        intro = QLabel(_("A new recovery key replaces the old one, which then no longer opens the vault. "
                         "Please confirm with the passphrase."))
        intro.setWordWrap(True)
        self.passphrase = secret_field(_("Passphrase"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.view = RecoveryKeyView(sheet)
        self.view.hide()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(_("Show new recovery key"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._next)
        self.buttons.rejected.connect(self.reject)
        self.view.confirmed_changed.connect(lambda on: self.ok.setEnabled(on and not self._busy))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        layout.addWidget(self.view)
        layout.addWidget(self.buttons)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok.setEnabled(not busy)
        self.cancel.setEnabled(not busy)

    def _next(self) -> None:
        from gk_desktop.services import session

        vault = self._vault
        if not self._printed:
            passphrase = self.passphrase.text()
            self._set_busy(True)

            def check(_ctx: Any) -> str:
                session.verify_passphrase(vault, passphrase)
                return session.new_recovery_key_text()

            Op(self, check).on_success(self._show_key).on_failure(self._failed).run()
        else:
            passphrase, printed = self.passphrase.text(), self._printed
            self._set_busy(True)
            Op(self, lambda _ctx: session.reissue_recovery_key(vault, passphrase, printed)) \
                .on_success(self._written).on_failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.setText(error_text(exc))
        if self._printed:
            self.ok.setEnabled(self.view.confirm.isChecked())

    def _show_key(self, printed: str) -> None:
        self._set_busy(False)
        self._printed = printed
        self.passphrase.hide()
        self.message.setText(_("This key takes effect when you click \u201cUse new recovery key\u201d. "
                               "Until then the old one stays valid."))
        self.view.set_key(printed)
        self.view.show()
        self.ok.setText(_("Use new recovery key"))
        self.ok.setEnabled(False)

    def _written(self, _printed: str) -> None:
        self._set_busy(False)
        self.accept()

    def reject(self) -> None:
        if self._busy:  # the key is being written: it must not be lost halfway
            return
        super().reject()

    def done(self, result: int) -> None:
        self.view.clear()
        self.passphrase.clear()
        self._printed = ""
        super().done(result)


class MainWindow(QMainWindow):
    """Signals:
        lock_requested: Ctrl+L, the menu, or the idle timer.
    """

    lock_requested = Signal()

    def __init__(self, settings: Settings, vault: Any, sheet: Callable[[str], bytes],
                 qsettings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._vault = vault
        self._qsettings = qsettings
        self.setWindowTitle(WINDOW_TITLE)
        self.setMinimumSize(800, 560)
        self.nav = QListWidget()
        self.nav.setMaximumWidth(220)
        self.nav.setAccessibleName(_("Navigation"))
        self.stack = QStackedWidget()
        self.overview = OverviewView()
        self.clients_view = ClientsView(vault)
        self.case_view = CaseView(vault)
        self.case_view.document_limit_mb = settings.max_document_mb
        self.settings_view = SettingsView(settings, vault, sheet)
        from gk_desktop.ui.directory_view import DirectoryView
        from gk_desktop.ui.referrals_view import ReferralsView
        from gk_desktop.ui.deadlines_view import DeadlinesView
        from gk_desktop.ui.residence_view import ResidenceView

        self.directory_view = DirectoryView(vault)
        self.referrals_view = ReferralsView(vault)
        self.referrals_view.short_advice_months = settings.short_advice_idle_months
        self.residence_view = ResidenceView(vault)
        self._residence_stale = True  # checked again when shown after a change
        from gk_desktop.services.deadlines import config_from

        self.deadlines_view = DeadlinesView(vault)  # the start page "Heute", opened after unlock
        self.deadlines_view.config = config_from(settings)
        self._pages = [self.deadlines_view, self.overview, self.clients_view, self.referrals_view, self.residence_view,
                       self.directory_view, self.settings_view]
        for title, view in ((_("Today"), self.deadlines_view), (_("Overview"), self.overview),
                            (_("Clients"), self.clients_view),
                            (_("Referrals"), self.referrals_view), (_("Residence checks"), self.residence_view),
                            (_("Offers"), self.directory_view), (_("Settings"), self.settings_view)):
            self.nav.addItem(title)
            self.stack.addWidget(view)
        self.stack.addWidget(self.case_view)  # opened from the list; the nav stays on "Clients"
        self.nav.currentRowChanged.connect(self._page_chosen)
        self.nav.setCurrentRow(0)
        self.clients_view.open_client.connect(self.open_client)
        self.clients_view.open_interview.connect(self.open_client)
        self.clients_view.new_client_requested.connect(lambda: self.new_client())
        self.case_view.back.connect(self.back_to_list)
        self.referrals_view.open_case.connect(self.open_client)
        self.residence_view.open_case.connect(self.open_client)
        self.deadlines_view.open_place.connect(lambda code, place: self.open_client(code, place=place))
        self.deadlines_view.open_offers.connect(lambda: self.nav.setCurrentRow(self._pages.index(self.directory_view)))
        self.deadlines_view.counts_changed.connect(self._show_deadline_counts)
        self.deadlines_view.loaded.connect(self._deadlines_to_list)
        self.deadlines_view.deadlines_changed.connect(self._deadlines_to_list)
        self.case_view.changed.connect(self._file_changed)
        self.case_view.changed.connect(self._mark_residence_stale)
        self.case_view.changed.connect(self.referrals_view.reload)
        self.case_view.document_limit_mb = settings.max_document_mb
        self.case_view.retention_years = settings.retention_years
        self.case_view.new_interview_requested.connect(self.new_interview)
        self.case_view.changed.connect(self.clients_view.reload)
        self.case_view.set_interviews_enabled(True)
        self.settings_view.rules_view.rules_changed.connect(self.clients_view.reload)
        self.settings_view.rules_view.rules_changed.connect(self._mark_residence_stale)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        menu = self.menuBar().addMenu(_("&Vault"))
        self.lock_action = QAction(_("Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock_requested)
        menu.addAction(self.lock_action)
        self.quit_action = QAction(_("Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        menu.addAction(self.quit_action)
        clients_menu = self.menuBar().addMenu(_("&Clients"))
        self.new_client_action = QAction(_("New client …"), self)
        self.new_client_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_client_action.triggered.connect(lambda _checked=False: self.new_client())
        clients_menu.addAction(self.new_client_action)
        self.search_action = QAction(_("Search clients"), self)
        self.search_action.setShortcut(QKeySequence("Ctrl+F"))
        self.search_action.triggered.connect(self.focus_search)
        clients_menu.addAction(self.search_action)
        self.batch_print_action = QAction(_("Print the case sheets of all running cases …"), self)
        self.batch_print_action.triggered.connect(lambda _checked=False: self.batch_print())
        clients_menu.addAction(self.batch_print_action)
        self.batch_print_dialog: Any = None
        self.addAction(self.new_client_action)
        self.addAction(self.search_action)

        # Diskret-Modus: a toolbar toggle and Ctrl+D; every name but the open client's is masked.
        self.privacy_action = QAction(_("Privacy mode"), self)
        self.privacy_action.setCheckable(True)
        self.privacy_action.setShortcut(QKeySequence("Ctrl+D"))
        self.privacy_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.privacy_action.setToolTip(_("Privacy mode (Ctrl+D): hide every other client's name, e.g. when "
                                         "the screen is turned towards the client"))
        self.privacy_action.toggled.connect(privacy.set_enabled)
        self.privacy_action.setChecked(privacy.enabled)
        toolbar = self.addToolBar(_("Consultation"))
        toolbar.setObjectName("consultation_toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.privacy_action)
        clients_menu.addAction(self.privacy_action)
        self.addAction(self.privacy_action)

        self.addAction(self.lock_action)
        self.settings_view.backup_done.connect(self.refresh_summary)
        # Size and position are kept apart from saveGeometry(), which clamps to the current
        # screen: the window opens at 1024×700 or larger, as it was left.
        size = qsettings.value("main_window/size")
        pos = qsettings.value("main_window/pos")
        width, height = (size.width(), size.height()) if size is not None else (1100, 720)
        self.resize(max(width, 1024), max(height, 700))
        if pos is not None and QGuiApplication.screenAt(pos) is not None:
            self.move(pos)  # only onto a screen that is still there (a laptop leaves its dock)

    def refresh(self) -> None:
        """After unlock: the summary, the client list and every deadline."""
        if self._vault is None:  # locked meanwhile
            return
        self.refresh_summary()
        self.clients_view.reload()
        self.deadlines_view.reload()

    def refresh_summary(self) -> None:
        """The facts of the Übersicht (after a backup: nothing else changed)."""
        from gk_desktop.services import session

        vault = self._vault
        if vault is None:
            return
        Op(self, lambda _ctx: session.summary(vault)).on_success(self._show_summary).run()

    def _page_chosen(self, row: int) -> None:
        if row < 0:
            return
        page = self._pages[row]
        self.stack.setCurrentWidget(page)
        if page in (self.referrals_view, self.directory_view) and self._vault is not None:
            page.reload()  # what other pages changed meanwhile
        if page is self.residence_view and self._vault is not None and self._residence_stale:
            self._residence_stale = False  # every file is checked: only after a change, not on every visit
            page.reload()

    def _file_changed(self, *_args: Any) -> None:
        """A client's file changed in the case view: that client's deadlines again (fast)."""
        if self.case_view.case_code and self._vault is not None:
            self.deadlines_view.refresh_client(self.case_view.case_code)

    def _deadlines_to_list(self) -> None:
        from gk_desktop.domain.clock import today

        self.clients_view.set_deadlines(self.deadlines_view.deadlines(), today())

    def _show_deadline_counts(self, now: int, week: int) -> None:
        """The start page's entry in the navigation carries what is due now (overdue and today)."""
        item = self.nav.item(self._pages.index(self.deadlines_view))
        if item is None:
            return
        item.setText(_("Today ({n})").format(n=now) if now else _("Today"))
        item.setToolTip(ngettext("{n} deadline overdue or due today, {w} more this week",
                                 "{n} deadlines overdue or due today, {w} more this week", now).format(n=now, w=week))

    def set_deadline_settings(self, settings: Settings) -> None:
        """The periods or lead times changed: the start page works everything out anew."""
        from gk_desktop.services.deadlines import config_from

        self.deadlines_view.config = config_from(settings)
        if self._vault is not None:
            self.deadlines_view.reload()

    def _mark_residence_stale(self, *_args: Any) -> None:
        self._residence_stale = True
        if self.stack.currentWidget() is self.residence_view and self._vault is not None:
            self._residence_stale = False
            self.residence_view.reload()

    # -- clients

    def show_clients(self) -> None:
        self.nav.setCurrentRow(self._pages.index(self.clients_view))
        self.stack.setCurrentWidget(self.clients_view)

    def show_settings(self, tab: int = 0) -> None:
        self.nav.setCurrentRow(self._pages.index(self.settings_view))
        self.settings_view.tabs.setCurrentIndex(tab)

    def focus_search(self) -> None:
        self.show_clients()
        self.clients_view.focus_search()

    def open_client(self, case_code: str, interview_id: str | None = None, place: str | None = None) -> None:
        """Open a client's file (on ``place``, a tab of :data:`CaseView.PLACES`, if given)."""
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(self._pages.index(self.clients_view))
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self.case_view)
        self.case_view.open(case_code, interview_id)
        if place:
            self.case_view.show_place(place)

    def batch_print(self) -> Any:
        """The case sheets of every client with a running case, made in the background with
        progress and cancel, then printed in one job or saved one PDF per case."""
        from gk_desktop.ui.print_preview import BatchPrintDialog

        if self._vault is None:
            return None
        codes = sorted(r.case_code for r in self.clients_view.model.rows() if r.phase and r.phase != "ABGESCHLOSSEN")
        if not codes:
            QMessageBox.information(self, _("Print case sheets"), _("No client has a running case."))
            return None
        self.batch_print_dialog = BatchPrintDialog(self._vault, codes, self)
        self.batch_print_dialog.show()
        return self.batch_print_dialog

    def back_to_list(self) -> None:
        privacy.set_open_client(None)
        self.show_clients()
        if self.case_view.case_code:
            self.clients_view.select_case_code(self.case_view.case_code)
        self.clients_view.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_client(self, draft: Any = None) -> None:
        """Neue:r Klient:in: the first-contact form, with the vault's rules loaded off the GUI thread
        (``draft``: a form kept from before a lock or a crash)."""
        from gk_desktop.services import clients

        vault = self._vault
        if vault is None:
            return
        self.show_clients()
        Op(self, lambda _ctx: clients.load_rules(vault)).on_success(
            lambda rules: self._open_first_contact(rules, draft)).run()

    def _open_first_contact(self, rules: Any, draft: Any = None) -> None:
        from gk_desktop.ui.first_contact import FirstContactDialog

        if self._vault is None:
            return
        dialog = FirstContactDialog(self._vault, rules, self, draft=draft)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.client_added.connect(self._client_added)
        dialog.open_existing.connect(self.open_client)
        self.first_contact_dialog = dialog
        dialog.open()

    def new_interview(self, case_code: str, client_id: str, draft: Any = None) -> None:
        """Neues Gespräch in the open case (autosaved as a draft while typed)."""
        from gk_desktop.ui.interview_editor import InterviewEditor

        if self._vault is None:
            return
        editor = InterviewEditor(self._vault, case_code, client_id, self, draft=draft)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._interview_saved)
        self.interview_editor = editor
        editor.open()

    def _interview_saved(self, _contact_id: str) -> None:
        self.case_view.reload()
        self.clients_view.reload()

    def offer_drafts(self) -> None:
        """After an unlock: interviews left as drafts (a crash, a lock, "Entwurf behalten") are
        offered again, one after the other."""
        from gk_desktop.services import drafts

        vault = self._vault
        if vault is None:
            return
        Op(self, lambda _ctx: [d for d in drafts.list_drafts(vault) if d.kind in ("contact", "first_contact")]) \
            .on_success(self._drafts_found).run()

    def _drafts_found(self, found: list[Any]) -> None:
        if not found or self._vault is None:
            return
        draft = found[0]
        payload = draft.payload
        code = payload.get("case_code")
        when = draft.updated_at.astimezone()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Unsaved entries"))
        if draft.kind == "first_contact":
            box.setText(_("A new client's first contact is still a draft (last saved {date}, {time}).").format(
                date=format_date(when.date()), time=f"{when:%H:%M}"))
        else:
            box.setText(ngettext("{n} interview is still a draft (last saved {date}, {time}).",
                                 "{n} interviews are still drafts (the newest last saved {date}, {time}).",
                                 len(found)).format(n=len(found), date=format_date(when.date()), time=f"{when:%H:%M}"))
        box.setInformativeText(_("Continue it now? It stays in the vault until you save or discard it."))
        resume = box.addButton(_("&Continue the draft"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("&Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(resume)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: Any) -> None:
            if button is not resume or self._vault is None:
                return
            if draft.kind == "first_contact":
                self.new_client(draft=draft)
            elif code:
                self.open_client(code)
                self.new_interview(code, draft.client_id or "", draft=draft)

        box.buttonClicked.connect(answered)
        self.drafts_question = box
        box.open()

    def _client_added(self, _client_id: str, case_code: str) -> None:
        self.clients_view.reload()
        self.open_client(case_code)

    def _show_summary(self, summary: Any) -> None:
        self.overview.show_summary(summary, self._settings.backup_warning_days)
        self.settings_view.show_summary(summary, self._settings.backup_warning_days)

    def set_settings(self, settings: Settings) -> None:
        self._settings = settings

    def save_geometry(self) -> None:
        self._qsettings.setValue("main_window/maximized", self.isMaximized())
        if not self.isMaximized():
            self._qsettings.setValue("main_window/size", self.size())
            self._qsettings.setValue("main_window/pos", self.pos())
        self._qsettings.sync()

    def clear(self) -> None:
        """Forget every piece of case data the window shows (before it is destroyed on lock)."""
        self.overview.clear()
        if self.batch_print_dialog is not None and shiboken6.isValid(self.batch_print_dialog):
            self.batch_print_dialog.clear()
            self.batch_print_dialog.close()
        self.batch_print_dialog = None
        for name in ("first_contact_dialog", "interview_editor"):
            dialog = getattr(self, name, None)
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.close_for_lock()
            setattr(self, name, None)
        self.clients_view.clear()
        self.case_view.clear()
        self.referrals_view.clear()
        self.residence_view.clear()
        self.deadlines_view.clear()
        self._show_deadline_counts(0, 0)
        self.directory_view.clear()
        self.settings_view.rules_view.clear()
        self._vault = None
        self.settings_view._vault = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.save_geometry()
        super().closeEvent(event)
