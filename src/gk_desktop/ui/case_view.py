"""The case view: one client's file in tabs along the case (Stammdaten, Aufenthalt, Bildung &
Arbeit, Gespräche). Later issues add Dokumente, Einwilligungen, Planung, Vermittlungen, Prüfungen.

Every list is a :class:`RecordTableModel` over the plain dicts of
:func:`gk_desktop.services.clients.show_client`; the page loads on the database lane and keeps
nothing once the app locks.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import N_, _
from gk_desktop import labels
from gk_desktop.ui.client_view import client_html
from gk_desktop.ui.ops import Op
from gk_desktop.ui.tables import Col as Column
from gk_desktop.ui.tables import RowsModel, heading, table_view
from gk_desktop.ui.privacy import privacy
from gk_desktop.ui.widgets import ask, format_date
from gk_desktop.labels import ASYLUM_STAGE, CONTACT_TYPE, END_REASON, IDENTITY_ACTION, NAME_VARIANT_KIND, NEED_AREA  # noqa: F401 - also imported from here

Index = QModelIndex | QPersistentModelIndex

EMPLOYMENT = labels.EMPLOYMENT
SOURCE = {"DOKUMENT_GESEHEN": N_("document seen"), "ANGABE_KLIENT": N_("client's statement"),
          "ABH_MIT_EINWILLIGUNG": N_("ABH, with consent")}
IDENTITY_CLARIFIED = labels.IDENTITY_CLARIFIED
QUALIFICATION = labels.QUALIFICATION
TABLE_LABEL = {
    "client": N_("Personal data"), "client_name_variant": N_("Name variant"), "client_nationality": N_("Nationality"),
    "client_language": N_("Language"), "residence_period": N_("Residence status"), "asylum_procedure": N_("Asylum procedure"),
    "identity_status": N_("Identity"), "identity_effort": N_("Identity and passport efforts"),
    "education_record": N_("School and education"), "language_certificate": N_("Language certificate"),
    "work_record": N_("Training and work"), "personal_contact": N_("Personal contact"), "case": N_("Case"),
    "contact": N_("Interview"), "contact_need_area": N_("Need areas"),
}
FIELD_LABEL = {
    "first_name": N_("First name"), "last_name": N_("Last name"), "birth_date": N_("Birth date"),
    "birth_date_fictitious": N_("Birth date fictitious"), "gender": N_("Gender"), "phone": N_("Phone"),
    "email": N_("E-mail"), "address": N_("Address"), "case_code": N_("Case code"), "status": N_("Status"),
    "valid_from": N_("from"), "valid_until": N_("valid until"), "note": N_("Note"), "agreements": N_("Agreements"),
    "phase": N_("Phase"), "request": N_("Request"), "access_route": N_("Access route"), "at": N_("When"),
    "internal_notes": N_("Internal notes"), "name": N_("Name"), "need_area": N_("Need area"),
    "exclusion_outcome": N_("Exclusion check"), "entry_date_de": N_("In Germany since"),
    "country_of_origin": N_("Country of origin"), "interpreter_needed": N_("Interpreter"),
    "interpreter_language": N_("Interpreting language"), "housing_type": N_("Housing"),
    "preferred_contact_channel": N_("Preferred channel"), "minor_children": N_("Minor children"),
    "responsible_abh": N_("Responsible immigration office"), "exclusion_checked_on": N_("Exclusion checked on"),
    "kind": N_("Kind"), "country": N_("Country"), "language": N_("Language"), "level": N_("Level"),
    "legal_detail": N_("Legal detail"), "employment_permission": N_("Employment"), "residence_obligation": N_("Residence obligation"),
    "issuing_office": N_("issued by"), "source": N_("Source"), "stage": N_("Stage"), "applied_on": N_("Applied on"),
    "decision_served_on": N_("Decision served on"), "legal_counsel": N_("Legal counsel"), "clarified": N_("Identity clarified"),
    "documents_available": N_("Documents"), "passport_valid_until": N_("Passport valid until"), "date": N_("Date"),
    "action": N_("Action"), "result": N_("Result"), "proof": N_("Proof"), "institution": N_("Institution"),
    "programme": N_("Programme"), "start_date": N_("from"), "end_date": N_("until"),
    "attendance_ok": N_("Attended successfully"), "qualification": N_("Qualification"), "recognised": N_("Recognised"),
    "skill": N_("Skill"), "evidence": N_("Evidence"), "type": N_("Kind"), "employer": N_("Employer"),
    "occupation": N_("Occupation"), "planned_end_date": N_("planned until"), "actual_end_date": N_("ended on"),
    "hours_per_week": N_("Hours per week"), "work_permit_on": N_("Work permit on"),
    "chamber_registered": N_("Registered with the chamber"), "end_reason": N_("End"), "income_covers": N_("Income covers living costs"),
    "relation": N_("Relation"), "contact_data": N_("Contact data"), "consent_to_contact": N_("Consent to contact"),
    "number": N_("No."), "case_type": N_("Case type"), "first_contact_on": N_("First contact"), "intake_on": N_("Intake"),
    "mandate": N_("Mandate"), "funding_programme_id": N_("Programme"), "next_review_on": N_("Next review"),
    "closed_on": N_("Closed on"), "closure_reason": N_("Closure reason"), "destination": N_("Destination"),
    "evaluation": N_("Evaluation"), "retention_until": N_("Retention date"), "duration_min": N_("Minutes"),
    "contact_type": N_("Type"), "place": N_("Place"), "participants": N_("Participants"),
    "interpreter": N_("Interpreting"), "next_appointment": N_("Next appointment"),
}
INTERPRETER = {"KEINE": N_("no interpreting"), "PROFESSIONELL": N_("professional"), "EHRENAMTLICH": N_("volunteer"),
               "FAMILIE": N_("family")}
# Which words an identifier stands for depends on the field (KEINE is "none" or "no exclusion").
VALUE_LABELS: dict[str, dict[str, str]] = {
    "status": labels.RESIDENCE_STATUS, "phase": labels.CASE_PHASE, "access_route": labels.ACCESS_ROUTE,
    "gender": labels.GENDER, "exclusion_outcome": labels.EXCLUSION, "interpreter": INTERPRETER,
}
RELATION = {"FAMILIE": N_("family"), "MENTOR": N_("mentor"), "EHRENAMT": N_("volunteer"), "RECHTSANWALT": N_("lawyer"),
            "EHEMALIGER_VORMUND": N_("former guardian"), "LEHRKRAFT": N_("teacher"), "SONSTIGE": N_("other")}
EMBASSY_WARNING = N_("No contact with the embassy while the asylum procedure is running: an embassy "
                     "appointment is planned or recorded for a holder of an Aufenthaltsgestattung.")


def _date(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value)) if value else ""


def _datetime(value: str | None) -> str:
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value).astimezone()
    return f"{format_date(moment.date())} {moment:%H:%M}"


def _value_text(value: Any, field: str = "") -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return format_date(dt.date.fromisoformat(value))
            except ValueError:
                pass
        if len(value) > 19 and value[4] == "-" and "T" in value:
            try:
                return _datetime(value)
            except ValueError:
                pass
        table = VALUE_LABELS.get(field) or _LATE_VALUE_LABELS.get(field)
        if table is not None and value in table:
            return labels.label(table, value)
        text = " ".join(value.split())
        return text if len(text) <= 80 else text[:79] + "…"
    return str(value)


# Fields whose value names a record in the Verlauf ("Gespräch 06.11.2026", "Aufenthaltsstatus Duldung").
_RECORD_NAME_FIELDS = {"contact": "at", "residence_period": "status", "education_record": "institution",
                       "work_record": "employer", "identity_effort": "date", "language_certificate": "level",
                       "case": "number", "client_name_variant": "name", "personal_contact": "name",
                       "contact_need_area": "need_area", "asylum_procedure": "stage"}


def record_names(changes: list[Any]) -> dict[str, str]:
    """A short name for each record in ``changes``, from one of its own fields."""
    names: dict[str, str] = {}
    for c in changes:
        if _RECORD_NAME_FIELDS.get(c.table) == c.field and c.value not in (None, ""):
            names[c.record_id] = _value_text(c.value, c.field)
    return names


def history_row(change: Any, names: dict[str, str] | None = None) -> dict[str, str]:
    """One line of the Verlauf tab from a :class:`gk_desktop.services.history.FieldChange`."""
    when = change.at.astimezone()
    where = labels.label(TABLE_LABEL, change.table)
    if names and change.record_id in names:
        where = f"{where} {names[change.record_id]}"
    return {
        "when": f"{format_date(when.date())} {when:%H:%M}",
        "where": where,
        "field": labels.label(FIELD_LABEL, change.field, change.field) if change.field in FIELD_LABEL
        else change.field.replace("_", " "),
        "value": _value_text(change.value, change.field),
        "device": _("this device") if change.this_device else _("other device ({id})").format(id=change.device_id[:8]),
    }


_LATE_VALUE_LABELS = {"need_area": NEED_AREA, "contact_type": CONTACT_TYPE, "employment_permission": EMPLOYMENT,
                      "source": SOURCE, "stage": ASYLUM_STAGE, "clarified": IDENTITY_CLARIFIED,
                      "action": IDENTITY_ACTION, "qualification": QUALIFICATION, "end_reason": END_REASON,
                      "type": labels.WORK_TYPE}


class RecordTableModel(RowsModel):
    """A read-only table over dicts (records as `client show` prints them)."""


def _table(model: RecordTableModel, name: str) -> QTableView:
    return table_view(model, name)


_heading = heading  # the name the tabs import


def confirm_delete(parent: QWidget, title: str, text: str) -> bool:
    """Ask before deleting, with verbs on the buttons ("Löschen" / "Abbrechen"); Esc cancels."""
    return ask(parent, title, text, _("Delete"), role=QMessageBox.ButtonRole.DestructiveRole, default_is_verb=False)


def embassy_warning_applies(client: dict[str, Any]) -> bool:
    """A Gestattung holder whose identity efforts plan or record an embassy appointment."""
    return client.get("residence_status") == "AUFENTHALTSGESTATTUNG" and any(
        e.get("action") == "BOTSCHAFTSTERMIN" for e in client.get("identity_efforts", []))


class CaseView(QWidget):
    """Signals:
        back(): to the list (Esc, Alt+Left, the button).
        new_interview_requested(str, str): case code and client id (the "Neues Gespräch" button).
    """

    back = Signal()
    changed = Signal()  # the file was edited here (the client list reloads)
    new_interview_requested = Signal(str, str)
    loaded = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.case_code: str | None = None
        self.client_id: str | None = None
        self.shown: dict[str, Any] | None = None
        self.list_buttons: dict[str, tuple[QPushButton, QPushButton, QPushButton]] = {}
        self.back_button = QPushButton(_("← &Back to the list"))
        self.back_button.clicked.connect(self.back)
        self.title = QLabel()
        f = self.title.font()
        f.setPointSize(f.pointSize() + 5)
        self.title.setFont(f)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Case file"))

        # Stammdaten
        self.overview = QTextBrowser()
        self.overview.setOpenLinks(False)
        self.overview.setAccessibleName(_("Personal data"))
        self.edit_personal_button = QPushButton(_("Change personal data …"))
        self.edit_personal_button.clicked.connect(self.edit_personal)
        personal = QWidget()
        pl = QVBoxLayout(personal)
        prow = QHBoxLayout()
        prow.addWidget(self.edit_personal_button)
        prow.addStretch(1)
        pl.addLayout(prow)
        pl.addWidget(self.overview, 3)
        from gk_desktop.ui.record_editor import FieldSpec as F0

        self.variants = RecordTableModel([
            Column(N_("Name"), lambda r: r["name"] or ""),
            Column(N_("Kind"), lambda r: labels.label(NAME_VARIANT_KIND, r["kind"])),
        ], self)
        self.variants_table = _table(self.variants, _("Name variants"))
        self.languages = RecordTableModel([
            Column(N_("Language"), lambda r: r["language"] or ""),
            Column(N_("Level"), lambda r: labels.label(labels.LANGUAGE_LEVEL, r["level"], "")),
        ], self)
        self.languages_table = _table(self.languages, _("Languages"))
        self.contacts_people = RecordTableModel([
            Column(N_("Name"), lambda r: r["name"] or ""),
            Column(N_("Relation"), lambda r: labels.label(RELATION, r["relation"])),
            Column(N_("Phone"), lambda r: r["phone"] or ""),
            Column(N_("Consent to contact"), lambda r: _("yes") if r["consent_to_contact"] else _("no")),
        ], self)
        self.contacts_table = _table(self.contacts_people, _("Personal contacts"))
        lists = QHBoxLayout()
        for heading, key, table, model, fields, defaults in (
            (_("Name variants"), "name_variants", self.variants_table, self.variants, lambda: [
                F0("name", N_("Name"), "text", required=True),
                F0("kind", N_("Kind"), "enum", NAME_VARIANT_KIND, required=True)], {"kind": "TRANSLITERATION"}),
            (_("Languages"), "languages", self.languages_table, self.languages, lambda: [
                F0("language", N_("Language"), "text", required=True),
                F0("level", N_("Level"), "enum", labels.LANGUAGE_LEVEL)], {}),
            (_("Personal contacts"), "personal_contacts", self.contacts_table, self.contacts_people, lambda: [
                F0("name", N_("Name"), "text", required=True), F0("relation", N_("Relation"), "enum", RELATION, required=True),
                F0("phone", N_("Phone"), "text"), F0("email", N_("E-mail"), "text"),
                F0("consent_to_contact", N_("Consent to contact"), "bool")], {"relation": "MENTOR"}),
        ):
            box = QVBoxLayout()
            box.addWidget(_heading(heading))
            box.addLayout(self._list_buttons(key, table, model, heading, fields, defaults))
            box.addWidget(table, 1)
            lists.addLayout(box)
        pl.addLayout(lists, 2)
        self.personal_index = self.tabs.addTab(personal, _("&Personal data"))

        # Aufenthalt
        self.periods = RecordTableModel([
            Column(N_("Status"), lambda r: labels.label(labels.RESIDENCE_STATUS, r["status"])),
            Column(N_("from"), lambda r: _date(r["valid_from"])),
            Column(N_("until"), lambda r: _date(r["valid_until"])),
            Column(N_("Employment"), lambda r: labels.label(EMPLOYMENT, r["employment_permission"])),
            Column(N_("issued by"), lambda r: r["issuing_office"] or ""),
            Column(N_("Source"), lambda r: labels.label(SOURCE, r["source"])),
        ], self)
        self.asylum = RecordTableModel([
            Column(N_("Stage"), lambda r: labels.label(ASYLUM_STAGE, r["stage"])),
            Column(N_("Applied on"), lambda r: _date(r["applied_on"])),
            Column(N_("Decision served on"), lambda r: _date(r["decision_served_on"])),
            Column(N_("Legal counsel"), lambda r: r["legal_counsel"] or ""),
        ], self)
        self.efforts = RecordTableModel([
            Column(N_("Date"), lambda r: _date(r["date"])),
            Column(N_("Action"), lambda r: labels.label(IDENTITY_ACTION, r["action"])),
            Column(N_("Result"), lambda r: r["result"] or ""),
            Column(N_("Proof"), lambda r: r["proof"] or ""),
            Column(N_("Document"), lambda r: self._document_name(r.get("document_id"))),
        ], self)
        self.identity_label = QLabel()
        self.identity_label.setWordWrap(True)
        self.embassy_warning = QLabel()
        self.embassy_warning.setWordWrap(True)
        self.embassy_warning.setStyleSheet("QLabel { background: #fdecea; color: #8c1d18; padding: 6px; }")
        residence = QWidget()
        rl = QVBoxLayout(residence)
        rl.addWidget(_heading(_("Residence status over time")))
        self.periods_table = _table(self.periods, _("Residence status over time"))
        self.periods_table.doubleClicked.connect(lambda _i: self.edit_period())
        self.add_period_button = QPushButton(_("Add &status …"))
        self.add_period_button.clicked.connect(self.add_period)
        self.edit_period_button = QPushButton(_("C&hange …"))
        self.edit_period_button.clicked.connect(self.edit_period)
        self.delete_period_button = QPushButton(_("&Delete"))
        self.delete_period_button.clicked.connect(self.delete_period)
        period_buttons = QHBoxLayout()
        for b in (self.add_period_button, self.edit_period_button, self.delete_period_button):
            period_buttons.addWidget(b)
        period_buttons.addStretch(1)
        rl.addLayout(period_buttons)
        rl.addWidget(self.periods_table, 3)
        rl.addWidget(_heading(_("Asylum procedure")))
        from gk_desktop.ui.record_editor import FieldSpec as F1

        self.asylum_table = _table(self.asylum, _("Asylum procedure"))
        rl.addLayout(self._list_buttons("asylum_procedures", self.asylum_table, self.asylum, _("Asylum procedure"), lambda: [
            F1("stage", N_("Stage"), "enum", ASYLUM_STAGE, required=True), F1("applied_on", N_("Applied on"), "date"),
            F1("decision_served_on", N_("Decision served on"), "date"), F1("legal_counsel", N_("Legal counsel"), "text")],
            {"stage": "ANTRAG"}))
        rl.addWidget(self.asylum_table, 1)
        rl.addWidget(_heading(_("Identity and passport")))
        ident_row = QHBoxLayout()
        ident_row.addWidget(self.identity_label, 1)
        self.edit_identity_button = QPushButton(_("Change identity status …"))
        self.edit_identity_button.clicked.connect(self.edit_identity)
        ident_row.addWidget(self.edit_identity_button)
        rl.addLayout(ident_row)
        rl.addWidget(self.embassy_warning)
        from gk_desktop.ui.record_editor import FieldSpec as F2

        self.efforts_table = _table(self.efforts, _("Identity and passport efforts"))
        rl.addLayout(self._list_buttons("identity_efforts", self.efforts_table, self.efforts, _("Identity and passport efforts"), lambda: [
            F2("date", N_("Date"), "date", required=True), F2("action", N_("Action"), "enum", IDENTITY_ACTION, required=True),
            F2("result", N_("Result"), "text"), F2("proof", N_("Proof"), "text"),
            F2("document_id", N_("Document"), "choice", self._document_choices())], {"action": "PASSANTRAG"}))
        rl.addWidget(self.efforts_table, 2)
        self.residence_index = self.tabs.addTab(residence, _("&Residence"))

        # Bildung & Arbeit
        self.education = RecordTableModel([
            Column(N_("Institution"), lambda r: r["institution"] or ""),
            Column(N_("Programme"), lambda r: r["programme"] or ""),
            Column(N_("Country"), lambda r: r["country"] or ""),
            Column(N_("from"), lambda r: _date(r["start_date"])),
            Column(N_("until"), lambda r: _date(r["end_date"])),
            Column(N_("Attended successfully"), lambda r: "" if r["attendance_ok"] is None else (_("yes") if r["attendance_ok"] else _("no"))),
            Column(N_("Qualification"), lambda r: labels.label(QUALIFICATION, r["qualification"], "")),
            Column(N_("Document"), lambda r: self._document_name(r.get("document_id"))),
        ], self)
        self.certificates = RecordTableModel([
            Column(N_("Language"), lambda r: r["language"] or ""),
            Column(N_("Level"), lambda r: r["level"] or ""),
            Column(N_("Skill"), lambda r: r["skill"] or ""),
            Column(N_("Evidence"), lambda r: r["evidence"] or ""),
            Column(N_("Date"), lambda r: _date(r["date"])),
            Column(N_("Document"), lambda r: self._document_name(r.get("document_id"))),
        ], self)
        self.work = RecordTableModel([
            Column(N_("Kind"), lambda r: labels.label(labels.WORK_TYPE, r["type"])),
            Column(N_("Employer"), lambda r: r["employer"] or ""),
            Column(N_("Occupation"), lambda r: r["occupation"] or ""),
            Column(N_("from"), lambda r: _date(r["start_date"])),
            Column(N_("planned until"), lambda r: _date(r["planned_end_date"])),
            Column(N_("ended on"), lambda r: _date(r["actual_end_date"])),
            Column(N_("Hours per week"), lambda r: "" if r["hours_per_week"] is None else f"{r['hours_per_week']:g}"),
            Column(N_("End"), lambda r: labels.label(END_REASON, r["end_reason"], "")),
            Column(N_("Document"), lambda r: self._document_name(r.get("document_id"))),
        ], self)
        from gk_desktop.ui.record_editor import FieldSpec as F

        learning = QWidget()
        ll = QVBoxLayout(learning)
        self.education_table = _table(self.education, _("School and education"))
        ll.addWidget(_heading(_("School and education")))
        ll.addLayout(self._list_buttons("education_records", self.education_table, self.education, _("School and education"), lambda: [
            F("institution", N_("Institution"), "text"), F("programme", N_("Programme"), "text"),
            F("country", N_("Country"), "text", required=True), F("start_date", N_("from"), "date"),
            F("end_date", N_("until"), "date"), F("attendance_ok", N_("Attended successfully"), "bool"),
            F("qualification", N_("Qualification"), "enum", QUALIFICATION),
            F("document_id", N_("Document"), "choice", self._document_choices())], {"country": "DE", "attendance_ok": True}))
        ll.addWidget(self.education_table, 2)
        self.certificates_table = _table(self.certificates, _("Language certificates"))
        ll.addWidget(_heading(_("Language certificates")))
        ll.addLayout(self._list_buttons("language_certificates", self.certificates_table, self.certificates, _("Language certificates"), lambda: [
            F("language", N_("Language"), "text", required=True),
            F("level", N_("Level"), "enum", {k: k for k in ("A1", "A2", "B1", "B2", "C1", "C2")}, required=True),
            F("evidence", N_("Evidence"), "text"), F("date", N_("Date"), "date"),
            F("document_id", N_("Document"), "choice", self._document_choices())], {"language": "de", "level": "B1"}))
        ll.addWidget(self.certificates_table, 1)
        self.work_table = _table(self.work, _("Training and work"))
        ll.addWidget(_heading(_("Training and work")))
        ll.addLayout(self._list_buttons("work_records", self.work_table, self.work, _("Training and work"), lambda: [
            F("type", N_("Kind"), "enum", labels.WORK_TYPE, required=True), F("employer", N_("Employer"), "text"),
            F("occupation", N_("Occupation"), "text"), F("start_date", N_("from"), "date"),
            F("planned_end_date", N_("planned until"), "date"), F("actual_end_date", N_("ended on"), "date"),
            F("end_reason", N_("End"), "enum", END_REASON),
            F("document_id", N_("Document"), "choice", self._document_choices())], {"type": "AUSBILDUNG_QUALIFIZIERT"}))
        ll.addWidget(self.work_table, 2)
        self.learning_index = self.tabs.addTab(learning, _("&Education and work"))

        # Gespräche
        self.interviews = RecordTableModel([
            Column(N_("When"), lambda r: _datetime(r["datetime"])),
            Column(N_("Type"), lambda r: labels.label(CONTACT_TYPE, r["contact_type"])),
            Column(N_("Minutes"), lambda r: "" if r["duration_min"] is None else str(r["duration_min"])),
            Column(N_("Need areas"), lambda r: ", ".join(labels.label(NEED_AREA, a) for a in r["need_areas"])),
            Column(N_("Note"), lambda r: r["note"] or ""),
        ], self)
        self.interview_table = _table(self.interviews, _("Interviews"))
        self.interview_table.selectionModel().currentRowChanged.connect(self._show_interview)
        self.interview_text = QTextBrowser()
        self.interview_text.setAccessibleName(_("Interview"))
        self.new_interview_button = QPushButton(_("&New interview …"))
        self.new_interview_button.setToolTip(_("New interview (Ctrl+G)"))
        self.new_interview_button.clicked.connect(self._new_interview)
        self.new_interview_button.setEnabled(False)  # enabled by set_interviews_enabled() once an editor is wired
        talks = QWidget()
        tl = QVBoxLayout(talks)
        row = QHBoxLayout()
        row.addWidget(self.new_interview_button)
        row.addStretch(1)
        tl.addLayout(row)
        tl.addWidget(self.interview_table, 2)
        tl.addWidget(self.interview_text, 3)
        self.interviews_index = self.tabs.addTab(talks, _("&Interviews"))

        # Dokumente
        from gk_desktop.ui.documents_tab import DocumentsTab

        self.document_limit_mb = 25  # the setting; the main window keeps it current
        self.documents_tab = DocumentsTab(vault, lambda: self.document_limit_mb, self)
        self.documents_tab.changed.connect(self._documents_changed)
        self.documents_index = self.tabs.addTab(self.documents_tab, _("&Documents"))

        # Einwilligungen und Übermittlungen
        from gk_desktop.ui.consents_tab import ConsentsTab

        self.consents_tab = ConsentsTab(vault, self)
        self.consents_tab.changed.connect(self.changed)
        self.consents_index = self.tabs.addTab(self.consents_tab, _("Co&nsents"))

        # Planung: phase, what is missing, assessment, goals and steps, agreement, closing
        from gk_desktop.ui.planning_tab import PlanningTab

        self.planning_tab = PlanningTab(vault, self)
        self.planning_tab.changed.connect(self._cycle_changed)
        self.planning_index = self.tabs.insertTab(self.documents_index, self.planning_tab, _("P&lanning"))
        self.documents_index = self.tabs.indexOf(self.documents_tab)
        self.consents_index = self.tabs.indexOf(self.consents_tab)

        # Prüfungen: the residence pathways evaluated from the file (preparation, never a decision)
        from gk_desktop.ui.checks_tab import ChecksTab

        self.checks_tab = ChecksTab(vault, self)

        # Vermittlungen (service chains and referrals)
        from gk_desktop.ui.referrals_tab import ReferralsTab

        self.retention_years = 3  # the setting; the main window keeps it current
        self.referrals_tab = ReferralsTab(vault, self)
        self.referrals_tab.changed.connect(self._cycle_changed)
        self.referrals_tab.consent_needed.connect(self.record_consent_for)
        self.referrals_index = self.tabs.insertTab(self.planning_index + 1, self.referrals_tab, _("Re&ferrals"))
        self.checks_index = self.tabs.insertTab(self.referrals_index + 1, self.checks_tab, _("Chec&ks"))
        self.documents_index = self.tabs.indexOf(self.documents_tab)
        self.consents_index = self.tabs.indexOf(self.consents_tab)

        # Verlauf: the last change of every field, from the sync stamps
        self.history = RecordTableModel([
            Column(N_("When"), lambda r: r["when"]),
            Column(N_("Where"), lambda r: r["where"]),
            Column(N_("Field"), lambda r: r["field"]),
            Column(N_("Value"), lambda r: r["value"]),
            Column(N_("Device"), lambda r: r["device"]),
        ], self)
        history_page = QWidget()
        hl = QVBoxLayout(history_page)
        note = QLabel(_("The last change of every field of this file, newest first, with the device it was made on."))
        note.setWordWrap(True)
        hl.addWidget(note)
        hl.addWidget(_table(self.history, _("History")), 1)
        self.tabs.addTab(history_page, _("&History"))

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        for key in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Alt+Left")):
            shortcut = QShortcut(key, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.back)
        self.matching_dialog: Any = None
        self.matching_button = QPushButton(_("&Matching offers …"))
        self.matching_button.setToolTip(_("Offers of the directory that fit the client's age, residence status, "
                                          "German and school-leaving certificate, and why the others do not"))
        self.matching_button.clicked.connect(self.show_matching_offers)
        top.insertWidget(2, self.matching_button)
        self.copy_code_button = QPushButton(_("Copy &case code"))
        self.copy_code_button.setToolTip(_("Copy the case code (Ctrl+Shift+C); the clipboard is cleared after 15 seconds"))
        self.copy_code_button.clicked.connect(self.copy_case_code)
        top.insertWidget(3, self.copy_code_button)
        copy_key = QShortcut(QKeySequence("Ctrl+Shift+C"), self)
        copy_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy_key.activated.connect(self.copy_case_code)
        interview_key = QShortcut(QKeySequence("Ctrl+G"), self)
        interview_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        interview_key.activated.connect(self._new_interview)
        self._build_print_menu(top)

    # -- printing: a preview, then the print dialog or "Speichern unter …"

    PRINT_ENTRIES = (
        ("casesheet", N_("&Case sheet …")),
        ("agreement", N_("&Goal agreement …")),
        ("consent", N_("C&onsent …")),
        ("info-sheet", N_("&Information sheet (Art. 13 GDPR) …")),
        ("referral", N_("&Handover sheet …")),
    )

    def _build_print_menu(self, top: QHBoxLayout) -> None:
        from PySide6.QtWidgets import QMenu

        from gk_desktop.ui.print_preview import PrintLauncher

        self.print_button = QPushButton(_("Prin&t"))
        self.print_button.setToolTip(_("Preview and print a document of this case, or save it as a PDF "
                                       "(Ctrl+P: the case sheet)"))
        self.print_menu = QMenu(self.print_button)
        self.print_actions: dict[str, Any] = {}
        for kind, text in self.PRINT_ENTRIES:
            action = self.print_menu.addAction(_(text))
            action.triggered.connect(lambda _checked=False, k=kind: self.print_document(k))
            self.print_actions[kind] = action
        self.print_with_interviews = QAction(_("Case sheet &with the chosen interviews …"), self)
        self.print_with_interviews.setToolTip(_("The interviews selected in the Interviews tab are printed with the case sheet"))
        self.print_with_interviews.triggered.connect(lambda _checked=False: self.print_document(
            "casesheet", interview_ids=self.chosen_interviews()))
        self.print_menu.insertAction(self.print_actions["agreement"], self.print_with_interviews)
        self.print_actions["agreement"].setToolTip(_("The latest goal agreement of the case"))
        self.print_actions["consent"].setToolTip(_("The consent selected in the Consents tab; a blank form when none is selected"))
        self.print_actions["referral"].setToolTip(_("The referral selected in the Referrals tab"))
        self.print_menu.setToolTipsVisible(True)
        self.print_menu.aboutToShow.connect(self._update_print_menu)
        self.print_button.setMenu(self.print_menu)
        self.print_status = QLabel()
        self.print_status.setAccessibleName(_("Status of the printout"))
        self.print_launcher = PrintLauncher(self, self.print_status)
        top.insertWidget(top.indexOf(self.copy_code_button) + 1, self.print_button)
        top.insertWidget(top.indexOf(self.matching_button), self.print_status)
        print_key = QShortcut(QKeySequence("Ctrl+P"), self)
        print_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_key.activated.connect(lambda: self.print_document("casesheet"))
        self._update_print_menu()

    def _selected_print_record(self, kind: str) -> str | None:
        """The record a document is printed from: the consent or referral selected in its tab."""
        if kind == "consent":
            return self.consents_tab._current_id()
        if kind == "referral":
            return self.referrals_tab._current_referral_id()
        return None

    def _update_print_menu(self) -> None:
        has_case = self.case_code is not None and self._vault is not None
        agreements = ((self.shown or {}).get("cycle") or {}).get("agreements")
        for kind, action in self.print_actions.items():
            action.setEnabled(has_case)
        self.print_actions["agreement"].setEnabled(has_case and (agreements is None or bool(agreements)))
        self.print_actions["referral"].setEnabled(has_case and self._selected_print_record("referral") is not None)
        self.print_with_interviews.setEnabled(has_case and bool(self.chosen_interviews()))

    def chosen_interviews(self) -> list[str]:
        """The ids of the interviews selected in the Gespräche tab (several with Ctrl or Shift)."""
        rows = sorted({index.row() for index in self.interview_table.selectionModel().selectedRows()})
        return [self.interviews.row_at(r)["id"] for r in rows if 0 <= r < self.interviews.rowCount()]

    def print_document(self, kind: str, interview_ids: list[str] | None = None) -> bool:
        """Make the document ``kind`` of this case in the background and show its preview."""
        if self.case_code is None or self._vault is None:
            return False
        record_id = self._selected_print_record(kind)
        if kind == "referral" and record_id is None:
            return False
        return self.print_launcher.preview(self._vault, kind, self.case_code, record_id, interview_ids)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        # Also when the shortcut map is not consulted (the window not yet active after a dialog).
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() == Qt.Key.Key_G:
            self._new_interview()
            return
        if event.key() == Qt.Key.Key_Escape or (
                event.key() == Qt.Key.Key_Left and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.back.emit()
            return
        super().keyPressEvent(event)

    # -- loading

    def open(self, case_code: str, interview_id: str | None = None) -> None:
        """Load a client's file; with ``interview_id`` the Gespräche tab opens on that interview."""
        from gk_desktop.services import clients

        vault = self._vault
        if vault is None:
            return
        self._pending_interview = interview_id
        self.case_code = case_code
        self.title.setText(case_code)
        from gk_desktop.services import history

        def load(_ctx: Any) -> dict[str, Any]:
            from gk_desktop.services import cycle

            shown = clients.show_client(vault, case_code, source="gui")
            shown["history"] = history.client_history(vault, case_code)
            shown["cycle"] = cycle.case_json(vault, case_code, source="gui")
            return shown

        Op(self, load).on_success(self._show).run()

    def reload(self) -> None:
        if self.case_code:
            self.open(self.case_code)

    PLACES = ("personal", "residence", "learning", "interviews", "planning", "referrals", "checks", "documents",
              "consents", "history")

    def show_place(self, place: str) -> None:
        """Bring the tab forward where ``place`` is dealt with (one of :data:`PLACES`)."""
        widget = {"personal": self.personal_index, "residence": self.residence_index,
                  "learning": self.learning_index, "interviews": self.interviews_index}.get(place)
        if widget is None:
            tab = {"planning": self.planning_tab, "referrals": self.referrals_tab, "checks": self.checks_tab,
                   "documents": self.documents_tab, "consents": self.consents_tab}.get(place)
            widget = self.tabs.indexOf(tab) if tab is not None else (self.tabs.count() - 1 if place == "history" else -1)
        if widget >= 0:
            self.tabs.setCurrentIndex(widget)

    def _show(self, shown: dict[str, Any]) -> None:
        if self._vault is None:
            return  # locked while loading
        self.shown = shown
        c = shown["client"]
        self.case_code, self.client_id = c["case_code"], c["id"]
        privacy.set_open_client(c["id"])
        self.title.setText(f"{c['last_name']}, {c['first_name']} — {c['case_code']}")
        self.overview.setHtml(client_html(shown, histories=False))
        self.periods.set_rows(list(reversed(c["residence_periods"])))
        self.asylum.set_rows(c["asylum_procedures"])
        self.efforts.set_rows(sorted(c["identity_efforts"], key=lambda e: e["date"] or "", reverse=True))
        ident = c["identity_status"]
        if ident:
            parts = [_("Identity clarified: {answer}").format(answer=labels.label(IDENTITY_CLARIFIED, ident["clarified"]))]
            if ident["documents_available"]:
                parts.append(_("Documents: {docs}").format(docs=ident["documents_available"]))
            if ident["passport_valid_until"]:
                parts.append(_("Passport valid until {date}").format(date=_date(ident["passport_valid_until"])))
            self.identity_label.setText(" · ".join(parts))
        else:
            self.identity_label.setText(_("Identity: nothing recorded yet."))
        self.embassy_warning.setText(_(EMBASSY_WARNING))
        self.embassy_warning.setVisible(embassy_warning_applies(c))
        self.education.set_rows(c["education_records"])
        self.certificates.set_rows(c["language_certificates"])
        self.work.set_rows(c["work_records"])
        self.interviews.set_rows(shown["contacts"])
        self.documents_tab.set_documents(c["case_code"], shown.get("documents", []))
        cyc = shown.get("cycle")
        if cyc is not None:
            self.planning_tab.retention_years = self.retention_years
            self.planning_tab.set_case(c["case_code"], cyc["case"]["id"], cyc)
            self.referrals_tab.set_case(c["case_code"], cyc["case"]["id"], c["id"], cyc)
        self.checks_tab.set_client(c["case_code"])
        if self.consents_tab.client_id != c["id"] or self.consents_tab.case_code != c["case_code"]:
            self.consents_tab.set_client(c["case_code"], c["id"])
        else:
            self.consents_tab.reload()
        n_docs = len(shown.get("documents", []))
        self.tabs.setTabText(self.documents_index, _("&Documents") + (f" ({n_docs})" if n_docs else ""))
        self.variants.set_rows(c["name_variants"])
        self.languages.set_rows(c["languages"])
        self.contacts_people.set_rows(c["personal_contacts"])
        changes = shown.get("history", [])
        names = record_names(changes)
        self.history.set_rows([history_row(c, names) for c in changes])
        for table in self.findChildren(QTableView):
            table.resizeColumnsToContents()
            for col in range(table.model().columnCount() - 1):
                table.setColumnWidth(col, min(table.columnWidth(col), 320))
        self.interview_text.clear()
        if shown["contacts"]:
            self.interview_table.selectRow(0)
        pending, self._pending_interview = getattr(self, "_pending_interview", None), None
        if pending:
            self.show_interview(pending)
        self.loaded.emit()

    def _show_interview(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.interview_text.clear()
            return
        r = self.interviews.row_at(current.row())
        lines = [f"<p><b>{html.escape(_datetime(r['datetime']))}</b> · {html.escape(labels.label(CONTACT_TYPE, r['contact_type']))}"]
        if r["place"]:
            lines.append(" · " + html.escape(r["place"]))
        lines.append("</p>")
        if r["participants"]:
            lines.append(f"<p>{html.escape(_('Participants'))}: {html.escape(r['participants'])}</p>")
        if r["interpreter"] and r["interpreter"] != "KEINE":
            lines.append(f"<p>{html.escape(_('Interpreter'))}: {html.escape(r['interpreter_language'] or '')}</p>")
        lines.append("<p>" + html.escape(r["note"] or "").replace("\n", "<br>") + "</p>")
        if r["agreements"]:
            lines.append(f"<p><b>{html.escape(_('Agreements'))}</b><br>" + html.escape(r["agreements"]).replace("\n", "<br>") + "</p>")
        if r["next_appointment"]:
            lines.append(f"<p>{html.escape(_('Next appointment'))}: {html.escape(_datetime(r['next_appointment']))}</p>")
        self.interview_text.setHtml("".join(lines))

    # -- editing the lists of the file (education, certificates, work, efforts, asylum)

    def _list_buttons(self, key: str, table: QTableView, model: RecordTableModel, title: str,
                      fields: Callable[[], list[Any]], defaults: dict[str, Any]) -> QHBoxLayout:
        add = QPushButton(_("Add …"))
        change = QPushButton(_("Change …"))
        delete = QPushButton(_("Delete"))
        for b in (add, change, delete):
            b.setAccessibleName(f"{b.text()} {title}")
        add.clicked.connect(lambda: self._edit_item(key, title, fields, None, defaults))
        change.clicked.connect(lambda: self._edit_selected(key, table, model, title, fields, defaults))
        table.doubleClicked.connect(lambda _i: self._edit_selected(key, table, model, title, fields, defaults))
        delete.clicked.connect(lambda: self._delete_selected(key, table, model, title))
        row = QHBoxLayout()
        for b in (add, change, delete):
            row.addWidget(b)
        row.addStretch(1)
        self.list_buttons[key] = (add, change, delete)
        return row

    def _edit_selected(self, key: str, table: QTableView, model: RecordTableModel, title: str,
                       fields: Callable[[], list[Any]], defaults: dict[str, Any]) -> None:
        rows = table.selectionModel().selectedRows()
        if rows:
            self._edit_item(key, title, fields, model.row_at(rows[0].row()), defaults)

    def _edit_item(self, key: str, title: str, fields: Callable[[], list[Any]], current: dict[str, Any] | None,
                   defaults: dict[str, Any]) -> None:
        from gk_desktop.ui.record_editor import RecordDialog

        if self.shown is None:
            return
        dialog = RecordDialog(title, fields(), current or defaults, self)
        self.item_dialog = dialog

        def done(result: int) -> None:
            if result != QDialog.DialogCode.Accepted or dialog.result_values is None or self.shown is None:
                return
            items = [dict(i) for i in self.shown["client"][key]]
            if current is None:
                items.append(dialog.result_values)
            else:
                for item in items:
                    if item["id"] == current["id"]:
                        item.update(dialog.result_values)
            self._save_list(key, items)

        dialog.finished.connect(done)
        dialog.open()

    def _delete_selected(self, key: str, table: QTableView, model: RecordTableModel, title: str) -> None:
        rows = table.selectionModel().selectedRows()
        if not rows or self.shown is None:
            return
        current = model.row_at(rows[0].row())
        if confirm_delete(self, title, _("Delete the selected entry?")):
            self._save_list(key, [i for i in self.shown["client"][key] if i["id"] != current["id"]])

    def _save_list(self, key: str, items: list[dict[str, Any]]) -> None:
        self._save_changes({key: items})

    # -- editing the personal data

    PERSONAL_FIELDS = (
        ("first_name", N_("First name"), "text", None, True), ("last_name", N_("Last name"), "text", None, True),
        ("birth_date", N_("Birth date"), "date", None, True), ("birth_date_fictitious", N_("Birth date fictitious"), "bool", None, False),
        ("gender", N_("Gender"), "enum", labels.GENDER, True), ("country_of_origin", N_("Country of origin"), "text", None, False),
        ("nationalities", N_("Nationalities (codes, e.g. SY, IQ)"), "text", None, False),
        ("entry_date_de", N_("In Germany since"), "date", None, False), ("address", N_("Address"), "text", None, False),
        ("phone", N_("Phone"), "text", None, False), ("email", N_("E-mail"), "text", None, False),
        ("interpreter_needed", N_("Interpreter"), "bool", None, False),
        ("interpreter_language", N_("Interpreting language"), "text", None, False),
        ("minor_children", N_("Minor children"), "text", None, False),
        ("responsible_abh", N_("Responsible immigration office"), "text", None, False),
        ("exclusion_outcome", N_("Exclusion check"), "enum", labels.EXCLUSION, False),
        ("internal_notes", N_("Internal notes"), "text", None, False),
    )

    def edit_personal(self) -> None:
        from gk_desktop.ui.record_editor import FieldSpec, RecordDialog

        if self.shown is None:
            return
        client = self.shown["client"]
        fields = [FieldSpec(k, label, kind, choices, req) for k, label, kind, choices, req in self.PERSONAL_FIELDS]
        values = {k: client.get(k) for k, *_rest in self.PERSONAL_FIELDS}
        values["nationalities"] = ", ".join(client.get("nationalities") or [])
        dialog = RecordDialog(_("Personal data"), fields, values, self)
        self.personal_dialog = dialog

        def done(result: int) -> None:
            if result != QDialog.DialogCode.Accepted or dialog.result_values is None:
                return
            changed = {}
            for key, value in dialog.result_values.items():
                if key == "minor_children":
                    value = int(value) if str(value or "0").strip().isdigit() else value
                if key == "country_of_origin" and value == "":
                    value = None
                if key == "nationalities":
                    value = [v.strip().upper() for v in str(value or "").replace(";", ",").split(",") if v.strip()]
                if value != client.get(key) and not (value == "" and client.get(key) is None):
                    changed[key] = value
            if changed:
                self._save_changes(changed)

        dialog.finished.connect(done)
        dialog.open()

    def edit_identity(self) -> None:
        from gk_desktop.ui.record_editor import FieldSpec, RecordDialog

        if self.shown is None:
            return
        current = self.shown["client"].get("identity_status") or {"clarified": "UNBEKANNT"}
        dialog = RecordDialog(_("Identity and passport"), [
            FieldSpec("clarified", N_("Identity clarified"), "enum", IDENTITY_CLARIFIED, required=True),
            FieldSpec("documents_available", N_("Documents"), "text"),
            FieldSpec("passport_valid_until", N_("Passport valid until"), "date"),
        ], current, self)
        self.identity_dialog = dialog

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.result_values is not None:
                self._save_changes({"identity_status": dialog.result_values})

        dialog.finished.connect(done)
        dialog.open()

    def _save_changes(self, changed: dict[str, Any]) -> None:
        from gk_desktop.services import clients
        from gk_desktop.ui.ops import show_error

        vault, code = self._vault, self.case_code
        if vault is None or code is None:
            return
        Op(self, lambda _ctx: clients.update_client(vault, code, changed, source="gui")) \
            .on_success(lambda _id: (self.reload(), self.changed.emit())) \
            .on_failure(lambda exc: show_error(self, exc)).run()

    # -- editing the residence history

    def _period_fields(self) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        return [
            FieldSpec("status", N_("Status"), "enum", labels.RESIDENCE_STATUS, required=True),
            FieldSpec("valid_from", N_("from"), "date"),
            FieldSpec("valid_until", N_("valid until"), "date"),
            FieldSpec("employment_permission", N_("Employment"), "enum", EMPLOYMENT, required=True),
            FieldSpec("issuing_office", N_("issued by"), "text"),
            FieldSpec("legal_detail", N_("Legal detail"), "text"),
            FieldSpec("source", N_("Source"), "enum", SOURCE, required=True),
        ]

    def _selected_period(self) -> dict[str, Any] | None:
        rows = self.periods_table.selectionModel().selectedRows()
        return self.periods.row_at(rows[0].row()) if rows else None

    def add_period(self) -> None:
        self._edit_period(None)

    def edit_period(self) -> None:
        current = self._selected_period()
        if current is not None:
            self._edit_period(current)

    def _edit_period(self, current: dict[str, Any] | None) -> None:
        if self.shown is None:
            return
        defaults = {"status": "DULDUNG_60A", "employment_permission": "UNBEKANNT", "source": "DOKUMENT_GESEHEN"}
        self._edit_item("residence_periods", _("Residence status"), self._period_fields, current, defaults)
        self.period_dialog = self.item_dialog

    def delete_period(self) -> None:
        current = self._selected_period()
        if current is None or self.shown is None:
            return
        if not confirm_delete(self, _("Delete residence status"),
                              _("Delete this period ({status}, {start} – {end}) from the residence history?").format(
                                  status=labels.label(labels.RESIDENCE_STATUS, current["status"]),
                                  start=_date(current["valid_from"]) or "…", end=_date(current["valid_until"]) or "…")):
            return
        self._save_list("residence_periods", [p for p in self.shown["client"]["residence_periods"] if p["id"] != current["id"]])

    def _cycle_changed(self) -> None:
        self.reload()
        self.changed.emit()

    def record_consent_for(self, prefill: dict[str, Any]) -> None:
        """A referral waits for a consent: open the Einwilligungen tab with the form filled in."""
        self.tabs.setCurrentIndex(self.consents_index)
        self.consents_tab.add_consent({k: v for k, v in prefill.items() if k in ("partner_id", "categories", "purpose")})

    def show_matching_offers(self) -> None:
        from gk_desktop.ui.matching_dialog import MatchingDialog

        if self._vault is None or self.client_id is None:
            return
        if self.matching_dialog is not None:
            self.matching_dialog.close()
        self.matching_dialog = MatchingDialog(self._vault, self.client_id, self)
        self.matching_dialog.open()

    def _documents_changed(self) -> None:
        self.reload()
        self.changed.emit()

    def _document_choices(self) -> dict[str, str]:
        """The documents of the file a record can point at (its certificate, the signed scan)."""
        from gk_desktop.ui.documents_tab import document_label

        return {d["id"]: document_label(d) for d in (self.shown or {}).get("documents", [])}

    def _document_name(self, doc_id: str | None) -> str:
        if not doc_id:
            return ""
        return self._document_choices().get(doc_id, "")

    def copy_case_code(self) -> None:
        from gk_desktop.ui.clipboard import copy_text

        if self.case_code:
            copy_text(self.case_code)

    def set_interviews_enabled(self, enabled: bool) -> None:
        self.new_interview_button.setEnabled(enabled)

    def _new_interview(self) -> None:
        if self.case_code and self.client_id and self.new_interview_button.isEnabled():
            self.new_interview_requested.emit(self.case_code, self.client_id)

    def show_interview(self, contact_id: str) -> bool:
        """Select an interview (a search hit on a note opens it here)."""
        for row in range(self.interviews.rowCount()):
            if self.interviews.row_at(row)["id"] == contact_id:
                self.tabs.setCurrentIndex(3)
                self.interview_table.selectRow(row)
                return True
        return False

    def clear(self) -> None:
        privacy.set_open_client(None)
        self.print_launcher.clear()  # the preview holds a document of the case
        self._vault = None
        self.case_code = self.client_id = None
        self.shown = None
        self.title.clear()
        self.overview.clear()
        for model in (self.periods, self.asylum, self.efforts, self.education, self.certificates, self.work,
                      self.interviews, self.history, self.variants, self.languages, self.contacts_people):
            model.set_rows([])
        self.identity_label.clear()
        self.interview_text.clear()
        self.documents_tab.clear()
        self.consents_tab.clear()
        self.referrals_tab.clear()
        self.planning_tab.clear()
        self.checks_tab.clear()
        if self.matching_dialog is not None:
            self.matching_dialog.clear()
            self.matching_dialog.close()
            self.matching_dialog = None
