"""The training pages' runs: declared once per page (``PAGES``), cached per settings for every session.

Follow a setting from a page to the trainer, e.g. the BatchNorm page's ``n``:

1. The page asks ``runs.batchnorm(urlstate.current)`` for its runs at its widgets' values: a ``BatchNormRuns``
   whose ``comparison`` is ``Run(bn_comparison, (n, batch, …))``. Nothing trains yet.
2. ``comparison(label)`` calls ``bn_comparison``, an ``st.cache_data`` function: a hit returns at once. A
   miss makes one ``Call(bn.compare, (n, batch, …, keys), weight=cost)`` per piece of the lesson's cost
   model (``bn.pieces``) and hands them to ``lanes.run_all``, which sends them to the worker process.
3. ``ui.worker`` pickles ``bn.compare`` by reference and calls ``bn.compare(n, …, progress=…)`` there;
   every experiment takes ``progress(fraction, row=None)``, which feeds the page's bar (``ui.progress``).

The warm-up (``ui.warmup``) asks the same declarations (defaults, presets, lesson steps); ``Run.start_early`` too.

A run depends only on its settings, so every student who picks the same settings shares one result.
The progress label is not part of the cache key (Streamlit skips ``_``-prefixed arguments). Caches are
bounded (``max_entries``). A rerun that interrupts a run stops it inside a progress update, before
anything is stored. Training runs in a worker process, so other students' cached reruns keep the GIL;
``ui.lanes`` also trains a share in the page's thread when its page run is the server's only one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import streamlit as st

from ebcore.lessons import digits as dg
from ebcore.lessons import epochs as ep
from ebcore.lessons import exam
from ebcore.lessons.batchnorm import experiment as bn
from ebcore.lessons.critical import experiment as cb
from ebcore.lessons.epochs import log_lines
from ebcore.lessons.tradeoffs import experiment as tr
from ebcore.lessons.tradeoffs import measures
from ebcore.problems import DATA
from ui import activity, lanes, worker
from ui.lanes import Call
from ui.params import BatchNorm, CriticalBatch, Digits, Epochs, Exam, Tradeoffs
from ui.progress import on_page, progress_bar
from ui.urlstate import Param

Values = Callable[[Param], Any]
"""A page's setting by its ``Param``: ``urlstate.current`` on a page, the warm-up's own values off it."""


def defaults(param: Param) -> Any:
    """Every setting at its default (``Values``)."""
    return param.default


def _here() -> bool:
    """Whether a cache miss may train part of its work in this thread too (``ui.lanes``): only in a page
    run that is the server's only one (never in the warm-up), so no other student waits for the GIL."""
    return on_page() and activity.alone()


class _NotCached(Exception):
    """Raised by a cached function asked to ``_peek``: nothing is computed, and nothing is cached."""


def _peek(cached_fn, *args):
    """``cached_fn(*args)`` if its cache holds it, else None, computing nothing. Streamlit offers no way to
    ask its cache; a cached function raises ``_NotCached`` when asked to peek, and caches no exception."""
    try:
        return cached_fn(*args, _peek=True)
    except _NotCached:
        return None


def _in_worker(call: Call, label: str) -> Any:
    """``call``'s result under a progress bar labelled ``label``: the job ``Run.start_early`` sent, if there
    is one, else trained now in the worker."""
    with progress_bar(label) as update:
        return lanes.run_all([call], progress=update)[0]


def _job(target: Callable[..., Any]) -> Callable[..., Call]:
    """A ``Run.early`` whose job is ``target`` on the run's own arguments."""
    return lambda *args: Call(target, args)


@dataclass(frozen=True)
class Run:
    """One run a page shows: ``cached(*args, label)``, its cached function with its settings, and ``early``:
    the job worth sending ahead (``start_early``), made from the same ``args``."""

    cached: Callable[..., Any]
    args: tuple = ()
    early: Callable[..., Call] | None = None

    def __call__(self, label: str = "") -> Any:
        """The result: from the cache, or trained now under a progress bar labelled ``label``."""
        return self.cached(*self.args, label)

    def start_early(self) -> None:
        """Send ``early(*args)`` to the worker now if the run is not cached and the page run is alone: the
        worker trains while the page draws what comes first, and ``self()`` takes the job up."""
        if worker.workers() and _here() and _peek(self.cached, *self.args) is None:
            lanes.start_early(self.early(*self.args))


# --- each page's runs, declared once ----------------------------------------------------------------------


class ExamRuns(NamedTuple):
    study: Run
    student: Run


def exam_analogy(v: Values) -> ExamRuns:
    """The exam page: the first-sitting study, and one student sitting every sitting the slider offers."""
    data = v(Exam.DATA)
    return ExamRuns(Run(exam_study, (data,)), Run(exam_sit, (v(Exam.BATCH), v(Exam.SEED), data), _exam_sit_call))


class EpochsRuns(NamedTuple):
    curve: Run
    log: Run
    stopping: Run


def epochs(v: Values) -> EpochsRuns:
    """The epochs page: the curve run, the Keras-log run (its longest, cut to the slider's epochs), and the
    run whose validation loss early stopping watches: the curve's, or the notes' Keras run on real digits."""
    curve = Run(curve_run, (v(Epochs.POINTS), v(Epochs.SEED)))
    stopping = Run(digits_stopping, (v(Epochs.SEED),)) if v(Epochs.DATA) == "digits" else curve
    return EpochsRuns(curve, Run(log_run, (int(v(Epochs.LOG_N)), int(v(Epochs.LOG_BATCH)), v(Epochs.LOG_EPOCHS),
                                           v(Epochs.LOG_STYLE))), stopping)


class BatchNormRuns(NamedTuple):
    spreads: Run
    comparison: Run
    crash: Run


def batchnorm(v: Values) -> BatchNormRuns:
    """The BatchNorm page: the batch statistics' spread, the comparison, and the one-sample crash."""
    data = v(BatchNorm.DATA)
    n, batch = v(BatchNorm.n_param(data)), v(BatchNorm.BATCH)
    comparison = (n, batch, v(BatchNorm.OPT), v(BatchNorm.LR), v(BatchNorm.EPOCHS), v(BatchNorm.SEEDS),
                  v(BatchNorm.NORM), data)
    return BatchNormRuns(Run(bn_spreads, (n, batch, data)), Run(bn_comparison, comparison, _bn_heaviest),
                         Run(bn_single_crash, (*bn.crash_example(n, batch), data)))


class TradeoffsRuns(NamedTuple):
    sweep: Run
    noise: Run
    seeds: Run
    claims: Run


def tradeoffs(v: Values) -> TradeoffsRuns:
    """The trade-offs page: the sweep, its gradient noise, the seed experiment, and the critical-batch runs
    at their defaults that the claims' conditions read (``ui.critical_note``)."""
    data = v(Tradeoffs.DATA)
    settings = tr.SweepSettings(v(Tradeoffs.BMIN), v(Tradeoffs.BMAX), v(Tradeoffs.EPOCHS), float(v(Tradeoffs.LR)),
                                v(Tradeoffs.SCALE), v(Tradeoffs.WARMUP), data=data)
    # The claims' conditions: the critical-batch page's runs at its defaults, on the same data.
    on_same_data = critical(lambda p: data if p is CriticalBatch.DATA else p.default)
    return TradeoffsRuns(Run(sweep, (settings,)), Run(noise_curve, (settings.seed, data), _job(tr.noise_curve)),
                         Run(seed_runs, (v(Tradeoffs.SEEDS),), _seed_call), on_same_data.trials)


class CriticalRuns(NamedTuple):
    trials: Run
    noise: Run


def critical(v: Values) -> CriticalRuns:
    """The critical-batch page: the learning-rate grid at every batch size, and the noise scale, on its data."""
    seed, task = v(CriticalBatch.SEED), v(CriticalBatch.DATA)
    return CriticalRuns(Run(critical_trials, (seed, task)), Run(critical_noise, (seed, task), _job(cb.noise_run)))


class DigitsRuns(NamedTuple):
    example: Run
    look: Run


def real_digits(v: Values) -> DigitsRuns:
    """The digits page: the notes' Keras run (the prefix of its longest), and the batch watched at one update."""
    seed = v(Digits.SEED)
    return DigitsRuns(Run(digits_example, (int(v(Digits.BATCH)), v(Digits.EPOCHS), seed)),
                      Run(digits_look, (int(v(Digits.LOOK_BATCH)), v(Digits.UPDATE), seed)))


PAGES: dict[str, Callable[[Values], tuple[Run, ...]]] = {
    "exam_analogy": exam_analogy, "epochs_early_stopping": epochs, "batchnorm_last_batch": batchnorm,
    "batch_tradeoffs": tradeoffs, "critical_batch": critical, "real_digits": real_digits}
"""Every training page's declaration, by page (``ui.params.BY_PAGE``'s keys): the warm-up's list."""


# --- the cached runs and their jobs ---------------------------------------------------------------------


@st.cache_data(max_entries=len(DATA), show_spinner=False)
def exam_study(data: str, _label: str = "") -> list[exam.BatchStudy]:
    """First-sitting mistakes on ``data``'s exams, every batch size over the study seeds: one job a batch size
    (weighed by its checks), so the page's thread trains some while the worker trains the early student."""
    calls = [Call(exam.first_sitting_study, ((b,), exam.STUDY_SEEDS, data), weight=exam.sheet_counts(b).checks)
             for b in exam.BATCH_SIZES]
    with progress_bar(_label) as update:
        return [study for part in lanes.run_all(calls, progress=update, here=_here) for study in part]


def _exam_sit_call(batch: int, seed: int, data: str) -> Call:
    return Call(exam.sit, (batch, exam.MAX_EPOCHS, seed, data))


@st.cache_data(max_entries=64, show_spinner=False)
def exam_sit(batch: int, seed: int, data: str, _label: str = "", _peek: bool = False) -> exam.ExamRun:
    """One student sitting ``data``'s exam ``exam.MAX_EPOCHS`` times with ``batch`` questions per check (the page
    reads fewer sittings as its prefix, ``ExamRun.prefix``); started early, it trains beside the study."""
    if _peek:
        raise _NotCached
    return _in_worker(_exam_sit_call(batch, seed, data), _label)


def _pieces(keys: list[tuple], job: Callable[[tuple], Call], label: str) -> list:
    """Each key's result from its own cache entry (``piece``); the keys not cached are trained at once
    (``together``: ``job(key)`` each, under one bar) and each filed under its own key, for any later
    page run that shares it."""
    found = [_peek(piece, key) for key in keys]
    missing = tuple(key for key, value in zip(keys, found, strict=True) if value is None)
    trained = dict(zip(missing, together(missing, [job(key) for key in missing], label), strict=True)) \
        if missing else {}
    return [value if value is not None else piece(key, _ready=trained[key])
            for key, value in zip(keys, found, strict=True)]


@st.cache_data(max_entries=352, show_spinner=False)
def piece(key: tuple, _ready: Any = None, _peek: bool = False) -> Any:
    """One job's result under ``key``, as ``together`` trained it (``_ready``): a batch size of the
    trade-offs sweep (``("sweep", settings.training(batch))``: every epoch the slider offers) or the
    critical-batch grid at one batch size (``("critical", seed, batch)``)."""
    if _peek or _ready is None:
        raise _NotCached
    return _ready


@st.cache_data(max_entries=16, show_spinner=False)
def together(keys: tuple[tuple, ...], _jobs: list[Call], _label: str = "") -> list:
    """The jobs ``_jobs`` of ``keys`` (``piece``), trained at once (``ui.lanes``) under one progress bar, by
    their weights. Cached by the keys too, so students asking at once share one training."""
    with progress_bar(_label) as update:
        return lanes.run_all(_jobs, progress=update, here=_here)


def sweep(settings: tr.SweepSettings, label: str = "") -> list[tr.SweepRun]:
    """The trade-offs sweep: one run per batch size in the settings' range, each cached on its own.

    Moving the range's ends adds or drops batch sizes; the sizes the new range shares with one anyone
    swept before come from the cache. The others train together (``together``), under one bar, in steps.
    """
    keys = [("sweep", settings.training(b)) for b in settings.batch_sizes()]
    runs = _pieces(keys, lambda key: Call(tr.sweep_run, (key[1], key[1].b_min), weight=tr.sweep_steps(key[1])),
                   label)
    return [run.prefix(settings.epochs) for run in runs]


@st.cache_data(max_entries=4, show_spinner=False)
def noise_curve(seed: int, data: str = DATA[0], _label: str = "", _peek: bool = False) -> list[measures.NoisePoint]:
    """Gradient noise against batch size for the sweep's model (``tradeoffs.noise_curve``; no training)."""
    if _peek:
        raise _NotCached
    return _in_worker(Call(tr.noise_curve, (seed, data)), _label)


def _seed_call(seeds: int) -> Call:
    return Call(tr.seed_experiment, (range(seeds),))


@st.cache_data(max_entries=8, show_spinner=False)
def seed_runs(seeds: int, _label: str = "", _peek: bool = False) -> list[tr.Curve]:
    """The notes' four-run experiment repeated over seeds ``0..seeds-1``."""
    if _peek:
        raise _NotCached
    return _in_worker(_seed_call(seeds), _label)


@st.cache_data(max_entries=16, show_spinner=False)
def bn_spreads(n: int, batch: int, data: str, _label: str = "") -> list[bn.StatSpread]:
    """How much a batch's mean and variance scatter, for batch sizes from the last batch up to ``batch``
    (sampling, no training: 0.07-0.17 s a new N). Here when the page run is the server's only one (the
    worker is busy with the comparison sent early); else in the worker, so a student dragging the N
    slider does not take it from everyone's page runs in the server's thread."""
    if _here():
        return bn.input_spread(n, batch, data)
    return worker.run(bn.input_spread, n, batch, data, progress_kw=None)


def _bn_calls(n: int, batch: int, opt: str, lr: str, epochs: int, seeds: int, norm: str, data: str) -> list[Call]:
    # one job a variant (the seeds of one variant train stacked), so two cores can share them
    return [Call(bn.compare, (n, batch, opt, float(lr), epochs, seeds, norm, keys, data), weight=cost)
            for keys, cost in bn.pieces(n, batch, epochs, norm)]


def _bn_heaviest(*args) -> Call:
    return max(_bn_calls(*args), key=lambda call: call.weight)


@st.cache_data(max_entries=16, show_spinner=False)
def bn_comparison(n: int, batch: int, opt: str, lr: str, epochs: int, seeds: int, norm: str, data: str,
                  _label: str = "", _peek: bool = False) -> bn.Comparison:
    """Keep vs drop the last batch (and the other normalisation), over ``seeds`` seeds, on ``data``."""
    if _peek:
        raise _NotCached
    with progress_bar(_label) as update:
        return bn.merge(lanes.run_all(_bn_calls(n, batch, opt, lr, epochs, seeds, norm, data), progress=update,
                                      here=_here))


@st.cache_data(max_entries=4, show_spinner=False)
def bn_single_crash(n: int, batch: int, data: str, _label: str = "") -> bn.SingleSampleCrash | None:
    """Torch's real error when a last batch of one reaches BatchNorm (None if it does not), on ``data``."""
    return worker.run(bn.single_sample_error, n, batch, 0, data, progress_kw=None)


@st.cache_data(max_entries=16, show_spinner=False)
def curve_run(points: int, seed: int, _label: str = "") -> ep.CurveRun:
    """One curve run per (points, seed); scrubbing the epoch slider only reads its snapshots."""
    return _in_worker(Call(ep.train_curve, (points, seed)), _label)


@st.cache_data(max_entries=16, show_spinner=False)
def digits_stopping(seed: int, _label: str = "") -> ep.KerasLogRun:
    """The notes' Keras run on the digits for ``dg.STOPPING_EPOCHS`` epochs: the epochs page's early stopping."""
    return _in_worker(Call(dg.stopping_run, (seed,)), _label)


def log_run(n: int, batch: int, epochs: int, style: str, label: str = "") -> ep.KerasLogRun:
    """The classification run for ``epochs`` epochs: the prefix of one cached run of the most epochs
    the slider offers (a shorter run is exactly its start), so moving the slider trains nothing. ``style``
    (``keraslog.STYLES``) is only how its log is printed live while it trains: the run is the same."""
    return log_run_full(n, batch, label, style).prefix(epochs)


@st.cache_data(max_entries=8, show_spinner=False)
def log_run_full(n: int, batch: int, _label: str = "", _style: str = "keras3") -> ep.KerasLogRun:
    """The classification run for ``ep.LOG_EPOCHS_MAX`` epochs, its Keras log printed live (in ``_style``,
    ``keraslog.STYLES``) while it trains."""
    epochs = ep.LOG_EPOCHS_MAX
    steps = ep.log_steps(n, batch)
    live = st.empty() if on_page() else None
    metrics: list[list[float]] = []
    with progress_bar(_label) as update:
        def show(row: list[float]) -> None:
            metrics.append(row[:5])  # the epoch's loss, accuracy, val_loss, val_accuracy and seconds
            if live is not None:
                *columns, seconds = zip(*metrics, strict=True)
                live.code("\n".join(log_lines(epochs, steps, *columns, epoch_time=seconds, style=_style)),
                          language=None)

        run = worker.run(ep.keras_log_run, n, batch, epochs, progress=update, on_row=show)
    if live is not None:
        live.empty()
    return run


def critical_trials(seed: int, task: str = cb.SYNTHETIC.code, label: str = "") -> list[cb.Trial]:
    """The critical-batch experiment on ``task``'s data: every learning rate of the grid at every batch size,
    one cached ``fit_many`` per batch size; the sizes not cached train together (``together``), under one bar
    by their cost (``cb.batch_work``)."""
    settings = cb.Settings.of(task, seed)
    grids = _pieces([("critical", task, seed, b) for b in settings.problem.batches],
                    lambda key: Call(cb.run_batch, (settings, key[3]), weight=cb.batch_work(settings, key[3])), label)
    return [t for grid in grids for t in grid]


@st.cache_data(max_entries=10, show_spinner=False)
def critical_noise(seed: int, task: str = cb.SYNTHETIC.code, _label: str = "",
                   _peek: bool = False) -> list[cb.NoiseCheckpoint]:
    """The gradient noise scale along one run on ``task``'s data (exact and two-batch), at initialisation
    and every epoch."""
    if _peek:
        raise _NotCached
    return _in_worker(Call(cb.noise_run, (seed, task)), _label)


def digits_example(batch: int, epochs: int, seed: int, label: str = "") -> ep.KerasLogRun:
    """The notes' Keras run on the digits for ``epochs`` epochs: the prefix of one cached run of the most
    epochs the slider offers (Adam at a constant rate: a shorter run is exactly its start)."""
    return digits_example_full(batch, seed, label).prefix(epochs)


@st.cache_data(max_entries=16, show_spinner=False)
def digits_example_full(batch: int, seed: int, _label: str = "") -> ep.KerasLogRun:
    """The notes' Keras run on the digits for ``dg.EPOCHS_MAX`` epochs."""
    return _in_worker(Call(dg.keras_example, (batch, dg.EPOCHS_MAX, seed)), _label)


@st.cache_data(max_entries=32, show_spinner=False)
def digits_look(batch: int, update: int, seed: int, _label: str = "") -> dg.BatchLook:
    """The ``update``-th update's batch of the digits run at ``batch``, before and after that update."""
    return _in_worker(Call(dg.see_batch, (batch, update, seed)), _label)
