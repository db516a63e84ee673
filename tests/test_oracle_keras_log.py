"""The Keras log lines (``ebcore.primitives.keraslog``) against the real thing.

Keras 3 (3.15.1, torch backend): ``model.fit`` runs with ``verbose=1`` and ``verbose=2``, its stdout
captured and played on a small terminal emulator (Keras writes ANSI colours, ``\\r`` and ``\\b`` when it
thinks it has a terminal, one line per update otherwise: both are forced), then the same lines built by
``keraslog`` from the values Keras reported (its History). The count, bar and metrics must be equal
character for character; the two measured times (``1s``, ``30ms/step``) are compared by shape, and
``keras_log_wall`` (the fingerprint's stripping) must leave the two logs equal. Keras's own ``Progbar``
is the oracle for the time and value formats.

Keras 2.15 cannot be installed here (it needs TensorFlow): its format is checked against the notes' log
(seed 004) and the Progbar of Keras 2 (``keras/utils/generic_utils.py``, the same in tf-keras).
"""

import contextlib
import io
import math
import os
import re

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from keras.src.utils import progbar as keras_progbar  # noqa: E402

from devtools.page_content import WALL, keras_log_wall  # noqa: E402
from ebcore.primitives import keraslog  # noqa: E402
from ebcore.primitives.calc import keras_steps  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
assert keras.__version__ == "3.15.1" and keras.backend.backend() == "torch"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_SECONDS = re.compile(r"\d+s")
_PER_STEP = re.compile(r"\d+(?:s|ms|us)/step")


def screen(raw: str) -> list[str]:
    """What a terminal shows after ``raw``: colours dropped, ``\\r`` back to the line's start, ``\\b`` one
    column back (never past its start), characters overwrite; trailing blanks (Keras's padding) cut."""
    rows: list[list[str]] = [[]]
    col = 0
    for ch in _ANSI.sub("", raw):
        row = rows[-1]
        if ch == "\n":
            rows.append([])
            col = 0
        elif ch == "\r":
            col = 0
        elif ch == "\b":
            col = max(col - 1, 0)
        else:
            row.extend(" " * (col + 1 - len(row)))
            row[col] = ch
            col += 1
    return ["".join(r).rstrip() for r in rows]


def end_of_epoch_lines(shown: list[str]) -> list[str]:
    """The log a student reads: the ``Epoch e/E`` lines, and per epoch the last progress line shown (with
    one line per update, the epoch's earlier updates sit above it)."""
    out: list[str] = []
    for line in shown:
        if not line:
            continue
        if line.startswith("Epoch ") or not out or out[-1].startswith("Epoch "):
            out.append(line)
        else:
            out[-1] = line  # a later update of the same epoch
    return out


def _data(n: int, task: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    if task == "classes":
        return x, (x[:, 0] + 0.5 * rng.normal(size=n) > 0).astype("float32")
    # y = x · (1, 1, 1) + small noise: a model started at those weights has a loss below 1e-3
    return x, (x.sum(1) + 0.02 * rng.normal(size=n)).astype("float32")


def keras_fit(n, batch, epochs, split, task, verbose, dynamic, monkeypatch):
    """Real ``model.fit``; returns (the lines a terminal shows, History.history, steps per epoch)."""
    original = keras_progbar.Progbar.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self._dynamic_display = dynamic  # on Linux Keras always decides True ("posix" in sys.modules)

    monkeypatch.setattr(keras_progbar.Progbar, "__init__", init)
    keras.utils.set_random_seed(0)
    if task == "classes":
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy", "mae"])
    else:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
        model.compile(optimizer=keras.optimizers.SGD(1e-4), loss="mse", metrics=["mae"])
    x, y = _data(n, task)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        history = model.fit(x, y, batch_size=batch, epochs=epochs, validation_split=split, shuffle=False,
                            verbose=verbose)
    return end_of_epoch_lines(screen(out.getvalue())), history.history, keras_steps(n, batch, split)


CASES = [  # n, batch, epochs, validation_split, task, verbose, dynamic display
    (50, 4, 2, 0.2, "classes", 1, True),
    (50, 4, 2, 0.2, "classes", 1, False),
    (50, 4, 2, 0.2, "classes", 2, True),
    (37, 5, 1, 0.0, "classes", 1, True),  # one epoch: Keras prints no "Epoch 1/1"
    (130, 1, 1, 0.0, "classes", 2, False),  # 130 steps: three digits
    (30, 8, 3, 0.3, "near_zero", 1, True),  # loss and mae below 1e-3: 4.0123e-04
    (30, 8, 3, 0.3, "near_zero", 2, False),
]


@pytest.mark.parametrize(("n", "batch", "epochs", "split", "task", "verbose", "dynamic"), CASES)
def test_keras3_fit_prints_our_lines(n, batch, epochs, split, task, verbose, dynamic, monkeypatch):
    theirs, logs, steps = keras_fit(n, batch, epochs, split, task, verbose, dynamic, monkeypatch)
    style = keraslog.KERAS3 if verbose == 1 else keraslog.KERAS3_V2
    times = [0.5 + e for e in range(epochs)]  # ours are this machine's; only their shape is compared
    ours = keraslog.log(epochs, steps, logs, times, style)
    assert len(ours) == len(theirs) == epochs * (2 if epochs > 1 else 1), theirs
    assert [line for line in theirs if line.startswith("Epoch")] == [line for line in ours if line.startswith("Epoch")]
    for mine, keras_line in zip(ours, theirs, strict=True):
        # Everything but the two measured times, character for character.
        assert keras_log_wall(mine) == keras_log_wall(keras_line), (mine, keras_line)
        if not keras_line.startswith("Epoch"):
            assert keras_log_wall(keras_line).count(WALL) == 2, keras_line  # the times were found, in place
            for line in (mine, keras_line):
                parts = line.split(" - ") if verbose == 2 else line.split(" - ")[0].split(" ")[-2:]
                seconds, per_step = (parts[1], parts[2]) if verbose == 2 else parts
                assert _SECONDS.fullmatch(seconds) and _PER_STEP.fullmatch(per_step), line
    if task == "near_zero":
        assert any(re.search(r" - loss: \d\.\d{4}e-0\d", line) for line in theirs), theirs  # the case is tested


@pytest.mark.parametrize("seconds", [0.0, 4e-7, 5e-7, 1e-6, 0.000999, 0.0009996, 0.001, 0.0015, 0.0025, 0.0305,
                                     0.4994, 0.9994, 0.9996, 1.0, 1.5, 2.5, 12.3, 3600.0])
def test_time_per_step_is_keras_format_time(seconds):
    assert " " + keraslog.format_time(seconds) == keras.utils.Progbar(1)._format_time(seconds, "step")


def _progbar_line(verbose: int, values: dict[str, float], target: int = 7) -> str:
    """The last line Keras's Progbar shows when driven as ``fit`` drives it: a batch's update with the
    training logs, then the epoch's end with all logs (``fit``'s are sorted by name)."""
    bar = keras.utils.Progbar(target, verbose=verbose, stateless_metrics=set())  # as fit's ProgbarLogger
    bar._dynamic_display = True
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        if verbose == 1:
            bar.update(1, sorted((k, v) for k, v in values.items() if not k.startswith("val_")), finalize=False)
        bar.update(target, sorted(values.items()), finalize=True)
    return [line for line in screen(out.getvalue()) if line][-1]


@pytest.mark.parametrize("value", [0.5, 3.0224e-4, -3.0224e-4, -0.5, 0.0, 1e-3, 1.0001e-3, -1e-3, 123.456789,
                                   math.nan, math.inf, -math.inf, 0.99995, 5e-12])
def test_values_print_as_keras_prints_them(value):
    for verbose, style in ((1, keraslog.KERAS3), (2, keraslog.KERAS3_V2)):
        line = _progbar_line(verbose, {"loss": value})
        assert line.endswith(f" - loss: {keraslog.format_value(value, style)}"), (style, line)


def test_names_sort_as_keras_sorts_them_and_counts_of_four_digits():
    values = {"zz": 0.25, "acc": 0.5, "val_b": 1e-4, "b": 2.0, "val_zz": -0.5}
    for verbose, style in ((1, keraslog.KERAS3), (2, keraslog.KERAS3_V2)):
        line = _progbar_line(verbose, values, target=1234)
        ours = keraslog.progress_line(1234, values, style=style, epoch_seconds=1.0)
        assert keras_log_wall(line) == keras_log_wall(ours), (line, ours)


# --- Keras 2.15: the notes' log (seed 004) and Keras 2's Progbar ---------------------------------------

NOTES = """Epoch 1/20
800/800 [==============================] - 2s 2ms/step - loss: 0.5123 - accuracy: 0.7931
Epoch 2/20
800/800 [==============================] - 2s 2ms/step - loss: 0.4698 - accuracy: 0.7960
Epoch 3/20
800/800 [==============================] - 2s 2ms/step - loss: 0.4561 - accuracy: 0.7959""".splitlines()


def test_keras2_lines_are_the_notes_lines():
    loss, accuracy = [0.5123, 0.4698, 0.4561], [0.7931, 0.7960, 0.7959]
    ours = keraslog.log(20, 800, {"loss": loss, "accuracy": accuracy}, [1.6, 1.8, 2.1], keraslog.KERAS2)
    assert [keras_log_wall(line) for line in ours] == [keras_log_wall(line) for line in NOTES]
    assert ours[1] == "800/800 [==============================] - 2s 2ms/step - loss: 0.5123 - accuracy: 0.7931"


def test_keras2_bar_and_order_follow_its_progbar():
    # Keras 2: "%{digits}d/%d [" + "=" * (done - 1) + ("=" at the end, ">" before it) + "." * rest + "]";
    # " - {elapsed:.0f}s" + _format_time; metrics in the order logged (loss, compiled metrics, val_…).
    line = keraslog.progress_line(8, {"loss": 0.25, "accuracy": 3e-4, "val_loss": -2e-4, "val_accuracy": 0.5},
                                  style=keraslog.KERAS2, epoch_seconds=0.0004)
    assert line == ("8/8 [==============================] - 0s 50us/step - loss: 0.2500 - accuracy: 3.0000e-04 "
                    "- val_loss: -2.0000e-04 - val_accuracy: 0.5000")
    assert keraslog.progress_bar(3, 8) == "[" + "=" * 10 + ">" + "." * 19 + "]"


def test_without_times_a_line_is_the_count_and_bar():
    assert keraslog.progress_line(25, {"loss": 0.5}) == "25/25 " + "━" * 20
    assert keraslog.progress_line(25, style=keraslog.KERAS2) == "25/25 [" + "=" * 30 + "]"
    assert keraslog.outline(1, 800) == ["800/800 " + "━" * 20]
    assert keraslog.outline(20, 800)[:2] == ["Epoch 1/20", "800/800 " + "━" * 20]
    assert keraslog.outline(20, 800)[2:4] == ["…", "Epoch 20/20"]
    with pytest.raises(ValueError, match="style"):
        keraslog.progress_line(25, style="keras4")
