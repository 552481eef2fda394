"""Neues Gespräch: the interview editor with autosaved drafts (DOMAIN.md §3 Contact).

What the worker types is kept as a draft in the vault (:mod:`gk_desktop.services.drafts`) a few
seconds after the typing pauses (at the latest :data:`AUTOSAVE_MAX_DELAY_MS` after the first
unsaved change, so steady typing is saved too), when the note or the agreements lose the focus and
when the dialog is deactivated. A crash or a power cut therefore loses at most the last seconds.
Every write runs on the database lane of :mod:`gk_desktop.ui.ops`; at most one draft save is in
flight, and a change meanwhile is saved right after it. The text goes nowhere but the vault: no
temporary file, no log line (the log gets event names only).

A keystroke only sets a flag and restarts a timer, so a long note (20,000 characters and more)
stays fluid: the form is read once per autosave, never per keystroke.

Speichern (Ctrl+Enter, Ctrl+S) records the interview with
:func:`~gk_desktop.services.contacts.add_contact` and deletes the draft in the same background
step; if the service rejects the input, its message is shown with the fields' labels, nothing is
lost, and the draft holds exactly what the form holds. Abbrechen/Esc asks "Entwurf behalten?".

Keyboard: the tab order follows the form, every label has an Alt mnemonic, Enter in a one-line
field moves on to the next field, Space ticks a need area, Tab leaves the note.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QElapsedTimer, QEvent, QObject, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import ContactType, InterpreterType, NeedArea
from gk_desktop.errors import GkError
from gk_desktop.i18n import N_, _, language
from gk_desktop.services import contacts, drafts
from gk_desktop.services.drafts import DraftInfo
from gk_desktop import labels
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.widgets import format_date

log = logging.getLogger(__name__)

DRAFT_KIND = "contact"
PAYLOAD_VERSION = 1
AUTOSAVE_MS = 3_000  # after the typing pauses
AUTOSAVE_MAX_DELAY_MS = 10_000  # while typing on without a pause
MAX_DURATION_MIN = 24 * 60  # as the service accepts
DEFAULT_ROUNDING_MIN = 5
ERROR_STYLE = "color: #a40000;"
QUIET_STYLE = "color: #555;"

# The words of the case view (ui/case_view.py), so one thing has one name everywhere.
CONTACT_TYPE = {
    ContactType.PERSOENLICH.value: N_("in person"),
    ContactType.AUFSUCHEND.value: N_("outreach visit"),
    ContactType.TELEFONISCH.value: N_("phone"),
    ContactType.VIDEO_MESSENGER.value: N_("video / messenger"),
    ContactType.BEGLEITUNG.value: N_("accompanying to an appointment"),
    ContactType.FALLKONFERENZ.value: N_("case conference"),
    ContactType.SCHRIFTVERKEHR.value: N_("correspondence"),
}
INTERPRETER = {
    InterpreterType.KEINE.value: N_("no interpreting"),
    InterpreterType.PROFESSIONELL.value: N_("professional interpreter"),
    InterpreterType.EHRENAMTLICH.value: N_("volunteer interpreter"),
    InterpreterType.FAMILIE.value: N_("family or friends"),
}
NEED_AREA = {
    NeedArea.SPRACHE.value: N_("language"),
    NeedArea.SCHULE_BILDUNG.value: N_("school and education"),
    NeedArea.AUSBILDUNG.value: N_("vocational training"),
    NeedArea.ARBEIT.value: N_("work"),
    NeedArea.AUFENTHALT.value: N_("residence"),
    NeedArea.IDENTITAET_PASS.value: N_("identity and passport"),
    NeedArea.WOHNEN.value: N_("housing"),
    NeedArea.GESUNDHEIT.value: N_("health"),
    NeedArea.FINANZEN_LEISTUNGEN.value: N_("money and benefits"),
    NeedArea.FAMILIE.value: N_("family"),
    NeedArea.FREIZEIT_SOZIALES.value: N_("leisure and social life"),
    NeedArea.MOBILITAET.value: N_("mobility"),
    NeedArea.BEHOERDEN_ALLTAG.value: N_("authorities and daily life"),
    NeedArea.RECHT_VERFAHREN.value: N_("law and proceedings"),
    NeedArea.SONSTIGES.value: N_("other"),
}

_PROBLEM_LINE = re.compile(r"^(\s*- )([\w.\[\]]+): (.*)$")


def _plain(label: QLabel) -> str:
    """A label's text without its mnemonic marker."""
    return label.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def default_start(now: dt.datetime | None = None) -> dt.datetime:
    """Now (on the app's "today"), rounded to the nearest five minutes; naive local time."""
    now = now or dt.datetime.now()
    minutes = now.hour * 60 + now.minute + now.second / 60
    rounded = int(minutes / DEFAULT_ROUNDING_MIN + 0.5) * DEFAULT_ROUNDING_MIN
    return dt.datetime.combine(today(), dt.time()) + dt.timedelta(minutes=rounded)


def _to_qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


def _local_iso(value: QDateTime) -> str:
    """The local time in a date-time field as ISO 8601 with its offset (what the service wants)."""
    d, t = value.date(), value.time()
    naive = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
    return naive.astimezone().isoformat()


def _from_iso(value: Any) -> dt.datetime | None:
    """ISO 8601 with offset → naive local time, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment


def _datetime_format() -> str:
    return "dd.MM.yyyy HH:mm" if language() == "de" else "yyyy-MM-dd HH:mm"


class InterviewEditor(QDialog):
    """Neues Gespräch for one client's current case, with an autosaved draft.

    Args:
        vault: the unlocked vault (only handed to the services, on the database lane).
        case_code: the client's case code (the interview goes into the current case).
        client_id: the client's id (stored with the draft, to offer it again for this client).
        draft: a saved draft to continue; autosave then updates that draft.

    Signals:
        saved(str): the id of the interview, after it was recorded (the draft is gone then).
        draft_saved(str): the draft id, each time an autosave has landed in the vault.

    Attributes:
        autosave_timer: the single-shot timer that starts an autosave (tests shorten it).
        draft_id: the id of this editor's draft (taken before the first save).
    """

    saved = Signal(str)
    draft_saved = Signal(str)

    def __init__(self, vault: Any, case_code: str, client_id: str, parent: QWidget | None = None, *,
                 draft: DraftInfo | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._case_code = case_code
        self._client_id = client_id
        self.draft_id = draft.id if draft is not None else drafts.new_draft_id()
        self._stored = draft is not None  # a draft with this id is in the vault
        self._dirty = False  # changed since the last draft snapshot
        self._in_flight = False  # a draft save is running
        self._again = False  # save again as soon as the running one ends
        self._busy = False  # the interview itself is being saved
        self._closed = False  # saved, kept, discarded or locked: no more autosaves
        self._locked = False  # closed for a lock: results that come back later are dropped
        self._dirty_since = QElapsedTimer()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.setWindowTitle(_("New interview – {case_code}").format(case_code=case_code))
        self.setSizeGripEnabled(True)
        self._build_ui()
        if draft is not None:
            self._fill(draft.payload.get("contact") or {})
            when = draft.updated_at.astimezone()
            self.status.setText(_("Continuing the draft of {date}, {time}").format(
                date=format_date(when.date()), time=when.strftime("%H:%M")))
        self._connect_signals()
        self.at.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- layout

    def _build_ui(self) -> None:
        self.at = QDateTimeEdit()
        self.at.setDisplayFormat(_datetime_format())
        self.at.setCalendarPopup(True)
        self.at.setDateTimeRange(QDateTime(QDate(1900, 1, 1), QTime(0, 0)),  # as the service accepts
                                 QDateTime(QDate(2100, 12, 31), QTime(23, 59)))
        self.at.setDateTime(_to_qdatetime(default_start()))
        self.duration = QSpinBox()
        self.duration.setRange(0, MAX_DURATION_MIN)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(" " + _("min"))
        self.duration.setSpecialValueText(_("not stated"))
        self.duration.setAccelerated(True)
        self.contact_type = QComboBox()
        for t in ContactType:
            self.contact_type.addItem(labels.label(CONTACT_TYPE, t.value), t.value)
        self.contact_type.setMaxVisibleItems(len(ContactType))
        self.place = QLineEdit()
        self.place.setPlaceholderText(_("e.g. office, Berufskolleg, home visit"))
        self.participants = QLineEdit()
        self.participants.setPlaceholderText(_("e.g. client, mentor, teacher"))
        self.interpreter = QComboBox()
        for i in InterpreterType:
            self.interpreter.addItem(labels.label(INTERPRETER, i.value), i.value)
        self.interpreter_language = QLineEdit()
        self.interpreter_language.setMaxLength(40)
        self.interpreter_language.setPlaceholderText(_("e.g. Arabic, Dari, Tigrinya"))
        self.interpreter_language.setEnabled(False)
        self.need_areas = QListWidget()
        self.need_areas.setFlow(QListView.Flow.TopToBottom)
        self.need_areas.setWrapping(True)
        self.need_areas.setResizeMode(QListView.ResizeMode.Adjust)
        # No selection highlight (it would look like a tick); the keyboard's current item has a focus frame.
        self.need_areas.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.need_areas.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.need_areas.setTabKeyNavigation(False)
        self.need_areas.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for area in NeedArea:
            item = QListWidgetItem(labels.label(NEED_AREA, area.value))
            item.setData(Qt.ItemDataRole.UserRole, area.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.need_areas.addItem(item)
        # Three columns of five, each as wide as the longest label (German labels are long).
        widest = max(self.need_areas.sizeHintForIndex(self.need_areas.model().index(r, 0)).width()
                     for r in range(self.need_areas.count()))
        row_height = self.need_areas.sizeHintForRow(0) + 2
        self.need_areas.setGridSize(QSize(widest + 24, row_height))
        rows = (len(NeedArea) + 2) // 3
        self.need_areas.setFixedHeight(rows * row_height + 2 * self.need_areas.frameWidth() + 4)
        self.need_areas.setMinimumWidth(3 * (widest + 24) + 2 * self.need_areas.frameWidth() + 4)
        self.need_areas.setToolTip(_("Space ticks or unticks the area with the focus frame."))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(_("What was discussed, factually"))
        self.note.setMinimumHeight(self.note.fontMetrics().lineSpacing() * 8 + 12)
        self.note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.agreements = QPlainTextEdit()
        self.agreements.setTabChangesFocus(True)
        self.agreements.setPlaceholderText(_("Who does what by when"))
        self.agreements.setFixedHeight(self.agreements.fontMetrics().lineSpacing() * 4 + 12)
        self.has_next = QCheckBox(_("agreed"))
        self.next_at = QDateTimeEdit()
        self.next_at.setDisplayFormat(_datetime_format())
        self.next_at.setCalendarPopup(True)
        self.next_at.setDateTimeRange(self.at.minimumDateTime(), self.at.maximumDateTime())
        self.next_at.setDateTime(self.at.dateTime().addDays(7))
        self.next_at.setEnabled(False)

        self.at_label = QLabel(_("&Date and time"))
        self.duration_label = QLabel(_("D&uration"))
        self.type_label = QLabel(_("&Type"))
        self.place_label = QLabel(_("&Place"))
        self.participants_label = QLabel(_("Parti&cipants"))
        self.interpreter_label = QLabel(_("&Interpreting"))
        self.language_label = QLabel(_("&Language"))
        self.need_areas_label = QLabel(_("Need a&reas"))
        self.note_label = QLabel(_("&Note"))
        self.agreements_label = QLabel(_("&Agreements"))
        self.next_label = QLabel(_("Ne&xt appointment"))
        pairs = [(self.at_label, self.at), (self.duration_label, self.duration), (self.type_label, self.contact_type),
                 (self.place_label, self.place), (self.participants_label, self.participants),
                 (self.interpreter_label, self.interpreter), (self.language_label, self.interpreter_language),
                 (self.need_areas_label, self.need_areas), (self.note_label, self.note),
                 (self.agreements_label, self.agreements), (self.next_label, self.has_next)]
        for label, widget in pairs:
            label.setBuddy(widget)
            widget.setAccessibleName(_plain(label))
        self.next_at.setAccessibleName(_plain(self.next_label))
        # JSON keys of the service's messages → (label, field)
        self._fields: dict[str, tuple[QLabel, QWidget]] = {
            "datetime": (self.at_label, self.at), "duration_min": (self.duration_label, self.duration),
            "contact_type": (self.type_label, self.contact_type), "place": (self.place_label, self.place),
            "participants": (self.participants_label, self.participants),
            "interpreter_language": (self.language_label, self.interpreter_language),
            "interpreter": (self.interpreter_label, self.interpreter),
            "need_areas": (self.need_areas_label, self.need_areas), "note": (self.note_label, self.note),
            "agreements": (self.agreements_label, self.agreements),
            "next_appointment": (self.next_label, self.next_at),
        }

        self.heading = QLabel(_("New interview – {case_code}").format(case_code=self._case_code))
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.heading.setFont(font)

        top = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.addWidget(self.at_label, 0, 0)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        grid.addWidget(self.at, 0, 1, left)
        grid.addWidget(self.duration_label, 0, 2)
        grid.addWidget(self.duration, 0, 3, left)
        grid.addWidget(self.type_label, 1, 0)
        grid.addWidget(self.contact_type, 1, 1)
        grid.addWidget(self.place_label, 1, 2)
        grid.addWidget(self.place, 1, 3)
        grid.addWidget(self.participants_label, 2, 0)
        grid.addWidget(self.participants, 2, 1, 1, 3)
        grid.addWidget(self.interpreter_label, 3, 0)
        grid.addWidget(self.interpreter, 3, 1)
        grid.addWidget(self.language_label, 3, 2)
        grid.addWidget(self.interpreter_language, 3, 3)
        grid.addWidget(self.need_areas_label, 4, 0, top)
        grid.addWidget(self.need_areas, 4, 1, 1, 3)
        grid.addWidget(self.note_label, 5, 0, top)
        grid.addWidget(self.note, 5, 1, 1, 3)
        grid.addWidget(self.agreements_label, 6, 0, top)
        grid.addWidget(self.agreements, 6, 1, 1, 3)
        next_row = QHBoxLayout()
        next_row.addWidget(self.has_next)
        next_row.addWidget(self.next_at)
        next_row.addStretch(1)
        grid.addWidget(self.next_label, 7, 0)
        grid.addLayout(next_row, 7, 1, 1, 3)
        grid.setRowStretch(5, 1)
        for label in (self.duration_label, self.place_label, self.language_label):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form = QWidget()
        self.form.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)

        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        self.status = QLabel()
        self.status.setStyleSheet(QUIET_STYLE)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(_("Draft status"))

        self.save_button = QPushButton(_("&Save"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(_("Save (Ctrl+Enter)"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addSpacing(4)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(780, 680)

        chain: list[QWidget] = [self.at, self.duration, self.contact_type, self.place, self.participants,
                                self.interpreter, self.interpreter_language, self.need_areas, self.note,
                                self.agreements, self.has_next, self.next_at, self.save_button, self.cancel_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    def _connect_signals(self) -> None:
        # Every change only marks the form and (re)starts the timer: nothing here reads the text.
        self.at.dateTimeChanged.connect(self._changed)
        self.duration.valueChanged.connect(self._changed)
        self.contact_type.currentIndexChanged.connect(self._changed)
        self.interpreter.currentIndexChanged.connect(self._interpreter_changed)
        for line in (self.place, self.participants, self.interpreter_language):
            line.textChanged.connect(self._changed)
        self.need_areas.itemChanged.connect(self._changed)
        self.note.textChanged.connect(self._changed)
        self.agreements.textChanged.connect(self._changed)
        self.has_next.toggled.connect(self._next_toggled)
        self.next_at.dateTimeChanged.connect(self._changed)
        self.autosave_timer.timeout.connect(self.autosave_now)
        for text in (self.note, self.agreements):
            text.installEventFilter(self)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        save_keys = (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"), QKeySequence(QKeySequence.StandardKey.Save))
        for keys in save_keys:
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.save)

    # -- the form as data

    def checked_need_areas(self) -> list[str]:
        out = []
        for row in range(self.need_areas.count()):
            item = self.need_areas.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def contact_data(self) -> dict[str, Any]:
        """The interview as the JSON of CLI.md ``contact add``."""
        interpreter = self.interpreter.currentData()
        language_text = self.interpreter_language.text().strip()
        return {
            "datetime": _local_iso(self.at.dateTime()),
            "duration_min": self.duration.value() or None,
            "contact_type": self.contact_type.currentData(),
            "place": self.place.text().strip() or None,
            "participants": self.participants.text().strip(),
            "interpreter": interpreter,
            "interpreter_language": (language_text or None) if interpreter != InterpreterType.KEINE.value else None,
            "need_areas": self.checked_need_areas(),
            "note": self.note.toPlainText(),
            "agreements": self.agreements.toPlainText(),
            "next_appointment": _local_iso(self.next_at.dateTime()) if self.has_next.isChecked() else None,
        }

    def form_payload(self) -> dict[str, Any]:
        """The draft: the interview JSON plus what is needed to continue it."""
        return {"version": PAYLOAD_VERSION, "case_code": self._case_code, "contact": self.contact_data()}

    def _fill(self, data: dict[str, Any]) -> None:
        """Fill the fields from a draft's interview JSON (unknown or broken values are skipped)."""
        at = _from_iso(data.get("datetime"))
        if at is not None:
            self.at.setDateTime(_to_qdatetime(at))
        duration = data.get("duration_min")
        if isinstance(duration, int) and not isinstance(duration, bool):
            self.duration.setValue(max(0, min(MAX_DURATION_MIN, duration)))
        for combo, key in ((self.contact_type, "contact_type"), (self.interpreter, "interpreter")):
            index = combo.findData(data.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        for line, key in ((self.place, "place"), (self.participants, "participants"),
                          (self.interpreter_language, "interpreter_language")):
            value = data.get(key)
            line.setText(value if isinstance(value, str) else "")
        self.interpreter_language.setEnabled(self.interpreter.currentData() != InterpreterType.KEINE.value)
        areas = data.get("need_areas") if isinstance(data.get("need_areas"), list) else []
        for row in range(self.need_areas.count()):
            item = self.need_areas.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in areas
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        for edit, key in ((self.note, "note"), (self.agreements, "agreements")):
            value = data.get(key)
            edit.setPlainText(value if isinstance(value, str) else "")
            edit.moveCursor(QTextCursor.MoveOperation.End)  # the worker goes on where the text ends
        nxt = _from_iso(data.get("next_appointment"))
        self.has_next.setChecked(nxt is not None)
        self.next_at.setEnabled(nxt is not None)
        if nxt is not None:
            self.next_at.setDateTime(_to_qdatetime(nxt))

    def has_content(self) -> bool:
        """Whether the worker has typed or chosen anything beyond the defaults (read on demand)."""
        return bool(
            self.note.toPlainText().strip() or self.agreements.toPlainText().strip()
            or self.place.text().strip() or self.participants.text().strip()
            or self.interpreter_language.text().strip() or self.checked_need_areas()
            or self.duration.value() or self.has_next.isChecked()
            or self.contact_type.currentIndex() != 0 or self.interpreter.currentIndex() != 0)

    # -- autosave

    def _changed(self, *_args: Any) -> None:
        if self._closed or self._busy:
            return
        if self.message.isVisible():
            self.message.hide()
        if not self._dirty:
            self._dirty = True
            self._dirty_since.start()
            self.autosave_timer.start()
        elif self._dirty_since.elapsed() < AUTOSAVE_MAX_DELAY_MS or not self.autosave_timer.isActive():
            self.autosave_timer.start()
        # else: typing went on for a while without a pause; let the running timer save it.

    def _interpreter_changed(self, *_args: Any) -> None:
        self.interpreter_language.setEnabled(self.interpreter.currentData() != InterpreterType.KEINE.value)
        self._changed()

    def _next_toggled(self, checked: bool) -> None:
        self.next_at.setEnabled(checked)
        if checked and self.next_at.dateTime() <= self.at.dateTime():
            self.next_at.setDateTime(self.at.dateTime().addDays(7))
        self._changed()

    def draft_is_current(self) -> bool:
        """Whether everything in the form has landed in the vault's draft."""
        return not (self._dirty or self._in_flight or self._again)

    def autosave_now(self) -> None:
        """Save the form as the draft if it changed since the last save (after a running save)."""
        self.autosave_timer.stop()
        if self._closed or self._busy or not self._dirty:
            return
        if self._in_flight:
            self._again = True
            return
        self._start_draft_save()

    def _start_draft_save(self) -> None:
        payload = self.form_payload()
        self._dirty = False
        self._in_flight = True
        vault, draft_id, client_id = self._vault, self.draft_id, self._client_id
        Op(self, lambda _ctx: drafts.save_draft(vault, DRAFT_KIND, payload, draft_id=draft_id, client_id=client_id)) \
            .on_success(self._draft_landed).on_failure(self._draft_failed).run()

    def _draft_landed(self, draft_id: str) -> None:
        self._in_flight = False
        self._stored = True
        if self._locked:
            return
        self.status.setText(_("Draft saved {time}").format(time=dt.datetime.now().strftime("%H:%M:%S")))
        self.draft_saved.emit(draft_id)
        if self._again:
            self._again = False
            self.autosave_now()

    def _draft_failed(self, exc: BaseException) -> None:
        self._in_flight = False
        self._again = False
        log.warning("draft autosave failed (%s)", type(exc).__name__)
        if self._closed:
            return
        self._dirty = True  # tried again with the next timer
        self.status.setText(_("The draft could not be saved. It will be tried again in a few seconds."))
        self.autosave_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut and watched in (self.note, self.agreements):
            self.autosave_now()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.autosave_now()
        super().changeEvent(event)

    # -- saving the interview

    def save(self) -> None:
        """Speichern: record the interview and delete the draft, both on the database lane.

        If the service rejects the input, the draft is brought up to date in the same step, so it
        holds exactly what the form holds.
        """
        if self._busy or self._closed:
            return
        data = self.contact_data()
        data["note"] = data["note"].strip()
        data["agreements"] = data["agreements"].strip()
        payload = self.form_payload()
        self.autosave_timer.stop()
        self._again = False
        self._dirty = False
        self._set_busy(True)
        self.message.hide()
        self.status.setText(_("Saving …"))
        vault, code, draft_id, client_id = self._vault, self._case_code, self.draft_id, self._client_id
        outcome = {"draft_saved": False}  # read on the GUI thread once the step has ended

        def work(_ctx: Any) -> str:
            try:
                contact_id = contacts.add_contact(vault, code, data, source="gui", draft_id=draft_id)
            except BaseException:
                try:
                    drafts.save_draft(vault, DRAFT_KIND, payload, draft_id=draft_id, client_id=client_id)
                    outcome["draft_saved"] = True
                except Exception:  # noqa: BLE001 - the service's own error is the one to show
                    log.warning("draft not saved after the interview was refused")
                raise
            return contact_id  # the draft went in the same transaction

        Op(self, work).on_success(self._recorded) \
            .on_failure(lambda exc: self._save_failed(exc, draft_saved=outcome["draft_saved"])).run()

    def _recorded(self, contact_id: str) -> None:
        self._busy = False
        self._closed = True
        self._stored = False
        log.info("interview recorded from the editor")
        if self._locked:
            return  # the vault is closed by now: nobody may follow the signal into it
        self.saved.emit(contact_id)
        QDialog.accept(self)

    def _save_failed(self, exc: BaseException, *, draft_saved: bool) -> None:
        if self._locked:
            return
        self._set_busy(False)
        if draft_saved:
            self._stored = True
            self.status.setText(_("Draft saved {time}").format(time=dt.datetime.now().strftime("%H:%M:%S")))
        else:
            self._dirty = True
            self.autosave_timer.start()
        if isinstance(exc, GkError):
            text, field = self._humanise(exc.message)
        else:
            text, field = error_text(exc), None
        self.message.setText(text)
        self.message.show()
        if field is not None and field.isEnabled():
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _humanise(self, message: str) -> tuple[str, QWidget | None]:
        """The service names fields by their JSON keys; show the labels instead."""
        first: QWidget | None = None
        lines = []
        for line in message.splitlines():
            m = _PROBLEM_LINE.match(line)
            if m:
                path = m.group(2)
                key = next((k for k in self._fields if path == k or path.startswith((k + ".", k + "["))), None)
                if key is not None:
                    label, field = self._fields[key]
                    line = f"{m.group(1)}{_plain(label)}: {m.group(3)}"
                    first = first or field
            lines.append(line)
        return "\n".join(lines), first

    def _set_busy(self, busy: bool) -> None:
        if busy and not self._busy:
            self._focus_before = self.focusWidget()
        self._busy = busy
        for w in (self.form, self.save_button, self.cancel_button):
            w.setEnabled(not busy)
        if not busy:
            focus = getattr(self, "_focus_before", None)
            if focus is not None and focus.isVisible() and focus.isEnabled():
                focus.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- keyboard and closing

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods == Qt.KeyboardModifier.NoModifier:
                # Enter in a one-line field moves on: a half-typed interview is never saved by
                # accident. Buttons take Enter themselves; Ctrl+Enter saves.
                event.accept()
                if not self._busy:
                    self.focusNextChild()
                return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Abbrechen, Esc or closing: keep or discard the draft (asked when there is content)."""
        if self._busy:
            return
        if self._closed:
            QDialog.reject(self)
            return
        if not self.has_content():
            self._discard()
            return
        choice = self._ask_keep()
        if choice == "keep":
            self._keep()
        elif choice == "discard":
            self._discard()

    def _ask_keep(self) -> str:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("New interview"))
        box.setText(_("Keep the draft?"))
        box.setInformativeText(_("The interview has not been saved yet. A kept draft stays in the vault, "
                                 "encrypted, and can be continued later."))
        keep = box.addButton(_("&Keep draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        edit = box.addButton(_("Continue &editing"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keep_draft")
        discard.setObjectName("discard")
        edit.setObjectName("keep_editing")
        box.setDefaultButton(keep)
        box.setEscapeButton(edit)
        box.exec()
        clicked = box.clickedButton()
        return "keep" if clicked is keep else "discard" if clicked is discard else "edit"

    def _final_save(self) -> None:
        """Queue the last draft save (the database lane runs it before anything queued later)."""
        payload = self.form_payload()
        self._dirty = False
        vault, draft_id, client_id = self._vault, self.draft_id, self._client_id
        Op(self, lambda _ctx: drafts.save_draft(vault, DRAFT_KIND, payload, draft_id=draft_id, client_id=client_id)) \
            .on_failure(lambda exc: log.warning("final draft save failed (%s)", type(exc).__name__)).run()

    def _keep(self) -> None:
        self.autosave_timer.stop()
        if self._dirty or self._again or not (self._stored or self._in_flight):
            self._final_save()
        self._closed = True
        log.info("interview draft kept")
        QDialog.reject(self)

    def _discard(self) -> None:
        self.autosave_timer.stop()
        self._closed = True
        if self._stored or self._in_flight:
            vault, draft_id = self._vault, self.draft_id
            Op(self, lambda _ctx: drafts.delete_draft(vault, draft_id)) \
                .on_failure(lambda exc: log.warning("draft delete failed (%s)", type(exc).__name__)).run()
        QDialog.reject(self)

    def close_for_lock(self) -> None:
        """The app locks: queue the last draft save (it lands before the vault closes), forget
        what the fields held and close without asking."""
        self.autosave_timer.stop()
        if not self._closed and not self._busy and (self._dirty or self._again):
            # While the interview itself is being saved there is nothing to add: that step either
            # records it or brings the draft up to date.
            self._final_save()
        self._closed = True
        self._locked = True
        self._busy = False
        self._vault = None  # the queued work holds what it needs; this window holds nothing
        self._clear_fields()
        QDialog.reject(self)

    def _clear_fields(self) -> None:
        for line in (self.place, self.participants, self.interpreter_language):
            line.setText("")  # setText, not clear(): clear() keeps the text in the undo history
        self.note.clear()  # clears the undo history too
        self.agreements.clear()
        for row in range(self.need_areas.count()):
            self.need_areas.item(row).setCheckState(Qt.CheckState.Unchecked)
        self.message.clear()
