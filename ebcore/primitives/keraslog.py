"""Keras's end-of-epoch log lines, character for character, in three styles (``STYLES``).

- ``keras3``: Keras 3 ``fit(verbose=1)`` (``keras/src/utils/progbar.py``)::

      Epoch 1/3
      25/25 ━━━━━━━━━━━━━━━━━━━━ 1s 30ms/step - accuracy: 0.5013 - loss: 0.9022 - val_loss: 0.8075

- ``keras3_v2``: Keras 3 ``fit(verbose=2)``: ``25/25 - 0s - 2ms/step - accuracy: … - loss: …``.
- ``keras2``: Keras 2.15 ``fit(verbose=1)`` (``keras/utils/generic_utils.py``), the notes' log::

      Epoch 1/20
      800/800 [==============================] - 2s 2ms/step - loss: 0.5123 - accuracy: 0.7931

The ``Epoch e/E`` line is printed only when E > 1 (Keras's ``ProgbarLogger``), unpadded. What Keras draws
with ANSI colours, ``\\r`` and ``\\b`` on a terminal is given as the text that stays visible: Keras 3's
bar is 20 ``━`` at the end of every epoch (its colours, green done and grey to go, are left out).

Metric order: Keras 3 prints its logs sorted by name, the training ones first with ``verbose=1`` (they
are known from the first batch; the ``val_`` ones join at the end of the epoch) and all in one sorted list
with ``verbose=2``. Keras 2 prints them in the order given (``loss``, the compiled metrics, then the same
with ``val_``). A value prints as ``.4f``, or ``.4e`` when it is at most 1e-3 (``3.0224e-04``): Keras's
``verbose=1`` compares ``abs(v)``, its ``verbose=2`` compares ``v`` itself.

Times are seconds measured on this machine: ``epoch_seconds`` the epoch's wall time, shown rounded
(``1s``), and the time per step ``epoch_seconds / steps`` as Keras's ``_format_time`` shows it. Without a
time (nothing was trained) a line is the count and bar alone, with no metrics either.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["BAR_WIDTH", "KERAS2", "KERAS3", "KERAS3_BAR_WIDTH", "KERAS3_V2", "STYLES", "epoch_header", "format_time",
           "format_value", "log", "ordered", "outline", "progress_bar", "progress_line", "step_count"]

KERAS3, KERAS3_V2, KERAS2 = "keras3", "keras3_v2", "keras2"
STYLES = (KERAS3, KERAS3_V2, KERAS2)
"""The styles' codes (the links' ``?log_style=``): Keras 3 verbose=1, Keras 3 verbose=2, Keras 2.15 verbose=1."""
BAR_WIDTH = 30
"""Keras 2's progress bar: 30 characters between ``[`` and ``]``."""
KERAS3_BAR_WIDTH = 20
"""Keras 3's progress bar: 20 ``━``."""


def step_count(step: int, steps: int) -> str:
    """``step/steps`` with ``step`` right-aligned to the digits of ``steps`` (Keras's ``%{digits}d/%d``)."""
    digits = int(math.log10(steps)) + 1 if steps > 0 else 1
    return f"%{digits}d/%d" % (step, steps)


def progress_bar(step: int, steps: int, width: int = BAR_WIDTH) -> str:
    """Keras 2's bar for ``step`` of ``steps``: ``[=====>....]``, full ``=`` once step == steps."""
    if steps <= 0:
        return "[" + "." * width + "]"
    done = int(width * min(step, steps) / steps)
    bar = "=" * max(done - 1, 0)
    if done > 0:
        bar += ">" if step < steps else "="
    return "[" + bar + "." * (width - len(bar)) + "]"


def format_time(seconds: float, unit: str = "step") -> str:
    """A duration as Keras's ``_format_time`` writes it (without its leading space): ``2s/step`` from one
    second up (and for 0), ``30ms/step`` from a millisecond up, ``850us/step`` below, each rounded (``.0f``)."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f"{seconds * 1000.0:.0f}ms/{unit}"
    return f"{seconds * 1000000.0:.0f}us/{unit}"


def format_value(value: float, style: str = KERAS3) -> str:
    """A metric's value as the style prints it: ``.4f``, or ``.4e`` at or below 1e-3 (``abs`` of it with
    ``verbose=1``; Keras 3's ``verbose=2`` compares the value itself, so ``-0.5`` prints as ``-5.0000e-01``)."""
    size = value if style == KERAS3_V2 else abs(value)
    return f"{value:.4f}" if size > 1e-3 else f"{value:.4e}"


def ordered(metrics: Mapping[str, float], style: str = KERAS3) -> list[tuple[str, float]]:
    """The metrics in the order the style prints them (see the module's docstring)."""
    _check(style)
    if style == KERAS2:
        return list(metrics.items())
    if style == KERAS3_V2:
        return sorted(metrics.items())
    train = sorted((k, v) for k, v in metrics.items() if not k.startswith("val_"))
    return train + sorted((k, v) for k, v in metrics.items() if k.startswith("val_"))


def progress_line(steps: int, metrics: Mapping[str, float] | None = None, *, style: str = KERAS3,
                  epoch_seconds: float | None = None) -> str:
    """The line Keras leaves at the end of an epoch of ``steps`` steps, e.g. ``25/25 ━━━━━━━━━━━━━━━━━━━━
    1s 30ms/step - loss: 0.9022``; ``epoch_seconds`` is the epoch's measured time. Without it (nothing was
    trained) the line is the count and bar alone (``25/25 ━━━━━━━━━━━━━━━━━━━━``; ``25/25`` in the
    ``keras3_v2`` style, which has no bar), and ``metrics`` are not shown."""
    _check(style)
    line = step_count(steps, steps)
    if style == KERAS3:
        line += " " + "━" * KERAS3_BAR_WIDTH
    elif style == KERAS2:
        line += " " + progress_bar(steps, steps)
    if epoch_seconds is None:
        return line
    per_step = format_time(epoch_seconds / steps if steps > 0 else 0.0)
    if style == KERAS3:
        line += f" {epoch_seconds:.0f}s {per_step}"
    elif style == KERAS3_V2:
        line += f" - {epoch_seconds:.0f}s - {per_step}"
    else:
        line += f" - {epoch_seconds:.0f}s {per_step}"
    for name, value in ordered(metrics or {}, style):
        line += f" - {name}: {format_value(value, style)}"
    return line


def epoch_header(epoch: int, epochs: int) -> str | None:
    """``Epoch e/E`` (``epoch`` 1-based, unpadded) on its own line; None for a one-epoch run, where Keras
    prints none."""
    return f"Epoch {epoch}/{epochs}" if epochs > 1 else None


def log(epochs: int, steps: int, metrics: Mapping[str, Sequence[float]], epoch_seconds: Sequence[float] | None,
        style: str = KERAS3) -> list[str]:
    """The log of the epochs recorded so far of a run of ``epochs`` epochs: per epoch its ``Epoch e/E``
    line (when E > 1) and its end-of-epoch line. ``metrics`` maps each name to its per-epoch values
    (the recorded epochs are those of the shortest list); ``epoch_seconds`` the epochs' measured times,
    or None for lines without times and metrics."""
    done = min((len(v) for v in metrics.values()), default=0)
    if epoch_seconds is not None:
        done = min(done, len(epoch_seconds)) if metrics else len(epoch_seconds)
    lines: list[str] = []
    for e in range(done):
        header = epoch_header(e + 1, epochs)
        if header is not None:
            lines.append(header)
        lines.append(progress_line(steps, {name: values[e] for name, values in metrics.items()}, style=style,
                                   epoch_seconds=None if epoch_seconds is None else epoch_seconds[e]))
    return lines


def outline(epochs: int, steps: int, style: str = KERAS3) -> list[str]:
    """The first and the last epoch of an untrained log (``…`` between them when epochs lie between), each
    line the count and bar alone: what Keras's log of ``epochs`` epochs of ``steps`` steps shows before any
    time or metric is known."""
    shown = [1] if epochs <= 1 else [1, epochs]
    lines: list[str] = []
    for e in shown:
        if e == epochs and epochs > 2:
            lines.append("…")
        header = epoch_header(e, epochs)
        lines += ([header] if header else []) + [progress_line(steps, style=style)]
    return lines


def _check(style: str) -> None:
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, got {style!r}")
