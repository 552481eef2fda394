"""Neue:r Klient:in: the first-contact dialog (DOMAIN.md §6 item 1, "under two minutes").

The worker types name, birth date, residence status, access route and the request; the target
group, the age and the hints of :func:`~gk_desktop.services.clients.preview_target_group` update
with every keystroke (pure, on the GUI thread). Saving first checks the fields here, then runs the
duplicate check and, if it finds candidates, shows them so the worker can open the existing
record instead; only :func:`~gk_desktop.services.clients.add_client` writes, on the database lane
of :mod:`gk_desktop.ui.ops`.

Keyboard: the tab order follows the form, every label has an Alt mnemonic, Enter moves to the next
field until the required fields are filled (then it saves), Ctrl+Enter saves, and Enter on a
candidate opens it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import AccessRoute, ExclusionOutcome, Gender, ResidenceStatus, TargetGroup
from gk_desktop.errors import GkError
from gk_desktop.i18n import N_, _, language
from gk_desktop.services import clients
from gk_desktop import labels
from gk_desktop.ui.privacy import display_name
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.widgets import format_date

# The full names the result panel shows (the client list uses the short forms of labels.py).
TARGET_GROUP_TITLES = {
    TargetGroup.PRIMAER_DULDUNG.value: N_("Primary target group (Duldung)"),
    TargetGroup.SEKUNDAER_GESTATTUNG.value: N_("Secondary target group (Gestattung)"),
    TargetGroup.SONSTIGE.value: N_("Other (counselled, counted apart)"),
    TargetGroup.NICHT_ZIELGRUPPE.value: N_("Not in the target group"),
}
# Text and background of the target-group line; the words carry the meaning, colour only helps.
TARGET_GROUP_COLOURS = {
    TargetGroup.PRIMAER_DULDUNG.value: ("#1b5e20", "#e8f5e9"),
    TargetGroup.SEKUNDAER_GESTATTUNG.value: ("#0d47a1", "#e3f2fd"),
    TargetGroup.SONSTIGE.value: ("#37474f", "#eceff1"),
    TargetGroup.NICHT_ZIELGRUPPE.value: ("#8a4b00", "#fff3e0"),
}
ERROR_STYLE = "color: #a40000;"
QUIET_STYLE = "color: #555;"
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100  # as services/records.py accepts
# Residence statuses in the combo: the default first, then DOMAIN.md §4's order.
STATUS_ORDER = [ResidenceStatus.UNBEKANNT] + [s for s in ResidenceStatus if s is not ResidenceStatus.UNBEKANNT]
GENDER_ORDER = [Gender.KEINE_ANGABE, Gender.WEIBLICH, Gender.MAENNLICH, Gender.DIVERS]

_DOTTED = re.compile(r"(\d{1,2})[./ -](\d{1,2})[./ -](\d{4})")
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")


# --------------------------------------------------------------------------- dates


def parse_date_text(text: str, *, year_only: bool = False) -> tuple[dt.date | None, str | None]:
    """A date typed by the worker → (date, None), (None, message), or (None, None) when empty.

    Accepts 14.07.2002, 14.7.2002, 14/07/2002, 14072002 and ISO 2002-07-14; with ``year_only``
    (a fictitious birth date) a bare year stands for 1 January of that year.
    """
    s = text.strip()
    if not s:
        return None, None
    if year_only and _YEAR.fullmatch(s):
        day, month, year = 1, 1, int(s)
    elif m := _DOTTED.fullmatch(s) or _DIGITS.fullmatch(s):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _ISO.fullmatch(s):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        return None, _("Not a valid date. Please enter it as DD.MM.YYYY.")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None, _("The year must lie between {first} and {last}.").format(first=EARLIEST_YEAR, last=LATEST_YEAR)
    try:
        return dt.date(year, month, day), None
    except ValueError:
        shown = f"{day:02d}.{month:02d}.{year:04d}" if language() == "de" else f"{year:04d}-{month:02d}-{day:02d}"
        return None, _("The {date} does not exist in the calendar. Please check the date.").format(date=shown)


def _looks_complete(text: str) -> bool:
    """Whether the worker has typed a whole date (only then is a wrong one reported while typing)."""
    s = text.strip()
    return bool(_DOTTED.fullmatch(s) or _DIGITS.fullmatch(s) or _ISO.fullmatch(s))


def reason_text(reason: str) -> str:
    """A duplicate-check reason in words ("gleiches Geburtsdatum, ähnlicher Name")."""
    return labels.label(labels.DUPLICATE_REASON, reason)


def _plain(label: QLabel) -> str:
    """A label's text without its mnemonic marker."""
    return label.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


class DateField(QLineEdit):
    """A date typed fast as digits, with its own message line; reformatted when left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9./ -]{0,10}"), self))
        self.setPlaceholderText(_("DD.MM.YYYY") if language() == "de" else "YYYY-MM-DD")
        self.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhNoPredictiveText)
        self.setMaxLength(10)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00.00.00000") + 24)
        self.year_only = False
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.textChanged.connect(self._typed)
        self.editingFinished.connect(self.tidy)

    def value(self) -> tuple[dt.date | None, str | None]:
        return parse_date_text(self.text(), year_only=self.year_only)

    def _typed(self) -> None:
        _day, problem = self.value()
        if problem and _looks_complete(self.text()):
            self.show_error(problem)
        else:
            self.show_error(None)

    def tidy(self) -> None:
        """Show the problem, or write the date in the one display form (dd.MM.yyyy)."""
        day, problem = self.value()
        if problem:
            self.show_error(problem)
        elif day is not None and self.text() != format_date(day):
            self.setText(format_date(day))

    def show_error(self, problem: str | None) -> None:
        self.error.setText(problem or "")
        self.error.setVisible(bool(problem))


# --------------------------------------------------------------------------- result panel


class ResultPanel(QGroupBox):
    """Target group, age, the day the person leaves the target group, programme and hints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Target group (preliminary assessment)"), parent)
        self.group = QLabel()
        self.group.setWordWrap(True)
        font = self.group.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.group.setFont(font)
        self.group.setAccessibleName(_("Target group"))
        self.age = QLabel()
        self.age.setWordWrap(True)
        self.programme = QLabel()
        self.programme.setWordWrap(True)
        self.programme.setStyleSheet(QUIET_STYLE)
        hints_heading = QLabel(_("Hints"))
        f = hints_heading.font()
        f.setBold(True)
        hints_heading.setFont(f)
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.hints.setTextFormat(Qt.TextFormat.PlainText)
        self.hints.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        note = QLabel(_("An assessment from the entries so far, to prepare the counselling; not a decision "
                        "about participation or a residence right."))
        note.setWordWrap(True)
        nf = note.font()
        nf.setPointSizeF(nf.pointSizeF() * 0.9)
        note.setFont(nf)
        note.setStyleSheet(QUIET_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.group)
        layout.addWidget(self.age)
        layout.addWidget(self.programme)
        layout.addSpacing(6)
        layout.addWidget(hints_heading)
        layout.addWidget(self.hints)
        layout.addStretch(1)
        layout.addWidget(note)
        for w in (self.group, self.age, self.programme, self.hints):
            w.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def show_preview(self, preview: clients.TargetGroupPreview | None, *, note: str = "") -> None:
        if preview is None or preview.target_group is None:
            self.group.clear()
            self.group.hide()
            self.age.setText(note or _("Enter the birth date to see the target group."))
            self.programme.setText(_("Programme: {name}").format(name=preview.programme_name) if preview else "")
            hints = list(preview.hints) if preview else []
        else:
            fg, bg = TARGET_GROUP_COLOURS.get(preview.target_group, ("", ""))
            self.group.setText(labels.label(TARGET_GROUP_TITLES, preview.target_group))
            self.group.show()
            self.group.setStyleSheet(f"color: {fg}; background: {bg}; padding: 4px; border-radius: 3px;")
            parts = [_("Age: {age}").format(age=preview.age)]
            leaves = preview.leaves_target_group_on
            if leaves is not None:
                if leaves > today():
                    parts.append(_("leaves the target group on {date}").format(date=format_date(leaves)))
                else:
                    parts.append(_("outside the age band since {date}").format(date=format_date(leaves)))
            self.age.setText("\n".join(parts))
            self.programme.setText(_("Programme: {name}").format(name=preview.programme_name))
            hints = list(preview.hints)
        self.hints.setText("\n".join(f"• {h}" for h in hints) if hints else _("No hints."))


# --------------------------------------------------------------------------- candidates


class CandidatePanel(QFrame):
    """Clients already in the vault that may be the same person, with the two ways on.

    Signals:
        open_requested: the worker chose the selected candidate (button, Enter, double click).
    """

    open_requested = Signal()

    COL_CODE, COL_NAME, COL_BIRTH, COL_REASON = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("CandidatePanel { background: #fff8e1; border: 1px solid #e0b000; border-radius: 3px; }")
        heading = QLabel(_("Possibly already recorded"))
        f = heading.font()
        f.setBold(True)
        heading.setFont(f)
        self.intro = QLabel(_("These clients may be the same person. Please check, then open the existing "
                              "record or save the new one all the same."))
        self.intro.setWordWrap(True)
        self.list_label = QLabel(_("&Matches"))
        self.list = QTreeWidget()
        self.list.setColumnCount(4)
        self.list.setHeaderLabels([_("Case code"), _("Name"), _("Birth date"), _("Reason")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setTabKeyNavigation(False)
        self.list.header().setStretchLastSection(True)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.setAccessibleName(_("Possibly already recorded"))
        self.list_label.setBuddy(self.list)
        self.open_button = QPushButton(_("&Open existing client"))
        self.save_anyway_button = QPushButton(_("Save &anyway"))
        self.open_button.setObjectName("open_existing")
        self.save_anyway_button.setObjectName("save_anyway")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_anyway_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.list_label)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.list.installEventFilter(self)
        self.list.doubleClicked.connect(lambda _index: self.open_requested.emit())
        self.open_button.clicked.connect(self.open_requested)
        self.list.currentItemChanged.connect(lambda *_a: self.open_button.setEnabled(self.selected() is not None))

    def set_candidates(self, hits: list[clients.DuplicateHit]) -> None:
        self.list.clear()
        for hit in hits:
            item = QTreeWidgetItem([hit.case_code, display_name(hit.client_id, hit.first_name, hit.last_name),
                                    format_date(hit.birth_date), reason_text(hit.reason)])
            item.setData(self.COL_CODE, Qt.ItemDataRole.UserRole, hit.case_code)
            self.list.addTopLevelItem(item)
        if hits:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        rows = max(1, min(len(hits), 4))
        row_height = self.list.sizeHintForRow(0) if hits else self.list.fontMetrics().height() + 6
        self.list.setFixedHeight(self.list.header().sizeHint().height() + rows * row_height
                                 + 2 * self.list.frameWidth() + 2)
        self.open_button.setEnabled(bool(hits))

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return item.data(self.COL_CODE, Qt.ItemDataRole.UserRole) if item is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Enter on a candidate opens it. Handled here, before the view emits activated() and passes
        # the key on to the dialog (which would take it for "save").
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                    event.modifiers() & Qt.KeyboardModifier.ControlModifier):
                if self.selected() is not None:
                    self.open_requested.emit()
                return True
        return super().eventFilter(watched, event)


# --------------------------------------------------------------------------- the dialog


class FirstContactDialog(QDialog):
    """Neue:r Klient:in: first contact with live target-group result and the duplicate check.

    Args:
        vault: the unlocked vault (only handed to the services, on the database lane).
        rules: the vault's :class:`~gk_desktop.services.rules.VaultRules`, loaded off the GUI thread.

    Signals:
        client_added(str, str): client id and case code, after the client was saved.
        open_existing(str): case code of an existing client the worker chose to open instead.

    Attributes:
        preview: the current :class:`~gk_desktop.services.clients.TargetGroupPreview` (None while
            no rules are known).
    """

    client_added = Signal(str, str)
    open_existing = Signal(str)

    DRAFT_KIND = "first_contact"
    AUTOSAVE_MS = 5000

    def __init__(self, vault: Any, rules: Any, parent: QWidget | None = None, *, draft: Any = None) -> None:
        from PySide6.QtCore import QTimer

        from gk_desktop.services import drafts

        super().__init__(parent)
        self._vault = vault
        self._rules = rules
        self._busy = False
        self._done = False
        self.preview: clients.TargetGroupPreview | None = None
        self.setWindowTitle(_("New client"))
        self._build_ui()
        self._connect_signals()
        # The form is kept as a draft in the vault while it is typed (every few seconds and when
        # the app locks), and offered again after the next unlock.
        self.draft_id = draft.id if draft is not None else drafts.new_draft_id()
        self._last_saved: dict[str, Any] | None = None
        if draft is not None:
            self.set_state(draft.payload)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(self.AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save_draft)
        self.autosave_timer.start()
        self._update_preview()
        self.first_name.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the draft

    _TEXT_FIELDS = ("first_name", "last_name", "birth_date", "valid_until")
    _COMBOS = ("gender", "residence_status", "access_route", "exclusion")

    def state(self) -> dict[str, Any]:
        """Everything typed or chosen, as plain data (the draft's payload)."""
        out: dict[str, Any] = {k: getattr(self, k).text() for k in self._TEXT_FIELDS}
        out.update({k: getattr(self, k).currentData() for k in self._COMBOS})
        out["request"] = self.request.toPlainText()
        out["fictitious"] = self.fictitious.isChecked()
        return out

    def set_state(self, payload: dict[str, Any]) -> None:
        for key in self._TEXT_FIELDS:
            getattr(self, key).setText(str(payload.get(key) or ""))
        for key in self._COMBOS:
            combo = getattr(self, key)
            index = combo.findData(payload.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        self.request.setPlainText(str(payload.get("request") or ""))
        self.fictitious.setChecked(bool(payload.get("fictitious")))

    def save_draft(self) -> None:
        """Queue a save of the form as a draft (on the database lane) when it changed."""
        from gk_desktop.services import drafts

        vault = self._vault
        if vault is None or self._done or not self.is_dirty():
            return
        payload = self.state()
        if payload == self._last_saved:
            return
        self._last_saved = payload
        draft_id = self.draft_id
        Op(self, lambda _ctx: drafts.save_draft(vault, self.DRAFT_KIND, payload, draft_id=draft_id)).run()

    def _forget_draft(self) -> None:
        from gk_desktop.services import drafts

        vault, draft_id = self._vault, self.draft_id
        if vault is not None:
            Op(None, lambda _ctx: drafts.delete_draft(vault, draft_id)).run()

    # -- layout

    def _build_ui(self) -> None:
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        for field in (self.first_name, self.last_name):
            field.setPlaceholderText(_("required field"))
            field.setMaxLength(200)
        self.birth_date = DateField()
        self.fictitious = QCheckBox(_("Birth date fi&ctitious"))
        self.fictitious.setToolTip(_("Only the year known? Tick this and enter 01.01. and the year "
                                     "(the year alone is enough)."))
        self.gender = QComboBox()
        for g in GENDER_ORDER:
            self.gender.addItem(labels.label(labels.GENDER, g.value), g.value)
        self.residence_status = QComboBox()
        for s in STATUS_ORDER:
            self.residence_status.addItem(labels.label(labels.RESIDENCE_STATUS, s.value), s.value)
        self.residence_status.setMaxVisibleItems(len(STATUS_ORDER))
        self.valid_until = DateField()
        self.valid_until.setToolTip(_("Optional: the date on the document."))
        self.access_route = QComboBox()
        self.access_route.addItem(_("not stated"), None)
        for r in AccessRoute:
            self.access_route.addItem(labels.label(labels.ACCESS_ROUTE, r.value), r.value)
        self.access_route.setMaxVisibleItems(len(AccessRoute) + 1)
        self.request = QPlainTextEdit()
        self.request.setTabChangesFocus(True)
        self.request.setPlaceholderText(_("What the client asks for, in their own words"))
        self.request.setFixedHeight(self.request.fontMetrics().lineSpacing() * 4 + 12)
        self.exclusion = QComboBox()
        self.exclusion.addItem(_("not yet checked"), None)
        for e in ExclusionOutcome:
            self.exclusion.addItem(labels.label(labels.EXCLUSION, e.value), e.value)
        self.exclusion.setToolTip(_("Record the outcome only, never the reasons behind it."))

        self.first_name_label = QLabel(_("&First name"))
        self.last_name_label = QLabel(_("&Last name"))
        self.birth_date_label = QLabel(_("&Birth date"))
        self.gender_label = QLabel(_("&Gender"))
        self.status_label = QLabel(_("&Residence status"))
        self.valid_until_label = QLabel(_("&Valid until"))
        self.access_route_label = QLabel(_("Access rou&te"))
        self.request_label = QLabel(_("Re&quest"))
        self.exclusion_label = QLabel(_("E&xclusion check"))
        pairs = [(self.first_name_label, self.first_name), (self.last_name_label, self.last_name),
                 (self.birth_date_label, self.birth_date), (self.gender_label, self.gender),
                 (self.status_label, self.residence_status), (self.valid_until_label, self.valid_until),
                 (self.access_route_label, self.access_route), (self.request_label, self.request),
                 (self.exclusion_label, self.exclusion)]
        for label, field in pairs:
            label.setBuddy(field)
            field.setAccessibleName(_plain(label))
        self._labels = {  # JSON keys of the service's messages → the field's label
            "first_name": self.first_name_label, "last_name": self.last_name_label,
            "birth_date": self.birth_date_label, "birth_date_fictitious": self.birth_date_label,
            "gender": self.gender_label, "residence_status.valid_until": self.valid_until_label,
            "residence_status": self.status_label, "case.access_route": self.access_route_label,
            "case.request": self.request_label, "exclusion_outcome": self.exclusion_label,
        }
        self._fields = {"first_name": self.first_name, "last_name": self.last_name,
                        "birth_date": self.birth_date, "birth_date_fictitious": self.birth_date,
                        "gender": self.gender, "residence_status.valid_until": self.valid_until,
                        "residence_status": self.residence_status, "case.access_route": self.access_route,
                        "case.request": self.request, "exclusion_outcome": self.exclusion}

        birth_line = QHBoxLayout()
        birth_line.addWidget(self.birth_date)
        birth_line.addSpacing(12)
        birth_line.addWidget(self.fictitious)
        birth_line.addStretch(1)
        birth_row = QVBoxLayout()
        birth_row.setSpacing(2)
        birth_row.addLayout(birth_line)
        birth_row.addWidget(self.birth_date.error)
        until_line = QHBoxLayout()
        until_line.addWidget(self.valid_until)
        until_line.addStretch(1)
        until_row = QVBoxLayout()
        until_row.setSpacing(2)
        until_row.addLayout(until_line)
        until_row.addWidget(self.valid_until.error)
        exclusion_row = QVBoxLayout()
        exclusion_row.setSpacing(2)
        exclusion_row.addWidget(self.exclusion)
        exclusion_note = QLabel(_("Outcome only, never the reasons."))
        exclusion_note.setStyleSheet(QUIET_STYLE)
        exclusion_row.addWidget(exclusion_note)

        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.first_name_label, self.first_name)
        form.addRow(self.last_name_label, self.last_name)
        form.addRow(self.birth_date_label, birth_row)
        form.addRow(self.gender_label, self.gender)
        form.addRow(self.status_label, self.residence_status)
        form.addRow(self.valid_until_label, until_row)
        form.addRow(self.access_route_label, self.access_route)
        form.addRow(self.request_label, self.request)
        form.addRow(self.exclusion_label, exclusion_row)
        self.first_name.setMinimumWidth(300)
        self.form.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.result_panel = ResultPanel()
        self.result_panel.setMinimumWidth(320)
        self.candidates = CandidatePanel()
        self.candidates.hide()

        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()

        self.save_button = QPushButton(_("&Save"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(_("Save (Ctrl+Enter)"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancel")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        form_column = QVBoxLayout()
        form_column.addWidget(self.form)
        form_column.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(form_column, 3)
        top.addSpacing(12)
        top.addWidget(self.result_panel, 2)
        layout = QVBoxLayout(self)
        # Never smaller than the content: the candidates must not squeeze the form.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addLayout(top)
        layout.addWidget(self.candidates)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        chain: list[QWidget] = [self.first_name, self.last_name, self.birth_date, self.fictitious, self.gender,
                                self.residence_status, self.valid_until, self.access_route, self.request,
                                self.exclusion, self.candidates.list, self.candidates.open_button,
                                self.candidates.save_anyway_button, self.save_button, self.cancel_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    def _connect_signals(self) -> None:
        for line in (self.first_name, self.last_name, self.birth_date, self.valid_until):
            line.textChanged.connect(self._changed)
        self.request.textChanged.connect(self._changed)
        for combo in (self.gender, self.residence_status, self.access_route, self.exclusion):
            combo.currentIndexChanged.connect(self._changed)
        self.fictitious.toggled.connect(self._fictitious_toggled)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.candidates.open_requested.connect(self._open_selected)
        self.candidates.save_anyway_button.clicked.connect(self.save_anyway)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._save_shortcut)

    # -- live result

    def set_rules(self, rules: Any) -> None:
        """The vault's rules changed (or arrived): recompute the result."""
        self._rules = rules
        self._update_preview()

    def _fictitious_toggled(self, checked: bool) -> None:
        self.birth_date.year_only = checked
        self.birth_date._typed()
        self._changed()

    def _changed(self, *_args: Any) -> None:
        # Candidates belong to what was typed when the check ran; a change makes them stale.
        if not self.candidates.isHidden():
            self._hide_candidates()
        if not self._busy:
            self._show_message(None)
        self._update_preview()

    def _update_preview(self) -> None:
        birth, problem = self.birth_date.value()
        if self._rules is None:
            self.preview = None
            self.result_panel.show_preview(None, note=_("Loading the rules …"))
            return
        self.preview = clients.preview_target_group(
            self._rules, birth, self.residence_status.currentData(), self.exclusion.currentData(),
            fictitious=self.fictitious.isChecked())
        wrong = (problem and _looks_complete(self.birth_date.text())) or (birth is not None and birth > today())
        note = _("Please check the birth date.") if wrong else ""
        self.result_panel.show_preview(self.preview, note=note)

    # -- saving

    def required_filled(self) -> bool:
        """First name, last name and a valid birth date are there."""
        birth, _problem = self.birth_date.value()
        return bool(self.first_name.text().strip() and self.last_name.text().strip() and birth is not None)

    def _check(self) -> tuple[dict[str, Any] | None, list[tuple[QWidget, str]]]:
        """The client JSON of CLI.md from the form, or the problems (field, message)."""
        problems: list[tuple[QWidget, str]] = []
        if not self.first_name.text().strip():
            problems.append((self.first_name, _("Please enter the first name.")))
        if not self.last_name.text().strip():
            problems.append((self.last_name, _("Please enter the last name.")))
        self.birth_date.tidy()
        birth, birth_problem = self.birth_date.value()
        if birth_problem:
            problems.append((self.birth_date, _("Birth date: {problem}").format(problem=birth_problem)))
        elif birth is None:
            problems.append((self.birth_date, _("Please enter the birth date (DD.MM.YYYY).")))
        elif birth > today():
            problems.append((self.birth_date, _("The birth date lies in the future. Please check it.")))
            self.birth_date.show_error(_("The birth date lies in the future. Please check it."))
        self.valid_until.tidy()
        until, until_problem = self.valid_until.value()
        if until_problem:
            problems.append((self.valid_until, _("Valid until: {problem}").format(problem=until_problem)))
        if problems or birth is None:
            return None, problems
        status = self.residence_status.currentData()
        if status == ResidenceStatus.UNBEKANNT.value and until is None:
            # Nothing known yet: no residence period is recorded, so the first real status later
            # starts the history instead of closing an "unknown" period.
            status = None
        data: dict[str, Any] = {
            "first_name": " ".join(self.first_name.text().split()),
            "last_name": " ".join(self.last_name.text().split()),
            "birth_date": birth.isoformat(),
            "birth_date_fictitious": self.fictitious.isChecked(),
            "gender": self.gender.currentData(),
            "residence_status": status,
            "residence_valid_until": until.isoformat() if until else None,
            "exclusion_outcome": self.exclusion.currentData(),
            "case": {"request": self.request.toPlainText().strip()},
        }
        if data["exclusion_outcome"] is not None:
            data["exclusion_checked_on"] = today().isoformat()
        if self.access_route.currentData() is not None:
            data["case"]["access_route"] = self.access_route.currentData()
        return data, []

    def form_data(self) -> dict[str, Any] | None:
        """The client JSON the dialog would save, or None while a field is wrong."""
        return self._check()[0]

    def save(self) -> None:
        """Speichern: check here, then look for duplicates, then add (or show the candidates)."""
        if self._busy or self._done or not self.candidates.isHidden():
            return
        data, problems = self._check()
        if data is None:
            self._show_message("\n".join(message for _field, message in problems))
            if problems:
                problems[0][0].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._show_message(None)
        self._set_busy(True)
        vault = self._vault
        Op(self, lambda _ctx: clients.check_duplicates(vault, data)) \
            .on_success(lambda hits: self._checked(hits, data)).on_failure(self._failed).run()

    def save_anyway(self) -> None:
        """Trotzdem speichern: add the client although candidates were shown."""
        if self._busy or self._done:
            return
        data, problems = self._check()
        if data is None:
            self._hide_candidates()
            self._show_message("\n".join(message for _field, message in problems))
            return
        self._add(data)

    def _save_shortcut(self) -> None:
        if not self.candidates.isHidden():
            # The worker decides between the candidates and the new record with a button, never
            # by a repeated shortcut.
            self.candidates.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        self.save()

    def _checked(self, hits: list[clients.DuplicateHit], data: dict[str, Any]) -> None:
        self._set_busy(False)
        if not hits:
            self._add(data)
            return
        self.candidates.set_candidates(hits)
        self.candidates.show()
        self.save_button.hide()
        self.adjustSize()
        self.candidates.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add(self, data: dict[str, Any]) -> None:
        self._set_busy(True)
        vault = self._vault
        Op(self, lambda _ctx: clients.add_client(vault, data, source="gui")) \
            .on_success(self._added).on_failure(self._failed).run()

    def _added(self, result: clients.AddResult) -> None:
        self._set_busy(False)
        self._done = True
        self.autosave_timer.stop()
        self._forget_draft()
        self.client_added.emit(result.id, result.case_code)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, GkError):
            text, field = self._humanise(exc.message)
        else:
            text, field = error_text(exc), None
        self._show_message(text)
        if field is not None:
            self._hide_candidates()
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _humanise(self, message: str) -> tuple[str, QWidget | None]:
        """The service names fields by their JSON keys; show the labels instead."""
        first: QWidget | None = None
        lines = []
        for line in message.splitlines():
            m = re.match(r"^(\s*- )([\w.\[\]]+): (.*)$", line)
            if m:
                path = m.group(2)
                key = next((k for k in self._labels if path == k or path.startswith(k + ".")), None)
                if key is not None:
                    line = f"{m.group(1)}{_plain(self._labels[key])}: {m.group(3)}"
                    first = first or self._fields[key]
            lines.append(line)
        return "\n".join(lines), first

    def _open_selected(self) -> None:
        code = self.candidates.selected()
        if code is None or self._busy:
            return
        self._done = True
        self.open_existing.emit(code)
        self.accept()

    def _hide_candidates(self) -> None:
        had_focus = self.candidates.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self.candidates.hide()
        self.candidates.list.clear()
        self.save_button.show()
        self.adjustSize()
        if had_focus:
            self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        if busy and not self._busy:
            self._focus_before = self.focusWidget()
        self._busy = busy
        for w in (self.form, self.save_button, self.cancel_button, self.candidates):
            w.setEnabled(not busy)
        if not busy:
            focus = getattr(self, "_focus_before", None)
            if focus is not None and focus.isVisible() and focus.isEnabled():
                focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_message(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    # -- keyboard and closing

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods == Qt.KeyboardModifier.NoModifier:
                # Enter in a field: on to the next field until the required ones are filled, so
                # nothing is saved half-typed; then it saves. Buttons with focus take Enter themselves.
                event.accept()
                if self._busy:
                    return
                if not self.candidates.isHidden():
                    self.candidates.list.setFocus(Qt.FocusReason.OtherFocusReason)
                elif self.required_filled():
                    self.save()
                else:
                    self.focusNextChild()
                return
        super().keyPressEvent(event)

    def is_dirty(self) -> bool:
        """Whether the worker has typed or chosen anything."""
        return bool(
            self.first_name.text().strip() or self.last_name.text().strip() or self.birth_date.text().strip()
            or self.valid_until.text().strip() or self.request.toPlainText().strip()
            or self.fictitious.isChecked() or self.gender.currentIndex() != 0
            or self.residence_status.currentIndex() != 0 or self.access_route.currentIndex() != 0
            or self.exclusion.currentIndex() != 0)

    def close_for_lock(self) -> None:
        """The app locks: keep what was typed as a draft in the vault (the save is queued before
        the vault closes), close at once without asking, and forget what the fields held."""
        self.autosave_timer.stop()
        if not self._done and not self._busy:
            self.save_draft()
        self._done = True
        self._busy = False
        for field in (self.first_name, self.last_name, self.birth_date, self.valid_until):
            field.clear()
        self.request.clear()
        QDialog.reject(self)

    def reject(self) -> None:
        """Abbrechen, Esc or closing: ask before typed entries are thrown away."""
        if self._busy:
            return
        if not self._done and self.is_dirty() and not self._confirm_discard():
            return
        self.autosave_timer.stop()
        if not self._done:
            self._forget_draft()  # the worker chose to discard (or nothing was typed)
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("New client"))
        box.setText(_("Discard the entries?"))
        box.setInformativeText(_("What you have typed for this client has not been saved."))
        discard = box.addButton(_("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
        discard.setObjectName("discard")
        keep.setObjectName("keep_editing")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard
