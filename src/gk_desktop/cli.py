"""gk-cli: the headless face of the same services the GUI uses (contract: CLI.md, docs/cli.md)."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn

from gk_desktop import __version__
from gk_desktop.errors import GkError, NoVaultError, UsageError, VaultExistsError
from gk_desktop.i18n import _
from gk_desktop.paths import VaultPaths, resolve_data_dir

log = logging.getLogger("gk_desktop.cli")


_JSON_REQUESTED = False  # set by main() before parsing, so usage errors honour --json too


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        text = _("Usage error: {message}").format(message=message)
        sys.stderr.write(text + "\n")
        if _JSON_REQUESTED:
            sys.stdout.write(json.dumps({"error": text, "exit_code": 2}, ensure_ascii=False) + "\n")
        raise SystemExit(2)


# --------------------------------------------------------------------------- secrets


def _tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not _tty():
        raise UsageError(
            _("{env} is not set and there is no terminal to ask. Nothing was changed.").format(env=env)
        )
    first = getpass.getpass(prompt + ": ")
    if confirm:
        second = getpass.getpass(_("Repeat") + ": ")
        if first != second:
            raise UsageError(_("The two entries differ. Nothing was changed."))
    if not first:
        raise UsageError(_("No input. Nothing was changed."))
    return first


def _unlock_secret() -> tuple[str | None, str | None]:
    """Passphrase, else recovery key from the environment, else ask for the passphrase."""
    if os.environ.get("GK_PASSPHRASE"):
        return os.environ["GK_PASSPHRASE"], None
    if os.environ.get("GK_RECOVERY_KEY"):
        return None, os.environ["GK_RECOVERY_KEY"]
    return _secret("GK_PASSPHRASE", _("Passphrase")), None


def _require_vault(data_dir: Path) -> None:
    if not VaultPaths(data_dir).has_vault():
        raise NoVaultError(
            _("There is no vault in {path}. Create one with 'gk-cli init'.").format(path=data_dir)
        )


# --------------------------------------------------------------------------- output


def _emit(args: argparse.Namespace, payload: dict[str, Any], human: Callable[[], str]) -> None:
    if args.json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=_json_default) + "\n")
    else:
        sys.stdout.write(human() + "\n")


def _json_default(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return dataclasses.asdict(obj)  # type: ignore[arg-type]
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(type(obj).__name__)


def _recovery_text(printed: str) -> str:
    return "\n".join([
        _("Recovery key (write it down or print it, keep it sealed in the office safe):"),
        "",
        "    " + "  ".join(printed.split("-")[:7]),
        "    " + "  ".join(printed.split("-")[7:]),
        "",
        _("Whoever holds it can open the vault. Without it a forgotten passphrase means the loss of all data."),
    ])


# --------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    from gk_desktop.services import vault_admin

    data_dir = args.data_dir
    if VaultPaths(data_dir).has_vault():
        raise VaultExistsError(_("A vault already exists in {path}. Nothing was changed.").format(path=data_dir))
    passphrase = _secret("GK_PASSPHRASE", _("New passphrase (at least 14 characters)"), confirm=True)
    from gk_desktop.storage.keys import require_passphrase_policy, test_profile_enabled

    require_passphrase_policy(passphrase)
    if not test_profile_enabled():
        sys.stderr.write(_("Measuring this computer for the key derivation (a few seconds) ...") + "\n")
    printed = vault_admin.init_vault(data_dir, passphrase)
    _setup_file_logging(data_dir)
    log.info("vault created by gk-cli")
    _emit(args, {"recovery_key": printed, "data_dir": str(data_dir)},
          lambda: _("Vault created in {path}.").format(path=data_dir) + "\n\n" + _recovery_text(printed))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from gk_desktop.services import vault_admin

    _require_vault(args.data_dir)
    passphrase, recovery = _unlock_secret()
    info = vault_admin.vault_info(args.data_dir, passphrase, recovery)
    payload = dataclasses.asdict(info)  # the keys of CLI.md, plus vault_id and backups

    def human() -> str:
        lines = [
            _("Data folder: {v}").format(v=info.data_dir),
            _("Schema version: {v}").format(v=info.schema_version),
            _("SQLCipher: {v}").format(v=info.sqlcipher_version),
            _("Key derivation: Argon2id, {mib} MiB, {t} passes, {p} lanes ({profile})").format(
                mib=info.kdf.memory_kib // 1024, t=info.kdf.time_cost, p=info.kdf.parallelism, profile=info.kdf.profile),
            _("Device id: {v}").format(v=info.device_id),
            _("Backups: {n}, last: {last}").format(n=info.backups, last=info.last_backup or "-"),
            _("Records:"),
        ]
        lines += [f"  {name}: {n}" for name, n in info.counts.items()]
        return "\n".join(lines)

    _emit(args, payload, human)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from gk_desktop.services import vault_admin

    _require_vault(args.data_dir)
    passphrase, recovery = _unlock_secret()
    result = vault_admin.check_vault(args.data_dir, passphrase, recovery)
    payload = dataclasses.asdict(result)

    def human() -> str:
        if result.ok:
            return _("The vault is intact (database, encryption, settings and sync stamps checked).")
        return _("The vault check found problems: {details}").format(
            details="; ".join([result.quick_check] + result.cipher_integrity_check + result.stamp_problems[:5]))

    _emit(args, payload, human)
    return 0 if result.ok else 5


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    from gk_desktop.services import vault_admin

    _require_vault(args.data_dir)
    old = _secret("GK_PASSPHRASE", _("Current passphrase"))
    new = _secret("GK_NEW_PASSPHRASE", _("New passphrase (at least 14 characters)"), confirm=True)
    vault_admin.change_passphrase(args.data_dir, old, new)
    _emit(args, {"recovery_key": None, "changed": True},
          lambda: _("The passphrase was changed. The recovery key stays the same."))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from gk_desktop.services import vault_admin

    _require_vault(args.data_dir)
    recovery = _secret("GK_RECOVERY_KEY", _("Recovery key"))
    new = _secret("GK_NEW_PASSPHRASE", _("New passphrase (at least 14 characters)"), confirm=True)
    printed = vault_admin.recover(args.data_dir, recovery, new)
    _emit(args, {"recovery_key": printed},
          lambda: _("The new passphrase is set. The recovery key that was used no longer works; here is the new one.")
          + "\n\n" + _recovery_text(printed))
    return 0


def cmd_reissue(args: argparse.Namespace) -> int:
    from gk_desktop.services import vault_admin

    _require_vault(args.data_dir)
    passphrase = _secret("GK_PASSPHRASE", _("Passphrase"))
    printed = vault_admin.reissue_recovery_key(args.data_dir, passphrase)
    _emit(args, {"recovery_key": printed},
          lambda: _("A new recovery key was issued; the old one no longer opens the vault.") + "\n\n" + _recovery_text(printed))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from gk_desktop.services import vault_admin

    _require_vault(args.data_dir)
    passphrase, recovery = _unlock_secret()
    path = vault_admin.backup(args.data_dir, passphrase, recovery, to=Path(args.to) if args.to else None)
    _emit(args, {"path": str(path)}, lambda: _("Backup written: {path}").format(path=path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from gk_desktop.services import vault_admin

    data_dir = args.data_dir
    if VaultPaths(data_dir).has_vault() and not args.replace:
        raise VaultExistsError(
            _("A vault already exists in {path}. Use --replace to set it aside and restore.").format(path=data_dir))
    passphrase, recovery = _unlock_secret()
    new = os.environ.get("GK_NEW_PASSPHRASE") or None
    device_id = vault_admin.restore(Path(args.file), data_dir, passphrase, recovery, new_passphrase=new,
                                    replace_existing=args.replace)
    _setup_file_logging(data_dir)
    log.info("vault restored by gk-cli")
    _emit(args, {"data_dir": str(data_dir), "device_id": device_id},
          lambda: _("The backup was restored into {path}. This vault now counts as a new device for exchange.").format(path=data_dir))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from gk_desktop.services import demo
    from gk_desktop.storage.vault import open_vault

    _require_vault(args.data_dir)
    if args.clients < 0 or args.clients > 100_000:
        raise UsageError(_("--clients must be between 0 and 100000."))
    passphrase, recovery = _unlock_secret()
    with open_vault(VaultPaths(args.data_dir), passphrase, recovery_key=recovery) as v:
        result = demo.generate(v, args.clients, seed=args.seed)
    _emit(args, {"clients": result.clients, "cases": result.cases, "contacts": result.contacts},
          lambda: _("Demo data added: {c} clients, {k} cases, {n} interviews.").format(
              c=result.clients, k=result.cases, n=result.contacts))
    return 0


def _read_input(source: str) -> Any:
    """One JSON object from a file or stdin ('-'), UTF-8."""
    from gk_desktop.errors import InputRejectedError

    try:
        if source == "-":
            raw = sys.stdin.buffer.read()
        else:
            raw = Path(source).read_bytes()
    except OSError as exc:
        raise InputRejectedError(_("The input file cannot be read ({reason}). Nothing was changed.").format(
            reason=exc.strerror or type(exc).__name__)) from exc
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputRejectedError(_("The input is not valid JSON (UTF-8). Nothing was changed.")) from exc


def _open_for_data(args: argparse.Namespace) -> Any:
    from gk_desktop.storage.vault import open_vault

    _require_vault(args.data_dir)
    passphrase, recovery = _unlock_secret()
    return open_vault(VaultPaths(args.data_dir), passphrase, recovery_key=recovery)


def cmd_client_add(args: argparse.Namespace) -> int:
    from gk_desktop.services import clients

    data = _read_input(args.source)
    with _open_for_data(args) as v:
        result = clients.add_client(v, data)
    dups = [{"case_code": d.case_code, "reason": d.reason} for d in result.possible_duplicates]

    def human() -> str:
        lines = [_("Client added: {code}").format(code=result.case_code)]
        if dups:
            lines.append(_("Possible duplicates (please check):"))
            lines += [f"  {d['case_code']}  ({d['reason']})" for d in dups]
        return "\n".join(lines)

    _emit(args, {"id": result.id, "case_code": result.case_code, "possible_duplicates": dups}, human)
    return 0


def cmd_client_update(args: argparse.Namespace) -> int:
    from gk_desktop.services import clients

    data = _read_input(args.source)
    with _open_for_data(args) as v:
        client_id = clients.update_client(v, args.case_code, data)
    _emit(args, {"id": client_id, "case_code": clients.normalise_code(args.case_code)},
          lambda: _("Client {code} updated.").format(code=clients.normalise_code(args.case_code)))
    return 0


def cmd_client_list(args: argparse.Namespace) -> int:
    from gk_desktop.services import clients

    with _open_for_data(args) as v:
        rows = clients.list_clients(v)

    def human() -> str:
        lines = [f"{r.case_code}  {r.last_name}, {r.first_name}  {r.birth_date:%d.%m.%Y}  {r.target_group}  "
                 f"{r.residence_status or '-'}  {r.phase or '-'}" for r in rows]
        lines.append(_("{n} clients").format(n=len(rows)))
        return "\n".join(lines)

    _emit(args, {"clients": [r.as_json() for r in rows]}, human)
    return 0


def cmd_client_show(args: argparse.Namespace) -> int:
    from gk_desktop.services import clients

    with _open_for_data(args) as v:
        shown = clients.show_client(v, args.case_code)
    _emit(args, shown, lambda: json.dumps(shown, ensure_ascii=False, indent=2))
    return 0


def cmd_contact_add(args: argparse.Namespace) -> int:
    from gk_desktop.services import contacts

    data = _read_input(args.source)
    with _open_for_data(args) as v:
        contact_id = contacts.add_contact(v, args.case_code, data)
    _emit(args, {"id": contact_id}, lambda: _("Interview recorded."))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from gk_desktop.services import search

    if args.limit < 1 or args.limit > search.MAX_LIMIT:
        raise UsageError(_("--limit must be between 1 and {n}.").format(n=search.MAX_LIMIT))
    with _open_for_data(args) as v:
        with v.session() as session:
            hits = search.search_all(session, args.text, args.limit)

    def human() -> str:
        lines = [f"{h.case_code}  {h.last_name}, {h.first_name}  [{h.match}: {h.snippet}]" for h in hits]
        lines.append(_("{n} hits").format(n=len(hits)))
        return "\n".join(lines)

    _emit(args, {"query": args.text, "results": [h.as_json() for h in hits]}, human)
    return 0


def _document_limit_mb() -> int:
    from gk_desktop.settings import Settings

    return Settings.load().max_document_mb


def cmd_document_add(args: argparse.Namespace) -> int:
    from gk_desktop.services import documents

    fields = {key: value for key, value in (
        ("type", args.type), ("title", args.title), ("date", args.date), ("valid_until", args.valid_until),
        ("source", args.doc_source), ("purpose", args.purpose), ("delete_by", args.delete_by)) if value is not None}
    limit = _document_limit_mb()
    path = Path(args.file)
    data = documents.read_file_checked(path, limit)
    # Refuse a wrong file or wrong details before the vault is even opened.
    documents.check_file(path.name, data, limit)
    documents.raise_field_problems(fields)
    with _open_for_data(args) as v:
        added = documents.add_document(v, args.case_code, path.name, data, fields, max_mb=limit)
    _emit(args, {"id": added.id, "sha256": added.sha256},
          lambda: _("Document stored: {id} (SHA-256 {sha})").format(id=added.id, sha=added.sha256))
    return 0


def cmd_document_export(args: argparse.Namespace) -> int:
    from gk_desktop.services import documents

    with _open_for_data(args) as v:
        row = documents.export_document(v, args.id, Path(args.to))
    _emit(args, {"id": row.id, "path": str(Path(args.to).resolve()), "sha256": row.sha256, "size": row.size},
          lambda: _("Document written to {path}.").format(path=args.to))
    return 0


def cmd_document_list(args: argparse.Namespace) -> int:
    from gk_desktop.services import documents

    with _open_for_data(args) as v:
        rows = documents.list_documents(v, case_code=args.case_code)

    def human() -> str:
        lines = [f"{r.id}  {r.doc_type}  {r.date.strftime('%d.%m.%Y') if r.date else '–'}  {r.title}  "
                 f"{r.mime}  {r.size} B" for r in rows]
        lines.append(_("{n} documents").format(n=len(rows)))
        return "\n".join(lines)

    _emit(args, {"documents": [r.as_json() for r in rows]}, human)
    return 0


def cmd_document_delete(args: argparse.Namespace) -> int:
    from gk_desktop.services import documents

    with _open_for_data(args) as v:
        unlinked = documents.delete_document(v, args.id)
    _emit(args, {"id": args.id, "unlinked": unlinked}, lambda: _("Document deleted."))
    return 0


def cmd_offers_export(args: argparse.Namespace) -> int:
    from gk_desktop.services import offers
    from gk_desktop.storage.fsutil import atomic_write

    target = Path(args.file)
    if target.is_dir():
        raise UsageError(_("{path} is a folder; give a file name.").format(path=target))
    with _open_for_data(args) as v:
        data = offers.export_csv(v)
        count = len(offers.list_offers(v))
        v.record_event("export", target_table="offer")
    try:
        atomic_write(target, data)
    except OSError as exc:
        from gk_desktop.errors import InputRejectedError

        raise InputRejectedError(_("The file could not be written: {reason}. Nothing was exported.").format(
            reason=exc.strerror or exc)) from exc
    _emit(args, {"path": str(target.resolve()), "offers": count},
          lambda: _("{n} offers written to {path}.").format(n=count, path=target))
    return 0


def cmd_offers_import(args: argparse.Namespace) -> int:
    from gk_desktop.errors import InputRejectedError
    from gk_desktop.services import offers

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise InputRejectedError(_("The file cannot be read: {reason}").format(reason=exc.strerror or exc)) from exc
    with _open_for_data(args) as v:
        result = offers.import_csv(v, data)
    _emit(args, dataclasses.asdict(result), lambda: _("{added} offers added, {updated} changed, {partners} partners added.").format(
        added=result.added, updated=result.updated, partners=result.partners_added))
    return 0


def cmd_offers_list(args: argparse.Namespace) -> int:
    from gk_desktop.services import offers

    with _open_for_data(args) as v:
        rows = offers.list_offers(v)
    _emit(args, {"offers": [r.as_json() for r in rows]},
          lambda: "\n".join([f"{r.id}  {r.category}  {r.name}  {r.provider}" for r in rows]
                            + [_("{n} offers").format(n=len(rows))]))
    return 0


def cmd_partners_list(args: argparse.Namespace) -> int:
    from gk_desktop.services import offers

    with _open_for_data(args) as v:
        rows = offers.list_partners(v)
    _emit(args, {"partners": [{"id": r.id, "name": r.name, "partner_type": r.partner_type} for r in rows]},
          lambda: "\n".join([f"{r.id}  {r.partner_type}  {r.name}" for r in rows]
                            + [_("{n} partners").format(n=len(rows))]))
    return 0


def cmd_case_show(args: argparse.Namespace) -> int:
    from gk_desktop.services import cycle

    with _open_for_data(args) as v:
        shown = cycle.case_json(v, args.case_code, args.case_id)
    _emit(args, shown, lambda: json.dumps(shown, ensure_ascii=False, indent=2))
    return 0


def cmd_residence_check(args: argparse.Namespace) -> int:
    from gk_desktop.services import residence

    if args.saved:
        with _open_for_data(args) as v:
            saved_checks = residence.list_checks(v, args.case_code)
        _emit(args, {"saved": saved_checks}, lambda: "\n".join(
            f"{c['on']}  {c['pathway']:<8} {c['light']:<5} Stand {c['stand'] or '–'}  {c['id']}" for c in saved_checks))
        return 0
    if args.update:
        data = _read_input(args.source) if args.source else {}
        with _open_for_data(args) as v:
            changed = residence.update_check(v, args.case_code, args.update, data)
        _emit(args, {"saved": [changed]}, lambda: _("Saved check updated."))
        return 0
    if args.save:
        if not args.pathway:
            raise UsageError(_("--save needs --pathway."))
        data = _read_input(args.source) if args.source else {}
        with _open_for_data(args) as v:
            saved = residence.save_check(v, args.case_code, args.pathway, data)
        _emit(args, {"checks": [saved]}, lambda: _("Check saved: {pathway} {light} (Stand {stand}).").format(
            pathway=saved["pathway"], light=saved["result"], stand=saved["rule_stand"] or "–"))
        return 0
    with _open_for_data(args) as v:
        results = residence.check_client(v, args.case_code, args.pathway)
    checks = [residence.result_json(r) for r in results]

    def human() -> str:
        lines = [_("Preparation for the conversation with the immigration office, not a legal decision.")]
        for c in checks:
            lines.append(f"{c['pathway']}: {c['result']}" + (f"  ({c['expected_eligible_on']})" if c["expected_eligible_on"] else ""))
            lines += [f"    {k['status']:<15} {k['label']}: {k['value']}" for k in c["criteria"]]
        return "\n".join(lines)

    _emit(args, {"checks": checks}, human)
    return 0


def cmd_residence_overview(args: argparse.Namespace) -> int:
    from gk_desktop.services import residence

    if not 1 <= args.months <= 120:
        raise UsageError(_("--months must lie between 1 and 120."))
    with _open_for_data(args) as v:
        shown = residence.overview(v, months_to_27=args.months, open_cases_only=not args.all)
    assert shown is not None

    def human() -> str:
        lines = [_("Preparation for the conversation with the immigration office, not a legal decision.")]
        lines += [f"{r['case_code']}  {r['pathway']:<8} {r['result']:<5} {r['expected_eligible_on'] or ''}"
                  for r in shown["pathways"]]
        lines.append(_("Turning 27 within {n} months, § 25a not red:").format(n=args.months))
        lines += [f"{r['case_code']}  {r['deadline']}  {r['result']}" for r in shown["turning_27"]]
        return "\n".join(lines)

    _emit(args, shown, human)
    return 0


def cmd_deadlines(args: argparse.Namespace) -> int:
    from gk_desktop.domain.clock import today
    from gk_desktop.services import deadlines

    if args.action is not None:
        if not args.key:
            raise UsageError(_("deadlines {action} needs the deadline's KEY (see gk-cli deadlines --json).").format(
                action=args.action))
        decision = {"done": "ERLEDIGT", "dismiss": "VERWORFEN", "reopen": "OFFEN"}[args.action]
        with _open_for_data(args) as v:
            shown = deadlines.decide(v, args.key, decision)
        _emit(args, {"deadlines": [shown]}, lambda: _("{key}: {status}").format(key=shown["key"], status=shown["status"]))
        return 0
    if args.key:
        raise UsageError(_("A KEY only goes with done, dismiss or reopen."))
    if not 0 <= args.days <= 3650:
        raise UsageError(_("--days must lie between 0 and 3650."))
    on = today()
    with _open_for_data(args) as v:
        found = deadlines.due(v, days=args.days, everything=args.all, on=on)
    rows = [deadlines.deadline_json(d, on) for d in found]

    def human() -> str:
        from gk_desktop import labels

        lines = [f"{r['due']}  {r['case_code'] or '-':<13} {r['status']:<9} "
                 f"{labels.label(labels.DEADLINE_TYPE, r['type'])}  [{r['key']}]" for r in rows]
        return "\n".join(lines) if lines else _("No deadlines due.")

    _emit(args, {"deadlines": rows}, human)
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from gk_desktop.services import calendar

    target = Path(args.to)
    if target.is_dir():
        raise UsageError(_("{path} is a folder; give a file name.").format(path=target))
    if target.suffix.lower() != ".ics":
        raise UsageError(_("The calendar file must end in .ics."))
    with _open_for_data(args) as v:
        count = calendar.export(v, target)
    _emit(args, {"path": str(target), "events": count},
          lambda: _("{n} deadlines written to {path} (case codes only, no names).").format(n=count, path=target))
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from gk_desktop.services import printing
    from gk_desktop.settings import Settings

    target = Path(args.to)
    if target.is_dir():
        raise UsageError(_("{path} is a folder; give a file name.").format(path=target))
    if target.suffix.lower() != ".pdf":
        raise UsageError(_("The file must end in .pdf."))
    if not target.parent.is_dir():
        raise UsageError(_("The folder {path} does not exist.").format(path=target.parent))
    with _open_for_data(args) as v:
        data = printing.make_pdf(v, args.kind, args.case_code, record_id=args.id, lang=args.lang,
                                 settings=Settings.load(), source="cli", interview_ids=args.interview or None)
        v.record_event("print", target_table="document")
    printing.save_pdf(data, target)
    _emit(args, {"path": str(target)}, lambda: _("Written: {path}").format(path=target))
    return 0


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gk-cli", description=_("gk-desktop on the command line (vault and data)."))
    parser.add_argument("--data-dir", help=_("data folder (default: GK_DATA_DIR or the user data folder)"))
    parser.add_argument("--version", action="version", version=f"gk-cli {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help=_("print exactly one JSON object on stdout"))
        p.set_defaults(func=func)
        return p

    add("init", cmd_init, _("create a new vault"))
    add("info", cmd_info, _("show facts about the vault"))
    add("check", cmd_check, _("check the vault's integrity without changing it"))
    add("change-passphrase", cmd_change_passphrase, _("change the passphrase"))
    add("recover", cmd_recover, _("set a new passphrase with the recovery key"))
    add("reissue-recovery-key", cmd_reissue, _("issue a new recovery key"))
    p = add("backup", cmd_backup, _("write an encrypted backup"))
    p.add_argument("--to", metavar="FILE", help=_("backup file (default: backups/ in the data folder, rotated)"))
    p = add("restore", cmd_restore, _("restore a backup into the data folder"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help=_("set an existing vault aside (never deleted)"))
    p = add("demo", cmd_demo, _("add synthetic demo data"))
    p.add_argument("--clients", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)

    def group(name: str, help_text: str) -> Callable[..., argparse.ArgumentParser]:
        """A command with subcommands (``client add`` …); returns the function that adds one."""
        parent = sub.add_parser(name, help=help_text, description=help_text)
        children = parent.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND", parser_class=_Parser)
        children.required = True

        def add_child(child: str, func: Callable[[argparse.Namespace], int], child_help: str) -> argparse.ArgumentParser:
            q = children.add_parser(child, help=child_help, description=child_help)
            q.add_argument("--json", action="store_true", help=_("print exactly one JSON object on stdout"))
            q.set_defaults(func=func)
            return q

        return add_child

    add_client_cmd = group("client", _("clients: add, update, list, show"))

    q = add_client_cmd("add", cmd_client_add, _("add a client (a case in phase ERSTKONTAKT is opened)"))
    q.add_argument("--from", dest="source", metavar="FILE", required=True, help=_("JSON file, or - for stdin"))
    q = add_client_cmd("update", cmd_client_update, _("change the given keys of a client"))
    q.add_argument("case_code", metavar="CASE_CODE")
    q.add_argument("--from", dest="source", metavar="FILE", required=True, help=_("JSON file, or - for stdin"))
    add_client_cmd("list", cmd_client_list, _("list every client"))
    q = add_client_cmd("show", cmd_client_show, _("show everything held on one client"))
    q.add_argument("case_code", metavar="CASE_CODE")
    contact = sub.add_parser("contact", help=_("interviews: add"), description=_("interviews: add"))
    contact_sub = contact.add_subparsers(dest="contact_command", metavar="SUBCOMMAND", parser_class=_Parser)
    contact_sub.required = True
    q = contact_sub.add_parser("add", help=_("record an interview in the client's current case"),
                               description=_("record an interview in the client's current case"))
    q.add_argument("--json", action="store_true", help=_("print exactly one JSON object on stdout"))
    q.add_argument("case_code", metavar="CASE_CODE")
    q.add_argument("--from", dest="source", metavar="FILE", required=True, help=_("JSON file, or - for stdin"))
    q.set_defaults(func=cmd_contact_add)
    add_document_cmd = group("document", _("documents: add, export, list, delete"))

    q = add_document_cmd("add", cmd_document_add, _("store a PDF, JPEG or PNG in the client's current case"))
    q.add_argument("case_code", metavar="CASE_CODE")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--type", metavar="T", help=_("document type (default SONSTIGES)"))
    q.add_argument("--title", metavar="TEXT")
    q.add_argument("--date", metavar="YYYY-MM-DD")
    q.add_argument("--valid-until", metavar="YYYY-MM-DD")
    q.add_argument("--source", dest="doc_source", metavar="S", help=_("where the document came from"))
    q.add_argument("--purpose", metavar="TEXT", help=_("why a copy of an identity document is kept (required for those)"))
    q.add_argument("--delete-by", metavar="YYYY-MM-DD", help=_("delete-by date (required for identity document copies)"))
    q = add_document_cmd("export", cmd_document_export, _("write a document to a file, byte for byte"))
    q.add_argument("id", metavar="ID")
    q.add_argument("--to", metavar="FILE", required=True)
    q = add_document_cmd("list", cmd_document_list, _("list the documents of a client"))
    q.add_argument("case_code", metavar="CASE_CODE")
    q = add_document_cmd("delete", cmd_document_delete, _("delete a document and its file"))
    q.add_argument("id", metavar="ID")
    add_case_cmd = group("case", _("one case of a client: show"))
    q = add_case_cmd("show", cmd_case_show, _("show everything of a case: assessment, goals, tasks, referrals, consents"))
    q.add_argument("case_code", metavar="CASE_CODE")
    q.add_argument("--case-id", metavar="ID", help=_("another case of the client than the current one"))
    p = add("residence-check", cmd_residence_check,
            _("residence-law checks from the file (preparation for the immigration office, not a decision)"))
    p.add_argument("case_code", metavar="CASE_CODE")
    p.add_argument("--pathway", metavar="P", help=_("one pathway (P60C, P16G, P19D_1A, P60D, P25A, P25B, P104C)"))
    p.add_argument("--save", action="store_true",
                   help=_("store the check of --pathway with its Stand (and outcomes, overrides, ABH dates from --from)"))
    p.add_argument("--saved", action="store_true", help=_("list the saved checks of the client, newest first"))
    p.add_argument("--update", metavar="ID",
                   help=_("record later steps of the ABH coordination on a saved check (from --from)"))
    p.add_argument("--from", dest="source", metavar="FILE", help=_("JSON file, or - for stdin"))
    p = add("residence-overview", cmd_residence_overview,
            _("across clients: pathways that are green or yellow; who turns 27 within a year with § 25a not red"))
    p.add_argument("--all", action="store_true", help=_("also clients without a running case"))
    p.add_argument("--months", type=int, default=12, metavar="N", help=_("turning 27 within N months (default 12)"))
    p = add("deadlines", cmd_deadlines, _("deadlines due within --days (overdue ones included); done, dismiss or "
                                          "reopen one by its KEY"))
    p.add_argument("action", nargs="?", choices=("done", "dismiss", "reopen"), metavar="done|dismiss|reopen")
    p.add_argument("key", nargs="?", metavar="KEY")
    p.add_argument("--days", type=int, default=7, metavar="N", help=_("due within N days from today (default 7)"))
    p.add_argument("--all", action="store_true", help=_("also the deadlines already done or dismissed"))
    p = add("calendar", cmd_calendar, _("write the open deadlines to an iCalendar file (case codes only, no names)"))
    p.add_argument("--to", required=True, metavar="FILE.ics")
    p = add("print", cmd_print, _("write a document as PDF: case sheet, goal agreement, consent form, information "
                                  "sheet, handover sheet"))
    p.add_argument("kind", choices=("casesheet", "agreement", "consent", "info-sheet", "referral"),
                   metavar="casesheet|agreement|consent|info-sheet|referral")
    p.add_argument("case_code", metavar="CASE_CODE")
    p.add_argument("--id", metavar="ID", help=_("the record: agreement, consent or referral (referral: required)"))
    p.add_argument("--lang", choices=("de", "en"), help=_("language of the document (default: the settings')"))
    p.add_argument("--interview", action="append", metavar="ID",
                   help=_("casesheet: print this interview with it (repeatable)"))
    p.add_argument("--to", required=True, metavar="FILE.pdf")
    add_offers_cmd = group("offers", _("the offers directory: import, export, list"))
    q = add_offers_cmd("import", cmd_offers_import, _("add or update offers from a CSV file (all or nothing)"))
    q.add_argument("file", metavar="FILE")
    q = add_offers_cmd("export", cmd_offers_export, _("write every offer to a CSV file"))
    q.add_argument("file", metavar="FILE")
    add_offers_cmd("list", cmd_offers_list, _("list every offer"))
    add_partners_cmd = group("partners", _("partners of the regional network"))
    add_partners_cmd("list", cmd_partners_list, _("list every partner"))
    p = add("search", cmd_search, _("find clients by name, name variant, case code or a word in an interview"))
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--limit", type=int, default=50)
    return parser


def _setup_file_logging(data_dir: Path) -> None:
    from gk_desktop.logsetup import setup_logging

    if data_dir.is_dir():
        setup_logging(VaultPaths(data_dir).logs)


def main(argv: list[str] | None = None) -> int:
    from gk_desktop.hardening import disable_core_dumps

    global _JSON_REQUESTED
    disable_core_dumps()
    # No log output on the terminal unless a data folder's log file is set up.
    root = logging.getLogger()
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    argv = sys.argv[1:] if argv is None else argv
    _JSON_REQUESTED = "--json" in argv
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    args.data_dir = resolve_data_dir(args.data_dir)
    if VaultPaths(args.data_dir).has_vault():
        _setup_file_logging(args.data_dir)
    try:
        return args.func(args)
    except GkError as exc:
        log.warning("gk-cli %s ended with exit %d (%s)", args.command, exc.exit_code, type(exc).__name__)
        _report_error(args, exc.message, exc.exit_code)
        return exc.exit_code
    except KeyboardInterrupt:
        _report_error(args, _("Cancelled. Nothing was changed."), 1)
        return 1
    except Exception:  # noqa: BLE001 - one place reports unexpected errors
        log.exception("gk-cli %s failed unexpectedly", args.command)
        _report_error(args, _("An unexpected error occurred. Details (without personal data) are in the log."), 1)
        return 1


def _report_error(args: argparse.Namespace, message: str, code: int) -> None:
    sys.stderr.write(_("Error: {message}").format(message=message) + "\n")
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps({"error": message, "exit_code": code}, ensure_ascii=False) + "\n")


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
