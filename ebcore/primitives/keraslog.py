"""Keras-style progress lines (``Epoch 1/20`` and ``800/800 [==============================]``)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["BAR_WIDTH", "progress_bar", "progress_line"]

# Keras's progress bar is 30 characters wide.
BAR_WIDTH = 30


def progress_bar(step: int, steps: int, width: int = BAR_WIDTH) -> str:
    """Keras's bar for ``step`` of ``steps``: ``[=====>....]``, full ``=`` once step == steps."""
    if steps <= 0:
        return "[" + "." * width + "]"
    done = int(width * min(step, steps) / steps)
    bar = "=" * max(done - 1, 0)
    if done > 0:
        bar += ">" if step < steps else "="
    return "[" + bar + "." * (width - len(bar)) + "]"


def progress_line(
    epoch: int, epochs: int, step: int, steps: int, metrics: Mapping[str, float] | None = None
) -> str:
    """One epoch's line as Keras prints it, e.g. ``Epoch 1/20  800/800 [====] - loss: 0.5100``.

    ``epoch`` is 1-based and padded to the width of ``epochs`` (``Epoch  1/10`` above ``Epoch 10/10``), so
    the bars of a log line up; metrics print with four decimals in the given order.
    """
    width = len(str(steps))
    line = f"Epoch {epoch:>{len(str(epochs))}}/{epochs}  {step:>{width}}/{steps} {progress_bar(step, steps)}"
    for name, value in (metrics or {}).items():
        line += f" - {name}: {value:.4f}"
    return line
