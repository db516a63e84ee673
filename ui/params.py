"""Every page's shareable settings (its URL parameters), declared once.

The pages bind their widgets to these, the guard checks links against them, the warm-up
precomputes their defaults and presets, and the lesson plan's links are tested against them. Changing a key
breaks links teachers have shared: add keys, never rename them.
"""

from __future__ import annotations

from ebcore.lessons import digits as dg
from ebcore.lessons import epochs as ep
from ebcore.lessons import exam
from ebcore.lessons.batchnorm import experiment as bn
from ebcore.lessons.critical import experiment as cb
from ebcore.lessons.critical import tasks as cb_tasks
from ebcore.lessons.tradeoffs import experiment as tr
from ebcore.problems import DATA as DATA_CHOICES
from ui.urlstate import BoolParam, ChoiceParam, IntParam, Param

LEARNING_RATES = ("0.01", "0.03", "0.1", "0.3", "1")


class Shell:
    """Every page: the language and presentation mode."""

    LANG = ChoiceParam("lang", "en", ("en", "ko"))
    PRESENT = BoolParam("present", False)
    ALL: tuple[Param, ...] = (LANG, PRESENT)


class Calculator:
    """Home: samples, batch size, epochs and the advanced loader settings."""

    N = IntParam("n", 320, 1, 1_000_000_000)
    BATCH = IntParam("batch", 32, 1, 1_000_000_000)
    EPOCHS = IntParam("epochs", 10, 1, 100_000)
    DROP_LAST = BoolParam("drop_last", False)
    ACCUM = IntParam("accum", 1, 1, 1024)
    GPUS = IntParam("gpus", 1, 1, 1024)
    # DistributedSampler's own drop_last (apart from the loader's ``drop_last``): used where gpus > 1.
    SAMPLER_DROP_LAST = BoolParam("sampler_drop_last", False)
    ALL: tuple[Param, ...] = (N, BATCH, EPOCHS, DROP_LAST, ACCUM, GPUS, SAMPLER_DROP_LAST)


class Exam:
    """The exam analogy: questions per check, sittings, the student's seed, the exam (made up or real digits)."""

    BATCH = IntParam("batch", 10, 1, exam.QUESTIONS)
    EPOCHS = IntParam("epochs", 30, 1, exam.MAX_EPOCHS)
    SEED = IntParam("seed", 0, 0, 99)
    DATA = ChoiceParam("data", DATA_CHOICES[0], DATA_CHOICES)  # made-up topics, or real digits (a row per digit)
    ALL: tuple[Param, ...] = (BATCH, EPOCHS, SEED, DATA)
    # The notes' three cases; on the digits the same buttons (labelled alike) keep the digits.
    PRESETS: dict[str, dict[str, object]] = {str(size): {"batch": size} for size in (1, 10, 100)}
    DIGITS_PRESETS: dict[str, dict[str, object]] = {f"digits_{key}": values | {"data": "digits"}
                                                    for key, values in PRESETS.items()}


class Tradeoffs:
    """Batch trade-offs: the sweep, and the seed experiment's view."""

    BMIN = IntParam("bmin", 4, 1, tr.SWEEP_TRAIN, at_most="bmax")
    BMAX = IntParam("bmax", tr.SWEEP_TRAIN, 1, tr.SWEEP_TRAIN)
    EPOCHS = IntParam("epochs", 15, 1, tr.SWEEP_MAX_EPOCHS)
    LR = ChoiceParam("lr", "0.1", LEARNING_RATES)
    SCALE = BoolParam("scale", False)
    WARMUP = BoolParam("warmup", False)
    SEEDS = IntParam("seeds", 3, 1, 8)
    XAXIS = ChoiceParam("x", "epochs", tr.X_AXES)
    VIEW = ChoiceParam("view", "epoch", tr.GRANULARITIES)
    DATA = ChoiceParam("data", DATA_CHOICES[0], DATA_CHOICES)  # the sweep's data: made-up blobs or real digits
    ALL: tuple[Param, ...] = (BMIN, BMAX, EPOCHS, LR, SCALE, WARMUP, SEEDS, XAXIS, VIEW, DATA)
    PRESETS: dict[str, dict[str, object]] = {
        "notes": {"bmin": 16, "bmax": 128, "epochs": 15, "lr": "0.1", "scale": False, "warmup": False},
        "extremes": {"bmin": 1, "bmax": 256, "epochs": 10, "lr": "0.1", "scale": False, "warmup": False},
        "scaling": {"bmin": 8, "bmax": 256, "epochs": 15, "lr": "0.1", "scale": True, "warmup": True},
        "digits": {"bmin": 16, "bmax": 128, "epochs": 15, "lr": "0.1", "scale": False, "warmup": False,
                   "data": "digits"},
    }


class BatchNorm:
    """BatchNorm and the last batch: the loader, the optimiser, the comparison."""

    N = IntParam("n", 1206, *bn.N_RANGE)
    BATCH = IntParam("batch", 300, *bn.BATCH_RANGE)
    OPT = ChoiceParam("opt", "sgd", ("sgd", "sgd_momentum", "adam"))
    LR = ChoiceParam("lr", "0.1", LEARNING_RATES)
    EPOCHS = IntParam("epochs", 10, 1, bn.EPOCHS_MAX)
    SEEDS = IntParam("seeds", 5, 1, 8)
    NORM = ChoiceParam("norm", "layer", ("layer", "group"))
    # The data; the real digits hold fewer training images, so their N has its own key and range.
    DATA = ChoiceParam("data", DATA_CHOICES[0], DATA_CHOICES)
    DIGITS_N = IntParam("digits_n", 1206, *bn.DIGITS_N_RANGE)
    ALL: tuple[Param, ...] = (N, BATCH, OPT, LR, EPOCHS, SEEDS, NORM, DATA, DIGITS_N)
    PRESETS: dict[str, dict[str, object]] = {
        "last6": {"n": 1206, "batch": 300, "opt": "sgd", "lr": "0.1"},
        "last2": {"n": 1202, "batch": 300, "opt": "sgd_momentum", "lr": "0.1"},
        "last1": {"n": 1201, "batch": 300},
        "momentum": {"n": 1206, "batch": 300, "opt": "sgd_momentum", "lr": "0.1"},
        "adam": {"n": 1206, "batch": 300, "opt": "adam", "lr": "0.03"},
        "high_lr": {"n": 1206, "batch": 300, "opt": "sgd_momentum", "lr": "0.3"},
    }
    # The same cases on the digits (every N of them fits the digits' range), their buttons labelled alike.
    DIGITS_PRESETS: dict[str, dict[str, object]] = {
        f"digits_{key}": {("digits_n" if k == "n" else k): v for k, v in values.items()} | {"data": "digits"}
        for key, values in PRESETS.items()}

    @classmethod
    def n_param(cls, data: str) -> IntParam:
        """The key that holds N on ``data``: ``n``, or ``digits_n`` on the digits."""
        return cls.DIGITS_N if data == "digits" else cls.N


class Epochs:
    """Epochs & early stopping: the curve run, the stopping rule, the Keras log run."""

    POINTS = IntParam("points", 12, *ep.POINTS_RANGE)
    SEED = IntParam("seed", 0, 0, 99)
    EPOCH = IntParam("epoch", 60, 0, ep.EPOCHS)
    PATIENCE = IntParam("patience", 3, 0, 30)
    MIN_DELTA = ChoiceParam("min_delta", "0", ("0", "0.001", "0.01", "0.05"))
    RESTORE = BoolParam("restore", True)
    BASELINE = ChoiceParam("baseline", "none", ("none", "0.3", "0.2", "0.15", "0.1"))
    START = IntParam("start_from_epoch", 0, 0, 50)
    LOG_N = ChoiceParam("log_n", "1000", tuple(map(str, ep.LOG_SAMPLES)))
    LOG_BATCH = ChoiceParam("log_batch", "32", tuple(map(str, ep.LOG_BATCHES)))
    LOG_EPOCHS = IntParam("log_epochs", 10, 1, ep.LOG_EPOCHS_MAX)
    LOG_STYLE = ChoiceParam("log_style", "keras3", ("keras3", "keras3_v2", "keras2"))
    # Whose validation loss early stopping watches: the curve's (made up), or the notes' Keras run on real digits.
    DATA = ChoiceParam("data", DATA_CHOICES[0], DATA_CHOICES)
    ALL: tuple[Param, ...] = (POINTS, SEED, EPOCH, PATIENCE, MIN_DELTA, RESTORE, BASELINE, START, LOG_N, LOG_BATCH,
                              LOG_EPOCHS, LOG_STYLE, DATA)


class Digits:
    """Real handwritten digits: the notes' Keras run (batch size, epochs, seed) and the one batch to watch."""

    BATCH = ChoiceParam("batch", str(dg.KERAS_BATCH), tuple(map(str, dg.BATCHES)))
    EPOCHS = IntParam("epochs", dg.EPOCHS, 1, dg.EPOCHS_MAX)
    SEED = IntParam("seed", 0, 0, 99)
    LOOK_BATCH = ChoiceParam("look_batch", "10", tuple(map(str, dg.LOOK_BATCHES)))
    UPDATE = IntParam("update", 1, 1, dg.LOOK_UPDATES_MAX)
    ALL: tuple[Param, ...] = (BATCH, EPOCHS, SEED, LOOK_BATCH, UPDATE)
    # The notes' batch sizes: small (8), their default (32), large (256), the whole training set at once.
    PRESETS: dict[str, dict[str, object]] = {str(b): {"batch": str(b)} for b in (8, 32, 256, dg.BATCHES[-1])}


class CriticalBatch:
    """How big can a batch get: the target, tuned or one learning rate, the epoch budget, the seed."""

    TARGET = ChoiceParam("target", "0.35", tuple(f"{v:g}" for v in cb.TARGETS))
    FIXED = BoolParam("fixed", False)
    LR = ChoiceParam("lr", "0.05", tuple(f"{v:g}" for v in cb.LR_GRID))
    # Every task's budget slider stops where the made-up task's shortest runs end (the digits' run longer).
    BUDGET = IntParam("budget", 2, 1, min(cb.max_budget_epochs(task) for task in cb_tasks.TASKS.values()))
    SEED = IntParam("seed", 0, 0, 9)
    # The data set (``cb_tasks.TASKS``); the real digits have their own targets (cross-entropy) and grid.
    DATA = ChoiceParam("data", cb.SYNTHETIC.code, tuple(cb_tasks.TASKS))
    DIGITS_TARGET = ChoiceParam("digits_target", "0.5", tuple(f"{v:g}" for v in cb_tasks.DIGITS.targets))
    DIGITS_LR = ChoiceParam("digits_lr", "0.4", tuple(f"{v:g}" for v in cb_tasks.DIGITS.lrs))
    ALL: tuple[Param, ...] = (TARGET, FIXED, LR, BUDGET, SEED, DATA, DIGITS_TARGET, DIGITS_LR)
    PRESETS: dict[str, dict[str, object]] = {
        "tuned": {"target": "0.35", "fixed": False},
        "untuned": {"target": "0.35", "fixed": True, "lr": "0.05"},
        "close": {"target": "0.32", "fixed": False},
        "loose": {"target": "0.5", "fixed": False},
    }
    DIGITS_PRESETS: dict[str, dict[str, object]] = {
        "digits_tuned": {"data": "digits", "digits_target": "0.5", "fixed": False},
        "digits_untuned": {"data": "digits", "digits_target": "0.5", "fixed": True, "digits_lr": "0.4"},
        "digits_loose": {"data": "digits", "digits_target": "1", "fixed": False},
    }

    @classmethod
    def target_param(cls, data: str) -> ChoiceParam:
        """The key that holds the target on ``data`` (the digits' targets are cross-entropies)."""
        return cls.DIGITS_TARGET if data == "digits" else cls.TARGET

    @classmethod
    def lr_param(cls, data: str) -> ChoiceParam:
        """The key that holds the one learning rate on ``data`` (the digits have their own grid)."""
        return cls.DIGITS_LR if data == "digits" else cls.LR


# By page URL path, for the lesson plan and the tests.
BY_PAGE: dict[str, tuple[Param, ...]] = {
    "": Calculator.ALL,
    "exam_analogy": Exam.ALL,
    "batch_tradeoffs": Tradeoffs.ALL,
    "batchnorm_last_batch": BatchNorm.ALL,
    "epochs_early_stopping": Epochs.ALL,
    "critical_batch": CriticalBatch.ALL,
    "real_digits": Digits.ALL,
}
# The ready-made settings a page's buttons set (widget values), by page URL path: the warm-up computes them.
PRESETS_BY_PAGE: dict[str, dict[str, dict[str, object]]] = {
    "exam_analogy": Exam.PRESETS | Exam.DIGITS_PRESETS,
    "batch_tradeoffs": Tradeoffs.PRESETS,
    "batchnorm_last_batch": BatchNorm.PRESETS | BatchNorm.DIGITS_PRESETS,
    "critical_batch": CriticalBatch.PRESETS | CriticalBatch.DIGITS_PRESETS,
    "real_digits": Digits.PRESETS,
}
# Every page's keys (not the shell's: language and presentation mode stay as the session moves on).
PAGE_KEYS: frozenset[str] = frozenset(p.key for params in BY_PAGE.values() for p in params)
