"""The comparison table as colour: a heatmap in SVG (hand-written) or PNG (Pillow), from one layout.

Rows are groups (bold) and their codes (indented), columns the attribute values.
Codes and groups have their own colour scale and legend: a group row counts
every segment of any of its codes, so on one scale the groups would take all
the dark and leave the codes pale. The Total column is grey and apart.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from icap_coder.analysis.crosstab import TOTAL, CrossTab
from icap_coder.atomic import write_bytes_atomic, write_text_atomic
from icap_coder.export.cells import printable
from icap_coder.export.wording import Wording

CELL_H, PAD, FONT, INDENT = 24, 12, 13, 14
SCALES = {"code": ((247, 251, 255), (8, 69, 148)),  # white to dark blue
          "group": ((252, 251, 253), (84, 39, 143))}  # white to dark purple
TOTAL_FILL = (235, 235, 235)
DPI = 96  # the layout's unit is a CSS pixel; a PNG at scale 2 says 192 dpi, so it prints at the intended size
LEGEND_W = 160


@dataclass
class Box:
    x: int
    y: int
    w: int
    h: int
    fill: tuple[int, int, int]
    text: str
    bold: bool = False
    align: str = "middle"
    dark: bool = False


@dataclass
class Legend:
    x: int
    y: int
    label: str
    low: tuple[int, int, int]
    high: tuple[int, int, int]
    top: str  # the value the dark end stands for
    steps: bool = False  # two swatches (presence) instead of a gradient
    low_text: str = "0"


@dataclass
class Drawing:
    width: int
    height: int
    title: str
    boxes: list[Box]
    legends: list[Legend]
    note: str


def escape(text: str) -> str:
    return xml_escape(printable(text))


def mix(share: float, scale: str = "code") -> tuple[int, int, int]:
    """The colour `share` of the way from the scale's light end to its dark end."""
    low, high = SCALES[scale]
    red, green, blue = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high))
    return red, green, blue


def shown(value: float, measure: str, words: Wording) -> str:
    if measure == "presence":
        return words("yes") if value else words("no")  # words every font has glyphs for
    return f"{value:.1f}" if measure == "percent" else f"{value:g}"


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars - 1] + "…"


def layout(table: CrossTab, measure: str, words: Wording | None = None) -> Drawing:
    words = words or Wording()
    label_w = PAD + INDENT + 8 + 7 * max([len(c or g) for g, c in table.rows] or [10])
    columns = [c for c in table.columns if c != TOTAL] + [TOTAL]
    cell_w = min(150, max(80, 8 * max(len(words.column(c)) for c in columns) + 16))
    values = {(row, c): table.value(row, c, measure) for row in table.rows for c in columns}
    top = {level: max([v for (row, c), v in values.items() if c != TOTAL and bool(row[1]) == (level == "code")]
                      or [0]) for level in SCALES}
    boxes = []
    y = PAD + 30
    for x_index, column in enumerate(columns):
        x = label_w + x_index * cell_w + (PAD if column == TOTAL else 0)
        boxes.append(Box(x, y, cell_w, CELL_H, (255, 255, 255), _clip(words.column(column), cell_w // 8), bold=True))
    for r_index, row in enumerate(table.rows):
        y = PAD + 30 + (r_index + 1) * CELL_H
        group, code = row
        level = "code" if code else "group"
        boxes.append(Box(PAD + (INDENT if code else 0), y, label_w - PAD, CELL_H, (255, 255, 255),
                         code or group, bold=not code, align="start"))
        for x_index, column in enumerate(columns):
            value = values[(row, column)]
            x = label_w + x_index * cell_w + (PAD if column == TOTAL else 0)
            share = min(1.0, value / top[level]) if column != TOTAL and top[level] else 0.0
            fill = TOTAL_FILL if column == TOTAL else mix(share, level)
            boxes.append(Box(x, y, cell_w, CELL_H, fill, shown(value, measure, words), bold=not code,
                             dark=share > 0.55))
    grid_bottom = PAD + 30 + (len(table.rows) + 1) * CELL_H
    width = max(label_w + len(columns) * cell_w + 2 * PAD, 2 * LEGEND_W + 3 * PAD + 80)
    legends = []
    for index, level in enumerate(("code", "group")):
        low, high = SCALES[level]
        legends.append(Legend(PAD + index * (LEGEND_W + 80), grid_bottom + 16, words(f"{level}s"), low, high,
                              words("yes") if measure == "presence" else shown(top[level], measure, words),
                              steps=measure == "presence",
                              low_text=words("no") if measure == "presence" else shown(0, measure, words)))
    height = grid_bottom + 16 + 40 + 24
    note = words.measure_note(measure)
    if measure == "presence":  # the cells say yes/no, not ✓/–
        note = note.replace("✓", words("yes")).replace("–", words("no"))
    return Drawing(width, height, words.measure_title(measure, table.by), boxes, legends, note)


def svg(table: CrossTab, measure: str, words: Wording | None = None) -> str:
    d = layout(table, measure, words)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{d.width}" height="{d.height}" '
             f'viewBox="0 0 {d.width} {d.height}" font-family="Helvetica, Arial, sans-serif" font-size="{FONT}">',
             f'<title>{escape(d.title)}</title>',
             f'<text x="{PAD}" y="{PAD + 12}" font-weight="bold" font-size="{FONT + 2}">{escape(d.title)}</text>']
    for b in d.boxes:
        parts.append(f'<rect x="{b.x}" y="{b.y}" width="{b.w}" height="{b.h}" fill="rgb{b.fill}" stroke="white"/>')
        tx = b.x + (b.w // 2 if b.align == "middle" else 4)
        colour = "white" if b.dark else "black"
        weight = ' font-weight="bold"' if b.bold else ""
        parts.append(f'<text x="{tx}" y="{b.y + b.h // 2 + 4}" text-anchor="{b.align}" fill="{colour}"{weight}>'
                     f'{escape(b.text)}</text>')
    for n, legend in enumerate(d.legends):
        parts.append(f'<linearGradient id="scale{n}"><stop offset="0" stop-color="rgb{legend.low}"/>'
                     f'<stop offset="1" stop-color="rgb{legend.high}"/></linearGradient>')
        parts.append(f'<text x="{legend.x}" y="{legend.y + 10}" font-size="11">{escape(legend.label)}</text>')
        fill = f"url(#scale{n})"
        if legend.steps:
            half = LEGEND_W // 2
            parts.append(f'<rect x="{legend.x}" y="{legend.y + 15}" width="{half}" height="10" '
                         f'fill="rgb{legend.low}" stroke="#999"/>')
            fill = f"rgb{legend.high}"
            parts.append(f'<rect x="{legend.x + half}" y="{legend.y + 15}" width="{half}" height="10" '
                         f'fill="{fill}" stroke="#999"/>')
        else:
            parts.append(f'<rect x="{legend.x}" y="{legend.y + 15}" width="{LEGEND_W}" height="10" fill="{fill}" '
                         'stroke="#999"/>')
        parts.append(f'<text x="{legend.x}" y="{legend.y + 38}" font-size="11">{escape(legend.low_text)}</text>')
        parts.append(f'<text x="{legend.x + LEGEND_W}" y="{legend.y + 38}" font-size="11" text-anchor="end">'
                     f'{escape(legend.top)}</text>')
    parts.append(f'<text x="{PAD}" y="{d.height - 8}" font-size="11" fill="#555">{escape(d.note)}</text></svg>')
    return "\n".join(parts) + "\n"


def _font(size: int, bold: bool = False) -> Any:
    """Source Sans Pro, shipped as a dependency: every letter of Dutch and Swedish names has a glyph."""
    from importlib.resources import files

    from PIL import ImageFont

    name = "SourceSansPro-Bold.ttf" if bold else "SourceSansPro-Regular.ttf"
    try:
        return ImageFont.truetype(str(files("font_source_sans_pro") / "files" / name), size)
    except (ModuleNotFoundError, OSError):  # a broken install: Pillow's own font, ASCII letters only
        return ImageFont.load_default(size=size)


def png_bytes(table: CrossTab, measure: str, words: Wording | None = None, scale: int = 2) -> bytes:
    from PIL import Image, ImageDraw

    d = layout(table, measure, words)
    image = Image.new("RGB", (d.width * scale, d.height * scale), "white")
    draw = ImageDraw.Draw(image)
    font, bold = _font(FONT * scale), _font(FONT * scale, bold=True)
    title = _font((FONT + 3) * scale, bold=True)
    small = _font(11 * scale)
    draw.text((PAD * scale, (PAD + 12) * scale), d.title, fill="black", font=title, anchor="ls")
    for b in d.boxes:
        box = [b.x * scale, b.y * scale, (b.x + b.w) * scale - 1, (b.y + b.h) * scale - 1]
        draw.rectangle(box, fill=b.fill, outline="white")
        anchor = "mm" if b.align == "middle" else "lm"
        at = ((b.x + b.w / 2) * scale if b.align == "middle" else (b.x + 4) * scale, (b.y + b.h / 2) * scale)
        draw.text(at, b.text, fill="white" if b.dark else "black", font=bold if b.bold else font, anchor=anchor)
    for legend in d.legends:
        x, y = legend.x * scale, (legend.y + 15) * scale
        draw.text((x, (legend.y + 10) * scale), legend.label, fill="black", font=small, anchor="ls")
        for step in range(LEGEND_W * scale):
            share = step / (LEGEND_W * scale - 1)
            if legend.steps:
                share = 0.0 if share < 0.5 else 1.0
            colour = tuple(round(lo + (hi - lo) * share) for lo, hi in zip(legend.low, legend.high))
            draw.line([(x + step, y), (x + step, y + 10 * scale)], fill=colour)
        draw.rectangle([x, y, x + LEGEND_W * scale - 1, y + 10 * scale], outline=(153, 153, 153))
        draw.text((x, (legend.y + 38) * scale), legend.low_text, fill="black", font=small, anchor="ls")
        draw.text((x + LEGEND_W * scale, (legend.y + 38) * scale), legend.top, fill="black", font=small, anchor="rs")
    draw.text((PAD * scale, (d.height - 8) * scale), d.note, fill=(85, 85, 85), font=small, anchor="ls")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI * scale, DPI * scale))
    return buffer.getvalue()


def write(path: Path, table: CrossTab, measure: str, words: Wording | None = None) -> None:
    if path.suffix.lower() == ".svg":
        write_text_atomic(path, svg(table, measure, words))
    else:
        write_bytes_atomic(path, png_bytes(table, measure, words))

