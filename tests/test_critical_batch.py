"""Steps to target, the best trial per batch size, the hyperbola fit and the regions, against brute force."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from ebcore.lessons.critical import experiment as cb
from ebcore.lessons.critical import scaling
from ebcore.trainer import TrainConfig, check_budget, fit

# --- the earliest step on a recorded curve -------------------------------------------------------------

losses = st.lists(st.floats(0.05, 5.0), min_size=1, max_size=12)


def curve_at(steps, values, s: int) -> float:
    """The recorded curve at integer step ``s``: log-linear between the two evaluations around it."""
    if s == steps[0]:
        return values[0]
    points = list(zip(steps, values, strict=True))
    for (s0, l0), (s1, l1) in zip(points, points[1:], strict=False):
        if s0 <= s <= s1:
            return math.exp(math.log(l0) + (math.log(l1) - math.log(l0)) * (s - s0) / (s1 - s0))
    raise AssertionError("outside the curve")


def reaches(steps, values, s: int, target: float) -> bool:
    """Whether the recorded curve is at or below ``target`` at step ``s``: exactly at an evaluation,
    within float round-off (1e-9 relative) between two."""
    if s in steps:
        return values[steps.index(s)] <= target
    return curve_at(steps, values, s) <= target * (1 + 1e-9)


# Derandomized: the same examples on every run (a property test must not be flaky).
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(values=losses, per_epoch=st.integers(1, 64), target=st.floats(0.05, 5.0))
def test_steps_to_target_against_a_search_of_every_step(values, per_epoch, target):
    steps = [e * per_epoch for e in range(len(values))]
    got = cb.steps_to_target(steps, values, target)
    # A plain search over every integer step of the recorded curve.
    first = next((s for s in range(steps[-1] + 1) if reaches(steps, values, s, target)), None)
    if first is None:
        assert got is None
        return
    assert got is not None and got <= first + 1e-6
    assert math.ceil(got - 1e-6) == first  # no earlier whole step reaches it


def test_steps_to_target_reads_exact_points_and_stops_at_divergence():
    assert cb.steps_to_target([0, 10, 20], [1.0, 0.5, 0.25], 0.5) == pytest.approx(10)
    assert cb.steps_to_target([0, 10, 20], [1.0, 0.5, 0.25], math.sqrt(0.5)) == pytest.approx(5)
    assert cb.steps_to_target([0, 10, 20], [0.2, 0.5, 0.25], 0.3) == 0
    assert cb.steps_to_target([0, 10, 20], [1.0, math.nan, 0.1], 0.3) is None
    assert cb.steps_to_target([0, 10], [1.0, 0.9], 0.3) is None


def trial(batch, lr, values, per_epoch=4, rep=0):
    return cb.Trial(batch, lr, tuple(e * per_epoch for e in range(len(values))), tuple(values), False, rep)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(grid=st.lists(st.lists(st.lists(losses, min_size=3, max_size=3), min_size=2, max_size=2), min_size=1,
                     max_size=3), target=st.floats(0.1, 2))
def test_best_per_batch_is_the_lowest_median_over_the_repeats(grid, target):
    trials = [trial(2**b, lr, values, rep=r) for b, per_lr in enumerate(grid)
              for lr, reps in zip((0.1, 0.2), per_lr, strict=True) for r, values in enumerate(reps)]
    points = cb.best_per_batch(trials, target)
    assert [p.batch for p in points] == sorted({t.batch for t in trials})

    def runs(batch, lr):
        return [cb.steps_to_target(t.steps, t.val_loss, target) for t in trials if t.batch == batch and t.lr == lr]

    def middle(values):  # of three: the second fastest, a missed target ranking last
        return sorted(math.inf if v is None else v for v in values)[1]

    for p in points:
        best = min(middle(runs(p.batch, lr)) for lr in (0.1, 0.2))
        assert (p.steps if p.steps is not None else math.inf) == best
        if p.steps is not None:
            assert middle(runs(p.batch, p.lr)) == p.steps and sorted(map(str, p.runs)) == sorted(
                map(str, runs(p.batch, p.lr)))
            assert p.low <= p.steps and (p.high is None or p.high >= p.steps)
        assert p.examples == (None if p.steps is None else p.steps * p.batch)
    fixed = cb.best_per_batch(trials, target, lr=0.2)
    assert all(p.lr == 0.2 for p in fixed)
    pairs = zip(points, fixed, strict=True)
    assert all(f.steps is None or (p.steps is not None and p.steps <= f.steps) for p, f in pairs)


def test_one_lucky_repeat_does_not_pick_the_learning_rate():
    # lr 0.2: one run at step 4, two that never reach 0.5; lr 0.1: all three at step 8.
    trials = [trial(8, 0.2, [1, 0.4]), trial(8, 0.2, [1, 0.9, 0.9], rep=1), trial(8, 0.2, [1, 0.9, 0.9], rep=2)]
    trials += [trial(8, 0.1, [1, 0.6, 0.4], rep=r) for r in range(3)]
    (point,) = cb.best_per_batch(trials, 0.5)
    assert point.lr == 0.1 and point.low <= point.steps <= point.high


def test_epoch_budget_reads_the_median_loss_after_that_many_epochs():
    repeated = [trial(8, 0.1, [1, v], rep=r) for r, v in enumerate((0.5, 0.9, 0.6))]
    assert cb.epoch_budget(repeated, 1) == [(8, 0.1, 0.6)]


def test_epoch_budget_reads_the_loss_after_that_many_epochs():
    trials = [trial(8, 0.1, [1, 0.8, 0.6]), trial(8, 0.2, [1, 0.7, math.nan]), trial(16, 0.1, [1, 0.9, 0.85])]
    assert cb.epoch_budget(trials, 1) == [(8, 0.2, 0.7), (16, 0.1, 0.9)]
    assert cb.epoch_budget(trials, 2) == [(8, 0.1, 0.6), (16, 0.1, 0.85)]
    assert cb.epoch_budget(trials, 2, lr=0.1) == [(8, 0.1, 0.6), (16, 0.1, 0.85)]
    with pytest.raises(ValueError):
        cb.epoch_budget(trials, 3)


# --- the hyperbola and the regions -------------------------------------------------------------------

sizes = st.lists(st.integers(0, 12), min_size=2, max_size=9, unique=True).map(lambda ks: sorted(2**k for k in ks))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(s_min=st.floats(1, 1e4), e_min=st.floats(1, 1e6), batches=sizes)
def test_fit_recovers_s_min_and_e_min_from_points_on_the_hyperbola(s_min, e_min, batches):
    points = [(b, s_min + e_min / b) for b in batches]
    got = scaling.fit(points)
    assert got.s_min == pytest.approx(s_min, rel=1e-6)
    assert got.e_min == pytest.approx(e_min, rel=1e-6)
    assert got.b_crit == pytest.approx(e_min / s_min, rel=1e-6)
    for b in batches:  # the model's identity: (S/S_min − 1)(E/E_min − 1) = 1
        s, e = got.steps(b), got.examples(b)
        assert (s / got.s_min - 1) * (e / got.e_min - 1) == pytest.approx(1, rel=1e-6)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(s_min=st.floats(10, 1e3), b_crit=st.floats(8, 512), seed=st.integers(0, 1000))
def test_fit_of_noisy_points_lands_near_the_truth(s_min, b_crit, seed):
    import random

    rng = random.Random(seed)
    batches = [2**k for k in range(0, 14)]
    points = [(b, (s_min + s_min * b_crit / b) * math.exp(rng.gauss(0, 0.03))) for b in batches]
    got = scaling.fit(points)
    assert got.s_min == pytest.approx(s_min, rel=0.15)
    assert got.b_crit == pytest.approx(b_crit, rel=0.3)


def test_fit_refuses_what_it_cannot_fit():
    with pytest.raises(ValueError):
        scaling.fit([(8, 10.0)])
    with pytest.raises(ValueError):
        scaling.fit([(8, 10.0), (16, 20.0), (32, 40.0)])  # steps rising with the batch: E_min < 0


def test_regions_are_read_off_each_measured_doubling():
    steps = [(8, 400.0), (16, 200.0), (32, 130.0), (64, 110.0), (128, 108.0), (256, None), (512, 100.0),
             (1024, 101.0)]
    d = scaling.doublings(steps)
    assert [(x.small, x.large) for x in d] == [(8, 16), (16, 32), (32, 64), (64, 128), (512, 1024)]
    assert [round(x.share, 3) for x in d] == [1.0, 0.7, round(40 / 130, 3), round(4 / 110, 3), -0.02]
    assert [x.region.value for x in d] == ["perfect", "diminishing", "diminishing", "maximal", "maximal"]
    assert d[-1].growth == pytest.approx(0.01)
    # the run of maximal doublings at the end is broken by the missed target at 256
    assert scaling.maximal_from(d) == 512 and scaling.perfect_until(d) == 16
    assert scaling.maximal_from(d[:3]) is None and scaling.perfect_until(d[1:]) is None


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(1, 1000)), min_size=2, max_size=8))
def test_every_shaded_span_and_region_follows_from_the_drawn_steps(values):
    from ebcore.lessons.critical import view

    points = [(2 ** (3 + k), v) for k, v in enumerate(values)]
    d = scaling.doublings(points)
    for x in d:
        s0, s1 = dict(points)[x.small], dict(points)[x.large]
        saved = (s0 - s1) / (s0 / 2)
        assert x.share == pytest.approx(saved)
        assert x.region is (scaling.Region.PERFECT if saved >= 0.8 else scaling.Region.MAXIMAL if saved <= 0.2
                            else scaling.Region.DIMINISHING)
    spans = view.region_spans(d)
    # every doubling lies in exactly one span of its own region, and spans of one region never touch
    for x in d:
        assert [r for lo, hi, r in spans if lo <= x.small and x.large <= hi] == [x.region]
    assert all(not (a[1] == b[0] and a[2] is b[2]) for a, b in zip(spans, spans[1:], strict=False))
    start = scaling.maximal_from(d)
    if start is not None:
        assert all(x.region is scaling.Region.MAXIMAL for x in d if x.small >= start)


def test_perfect_scaling_line_halves_the_steps_per_doubling():
    assert scaling.perfect_scaling(8, 400.0, [8, 16, 64]) == [(8, 400.0), (16, 200.0), (64, 50.0)]


# --- the experiment itself ------------------------------------------------------------------------------


def test_every_run_fits_the_trainer_budget_and_reaches_the_budget_epochs():
    settings_ = cb.Settings()
    for b in cb.BATCHES:
        for lr in settings_.lrs:
            for rep in range(settings_.repeats):
                check_budget(cb.N_TRAIN, settings_.config(b, lr, rep), cb.N_VAL)
        assert cb.epochs_for(b) >= cb.max_budget_epochs()
    assert cb.BATCHES[-1] == cb.N_TRAIN


def test_a_trial_is_the_plain_fit_of_its_config():
    settings_ = cb.Settings(seed=3, lrs=(0.05, 0.1), repeats=2)
    trials = cb.run_batch(settings_, 512)
    (X, y), val = cb.data(3)
    assert [(t.rep, t.lr) for t in trials] == [(0, 0.05), (0, 0.1), (1, 0.05), (1, 0.1)]
    for t in trials:
        seed = settings_.run_seed(t.rep)
        h = fit(cb.model(seed), X, y, TrainConfig(epochs=cb.epochs_for(512), batch_size=512, lr=t.lr, seed=seed),
                validation_data=val)
        assert t.val_loss[1:] == tuple(h.val_loss) and t.steps[1] == 2
    assert trials[0].val_loss[0] == trials[1].val_loss[0] != trials[2].val_loss[0]  # a repeat's own start


def test_noise_checkpoints_start_at_initialisation_and_follow_each_epoch():
    points = cb.noise_run(0)
    per_epoch = cb.N_TRAIN // cb.NOISE_BATCH
    assert [p.step for p in points] == [e * per_epoch for e in range(cb.NOISE_EPOCHS + 1)]
    assert points[-1].train_loss < points[0].train_loss
    assert all(p.exact.b_simple > 0 for p in points)
    assert cb.noise_at(points, 100.0) is points[0] and cb.noise_at(points, 1e-9) is points[-1]


def test_the_page_view_reads_its_curves_and_ratios_off_the_runs():
    from torch.utils.data import DataLoader, TensorDataset

    from ebcore.lessons.critical import scaling, view

    fit = scaling.fit([(b, 20 * (1 + 50 / b)) for b in (8, 32, 128, 512)])
    assert all(abs(s - 20 * (1 + 50 / b)) < 1e-6 * s for b, s in view.fit_line(fit))
    assert view.fit_line(fit)[0][0] == 8 and view.fit_line(fit)[-1][0] == 1024
    s_crit, e_crit = view.critical_mark(fit)
    assert abs(s_crit - fit.steps(fit.b_crit)) < 1e-9 * s_crit
    assert abs(e_crit - fit.examples(fit.b_crit)) < 1e-6 * e_crit
    assert view.predicted_line(10, 64)[0] == (8, 10 * (1 + 64 / 8))
    points = [cb.Point(8, 0.1, 400.0), cb.Point(16, 0.1, None), cb.Point(64, 0.2, 50.0)]
    span = view.span(points)
    assert (span.small.batch, span.large.batch, span.batch_ratio, span.steps_ratio) == (8, 64, 8, 8.0)
    assert view.span(points[:2]) is None
    assert view.perfect_line(points) == [(8, 400.0), (16, 200.0), (64, 50.0)]
    assert view.fixed_against_tuned([cb.Point(64, 0.05, 150.0)], points) == (cb.Point(64, 0.05, 150.0), points[-1], 3.0)
    assert view.fixed_against_tuned([cb.Point(64, 0.05, None)], points) is None
    for batch in (8, 48, 1000, 1024):
        loader = DataLoader(TensorDataset(torch.zeros(cb.N_TRAIN, 1)), batch_size=batch)
        assert view.updates_in(3, batch) == 3 * len(loader)


def test_the_digits_task_trains_on_the_digits_with_its_own_grid():
    """``data=digits``: the first 512 images train, Keras's last 360 validate, every run within the budgets,
    and a trial is the plain ``fit`` of its config (cross-entropy), as on the made-up data."""
    from ebcore.lessons.critical import tasks
    from ebcore.problems import digits

    task = tasks.DIGITS
    (X, y), (Xv, yv) = task.data(5)
    images, labels = digits.tensors()
    assert torch.equal(X, images[:512]) and torch.equal(yv, labels[1437:]) and task.batches[-1] == 512
    settings_ = cb.Settings.of("digits", 2)
    assert settings_.lrs == task.lrs and settings_.problem is task
    for b in task.batches:
        for lr in task.lrs:
            check_budget(task.n_train, settings_.config(b, lr), task.n_val)
        assert cb.epochs_for(b, task) >= cb.max_budget_epochs(cb.SYNTHETIC)  # the budget slider's range
    trials = cb.run_batch(cb.Settings(2, (0.4,), 1, "digits"), 256)
    h = fit(task.model(2), X, y, TrainConfig(epochs=cb.epochs_for(256, task), batch_size=256, lr=0.4, seed=2,
                                              loss="cross_entropy"), validation_data=(Xv, yv))
    assert trials[0].val_loss[1:] == tuple(h.val_loss) and trials[0].steps[1] == 2
    assert cb.total_steps(settings_) == sum(cb.batch_steps(settings_, b) for b in task.batches)


def test_the_digits_noise_run_reaches_its_lowest_target():
    from ebcore.lessons.critical import tasks

    points = cb.noise_run(0, "digits")
    task = tasks.DIGITS
    assert [p.step for p in points] == [e * task.n_train // task.noise_batch for e in range(task.noise_epochs + 1)]
    assert points[0].val_loss > 2 and cb.noise_at(points, min(task.targets)).val_loss <= min(task.targets)
