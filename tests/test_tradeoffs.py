"""lessons.tradeoffs: the seed experiment, gradient noise, memory, the sweep and its verdicts, against PyTorch."""

import math
from dataclasses import replace

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from ebcore.lessons.tradeoffs import claims as tc
from ebcore.lessons.tradeoffs import experiment as tr
from ebcore.lessons.tradeoffs import measures
from ebcore.lessons.tradeoffs.guides import GUIDES, dataset_guide
from ebcore.problems.data import seed_regression
from ebcore.problems.models import linear
from ebcore.trainer import STEP_BUDGET, TrainConfig, check_budget, fit


@pytest.fixture(scope="module")
def curves():
    return tr.seed_experiment(seeds=(0, 1))


def test_seed_experiment_matches_the_notes_loop(curves):
    """Seed 0's 20 × 16 run equals the notes' DataLoader loop (same data, weights, shuffling), loss for loss."""
    X, y = seed_regression()
    model = linear(seed=0)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True, generator=torch.Generator().manual_seed(0))
    losses = []
    for _ in range(20):
        running = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.MSELoss()(model(xb), yb)
            loss.backward()
            opt.step()
            running += loss.item()
        losses.append(running / len(loader))
    run = next(c for c in curves if (c.epochs, c.batch, c.seed) == (20, 16, 0))
    assert run.epoch_loss == pytest.approx(losses, rel=1e-6)


def test_short_runs_are_real_short_runs(curves):
    """The 5-epoch curves are cut from the 20-epoch runs: check that against a separate 5-epoch fit."""
    X, y = seed_regression()
    h = fit(linear(seed=1), X, y, TrainConfig(epochs=5, batch_size=128, lr=0.1, seed=1))
    run = next(c for c in curves if (c.epochs, c.batch, c.seed) == (5, 128, 1))
    assert run.epoch_loss == tuple(h.epoch_loss) and run.step_loss == tuple(h.step_loss)


def test_seed_experiment_reads_like_the_notes(curves):
    final = {(c.epochs, c.batch): c.epoch_loss[-1] for c in curves if c.seed == 0}
    # 20 epochs reach the noise floor 0.09 (within sampling noise of 1,000 points); batch 16 gets there first.
    for batch in (16, 128):
        assert final[(20, batch)] == pytest.approx(tr.NOISE_FLOOR, abs=0.02)
    assert final[(5, 16)] < final[(5, 128)]
    assert final[(20, 16)] <= final[(20, 128)]


def test_curve_rows_axes(curves):
    c = next(c for c in curves if (c.epochs, c.batch, c.seed) == (5, 16, 0))
    by_epoch = [r["x"] for r in tr.curve_rows([c], "updates", "epoch")]
    assert by_epoch == [63 * e for e in range(1, 6)]  # ceil(1000/16) = 63 updates per epoch
    samples = tr.curve_rows([c], "samples", "step")
    assert samples[62]["x"] == 1000 and samples[0]["x"] == 16  # the 63rd batch holds the last 8 samples
    assert tr.curve_rows([c], "epochs", "step")[-1]["x"] == pytest.approx(5)
    with pytest.raises(ValueError):
        tr.curve_rows([c], "hours")


def test_gradient_noise_falls_like_inverse_sqrt():
    (X, y), _ = tr.sweep_data()
    model = tr.sweep_model()
    points = measures.gradient_noise(model, X, y, [1, 4, 16, 64, 256], loss="cross_entropy", draws=64)
    spreads = [p.spread for p in points]
    assert all(a > b for a, b in zip(spreads, spreads[1:], strict=False))
    assert spreads[-1] == 0.0  # the whole training set is the full-batch gradient
    # tr(Σ)/B·(N−B)/(N−1), with tr(Σ) from real per-sample gradients: measured within sampling error.
    per_sample = torch.stack([
        torch.cat([g.reshape(-1) for g in torch.autograd.grad(
            nn.functional.cross_entropy(model(X[i:i + 1]), y[i:i + 1]), list(model.parameters()))])
        for i in range(len(X))])
    trace = float(per_sample.var(0, unbiased=False).sum())
    n = len(X)
    for p in points[:4]:
        expected = math.sqrt(trace / p.batch * (n - p.batch) / (n - 1))
        assert p.spread == pytest.approx(expected, rel=0.25)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_gradient_noise_without_autograd_gives_autograds_bits(loss):
    (X, y), _ = tr.sweep_data(3)
    if loss == "mse":
        y = X.sum(1, keepdim=True)
    model = tr.sweep_model(3) if loss == "cross_entropy" else nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    direct = measures.gradient_noise(model, X, y, [1, 7, 64], loss=loss, draws=16, seed=3)
    model.register_forward_hook(lambda *args: None)  # a hook: the direct kernels refuse it, autograd runs
    assert measures.gradient_noise(model, X, y, [1, 7, 64], loss=loss, draws=16, seed=3) == direct



@pytest.mark.parametrize("data", ["synthetic", "digits"])
def test_the_noise_curve_is_each_batch_sizes_own_measurement_with_progress_per_size(data):
    seen = []
    curve = tr.noise_curve(2, data, progress=seen.append)
    (X, y), _ = tr.sweep_data(2, data)
    sizes = [2**k for k in range(9)]
    assert [p.batch for p in curve] == sizes and seen == [(i + 1) / len(sizes) for i in range(len(sizes))]
    for point in curve[::4]:  # a sweep run measures its own batch size alone, from the same generator
        (alone,) = measures.gradient_noise(tr.sweep_model(2, data), X, y, [point.batch], loss="cross_entropy",
                                           draws=tr.NOISE_DRAWS, seed=2)
        assert alone == point

@settings(max_examples=10, deadline=None)
@given(st.integers(1, 64))
def test_activation_bytes_grow_linearly_with_the_batch(batch):
    model = tr.sweep_model()
    # Input 2 + Linear 64 + ReLU 64 + Linear 64 + ReLU 64 + Linear 2 floats per sample, 4 bytes each.
    assert measures.activation_bytes(model, 2, batch) == batch * (2 + 64 * 4 + 2) * 4
    assert measures.parameter_bytes(model) == 2 * 4 * sum(p.numel() for p in model.parameters())


def test_transformer_estimate_is_gigabytes_per_sequence():
    one = measures.transformer_activation_bytes(1)
    assert 1e9 < one < 2e9 and measures.transformer_activation_bytes(32) == pytest.approx(32 * one)


def test_batch_sizes_double_and_end_at_the_largest():
    assert tr.SweepSettings(b_min=4, b_max=100).batch_sizes() == [4, 8, 16, 32, 64, 100]
    assert tr.SweepSettings(b_min=64, b_max=8).batch_sizes() == [8, 16, 32, 64]
    assert tr.SweepSettings(b_min=16, b_max=16).batch_sizes() == [16]


def test_page_ranges_fit_the_budget():
    """The page's worst case (batch 1 … 256, the most epochs) passes the trainer's budget, run by run."""
    assert tr.SWEEP_MAX_EPOCHS >= 10, "the epochs slider must stay useful"
    worst = tr.SweepSettings(b_min=1, b_max=tr.SWEEP_TRAIN, epochs=tr.SWEEP_MAX_EPOCHS, scale_lr=True, warmup=True)
    for b in worst.batch_sizes():
        assert check_budget(tr.SWEEP_TRAIN, worst.config(b), tr.SWEEP_VAL) <= STEP_BUDGET
    per_epoch = sum(math.ceil(tr.SWEEP_TRAIN / b) for b in worst.batch_sizes())
    assert tr.sweep_steps(worst) == tr.SWEEP_MAX_EPOCHS * per_epoch


def test_config_applies_scaling_and_warmup():
    c = tr.SweepSettings(lr=0.1, scale_lr=True, warmup=True, epochs=2).config(64)
    assert c.base_lr == pytest.approx(0.2) and c.warmup_epochs == 2 and c.loss == "cross_entropy"


def sweep(settings: tr.SweepSettings) -> list[tr.SweepRun]:
    """The sweep as the page assembles it (``ui.runs.sweep``): each batch size's run, cut to the epochs."""
    return [tr.sweep_run(settings.training(b), b).prefix(settings.epochs) for b in settings.batch_sizes()]


@pytest.fixture(scope="module")
def runs():
    return sweep(tr.SweepSettings(b_min=2, b_max=256, epochs=8))


def test_sweep_measures_what_the_claims_need(runs):
    assert [r.batch for r in runs] == [2, 4, 8, 16, 32, 64, 128, 256]
    assert [r.updates_per_epoch for r in runs] == [128, 64, 32, 16, 8, 4, 2, 1]
    assert all(len(r.val_loss) == 8 and r.final_val > 0 for r in runs)
    noise = [r.noise for r in runs]
    assert all(a > b for a, b in zip(noise, noise[1:], strict=False))
    bn = [r.bn_mean_error for r in runs]
    assert bn[0] > tc.BN_RELIABLE > bn[4] and bn[-1] < 1e-6


def test_claims_verdicts_follow_the_numbers(runs):
    verdicts = {c.key: c.verdict for c in tc.claims(runs)}
    for key in ("more_updates", "noisier", "memory", "batchnorm"):
        assert verdicts[key] is tc.Verdict.HOLDS
    # Flip the timing and the validation losses: the verdicts must flip too.
    small, large = runs[0], runs[-1]
    from dataclasses import replace
    slow_large = replace(large, seconds_per_epoch=small.seconds_per_epoch * 2, final_val=small.final_val + 0.1)
    flipped = {c.key: c.verdict for c in tc.claims([small, slow_large])}
    assert flipped["faster_epochs"] is tc.Verdict.FAILS and flipped["generalise"] is tc.Verdict.HOLDS
    close = replace(large, final_val=small.final_val + tc.GAP_TOLERANCE / 2)
    assert {c.key: c.verdict for c in tc.claims([small, close])}["generalise"] is tc.Verdict.DEPENDS
    with pytest.raises(ValueError):
        tc.claims(runs[:1])


def test_batch_of_one_is_fatal_for_batchnorm():
    assert tr.batch_mean_error(torch.randn(10, 3, generator=torch.Generator().manual_seed(0)), 1) == math.inf


def test_dataset_guides():
    assert (dataset_guide(256).low, dataset_guide(256).high) == (16, 32)
    assert dataset_guide(1_000).key == "medium" and dataset_guide(10_000).key == "large"
    assert all(g.low < g.high for g in GUIDES)
    with pytest.raises(ValueError):
        dataset_guide(0)


def test_a_batch_size_trains_the_same_in_any_range():
    # The per-batch-size cache (ui.runs.sweep_batch) relies on it: a run does not depend on its neighbours.
    wide, narrow = tr.SweepSettings(b_min=4, b_max=64, epochs=2), tr.SweepSettings(b_min=16, b_max=32, epochs=2)
    by_batch = {r.batch: r for r in sweep(wide)}
    for run in sweep(narrow):
        alone = tr.sweep_run(tr.SweepSettings(b_min=1, b_max=1, epochs=2), run.batch)
        for other in (by_batch[run.batch], alone):
            assert untimed(other) == untimed(run)


def untimed(run: tr.SweepRun) -> tr.SweepRun:
    return replace(run, seconds_per_epoch=0, epoch_times=())


@pytest.mark.parametrize("warmup", [False, True])
def test_fewer_epochs_are_the_start_of_the_longest_run(warmup):
    settings = tr.SweepSettings(b_min=64, b_max=64, epochs=5, lr=0.3, scale_lr=True, warmup=warmup)
    assert settings.training(64).epochs == tr.SWEEP_MAX_EPOCHS
    full = tr.sweep_run(settings.training(64), 64)
    short = tr.sweep_run(settings, 64)
    assert untimed(full.prefix(5)) == untimed(short)
    # the final losses are what evaluating the trained model gives
    (X, y), val = tr.sweep_data(0)
    model = tr.sweep_model(0)
    from ebcore.trainer import fit
    fit(model, X, y, settings.config(64), validation_data=val)
    model.eval()
    with torch.no_grad():
        assert short.final_train == float(torch.nn.functional.cross_entropy(model(X), y))
        assert short.final_val == float(torch.nn.functional.cross_entropy(model(val[0]), val[1]))


def test_a_short_warmup_trains_its_own_run():
    # A warm-up of min(3, epochs) epochs depends on the total: 2 epochs is not the start of 15.
    assert tr.SweepSettings(epochs=2, warmup=True).training(8).epochs == 2
    assert tr.SweepSettings(epochs=2).training(8).epochs == tr.SWEEP_MAX_EPOCHS


def test_sweep_run_progress_runs_from_zero_to_one():
    seen = []
    tr.sweep_run(tr.SweepSettings(epochs=2), 128, progress=seen.append)
    assert seen == [0.5, 1.0]
