"""`make bench`: run every benchmark, print a table, rewrite benchmarks/results.json whole.

Format (CLI.md "Benchmarks"):
``{"machine": {...}, "when": ISO time, "results": [{"name", "value", "unit", "target", "baseline", "ratio"}]}``

Every run measures all benchmarks, so the figures of earlier issues stay in the file. Each
benchmark measures its own baseline in the same run (the bare cost of what it does), and the ratio
is value / baseline, so figures from different machines can be compared.

To add a benchmark: write ``def bench_x(ctx: Context) -> list[Result]`` and decorate it with
``@benchmark``; benchmarks run in the order they are defined, ``peak_rss_mb`` last. ``ctx.vault()``
gives the shared benchmark vault (production KDF profile, filled with demo data) in a temporary
folder that is removed at the end.
"""

from __future__ import annotations

import os

# The production key derivation is the point of the unlock figures: never the fast test profile.
os.environ.pop("GK_KDF_PROFILE", None)
for _var in ("GK_PASSPHRASE", "GK_NEW_PASSPHRASE", "GK_RECOVERY_KEY", "GK_DATA_DIR"):
    os.environ.pop(_var, None)

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable  # noqa: E402

RESULTS_FILE = Path(__file__).resolve().with_name("results.json")
PASSPHRASE = "korrekt pferd batterie heftklammer"
DEMO_CLIENTS = 10_000
DEMO_INTERVIEWS = 100_000
SEARCH_NAMES = 200
SEARCH_PREFIX_MAX = 8
UNLOCK_RUNS = 5
RAW_OPENS_PER_RUN = 3
COLD_UNLOCK_RUNS = 3


# --------------------------------------------------------------------------- framework


@dataclass
class Result:
    name: str
    value: float | int
    unit: str
    target: str | None = None  # e.g. "<= 150"
    baseline: float | None = None
    ratio: float | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("value", "baseline", "ratio"):
            if isinstance(data[key], float):
                data[key] = round(data[key], 3)
        return data


def with_baseline(name: str, value: float, unit: str, target: str | None, baseline: float | None) -> Result:
    ratio = value / baseline if baseline else None
    return Result(name, value, unit, target, baseline, ratio)


class Context:
    """State shared by the benchmarks of one run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._paths: Any = None
        self.notes: dict[str, Any] = {}

    def vault(self) -> Any:
        """The benchmark vault: created once with the calibrated production KDF, demo data inside."""
        if self._paths is None:
            from gk_desktop.paths import VaultPaths
            from gk_desktop.services import demo
            from gk_desktop.storage.vault import create_vault, open_vault

            paths = VaultPaths(self.root / "data")
            t0 = time.perf_counter()
            create_vault(paths, PASSPHRASE)
            self.notes["create_vault_s"] = round(time.perf_counter() - t0, 2)
            t0 = time.perf_counter()
            with open_vault(paths, PASSPHRASE) as v:
                demo.generate(v, DEMO_CLIENTS, seed=1)
            self.notes["demo_fill_s"] = round(time.perf_counter() - t0, 2)
            self.notes["demo_clients_per_s"] = round(DEMO_CLIENTS / max(self.notes["demo_fill_s"], 0.001), 1)
            t0 = time.perf_counter()
            with open_vault(paths, PASSPHRASE) as v:
                demo.add_interviews(v, DEMO_INTERVIEWS, seed=2)
            self.notes["interviews_fill_s"] = round(time.perf_counter() - t0, 2)
            self._paths = paths
        return self._paths


BENCHMARKS: list[Callable[[Context], list[Result]]] = []


def benchmark(fn: Callable[[Context], list[Result]]) -> Callable[[Context], list[Result]]:
    BENCHMARKS.append(fn)
    return fn


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# --------------------------------------------------------------------------- benchmarks


@benchmark
def bench_unlock(ctx: Context) -> list[Result]:
    """Unlock split into the key derivation and the rest, each against its bare minimum."""
    import sqlcipher3
    from argon2.low_level import Type, hash_secret_raw

    from gk_desktop.storage.keys import normalize_passphrase
    from gk_desktop.storage.vault import open_vault, read_kdf_params

    paths = ctx.vault()
    params = read_kdf_params(paths)
    ctx.notes["kdf"] = {"profile": params.profile, "memory_mib": params.memory_kib // 1024,
                        "time_cost": params.time_cost, "parallelism": params.parallelism}

    # Measurement and baselines alternate, so drift of the machine touches both alike.
    kdf: list[float] = []
    rest: list[float] = []
    bare: list[float] = []
    raw: list[float] = []
    secret = normalize_passphrase(PASSPHRASE)
    for _ in range(UNLOCK_RUNS):
        vault = open_vault(paths, PASSPHRASE)
        try:
            kdf.append(vault.timings.kdf_ms / 1000)
            rest.append(vault.timings.rest_ms / 1000)
            dek_hex = vault.dek.hex()
        finally:
            vault.close()
        # Baseline of the key derivation: Argon2id alone, with the vault's parameters.
        t0 = time.perf_counter()
        hash_secret_raw(secret=secret, salt=params.salt, time_cost=params.time_cost,
                        memory_cost=params.memory_kib, parallelism=params.parallelism, hash_len=32,
                        type=Type.ID, version=params.version)
        bare.append(time.perf_counter() - t0)
        # Baseline of the rest: a bare keyed open of the same file and one read of its schema.
        for _ in range(RAW_OPENS_PER_RUN):
            t0 = time.perf_counter()
            conn = sqlcipher3.connect(str(paths.db), isolation_level=None)
            conn.execute(f"PRAGMA key = \"x'{dek_hex}'\"")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            raw.append(time.perf_counter() - t0)
            conn.close()
        dek_hex = ""
    ctx.notes["unlock_rest_ms"] = median_ms(rest)
    ctx.notes["unlock_samples_ms"] = {
        "kdf": [round(x * 1000, 1) for x in kdf], "bare_kdf": [round(x * 1000, 1) for x in bare],
        "rest": [round(x * 1000, 1) for x in rest],
    }

    return [
        with_baseline("unlock_kdf_ms", median_ms(kdf), "ms", "500-2000", median_ms(bare)),
        with_baseline("unlock_rest_ms", median_ms(rest), "ms", "<= 150", median_ms(raw)),
        # What the calibration chose on this machine: the unlock figures depend on it.
        Result("unlock_kdf_memory_mib", params.memory_kib / 1024, "MiB", ">= 256"),
        Result("unlock_kdf_passes", params.time_cost, "passes", ">= 3"),
    ]


COLD_UNLOCK_CHILD = r"""
import json, os, sys
from pathlib import Path
from gk_desktop.paths import VaultPaths
from gk_desktop.storage.vault import open_vault
vault = open_vault(VaultPaths(Path(sys.argv[1])), os.environ["GK_PASSPHRASE"])
print(json.dumps({"kdf_ms": vault.timings.kdf_ms, "rest_ms": vault.timings.rest_ms}))
vault.close()
"""


@benchmark
def bench_unlock_cold(ctx: Context) -> list[Result]:
    """The rest of the first unlock in a fresh process (only the vault module imported before).

    Informative: it shows what lazy imports inside the unlock cost; the baseline is the warm
    ``unlock_rest_ms`` of this run.
    """
    import subprocess

    paths = ctx.vault()
    env = dict(os.environ, GK_PASSPHRASE=PASSPHRASE)
    rest = []
    for _ in range(COLD_UNLOCK_RUNS):
        out = subprocess.run([sys.executable, "-c", COLD_UNLOCK_CHILD, str(paths.root)], env=env,
                             capture_output=True, text=True, check=True, timeout=120)
        rest.append(json.loads(out.stdout.strip().splitlines()[-1])["rest_ms"] / 1000)
    return [with_baseline("unlock_rest_cold_ms", median_ms(rest), "ms", None, ctx.notes.get("unlock_rest_ms"))]


MINIMAL_QT_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
w = QLabel("x")
w.resize(1024, 700)
class F(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            import time
            sys.stdout.write(f"first_paint_monotonic {time.monotonic():.6f}\\n")
            sys.stdout.flush()
            app.quit()
        return False
f = F()
w.installEventFilter(f)
w.show()
app.exec()
"""
START_RUNS = 11


@benchmark
def bench_start_to_lock_screen(ctx: Context) -> list[Result]:
    """Process start to the first paint of the lock screen, against the first paint of a minimal
    PySide6 window started the same way in the same run (target ratio <= 1.5)."""
    import subprocess

    paths = ctx.vault()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GK_CONFIG_DIR=str(ctx.root / "config"))
    app_cmd = [sys.executable, "-m", "gk_desktop", "--data-dir", str(paths.root), "--quit-after-lock-screen"]
    base_cmd = [sys.executable, "-c", MINIMAL_QT_WINDOW]
    app_s, base_s = [], []
    for _ in range(START_RUNS):  # alternate, so machine drift hits both alike
        for cmd, bucket in ((base_cmd, base_s), (app_cmd, app_s)):
            # Process start to first paint, read from the child's system-wide monotonic clock
            # (process exit is not part of it).
            t0 = time.monotonic()
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, timeout=120)
            stamp = [ln for ln in out.stdout.splitlines() if ln.startswith("first_paint_monotonic ")]
            bucket.append(float(stamp[-1].split()[1]) - t0)
    app_ms, base_ms = median_ms(app_s), median_ms(base_s)
    return [
        Result("start_to_lock_screen_ratio", app_ms / base_ms, "ratio", "<= 1.5", 1.0, app_ms / base_ms),
        with_baseline("start_to_lock_screen_ms", app_ms, "ms", None, base_ms),
    ]


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _percentile_ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


@benchmark
def bench_search(ctx: Context) -> list[Result]:
    """Search as you type at 10,000 clients: the first 1 to 8 letters of 200 random names, each
    prefix one query through the service the GUI calls, against the bare FTS5 prefix query for
    the same prefixes on the same vault (target p95 <= 30 ms)."""
    import random

    from sqlalchemy import select, text

    from gk_desktop.services import search
    from gk_desktop.storage.models import Client
    from gk_desktop.storage.vault import open_vault

    paths = ctx.vault()
    with open_vault(paths, PASSPHRASE) as v:
        with v.session() as s:
            names = sorted(f"{f} {l}" for f, l in s.execute(select(Client.first_name, Client.last_name)))
        ctx.notes["clients"] = len(names)
        rng = random.Random(7)
        prefixes = [name[:k] for name in rng.sample(names, SEARCH_NAMES) for k in range(1, SEARCH_PREFIX_MAX + 1)
                    if k <= len(name)]
        bare = text("SELECT client_id FROM search_name WHERE search_name MATCH :q LIMIT :n")
        for prefix in prefixes[:100]:  # warm the page cache for both
            search.search_vault(v, prefix)
        service: list[float] = []
        baseline: list[float] = []
        hits = 0
        for prefix in prefixes:
            t0 = time.perf_counter()
            hits += len(search.search_vault(v, prefix))
            service.append(time.perf_counter() - t0)
            expr = search.match_expression(prefix)
            if expr is None:
                continue
            with v.session() as s:
                t0 = time.perf_counter()
                s.execute(bare, {"q": expr, "n": search.DEFAULT_LIMIT}).all()
                baseline.append(time.perf_counter() - t0)
    ctx.notes["search_queries"] = len(prefixes)
    ctx.notes["search_mean_hits"] = round(hits / len(prefixes), 1)
    base95 = _percentile_ms(baseline, 0.95)
    return [
        Result("search_keystroke_p50_ms", _percentile_ms(service, 0.5), "ms", None,
               _percentile_ms(baseline, 0.5), _percentile_ms(service, 0.5) / _percentile_ms(baseline, 0.5)),
        with_baseline("search_keystroke_p95_ms", _percentile_ms(service, 0.95), "ms", "<= 30", base95),
        Result("search_fts_baseline_p95_ms", base95, "ms"),
    ]


@benchmark
def bench_client_register(ctx: Context) -> list[Result]:
    """The register underneath the client list and the first-contact form, at 10,000 clients:
    every client with age, target group, status and phase (the service the list loads from), and
    the duplicate check of a new client, against a bare SELECT of the same clients' rows."""
    from sqlalchemy import select

    from gk_desktop.services import clients
    from gk_desktop.storage.models import Client
    from gk_desktop.storage.vault import open_vault

    paths = ctx.vault()
    with open_vault(paths, PASSPHRASE) as v:
        list_runs, bare_runs, dup_runs = [], [], []
        for _ in range(5):
            t0 = time.perf_counter()
            rows = clients.list_clients(v)
            list_runs.append(time.perf_counter() - t0)
            with v.session() as s:
                t0 = time.perf_counter()
                s.execute(select(Client.id, Client.case_code, Client.first_name, Client.last_name,
                                 Client.birth_date)).all()
                bare_runs.append(time.perf_counter() - t0)
        sample = rows[:: max(1, len(rows) // 20)][:20]
        for row in sample:
            data = {"first_name": row.first_name, "last_name": row.last_name, "birth_date": row.birth_date.isoformat()}
            t0 = time.perf_counter()
            clients.check_duplicates(v, data)
            dup_runs.append(time.perf_counter() - t0)
    return [
        with_baseline("client_register_list_ms", median_ms(list_runs), "ms", None, median_ms(bare_runs)),
        Result("duplicate_check_ms", median_ms(dup_runs), "ms", "<= 100"),
    ]


@benchmark
def bench_residence(ctx: Context) -> list[Result]:
    """The residence checks at 10,000 clients: the overview across clients (seven pathways for
    every client with a running case, in the background in the app) against reading the same
    facts alone; and one client's checks as the Prüfungen tab runs them."""
    import random

    from sqlalchemy import select

    from gk_desktop.services import residence
    from gk_desktop.storage.models import Client
    from gk_desktop.storage.vault import open_vault

    paths = ctx.vault()
    with open_vault(paths, PASSPHRASE) as v:
        runs, facts = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            shown = residence.overview(v, source="bench")
            runs.append(time.perf_counter() - t0)
            with v.session() as s:
                t0 = time.perf_counter()
                for _row in residence.all_file_facts(s):
                    pass
                facts.append(time.perf_counter() - t0)
        assert shown is not None
        ctx.notes["overview_rows"] = len(shown["pathways"])
        ctx.notes["overview_turning_27"] = len(shown["turning_27"])
        with v.session() as s:
            codes = list(s.execute(select(Client.case_code)).scalars())
        one = []
        for code in random.Random(7).sample(codes, 30):
            t0 = time.perf_counter()
            [residence.result_json(r) for r in residence.check_client(v, code, source="bench")]
            one.append(time.perf_counter() - t0)
    return [
        with_baseline("residence_overview_ms", median_ms(runs), "ms", None, median_ms(facts)),
        Result("residence_check_one_client_ms", median_ms(one), "ms", "<= 100"),
    ]


@benchmark
def bench_deadlines(ctx: Context) -> list[Result]:
    """Every deadline of the vault at 10,000 clients (what the start page works out after an
    unlock), against reading the same rows alone; and one client's deadlines after an edit of its
    file (what keeps the start page current)."""
    import random

    from sqlalchemy import select

    from gk_desktop.domain import deadlines as dl
    from gk_desktop.services import clients, deadlines
    from gk_desktop.storage.models import Client
    from gk_desktop.storage.vault import open_vault

    config = dl.DeadlineConfig()
    paths = ctx.vault()
    with open_vault(paths, PASSPHRASE) as v:
        runs, reads = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            found = deadlines.compute(v, config=config)
            runs.append(time.perf_counter() - t0)
            with v.session() as s:
                conn = s.connection()
                t0 = time.perf_counter()
                for name in deadlines._SQL:
                    deadlines._read(conn, name, None)
                reads.append(time.perf_counter() - t0)
        ctx.notes["deadlines"] = len(found)
        with v.session() as s:
            codes = list(s.execute(select(Client.case_code)).scalars())
        one = []
        for i, code in enumerate(random.Random(9).sample(codes, 30)):
            clients.update_client(v, code, {"phone": f"0170 {i:07d}"}, source="bench")
            t0 = time.perf_counter()
            deadlines.compute(v, config=config, case_code=code)
            one.append(time.perf_counter() - t0)
    return [
        with_baseline("deadlines_all_ms", median_ms(runs), "ms", "<= 1000", median_ms(reads)),
        Result("deadlines_one_client_ms", median_ms(one), "ms", "<= 20"),
    ]


@benchmark
def bench_casesheet(ctx: Context) -> list[Result]:
    """The Fallblatt at 10,000 clients: a typical case of two pages (data read and PDF made, in
    memory) against a bare ReportLab document with the same text in the same Noto font made in the
    same run; per page for a full case of five or more pages (with its interviews); and a batch of
    100 case sheets one after the other."""
    import io
    import subprocess
    import tempfile
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from sqlalchemy import select

    from gk_desktop.documents import casesheet, fonts
    from gk_desktop.documents.template import page_info
    from gk_desktop.services import clients, print_case
    from gk_desktop.settings import Settings
    from gk_desktop.storage.models import Client
    from gk_desktop.storage.vault import open_vault

    settings = Settings()

    def pages(pdf: bytes) -> int:
        import re

        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))

    def text_of(pdf: bytes) -> list[str]:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            out = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True)
        return [line for line in out.stdout.splitlines() if line.strip()]

    def bare(lines: list[str]) -> bytes:
        style = ParagraphStyle("b", fontName=fonts.BASE_FONT, fontSize=9.5, leading=12.5)
        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=A4, initialFontName=fonts.BASE_FONT).build(
            [Paragraph(escape(line), style) for line in lines])
        return out.getvalue()

    paths = ctx.vault()
    with open_vault(paths, PASSPHRASE) as v:
        with v.session() as s:
            codes = list(s.execute(select(Client.case_code).order_by(Client.case_code)).scalars())
        fonts.register()
        typical = None
        for code in codes[:400]:
            if pages(print_case.casesheet(v, code, settings=settings, source="bench")) == 2:
                typical = code
                break
        assert typical is not None
        lines = text_of(print_case.casesheet(v, typical, settings=settings, source="bench"))
        data = print_case.casesheet_data(v, typical, settings=settings, source="bench")
        page = page_info(settings, "Fallblatt", typical)
        runs, making, base = [], [], []
        for _ in range(20):
            t0 = time.perf_counter()
            print_case.casesheet(v, typical, settings=settings, source="bench")
            runs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            casesheet.build(data, page)  # the PDF alone, from the data already read
            making.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            bare(lines)
            base.append(time.perf_counter() - t0)
        # a full case: every interview of a client with many of them
        full, full_pages = None, 0
        for code in codes[:400]:
            shown = clients.show_client(v, code, source="bench")
            ids = [c["id"] for c in shown.get("contacts", [])]
            if len(ids) < 15:
                continue
            pdf = print_case.casesheet(v, code, settings=settings, interview_ids=ids, source="bench")
            if pages(pdf) >= 5:
                full, full_pages, full_ids = code, pages(pdf), ids
                break
        per_page = []
        if full is not None:
            for _ in range(5):
                t0 = time.perf_counter()
                print_case.casesheet(v, full, settings=settings, interview_ids=full_ids, source="bench")
                per_page.append((time.perf_counter() - t0) / full_pages)
        t0 = time.perf_counter()
        for code in codes[:100]:
            print_case.casesheet(v, code, settings=settings, source="bench")
        batch = time.perf_counter() - t0
        ctx.notes["casesheet_typical_pages"] = 2
        ctx.notes["casesheet_full_pages"] = full_pages
    typical_ms = median_ms(runs)
    results = [
        Result("casesheet_pdf_ms", typical_ms, "ms", "<= 100"),
        # the PDF making alone against the bare document (the vault reading is in casesheet_pdf_ms)
        with_baseline("casesheet_pdf_making_ms", median_ms(making), "ms", None, median_ms(base)),
        Result("casesheet_pdf_ratio", median_ms(making) / median_ms(base), "ratio", "<= 1.5"),
        Result("casesheet_batch_100_s", batch, "s", None),
    ]
    if per_page:
        results.insert(2, Result("casesheet_pdf_ms_per_page", median_ms(per_page), "ms", None))
    return results


def _qt_app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")  # offscreen's "propagateSizeHints" noise
    from PySide6.QtWidgets import QApplication

    from gk_desktop.ui import gc_guard

    app = QApplication.instance() or QApplication([])
    gc_guard.install(app)  # as the app runs: garbage is collected on the GUI thread's timer
    return app


@benchmark
def bench_client_list_ui(ctx: Context) -> list[Result]:
    """The Klient:innen screen at 10,000 clients: load (service, model, sort, first repaint of the
    table) against a bare SELECT of the same clients; and keystroke to repaint of the search
    field (typing the first 1 to 8 letters of 50 names, each keystroke until the list shows its
    answer and is repainted) against the service call the list makes, alone, for the same text."""
    import random

    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest
    from sqlalchemy import select

    from gk_desktop.services import clients, search
    from gk_desktop.storage.models import Client
    from gk_desktop.storage.vault import open_vault
    from gk_desktop.ui import ops
    from gk_desktop.ui.clients_view import ClientsView

    app = _qt_app()
    paths = ctx.vault()
    with open_vault(paths, PASSPHRASE) as v:
        view = ClientsView(v)
        view.resize(1200, 800)
        view.show()
        app.processEvents()
        load_runs, bare_runs = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            rows = clients.list_clients(v, sort=False)  # as the list loads them; the model sorts
            view.model.set_rows(rows)
            view.table.viewport().repaint()
            load_runs.append(time.perf_counter() - t0)
            with v.session() as s:
                t0 = time.perf_counter()
                s.execute(select(Client.id, Client.case_code, Client.first_name, Client.last_name,
                                 Client.birth_date)).all()
                bare_runs.append(time.perf_counter() - t0)
        answered: list[str] = []
        view.searched.connect(answered.append)
        rng = random.Random(11)
        names = [f"{r.first_name} {r.last_name}" for r in rng.sample(rows, 50)]
        keystrokes, service = [], []
        view.search.setFocus()
        for name in names:
            view.search.clear()
            app.processEvents()
            ops.wait_all()
            app.processEvents()
            for ch in name[:8]:
                answered.clear()
                t0 = time.perf_counter()
                QTest.sendKeyEvent(QTest.KeyAction.Click, view.search, Qt.Key.Key_unknown, ch,
                                   Qt.KeyboardModifier.NoModifier)
                text = view.search.text()
                while text not in answered:
                    app.processEvents()
                    QCoreApplication.sendPostedEvents()
                    if time.perf_counter() - t0 > 10:
                        raise RuntimeError("no search answer")
                view.table.viewport().repaint()
                keystrokes.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                search.match_clients_vault(v, text)
                service.append(time.perf_counter() - t0)
        view.clear()
        view.close()
        ops.wait_all()
        app.processEvents()
    ctx.notes["ui_keystrokes"] = len(keystrokes)
    return [
        with_baseline("client_list_load_ms", median_ms(load_runs), "ms", "<= 150", median_ms(bare_runs)),
        with_baseline("search_ui_keystroke_p95_ms", _percentile_ms(keystrokes, 0.95), "ms", "<= 50",
                      _percentile_ms(service, 0.95)),
    ]


@benchmark
def bench_case_file(ctx: Context) -> list[Result]:
    """The case view at 10,000 clients and 100,000 interviews: opening a client's file (service,
    every tab filled, repaint) against the bare SELECT of that client's interviews; and a
    keystroke in a 20,000-character interview note (key event to repaint) against a repaint alone."""
    import random

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from sqlalchemy import select

    from gk_desktop.services import clients, history
    from gk_desktop.storage.models import Case, Client, Contact
    from gk_desktop.storage.vault import open_vault
    from gk_desktop.ui import ops
    from gk_desktop.ui.case_view import CaseView
    from gk_desktop.ui.interview_editor import InterviewEditor

    app = _qt_app()
    paths = ctx.vault()
    with open_vault(paths, PASSPHRASE) as v:
        with v.session() as s:
            codes = [(c, i) for c, i in s.execute(select(Client.case_code, Client.id))]
            ctx.notes["interviews"] = len(s.execute(select(Contact.id)).all())
        rng = random.Random(5)
        sample = rng.sample(codes, 30)
        view = CaseView(v)
        view.resize(1200, 800)
        view.show()
        app.processEvents()
        opens, bare = [], []
        for code, client_id in sample:
            t0 = time.perf_counter()
            shown = clients.show_client(v, code, source="bench")
            shown["history"] = history.client_history(v, code)  # as the case view loads it
            view._show(shown)
            view.repaint()
            opens.append(time.perf_counter() - t0)
            with v.session() as s:
                t0 = time.perf_counter()
                s.execute(select(Contact.id, Contact.at, Contact.note).join(Case, Case.id == Contact.case_id)
                          .where(Case.client_id == client_id)).all()
                bare.append(time.perf_counter() - t0)
        view.clear()
        view.close()
        code, client_id = sample[0]
        editor = InterviewEditor(v, code, client_id)
        editor.autosave_timer.stop()
        editor.resize(900, 700)
        editor.show()
        text = ("Gespräch über Ausbildung, Sprachkurs und Wohnung; nächste Schritte vereinbart. " * 300)[:20_000]
        editor.note.setPlainText(text)
        editor.note.setFocus()
        app.processEvents()
        keys, paints = [], []
        for i in range(300):
            ch = "abcdefghij klmnopqrstuvwxyzäöü"[i % 30]
            t0 = time.perf_counter()
            QTest.sendKeyEvent(QTest.KeyAction.Click, editor.note, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
            editor.note.viewport().repaint()
            keys.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            editor.note.viewport().repaint()
            paints.append(time.perf_counter() - t0)
        editor.autosave_timer.stop()
        editor.close_for_lock()
        ops.wait_all()
        app.processEvents()
    return [
        with_baseline("open_case_ms", median_ms(opens), "ms", "<= 100", median_ms(bare)),
        with_baseline("note_keystroke_p95_ms", _percentile_ms(keys, 0.95), "ms", "<= 16", _percentile_ms(paints, 0.95)),
    ]


@benchmark
def bench_peak_rss(ctx: Context) -> list[Result]:
    """Peak resident memory of this process over all benchmarks (SECURITY.md C1: < 1.5 x m)."""
    kdf = ctx.notes.get("kdf")
    target = f"< {1.5 * kdf['memory_mib']:.0f}" if kdf else None
    return [Result("peak_rss_mb", _peak_rss_mb(), "MiB", target)]


# --------------------------------------------------------------------------- output


def machine_info() -> dict[str, Any]:
    import sqlcipher3

    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlcipher3.sqlite_version,
    }
    try:
        from importlib.metadata import version

        info["argon2_cffi"] = version("argon2-cffi")
        info["sqlcipher3"] = version("sqlcipher3")
    except Exception:  # noqa: BLE001 - informative only
        pass
    try:
        info["memory_mib"] = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        pass
    return info


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def print_table(results: list[Result]) -> None:
    header = ("name", "value", "unit", "target", "baseline", "ratio")
    rows = [header] + [
        (r.name, _fmt(r.value), r.unit, _fmt(r.target), _fmt(r.baseline), _fmt(r.ratio)) for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) if i in (0, 2, 3) else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def write_results(results: list[Result], machine: dict[str, Any], when: str) -> None:
    data = {"machine": machine, "when": when, "results": [r.to_json() for r in results]}
    tmp = RESULTS_FILE.with_name(RESULTS_FILE.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, RESULTS_FILE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print the table only; keep results.json")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only benchmarks whose function name contains NAME (implies --no-write)")
    args = parser.parse_args(argv)

    when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    started = time.perf_counter()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="gk-bench-") as tmp:
        ctx = Context(Path(tmp))
        for bench in BENCHMARKS:
            if args.only and not any(o in bench.__name__ for o in args.only):
                continue
            t0 = time.perf_counter()
            results.extend(bench(ctx))
            print(f"# {bench.__name__}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            # As the app does after a lock (gk_desktop.memory): the next benchmark's unlock starts
            # from the memory in use, not from the heap glibc kept of the last one.
            from gk_desktop import memory

            memory.release()
    machine = machine_info()
    print_table(results)
    print(f"# setup: {json.dumps(ctx.notes)}")
    print(f"# total {time.perf_counter() - started:.1f} s")
    if not args.no_write and not args.only:
        write_results(results, machine, when)
        print(f"# written: {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
