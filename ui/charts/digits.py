"""The digits page's pictures: 8 × 8 images drawn large and sharp, dark ink on white."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ebcore.lessons.exam import ExamRun, Tile
from ebcore.problems import digits

SCALE = 9
"""Screen pixels per image pixel: 8 × 9 = 72 px a digit, each block kept square (no smoothing)."""


def digit_images(rows: Sequence[Sequence[int]]) -> list[np.ndarray]:
    """Each row of 64 pixel values (0..16, ``digits.pixels()``) as an ``(72, 72)`` uint8 greyscale image:
    white where the scan was blank, black where all 16 dots were ink."""
    side = digits.SIDE
    images = []
    for row in rows:
        ink = np.asarray(row, dtype=np.float64).reshape(side, side) / digits.PIXEL_MAX
        grey = np.round(255 * (1 - ink)).astype(np.uint8)
        images.append(np.kron(grey, np.ones((SCALE, SCALE), dtype=np.uint8)))
    return images


# --- the exam page's sheet of real digits -------------------------------------------------------------------

SHEET_SCALE = 6
"""Screen pixels per image pixel on the exam sheet: 48 px a digit, 10 in a row still fit a phone's width."""
FRAME = 4
"""Width of the coloured frame (px) that says right (green) or wrong (vermillion)."""
STRIP = 28
"""Height (px) of the coloured strip under each image: ✓, or ✗ and the answer given (large enough to read
on a phone, where the sheet is shrunk to about half its width)."""
GAP = 12
"""Space between tiles (px); a black bar in it marks a check of the key, as on the made-up exam's sheet."""


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def exam_sheet(run: ExamRun, sitting: int, tiles: Sequence[Tile], columns: int = 10) -> np.ndarray:
    """The digits exam ``run`` as answered in ``sitting`` (0-based), one RGB image (uint8, ``(height, width,
    3)``): its images (``run.images``, rows of ``digits.pixels()``) in question order, ``columns`` to a row,
    each framed green if right or vermillion if not, with a strip under it holding ✓, or ✗ and the answer
    given; a black bar after each tile that closes a batch (``Tile.check_after``). A glyph and a number, not
    colour alone, tell right from wrong."""
    from PIL import Image, ImageDraw, ImageFont  # Streamlit's own dependency; only this picture needs it

    from ui.charts import PALETTE

    rows, answers = digits.pixels()[0][run.images], run.answers[sitting]
    right, check_after = run.right(sitting), [tile.check_after for tile in tiles]
    side = digits.SIDE * SHEET_SCALE
    tile_w, tile_h = side + 2 * FRAME, side + FRAME + STRIP
    lines = -(-len(rows) // columns)
    # Every tile has a gap on its right, the row's last too: a check after it has somewhere to go.
    sheet = Image.new("RGB", (columns * (tile_w + GAP), lines * tile_h + (lines - 1) * GAP), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=STRIP - 2)
    green, red = _rgb(PALETTE["green"]), _rgb(PALETTE["vermillion"])
    for q, (pixels, ok, answer, check) in enumerate(zip(rows, right, answers, check_after, strict=True)):
        x, y = (q % columns) * (tile_w + GAP), (q // columns) * (tile_h + GAP)
        draw.rectangle((x, y, x + tile_w - 1, y + tile_h - 1), fill=green if ok else red)
        ink = np.asarray(pixels, dtype=np.float64).reshape(digits.SIDE, digits.SIDE) / digits.PIXEL_MAX
        grey = np.kron(np.round(255 * (1 - ink)).astype(np.uint8), np.ones((SHEET_SCALE, SHEET_SCALE), np.uint8))
        sheet.paste(Image.fromarray(grey).convert("RGB"), (x + FRAME, y + FRAME))
        cx, cy = x + tile_w // 2, y + FRAME + side + STRIP // 2
        if ok:  # a tick in the middle of the strip
            draw.line([(cx - 9, cy), (cx - 3, cy + 6), (cx + 9, cy - 7)], fill="white", width=4)
        else:  # a cross on the left, the answer given on the right
            gx = cx - 11
            draw.line([(gx - 6, cy - 6), (gx + 6, cy + 6)], fill="white", width=4)
            draw.line([(gx - 6, cy + 6), (gx + 6, cy - 6)], fill="white", width=4)
            draw.text((cx + 11, cy), str(answer), fill="white", font=font, anchor="mm")
        if check:
            bar = x + tile_w + GAP // 2
            draw.rectangle((bar - 2, y + 2, bar + 2, y + tile_h - 3), fill="black")
    return np.asarray(sheet)
