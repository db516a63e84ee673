"""lessons.batchnorm against real PyTorch: batch statistics, the size-1 error, drop_last and the experiment."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from ebcore.lessons.batchnorm import experiment as bn
from ebcore.primitives import calc
from ebcore.problems.models import mlp
from ebcore.trainer import BatchTooSmallForBatchNorm, TrainConfig, check_budget, fit


@pytest.fixture(scope="module")
def channel() -> torch.Tensor:
    return bn.bn_input_features(1206)[:, 0]


def test_features_are_what_the_first_batchnorm_layer_receives():
    from ebcore.problems.data import classification_blobs
    from ebcore.problems.models import mlp

    X, _ = classification_blobs(300, seed=bn.DATA_SEED)
    model = mlp(2, bn.HIDDEN, 2, norm="batch", seed=0)
    seen = []
    model[1].register_forward_hook(lambda module, args, out: seen.append(args[0].detach()))
    model(X)
    torch.testing.assert_close(bn.bn_input_features(300), seen[0])


def test_batch_statistics_are_the_ones_batchnorm_normalises_with(channel):
    # One batch of 6: BatchNorm1d (no affine) in training mode outputs (x - mean) / sqrt(var + eps)
    # with the biased variance; our batch mean and variance must reproduce its output.
    (spread,) = bn.batch_stat_spread(channel, [6], draws=2)
    layer = nn.BatchNorm1d(1, affine=False).train()
    g = torch.Generator().manual_seed(0)
    # Recover the batch the same way the function draws it, then compare with the layer.
    order = torch.rand(1, 1206, generator=g).argsort(dim=1)[:, :6]
    x = channel.double()[order[0]]
    assert x.mean().item() == pytest.approx(spread.means[0], rel=1e-12)
    out = layer(x.float().unsqueeze(1)).squeeze(1)
    expected = (x - spread.means[0]) / math.sqrt(spread.variances[0] + layer.eps)
    torch.testing.assert_close(out, expected.float(), rtol=1e-4, atol=1e-5)


def test_spread_at_6_exceeds_spread_at_300_by_about_sqrt_50(channel):
    small, large = bn.batch_stat_spread(channel, [6, 300], draws=4000)
    ratio = small.mean_sd / large.mean_sd
    # 1/sqrt(b) gives sqrt(50) ≈ 7.1; sampling without replacement from 1,206 shrinks b = 300's spread
    # by sqrt(906/1205), so the exact expectation is ≈ 8.1. Both are "roughly sqrt(50)".
    assert 0.85 * math.sqrt(50) < ratio < 1.35 * math.sqrt(50)
    assert ratio == pytest.approx(small.mean_sd_theory / large.mean_sd_theory, rel=0.1)
    assert small.var_sd > 3 * large.var_sd
    for spread in (small, large):
        assert spread.mean_sd == pytest.approx(spread.mean_sd_theory, rel=0.1)
        assert statistics_mean(spread.means) == pytest.approx(spread.true_mean, abs=3 * spread.mean_sd_theory / 60)


def statistics_mean(values):
    return sum(values) / len(values)


def test_a_batch_of_everything_has_exactly_the_true_statistics(channel):
    # Without replacement, a batch of all N samples is the whole set: no spread at all.
    (whole,) = bn.batch_stat_spread(channel, [1206], draws=5)
    assert max(abs(m - whole.true_mean) for m in whole.means) < 1e-9
    assert whole.mean_sd == pytest.approx(0, abs=1e-9) and whole.mean_sd_theory == 0


def test_spread_rejects_impossible_sizes(channel):
    with pytest.raises(ValueError):
        bn.batch_stat_spread(channel, [0])
    with pytest.raises(ValueError):
        bn.batch_stat_spread(channel, [1207])


def test_a_batch_of_one_has_a_variance_of_zero_every_time(channel):
    # What BatchNorm would divide by with the last batch of N = 1201, B = 300: section 2 shows that row.
    (one,) = bn.batch_stat_spread(channel, [1], draws=500)
    assert set(one.variances) == {0.0} and one.var_sd == 0
    assert one.mean_sd == pytest.approx(one.mean_sd_theory, rel=0.1)  # a single sample: σ itself


@pytest.mark.parametrize(("n", "batch"), [(1206, 300), (1201, 300), (1202, 300), (2000, 600), (601, 600)])
def test_the_stated_ratios_are_the_tables_numbers(n, batch):
    # Issue 26, point 9: the sentence said "1/√b predicts ≈ 7.1×" beside a theory column giving 8.2×.
    spreads = bn.batch_stat_spread(bn.bn_input_features(n)[:, 0], bn.spread_sizes(n, batch))
    ratio = bn.spread_ratio(spreads)
    shown = [float(f"{v:.{bn.SPREAD_DECIMALS}f}") for v in (spreads[0].mean_sd, spreads[-1].mean_sd,
                                                             spreads[0].mean_sd_theory, spreads[-1].mean_sd_theory)]
    assert (ratio.small, ratio.large) == (spreads[0].size, spreads[-1].size)
    assert list(ratio.shown) == shown
    assert ratio.measured == shown[0] / shown[1] and ratio.theory == shown[2] / shown[3]
    assert ratio.theory > ratio.sqrt  # without replacement the large batch's mean moves less than 1/√b says


def test_no_ratio_when_the_largest_batch_is_the_whole_set(channel):
    assert bn.spread_ratio(bn.batch_stat_spread(channel[:94], [6, 94])) is None


@pytest.mark.parametrize(
    ("n", "batch", "sizes"),
    [(1206, 300, [6, 300]), (1202, 300, [2, 6, 300]), (1200, 300, [6, 300]), (1000, 64, [6, 40, 64, 300]),
     (100, 300, [6, 100]), (1201, 300, [1, 6, 300])],
)
def test_spread_sizes(n, batch, sizes):
    assert bn.spread_sizes(n, batch) == sizes


def test_last_batch_of_one_raises_the_real_pytorch_error():
    crash = bn.single_sample_error(1201, 300)
    assert crash is not None
    assert (crash.epoch, crash.step, crash.steps_per_epoch, crash.batch_size) == (1, 5, 5, 1)
    with pytest.raises(ValueError) as real:
        nn.BatchNorm1d(bn.HIDDEN[0]).train()(torch.zeros(1, bn.HIDDEN[0]))
    assert crash.message == str(real.value)
    assert "Expected more than 1 value per channel when training" in crash.message


def test_no_batch_of_one_no_error():
    assert bn.single_sample_error(1206, 300) is None


def test_skipped_samples_are_exactly_the_dataloaders():
    n, b, seed = 1206, 300, 3
    loader = DataLoader(TensorDataset(torch.arange(n)), batch_size=b, shuffle=True, drop_last=True,
                        generator=torch.Generator().manual_seed(seed))
    expected = [sorted(set(range(n)) - {i for (batch,) in loader_epoch for i in batch.tolist()})
                for loader_epoch in (list(loader) for _ in range(3))]
    got = bn.skipped_samples(n, b, 3, seed=seed)
    assert got == expected
    assert all(len(epoch) == 6 for epoch in got)
    assert got[0] != got[1] != got[2]  # shuffling leaves out different samples each epoch


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 400), b=st.integers(1, 400), epochs=st.integers(1, 3))
def test_skipped_count_is_the_remainder(n, b, epochs):
    skipped = bn.skipped_samples(n, b, epochs)
    assert [len(e) for e in skipped] == [calc.plan(n, b, 1, drop_last=True).dropped_per_epoch] * epochs
    assert all(0 <= i < n for e in skipped for i in e)


@pytest.fixture(scope="module")
def keep_run() -> bn.Run:
    return bn.compare(1206, 300, "sgd_momentum", 0.1, 10, 1, keys=["keep"]).runs["keep"][0]


def test_run_records_every_step_with_the_loaders_batch_sizes(keep_run):
    assert keep_run.step_batch_size == [300, 300, 300, 300, 6] * 10
    assert len(keep_run.step_loss) == len(keep_run.step_grad_norm) == len(keep_run.running_mean_shift) == 50
    assert len(keep_run.val_accuracy) == 10 and keep_run.error is None
    assert 0.5 < keep_run.final_accuracy <= 1


def test_running_mean_moves_by_pytorchs_momentum_rule(keep_run):
    # BatchNorm1d's running mean follows running ← 0.9·running + 0.1·batch mean, so the shift of each
    # step is exactly a tenth of that batch's gap: checks the traces against PyTorch's own buffers.
    for shift, gap in zip(keep_run.running_mean_shift, keep_run.batch_mean_gap, strict=True):
        assert shift == pytest.approx(0.1 * gap, rel=1e-4, abs=1e-7)


def test_the_tiny_batch_moves_the_running_mean_more(keep_run):
    # The running mean starts at 0 and every step moves it at first; once it has settled (from the
    # fourth epoch on), compare the tiny-batch steps with the full-batch steps.
    later = list(zip(keep_run.step_batch_size, keep_run.running_mean_shift, strict=True))[15:]
    tiny = [s for size, s in later if size == 6]
    full = [s for size, s in later if size == 300]
    assert sum(tiny) / len(tiny) > 2 * sum(full) / len(full)


def test_run_with_a_batch_of_one_stops_with_the_error_instead_of_raising():
    run = bn.compare(1201, 300, "sgd", 0.1, 3, 1, keys=["keep"]).runs["keep"][0]
    assert run.error and "Expected more than 1 value per channel" in run.error
    assert run.final_accuracy is None and len(run.step_loss) == 4
    other = bn.compare(1201, 300, "sgd", 0.1, 2, 1, keys=["other_norm"]).runs["other_norm"][0]
    assert other.error is None and other.step_batch_size[-1] == 1 and other.running_mean_shift == []


def test_variants():
    keys = [v.key for v in bn.variants(1206, 300)]
    assert keys == ["keep", "drop_last", "safer_batch", "other_norm"]
    safer = bn.variants(1206, 300)[2]
    assert safer.batch_size == calc.safer_batch_sizes(1206, 300)[0] and safer.norm == "batch"
    assert bn.variants(1206, 300, "group")[-1].norm == "group"
    # B larger than N: drop_last would leave no batch, and no safer size exists; those runs are left out.
    assert [v.key for v in bn.variants(50, 600)] == ["keep", "other_norm"]
    # A last batch that is already healthy (none left over, or 49 of 50) has no "safer" size to compare.
    for n, b in ((2000, 50), (1999, 50), (1200, 300)):
        assert calc.healthy_last_batch(n, b) and calc.safer_batch_sizes(n, b)
        assert [v.key for v in bn.variants(n, b)] == ["keep", "drop_last", "other_norm"]
    assert not calc.healthy_last_batch(1960, 50)  # 10 left over: the safer size is trained
    assert "safer_batch" in [v.key for v in bn.variants(1960, 50)]


def test_compare_counts_seeds_and_handles_the_crash():
    result = bn.compare(1201, 300, "sgd", 0.1, 2, 2)
    assert result.seeds == 2 and all(len(runs) == 2 for runs in result.runs.values())
    assert result.accuracies("keep") == []  # every BatchNorm run with the batch of 1 crashed
    assert len(result.accuracies("drop_last")) == 2 and len(result.accuracies("other_norm")) == 2
    assert result.runs["keep"][1].running_mean_shift == []  # traces only for seed 0


def trained_alone(variant: bn.Variant, n: int, lr: float, epochs: int, seed: int, record_bn: bool,
                  data: str = "synthetic"):
    """One run of the page's comparison trained by ``fit`` alone (SGD with momentum): its history and
    PyTorch's message if a batch of one stopped it."""
    (X, y), val = bn.demo_data(n, data)
    config = TrainConfig(epochs=epochs, batch_size=variant.batch_size, lr=lr, optimizer="sgd_momentum",
                         drop_last=variant.drop_last, seed=seed, loss="cross_entropy")
    model = mlp(64, bn.HIDDEN, 10, norm=variant.norm, seed=seed) if data == "digits" else \
        mlp(2, bn.HIDDEN, 2, norm=variant.norm, seed=seed)
    try:
        return fit(model, X, y, config, validation_data=val,
                   record_bn_stats=record_bn and variant.norm == "batch"), None
    except BatchTooSmallForBatchNorm as err:
        return err.history, err.torch_message


@pytest.mark.parametrize("n", [1206, 1200])  # 1200 = 4 × 300: drop_last drops nothing, its runs are reused
def test_compare_runs_every_seed_and_equals_training_each_run_alone(n):
    result = bn.compare(n, 300, "sgd_momentum", 0.1, 3, 3, other_norm="group")
    assert result.seeds == 3 and "drop_last" in result.runs
    for key, runs in result.runs.items():
        assert [r.seed for r in runs] == [0, 1, 2]
        for run in runs:
            assert run.variant.key == key
            history, error = trained_alone(run.variant, n, 0.1, 3, run.seed, record_bn=run.seed == 0)
            assert (run.step_loss, run.step_grad_norm, run.step_batch_size, run.val_accuracy, run.error) == (
                history.step_loss, history.step_grad_norm, history.step_batch_size, history.val_accuracy, error)
            # the BatchNorm traces (seed 0): the RMS move of the running mean, step by step
            records = history.bn_stats.get(bn.BN_LAYER, [])
            befores = [torch.zeros(bn.HIDDEN[0])] + [r.running_mean for r in records]
            assert run.running_mean_shift == [(r.running_mean - b).square().mean().sqrt().item()
                                              for r, b in zip(records, befores, strict=False)], (key, run.seed)
    if n % 300 == 0:  # what the page then says: drop_last's runs are the keep runs, a difference of 0
        assert [r.val_accuracy for r in result.runs["drop_last"]] == [r.val_accuracy for r in result.runs["keep"]]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(*bn.N_RANGE), b=st.integers(*bn.BATCH_RANGE))
def test_every_run_the_page_allows_fits_the_trainers_budget(n, b):
    for edge_n, edge_b in ((n, b), (bn.N_RANGE[1], bn.BATCH_RANGE[0]), (bn.N_RANGE[1] - 1, bn.BATCH_RANGE[0])):
        for v in bn.variants(edge_n, edge_b):
            config = TrainConfig(epochs=bn.EPOCHS_MAX, batch_size=v.batch_size, drop_last=v.drop_last)
            check_budget(edge_n, config, bn.N_VAL)


def test_verdict():
    clear = bn.verdict([0.80, 0.82, 0.81], [0.85, 0.85, 0.86])
    assert clear.kind == "better" and clear.difference == pytest.approx(0.0433, abs=1e-3)
    assert bn.verdict([0.85, 0.85, 0.86], [0.80, 0.82, 0.81]).kind == "worse"
    noisy = bn.verdict([0.70, 0.85, 0.80], [0.84, 0.85, 0.83])
    assert noisy.kind == "unclear"  # a 2.3-point gain but the kept runs scatter over 15 points
    tiny = bn.verdict([0.840, 0.840], [0.843, 0.843])
    assert tiny.kind == "unclear" and tiny.noise == 0  # no scatter, but 0.3 points is not worth telling
    single = bn.verdict([0.80], [0.85])
    assert single.sd_a == 0 and single.kind == "better"
    with pytest.raises(ValueError):
        bn.verdict([], [0.8])


# --- issue 29, 1: the same experiments on real handwritten digits -------------------------------------------


def test_the_digits_are_scikit_learns_first_n_to_train_and_last_360_to_validate():
    from sklearn.datasets import load_digits

    real = load_digits()
    (X, y), (Xv, yv) = bn.demo_data(1206, "digits")
    assert torch.equal(X, torch.tensor(real.data[:1206], dtype=torch.float32) / 16)
    assert y.tolist() == real.target[:1206].tolist() and yv.tolist() == real.target[-360:].tolist()
    assert torch.equal(Xv, torch.tensor(real.data[-360:], dtype=torch.float32) / 16)
    assert bn.DIGITS_N_RANGE[1] + bn.DIGITS_VAL == len(real.target)  # every image either trains or validates
    for n in (bn.DIGITS_N_RANGE[1] + 1, bn.DIGITS_N_RANGE[0] - 1):
        with pytest.raises(ValueError):
            bn.demo_data(n, "digits")


def test_the_digits_features_are_what_the_first_batchnorm_layer_receives():
    model = mlp(64, bn.HIDDEN, 10, norm="batch", seed=0)
    (X, _), _ = bn.demo_data(300, "digits")
    seen = {}
    model[1].register_forward_hook(lambda _m, inputs, _out: seen.setdefault("x", inputs[0].detach()))
    model.train()(X)
    assert torch.equal(bn.bn_input_features(300, data="digits"), seen["x"])


@pytest.mark.parametrize("n", [1206, 1200])
def test_compare_on_digits_equals_training_each_run_alone(n):
    result = bn.compare(n, 300, "sgd_momentum", 0.1, 2, 2, other_norm="group", data="digits")
    for key, runs in result.runs.items():
        for run in runs:
            history, error = trained_alone(run.variant, n, 0.1, 2, run.seed, record_bn=run.seed == 0, data="digits")
            assert (run.step_loss, run.step_grad_norm, run.val_accuracy, run.error) == (
                history.step_loss, history.step_grad_norm, history.val_accuracy, error), key


def test_a_last_digit_alone_raises_the_real_pytorch_error():
    crash = bn.single_sample_error(1201, 300, data="digits")
    assert crash is not None and (crash.epoch, crash.step, crash.batch_size) == (1, 5, 1)
    assert "Expected more than 1 value per channel when training" in crash.message


@pytest.mark.parametrize(("n", "opt", "lr"), [(1206, "sgd_momentum", 0.1), (1202, "sgd_momentum", 0.1),
                                               (1206, "adam", 0.03), (1206, "sgd_momentum", 0.3)])
def test_on_digits_the_tiny_last_batch_costs_accuracy_with_the_presets_that_say_so(n, opt, lr):
    """The momentum, Adam, last-2 and high-rate presets on the digits: dropping the tiny batch clearly helps
    (the page's "better" verdict), and the kept runs spread more between seeds."""
    result = bn.compare(n, 300, opt, lr, 10, 5, keys=("keep", "drop_last"), data="digits")
    v = bn.verdict(result.accuracies("keep"), result.accuracies("drop_last"))
    assert v.kind == "better" and v.sd_a > v.sd_b, v
