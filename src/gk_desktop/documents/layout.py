"""Text in every script on a ReportLab page: :class:`ScriptText`, a flowable paragraph.

Why not ReportLab's Paragraph: it has no font fallback and no bidirectional text. Here a paragraph
is (1) shaped — Arabic runs become their contextual forms (arabic-reshaper), still in logical
order —, (2) broken into lines by the widths of the shaped runs in their own fonts, and only then
(3) each line is reordered for display (python-bidi). Reordering after breaking keeps the lines of
a multi-line Arabic paragraph in their reading order; reordering first would put the paragraph's
end on its first line.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from gk_desktop.documents import fonts


def shape(text: str) -> str:
    """Arabic runs in their contextual forms (logical order kept); other text as it is."""
    if not fonts.ARABIC_RE.search(text):
        return text
    import arabic_reshaper

    return "".join(arabic_reshaper.reshape(run) if script == fonts.ARABIC else run for script, run in fonts.runs(text))


def visual(line: str, rtl: bool) -> str:
    """One line in display order (after line breaking)."""
    if not fonts.ARABIC_RE.search(line):
        return line
    from bidi.algorithm import get_display

    return get_display(line, base_dir="R" if rtl else "L")


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(stringWidth(run, fonts.font_for(script, bold), size) for script, run in fonts.runs(text))


def draw_text(canvas: Any, x: float, y: float, text: str, size: float, bold: bool = False,
              color: Color = black) -> float:
    """Draw one line already in display order, run by run in its fonts; returns its width."""
    canvas.setFillColor(color)
    start = x
    for script, run in fonts.runs(text):
        font = fonts.font_for(script, bold)
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, font, size)
    return x - start


def draw_line(canvas: Any, x: float, y: float, text: str, size: float, *, bold: bool = False,
              color: Color = black, align: str = "left", width: float = 0) -> None:
    """A single line of any text (shaped and reordered here): left, right or centred in ``width``."""
    rtl = fonts.is_rtl(text)
    shown = visual(shape(text), rtl)
    w = text_width(shown, size, bold)
    if align == "right":
        x += width - w
    elif align == "center":
        x += (width - w) / 2
    draw_text(canvas, x, y, shown, size, bold, color)


def break_lines(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Shaped ``text`` broken into lines of at most ``width`` (logical order); words longer than a
    line are cut by characters; "\\n" breaks a line. Each word is measured once (widths add up:
    ReportLab sets no kerning)."""
    space = stringWidth(" ", fonts.font_for(fonts.LATIN, bold), size)
    lines: list[str] = []
    for hard in shape(text).split("\n"):
        line: list[str] = []
        used = 0.0
        for word in hard.split(" "):
            w = text_width(word, size, bold)
            if not line:
                if w <= width:
                    line, used = [word], w
                    continue
            elif used + space + w <= width:
                line.append(word)
                used += space + w
                continue
            else:
                lines.append(" ".join(line))
                line, used = [], 0.0
                if w <= width:
                    line, used = [word], w
                    continue
            rest = word  # a word wider than the line: cut by characters
            while text_width(rest, size, bold) > width and len(rest) > 1:
                cut = len(rest) - 1
                while cut > 1 and text_width(rest[:cut], size, bold) > width:
                    cut -= 1
                lines.append(rest[:cut])
                rest = rest[cut:]
            line, used = [rest], text_width(rest, size, bold)
        lines.append(" ".join(line))
    return lines


class ScriptText(Flowable):
    """A paragraph of any text, in the fonts of its scripts, right-aligned when it reads right to
    left; splits across pages between lines."""

    def __init__(self, text: str, size: float = 10, *, bold: bool = False, leading: float | None = None,
                 color: Color = black, space_before: float = 0, space_after: float = 2,
                 indent: float = 0, _lines: list[str] | None = None) -> None:
        super().__init__()
        self.text = text or ""
        self.size = size
        self.bold = bold
        self.leading = leading or size * 1.3
        self.color = color
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.indent = indent
        self.rtl = fonts.is_rtl(self.text)
        self._lines = _lines
        self._width = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        if self._lines is None:
            self._lines = break_lines(self.text, avail_width - self.indent, self.size, self.bold)
        return avail_width, len(self._lines) * self.leading

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        assert self._lines is not None
        fit = int(avail_height // self.leading)
        if fit <= 0 or fit >= len(self._lines):
            return [] if fit <= 0 else [self]
        first = ScriptText(self.text, self.size, bold=self.bold, leading=self.leading, color=self.color,
                           space_before=self.spaceBefore, space_after=0, indent=self.indent, _lines=self._lines[:fit])
        rest = ScriptText(self.text, self.size, bold=self.bold, leading=self.leading, color=self.color,
                          space_before=0, space_after=self.spaceAfter, indent=self.indent, _lines=self._lines[fit:])
        return [first, rest]

    def draw(self) -> None:
        assert self._lines is not None
        # One text object for the whole paragraph (a drawString per run costs a text object each).
        text = self.canv.beginText()
        text.setFillColor(self.color)
        y = len(self._lines) * self.leading - self.size
        for line in self._lines:
            shown = visual(line, self.rtl)
            x = self.indent
            if self.rtl:
                x = self._width - text_width(shown, self.size, self.bold)
            text.setTextOrigin(x, y)
            for script, run in fonts.runs(shown):
                text.setFont(fonts.font_for(script, self.bold), self.size)
                text.textOut(run)
            y -= self.leading
        self.canv.drawText(text)
