"""The training pages' experiments, cached per settings for every session of the server.

A run depends only on its settings, so every student who picks the same settings shares one
result (and the same numbers). The progress label is not part of the cache key (Streamlit skips
``_``-prefixed arguments): an English and a Korean visitor share a run too. Caches are bounded
(``max_entries``), so memory stays flat however many settings a class tries. A rerun that
interrupts a run stops it inside a progress update, before anything is stored (``ui.progress``).

Training runs in a worker process (``ui.worker``) while the session's thread only waits, so cached
reruns of other students keep the GIL; an experiment made of independent jobs goes through
``ui.lanes``, which also trains a share in the session's thread when its page run is the server's only
one. The warm-up (``ui.warmup``) computes the page defaults and the lesson plan's settings in the
background at start-up, so the first student to open a page after a restart does not wait for its
first training run.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ebcore.lessons.batchnorm import experiment as bn
from ebcore.lessons.critical import experiment as cb
from ebcore.lessons import exam
from ebcore.lessons import epochs as overfit
from ebcore.lessons.tradeoffs import experiment as tr
from ebcore.lessons.epochs import log_lines
from ui import activity, lanes, worker
from ui.lanes import Call
from ui.progress import on_page, progress_bar


def _here() -> bool:
    """Whether a cache miss may train part of its work in this thread too (``ui.lanes``): only in a page
    run that is the server's only one (never in the warm-up), so no other student waits for the GIL."""
    return on_page() and activity.alone()


class _NotCached(Exception):
    """Raised by a cached function asked to ``_peek``: nothing is computed, and nothing is cached."""


def _peek(cached_fn, *args):
    """``cached_fn(*args)`` if its cache holds it, else None, computing nothing (``st.cache_data`` caches
    no exception, so a miss stores nothing)."""
    try:
        return cached_fn(*args, _peek=True)
    except _NotCached:
        return None


def _start_early(cached_fn, args: tuple, call: Callable[[], Call]) -> None:
    """Send ``call()`` to the worker now (``lanes.start_early``) if ``cached_fn(*args)`` is not cached and
    the page run is alone: the worker trains it while the page draws or trains what comes first, and
    the cached function's own run takes the job up."""
    if worker.workers() and _here() and _peek(cached_fn, *args) is None:
        lanes.start_early(call())


@st.cache_data(max_entries=1, show_spinner=False)
def exam_study(_label: str = "") -> list[exam.BatchStudy]:
    """First-sitting mistakes for every batch size over the study seeds (the same for everyone)."""
    with progress_bar(_label) as update:
        return worker.run("ui.jobs:exam_study", progress=update, progress_kw="progress")


@st.cache_data(max_entries=64, show_spinner=False)
def exam_sit(batch: int, seed: int, _label: str = "") -> exam.ExamRun:
    """One student sitting the exam ``exam.MAX_EPOCHS`` times with ``batch`` questions per check; the
    page reads fewer sittings as the run's prefix (``ExamRun.prefix``)."""
    with progress_bar(_label) as update:
        return worker.run("ui.jobs:exam_sit", batch, seed, progress=update, progress_kw="progress")


def _pieces(piece, keys: list[tuple], train_together) -> list:
    """Each key's value from its own cache (``piece(*key)``, an ``st.cache_data`` function taking
    ``_ready`` and ``_peek``); the keys not cached trained at once by ``train_together(missing keys)``
    and each filed under its own key, for any later call that shares it."""
    found = [_peek(piece, *key) for key in keys]
    missing = [key for key, value in zip(keys, found, strict=True) if value is None]
    trained = dict(zip(missing, train_together(missing), strict=True)) if missing else {}
    return [value if value is not None else piece(*key, _ready=trained[key])
            for key, value in zip(keys, found, strict=True)]


def sweep(settings: tr.SweepSettings, label: str = "") -> list[tr.SweepRun]:
    """The trade-offs sweep: one run per batch size in the settings' range, each cached on its own.

    Moving the range's ends adds or drops batch sizes; the sizes the new range shares with one anyone
    swept before come from the cache. The others train together (``sweep_batches``), under one bar.
    """
    keys = [(settings.training(b),) for b in settings.batch_sizes()]
    runs = _pieces(sweep_batch, keys, lambda missing: sweep_batches(tuple(t for (t,) in missing), label))
    return [run.prefix(settings.epochs) for run in runs]


@st.cache_data(max_entries=256, show_spinner=False)
def sweep_batch(settings: tr.SweepSettings, _ready: tr.SweepRun | None = None, _peek: bool = False) -> tr.SweepRun:
    """The run serving one batch size of the sweep (``settings.training(batch)``: every epoch the
    slider offers), as ``sweep_batches`` trained it (``_ready``)."""
    if _peek or _ready is None:
        raise _NotCached
    return _ready


@st.cache_data(max_entries=8, show_spinner=False)
def sweep_batches(trainings: tuple[tr.SweepSettings, ...], _label: str = "") -> list[tr.SweepRun]:
    """The runs of several batch sizes of the sweep (each ``settings.training(batch)``), trained at once
    (``ui.lanes``); one progress bar, in steps. Cached too, so students asking at once share one training."""
    calls = [Call("ui.jobs:sweep_run", (t,), weight=tr.sweep_steps(t)) for t in trainings]
    with progress_bar(_label) as update:
        return lanes.run_all(calls, progress=update, here=_here)


@st.cache_data(max_entries=4, show_spinner=False)
def noise_curve(seed: int) -> list[tr.NoisePoint]:
    """Gradient noise against batch size (powers of two) for the sweep's model at ``seed``."""
    (X, y), _ = tr.sweep_data(seed)
    sizes = [2**k for k in range(9) if 2**k <= tr.SWEEP_TRAIN]
    return tr.gradient_noise(tr.sweep_model(seed), X, y, sizes, loss="cross_entropy", draws=tr.NOISE_DRAWS, seed=seed)


def _seed_call(seeds: int) -> Call:
    return Call("ui.jobs:seed_runs", (seeds,))


def seed_runs_early(seeds: int) -> None:
    """Start ``seed_runs`` in the worker now, if it is not cached and the page run is alone: the
    trade-offs page draws it last, and the worker trains it while the page trains the sweep beside it."""
    _start_early(seed_runs, (seeds,), lambda: _seed_call(seeds))


@st.cache_data(max_entries=8, show_spinner=False)
def seed_runs(seeds: int, _label: str = "", _peek: bool = False) -> list[tr.Curve]:
    """The notes' four-run experiment repeated over seeds ``0..seeds-1``."""
    if _peek:
        raise _NotCached
    with progress_bar(_label) as update:
        return lanes.run_all([_seed_call(seeds)], progress=update)[0]


@st.cache_data(max_entries=16, show_spinner=False)
def bn_spreads(n: int, batch: int) -> list[bn.StatSpread]:
    """How much a batch's mean and variance scatter, for batch sizes from the last batch up to ``batch``."""
    return bn.batch_stat_spread(bn.bn_input_features(n)[:, 0], bn.spread_sizes(n, batch))


def _bn_calls(n: int, batch: int, opt: str, lr: str, epochs: int, seeds: int, norm: str) -> list[Call]:
    # one job a variant (the seeds of one variant train stacked), so two cores can share them
    return [Call("ui.jobs:bn_comparison", (n, batch, opt, float(lr), epochs, seeds, norm, part.keys),
                 weight=part.work) for part in bn.variant_parts(n, batch, epochs, norm)]


def bn_comparison_early(n: int, batch: int, opt: str, lr: str, epochs: int, seeds: int, norm: str) -> None:
    """Start ``bn_comparison``'s heaviest job in the worker now, if it is not cached and the page run is
    alone: the worker trains while the page draws its first sections (``lanes.start_early``)."""
    _start_early(bn_comparison, (n, batch, opt, lr, epochs, seeds, norm),
                 lambda: max(_bn_calls(n, batch, opt, lr, epochs, seeds, norm), key=lambda c: c.weight))


@st.cache_data(max_entries=16, show_spinner=False)
def bn_comparison(n: int, batch: int, opt: str, lr: str, epochs: int, seeds: int, norm: str,
                  _label: str = "", _peek: bool = False) -> bn.Comparison:
    """Keep vs drop the last batch (and the other normalisation), over ``seeds`` seeds."""
    if _peek:
        raise _NotCached
    with progress_bar(_label) as update:
        return bn.merge(lanes.run_all(_bn_calls(n, batch, opt, lr, epochs, seeds, norm), progress=update,
                                      here=_here))


@st.cache_data(max_entries=4, show_spinner=False)
def bn_single_crash(n: int, batch: int) -> bn.SingleSampleCrash | None:
    """Torch's real error when a last batch of one reaches BatchNorm (None if it does not)."""
    return bn.single_sample_error(n, batch)


@st.cache_data(max_entries=16, show_spinner=False)
def curve_run(points: int, seed: int, _label: str = "") -> overfit.CurveRun:
    """One curve run per (points, seed); scrubbing the epoch slider only reads its snapshots."""
    with progress_bar(_label) as update:
        return worker.run("ui.jobs:curve_run", points, seed, progress=update, progress_kw="progress")


def log_run(n: int, batch: int, epochs: int, label: str = "") -> overfit.KerasLogRun:
    """The classification run for ``epochs`` epochs: the prefix of one cached run of the most epochs
    the slider offers (a shorter run is exactly its start), so moving the slider trains nothing."""
    return log_run_full(n, batch, label).prefix(epochs)


@st.cache_data(max_entries=8, show_spinner=False)
def log_run_full(n: int, batch: int, _label: str = "") -> overfit.KerasLogRun:
    """The classification run for ``overfit.LOG_EPOCHS_MAX`` epochs, its Keras log printed live while it trains."""
    epochs = overfit.LOG_EPOCHS_MAX
    steps = overfit.log_steps(n, batch)
    live = st.empty() if on_page() else None
    metrics: list[list[float]] = []
    with progress_bar(_label) as update:
        def show(row: list[float]) -> None:
            metrics.append(row[:4])
            if live is not None:
                live.code("\n".join(log_lines(epochs, steps, *zip(*metrics, strict=True))), language=None)

        run = worker.run("ui.jobs:log_run", n, batch, epochs, progress=update, progress_kw="progress", on_row=show)
    if live is not None:
        live.empty()
    return run


def critical_trials(seed: int, label: str = "") -> list[cb.Trial]:
    """The critical-batch experiment: every learning rate of the grid at every batch size, one cached
    ``fit_many`` per batch size; the sizes not cached train together (``critical_batches``), under one bar."""
    grids = _pieces(critical_batch, [(seed, b) for b in cb.BATCHES],
                    lambda missing: critical_batches(seed, tuple(b for _, b in missing), label))
    return [t for grid in grids for t in grid]


@st.cache_data(max_entries=96, show_spinner=False)
def critical_batch(seed: int, batch: int, _ready: list[cb.Trial] | None = None, _peek: bool = False) -> list[cb.Trial]:
    """The learning-rate grid at one batch size of the critical-batch experiment, as ``critical_batches``
    trained it (``_ready``)."""
    if _peek or _ready is None:
        raise _NotCached
    return _ready


@st.cache_data(max_entries=8, show_spinner=False)
def critical_batches(seed: int, sizes: tuple[int, ...], _label: str = "") -> list[list[cb.Trial]]:
    """The learning-rate grids at several batch sizes, trained at once (``ui.lanes``); one bar, by their cost."""
    settings = cb.Settings(seed=seed)
    calls = [Call("ui.jobs:critical_batch", (seed, b), weight=cb.batch_work(settings, b)) for b in sizes]
    with progress_bar(_label) as update:
        return lanes.run_all(calls, progress=update, here=_here)


def _noise_call(seed: int) -> Call:
    return Call("ui.jobs:critical_noise", (seed,))


def critical_noise_early(seed: int) -> None:
    """Start ``critical_noise`` in the worker now, if it is not cached and the page run is alone: the
    critical-batch page draws it third, and the worker measures it while the page trains the grid."""
    _start_early(critical_noise, (seed,), lambda: _noise_call(seed))


@st.cache_data(max_entries=10, show_spinner=False)
def critical_noise(seed: int, _label: str = "", _peek: bool = False) -> list[cb.NoiseCheckpoint]:
    """The gradient noise scale along one run (exact and two-batch), at initialisation and every epoch."""
    if _peek:
        raise _NotCached
    with progress_bar(_label) as update:
        update(0.0)
        return lanes.run_all([_noise_call(seed)], progress=update)[0]
