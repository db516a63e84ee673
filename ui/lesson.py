"""The lesson plan: the whole lesson as an ordered list of steps, each a link to a page on prepared settings.

Each step names its page (a fixed URL path), the settings its link carries, and a rough time; its
texts (what to show, what to ask) live in ``ui/locales/<lang>/lesson.py`` under ``lesson.<key>.*``.
The app's lesson page and the README's lesson table are both made from this list, and the tests
open every link and check that the page accepts every setting in it.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

from ui.locales import STRINGS


class Step(NamedTuple):
    """One step: text key, page URL path ('' = home), the link's settings, minutes to spend."""

    key: str
    page: str
    settings: dict[str, str]
    minutes: int


STEPS: tuple[Step, ...] = (
    Step("updates", "", {"n": "320", "batch": "32", "epochs": "10"}, 5),
    Step("last_batch", "", {"n": "1206", "batch": "300", "epochs": "10"}, 4),
    Step("exam_checks", "exam_analogy", {"batch": "100", "epochs": "30"}, 6),
    Step("exam_retakes", "exam_analogy", {"batch": "10", "epochs": "50"}, 4),
    Step("tradeoffs", "batch_tradeoffs", {"bmin": "16", "bmax": "128", "epochs": "15", "x": "epochs"}, 6),
    Step("updates_axis", "batch_tradeoffs", {"bmin": "16", "bmax": "128", "epochs": "15", "x": "updates"}, 3),
    Step("scaling", "batch_tradeoffs", {"bmin": "8", "bmax": "256", "epochs": "15", "scale": "true",
                                        "warmup": "true"}, 4),
    Step("critical", "critical_batch", {"target": "0.35", "fixed": "false"}, 6),
    Step("bn_last6", "batchnorm_last_batch", {"n": "1206", "batch": "300"}, 5),
    Step("bn_crash", "batchnorm_last_batch", {"n": "1201", "batch": "300"}, 3),
    Step("overfit", "epochs_early_stopping", {"epoch": "150"}, 4),
    Step("early_stop", "epochs_early_stopping", {"patience": "3", "restore": "true"}, 4),
    Step("digits", "real_digits", {"batch": "32", "epochs": "10", "look_batch": "10", "update": "1"}, 5),
    Step("digits_exam", "exam_analogy", {"data": "digits", "batch": "10", "epochs": "30"}, 3),
    Step("bn_digits", "batchnorm_last_batch", {"data": "digits", "digits_n": "1206", "batch": "300",
                                               "opt": "sgd_momentum", "lr": "0.1"}, 3),
    Step("digits_critical", "critical_batch", {"data": "digits", "digits_target": "0.5", "fixed": "false"}, 4),
)


def link(step: Step, base: str = "", lang: str | None = None, present: bool = False) -> str:
    """The step's address: ``{base}/{page}?{settings}`` plus ``lang`` and ``present=true`` if asked for.

    ``true``, not the shorthand ``1``: the spelling Streamlit's switch reads, so a link pasted into slides
    opens without the guard mending it (a rerun, and an extra entry in the browser's history).
    """
    query = dict(step.settings)
    if lang:
        query["lang"] = lang
    if present:
        query["present"] = "true"
    return f"{base}/{step.page}?{urlencode(query)}"


def total_minutes() -> int:
    """The whole lesson's time, in minutes."""
    return sum(step.minutes for step in STEPS)


def readme_table(base: str = "http://localhost:8501") -> str:
    """The lesson as a Markdown table in English, as the README shows it (a test keeps the two equal)."""
    en = STRINGS["en"]
    lines = ["| # | step | link | min | ask the class |", "|---|---|---|---|---|"]
    for i, step in enumerate(STEPS, 1):
        url = link(step, base)
        lines.append(f"| {i} | {en[f'lesson.{step.key}.title']} | [{url.removeprefix(base)}]({url}) | "
                     f"{step.minutes} | {en[f'lesson.{step.key}.ask']} |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m ui.lesson: print the README's table
    print(readme_table())
