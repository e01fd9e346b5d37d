"""The comparison table as colour: a heatmap in SVG (hand-written) or PNG (Pillow), from one layout.

Rows are groups (bold) and codes, columns the attribute values; darker means more.
The Total column is drawn apart, in grey, so it does not swamp the scale.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from icap_coder.analysis.crosstab import TOTAL, CrossTab
from icap_coder.analysis.tables import caption
from icap_coder.atomic import write_bytes_atomic, write_text_atomic
from icap_coder.export.cells import printable

CELL_W, CELL_H, PAD, FONT = 96, 24, 12, 13
LOW, HIGH = (247, 251, 255), (8, 69, 148)  # white to dark blue


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


def escape(text: str) -> str:
    return xml_escape(printable(text))


def mix(share: float) -> tuple[int, int, int]:
    """The colour `share` of the way from LOW to HIGH."""
    red, green, blue = (round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH))
    return red, green, blue


def layout(table: CrossTab, measure: str) -> tuple[int, int, list[Box], str]:
    label_w = PAD + 7 * max(len(f"  {c or g}") for g, c in table.rows)
    columns = [c for c in table.columns if c != TOTAL] + [TOTAL]
    values = {(row, c): table.value(row, c, measure) for row in table.rows for c in columns}
    top = max([v for (row, c), v in values.items() if c != TOTAL and row[1]] or [1]) or 1
    boxes = []
    y = PAD + 20
    for x_index, column in enumerate(columns):
        x = label_w + x_index * CELL_W + (PAD if column == TOTAL else 0)
        boxes.append(Box(x, y, CELL_W, CELL_H, (255, 255, 255), column[:14], bold=True))
    for r_index, row in enumerate(table.rows):
        y = PAD + 20 + (r_index + 1) * CELL_H
        group, code = row
        boxes.append(Box(PAD, y, label_w - PAD, CELL_H, (255, 255, 255), f"  {code}" if code else group,
                         bold=not code, align="start"))
        for x_index, column in enumerate(columns):
            value = values[(row, column)]
            x = label_w + x_index * CELL_W + (PAD if column == TOTAL else 0)
            share = min(1.0, value / top) if column != TOTAL and top else 0.0
            fill = (235, 235, 235) if column == TOTAL else mix(share)
            text = ("yes" if value else "no") if measure == "presence" else f"{value:g}"  # glyphs every font has
            boxes.append(Box(x, y, CELL_W, CELL_H, fill, text, bold=not code, dark=share > 0.55))
    width = label_w + len(columns) * CELL_W + 2 * PAD
    height = PAD + 20 + (len(table.rows) + 1) * CELL_H + PAD + 18
    return width, height, boxes, caption(table, measure)


def svg(table: CrossTab, measure: str) -> str:
    width, height, boxes, note = layout(table, measure)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="Helvetica, Arial, sans-serif" font-size="{FONT}">',
             f'<text x="{PAD}" y="{PAD + 8}" font-weight="bold">{escape(measure)} by {escape(table.by)}</text>']
    for b in boxes:
        parts.append(f'<rect x="{b.x}" y="{b.y}" width="{b.w}" height="{b.h}" fill="rgb{b.fill}" stroke="white"/>')
        tx = b.x + (b.w // 2 if b.align == "middle" else 4)
        colour = "white" if b.dark else "black"
        weight = ' font-weight="bold"' if b.bold else ""
        parts.append(f'<text x="{tx}" y="{b.y + b.h // 2 + 4}" text-anchor="{b.align}" fill="{colour}"{weight}>'
                     f'{escape(b.text)}</text>')
    parts.append(f'<text x="{PAD}" y="{height - 8}" font-size="11" fill="#555">{escape(note)}</text></svg>')
    return "\n".join(parts) + "\n"


def png_bytes(table: CrossTab, measure: str, scale: int = 2) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    width, height, boxes, note = layout(table, measure)
    image = Image.new("RGB", (width * scale, height * scale), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=FONT * scale)
    small = ImageFont.load_default(size=11 * scale)
    draw.text((PAD * scale, PAD * scale // 2), f"{measure} by {table.by}", fill="black", font=font)
    for b in boxes:
        box = [b.x * scale, b.y * scale, (b.x + b.w) * scale - 1, (b.y + b.h) * scale - 1]
        draw.rectangle(box, fill=b.fill, outline="white")
        anchor = "mm" if b.align == "middle" else "lm"
        at = ((b.x + b.w / 2) * scale if b.align == "middle" else (b.x + 4) * scale, (b.y + b.h / 2) * scale)
        draw.text(at, b.text, fill="white" if b.dark else "black", font=font, anchor=anchor,
                  stroke_width=1 if b.bold else 0, stroke_fill="white" if b.dark else "black")
    draw.text((PAD * scale, (height - 16) * scale), note, fill=(85, 85, 85), font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write(path: Path, table: CrossTab, measure: str) -> None:
    if path.suffix.lower() == ".svg":
        write_text_atomic(path, svg(table, measure))
    else:
        write_bytes_atomic(path, png_bytes(table, measure))
