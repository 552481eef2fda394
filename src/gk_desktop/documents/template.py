"""The page every printed document shares: the municipality's name (and logo) at the top, the case
code — never a name — as a running header, "vertraulich" and "Seite x von y" at the foot, and PDF
metadata that name the kind of document only.

Built in memory: :func:`build_pdf` returns bytes; nothing is written to disk. Every font the page
uses is embedded (the canvas starts in the Noto font, so ReportLab never falls back to its
unembedded Helvetica).
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from gk_desktop.documents import fonts
from gk_desktop.documents.layout import draw_line
from gk_desktop.i18n import N_, _

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 20 * mm
GREY = Color(0.35, 0.35, 0.35)
RULE = Color(0.7, 0.7, 0.7)
CONFIDENTIAL = N_("confidential")  # German: "vertraulich"
PAGE_OF = N_("Page {page} of {total}")


class PageInfo:
    """What the header and footer show (no personal data: a case code at most)."""

    def __init__(self, doc_title: str, case_code: str | None = None, municipality: str = "",
                 logo: str | Path | None = None) -> None:
        self.doc_title = doc_title
        self.case_code = case_code
        self.municipality = municipality
        self.logo = Path(logo) if logo else None


_LANGUAGE_LOCK = threading.RLock()


@contextlib.contextmanager
def in_language(code: str | None) -> Iterator[str]:
    """Make a document in ``code`` (None: the program's language): the catalog is switched while
    the block runs and back afterwards, one document at a time (every printout goes through here)."""
    from gk_desktop import i18n

    with _LANGUAGE_LOCK:
        before = i18n.language()
        if not code or code == before:
            yield before
            return
        used = i18n.set_language(code)
        try:
            yield used
        finally:
            i18n.set_language(before)


def page_info(settings: Any, doc_title: str, case_code: str | None = None) -> PageInfo:
    """The page of a document from the app settings (municipality name and logo)."""
    return PageInfo(doc_title, case_code, getattr(settings, "municipality_name", "") or "",
                    getattr(settings, "municipality_logo", "") or None)


def _canvas_maker(info: PageInfo) -> type[Canvas]:
    """A canvas that holds its pages until the end so that each can say "Seite x von y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.BASE_FONT  # else Helvetica, not embedded
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                decorate(self, info, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def decorate(canvas: Canvas, info: PageInfo, page: int, total: int, gettext: Any = None) -> None:
    """Header and footer of one page (``gettext``: the catalog of the document's language, when it
    is not the program's)."""
    t = gettext or _
    canvas.saveState()
    top = PAGE_H - 12 * mm
    x = MARGIN_X
    if info.logo is not None and info.logo.is_file():
        try:
            canvas.drawImage(str(info.logo), MARGIN_X, top - 8 * mm, height=10 * mm, width=30 * mm,
                             preserveAspectRatio=True, anchor="sw", mask="auto")
            x = MARGIN_X + 33 * mm
        except Exception:  # noqa: BLE001 - a logo that cannot be read never stops printing
            x = MARGIN_X
    if info.municipality:
        draw_line(canvas, x, top - 4 * mm, info.municipality, 9, bold=True, color=GREY)
    right = info.doc_title + (f" · {info.case_code}" if info.case_code else "")
    draw_line(canvas, MARGIN_X, top - 4 * mm, right, 9, color=GREY, align="right", width=PAGE_W - 2 * MARGIN_X)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, top - 6 * mm, PAGE_W - MARGIN_X, top - 6 * mm)
    canvas.line(MARGIN_X, 14 * mm, PAGE_W - MARGIN_X, 14 * mm)
    draw_line(canvas, MARGIN_X, 9 * mm, t(CONFIDENTIAL), 8, bold=True, color=GREY)
    draw_line(canvas, MARGIN_X, 9 * mm, t(PAGE_OF).format(page=page, total=total), 8, color=GREY,
              align="right", width=PAGE_W - 2 * MARGIN_X)
    canvas.restoreState()


def build_pdf(story: Sequence[Flowable], info: PageInfo) -> bytes:
    """The document as PDF bytes (in memory). Metadata: the kind of document, the program; no
    author, no subject, no names."""
    fonts.register()
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=info.doc_title, author="", subject="", creator="gk-desktop",
                          keywords="", producer="gk-desktop", invariant=True,
                          initialFontName=fonts.BASE_FONT, initialFontSize=10)
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, PAGE_W - 2 * MARGIN_X, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(list(story), canvasmaker=_canvas_maker(info))
    return out.getvalue()
