"""fit_many against fit: every run of a stacked program equals the same run trained alone, bit for bit."""

from __future__ import annotations

import copy

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from ebcore import trainer
from ebcore.problems import models
from ebcore.stacked import fit_many, layers, probe
from ebcore.trainer import BatchTooSmallForBatchNorm, TrainConfig


def assert_same_history(a: trainer.History, b: trainer.History) -> None:
    for name in ("step_loss", "step_batch_size", "step_grad_norm", "step_lr", "epoch_loss", "epoch_accuracy",
                 "val_loss", "val_accuracy", "best_epoch", "stopped_epoch", "steps_per_epoch", "n_samples"):
        assert getattr(a, name) == getattr(b, name), name
    assert len(a.predictions) == len(b.predictions)
    for p, q in zip(a.predictions, b.predictions, strict=True):
        assert (p.epoch, p.step) == (q.epoch, q.step)
        assert torch.equal(p.indices, q.indices) and torch.equal(p.outputs, q.outputs)
    assert len(a.snapshots) == len(b.snapshots)
    assert all(torch.equal(s, t) for s, t in zip(a.snapshots, b.snapshots, strict=True))
    assert a.bn_stats.keys() == b.bn_stats.keys()
    for name in a.bn_stats:
        assert len(a.bn_stats[name]) == len(b.bn_stats[name])
        for r, s in zip(a.bn_stats[name], b.bn_stats[name], strict=True):
            assert r.batch_size == s.batch_size
            for field in ("batch_mean", "batch_var", "running_mean", "running_var"):
                assert torch.equal(getattr(r, field), getattr(s, field)), field


def assert_same_state(a: nn.Module, b: nn.Module) -> None:
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys()
    for key in sa:
        assert torch.equal(sa[key], sb[key]), key


def make_data(n: int, features: int, classes: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, features, generator=g)
    if classes:
        return X, torch.randint(classes, (n,), generator=g)
    return X, X.sum(1, keepdim=True) + 0.1 * torch.randn(n, 1, generator=g)


def make_model(kind: str, features: int, out: int, width: int, seed: int) -> nn.Module:
    if kind == "linear":
        return models.linear(features, out, seed=seed)
    norm = None if kind == "mlp" else kind
    return models.mlp(features, (width, width), out, norm=norm, seed=seed)


def train_both(models_, X, y, configs, **options):
    alone = [copy.deepcopy(m) for m in models_]
    expected = []
    for model, config in zip(alone, configs, strict=True):
        try:
            expected.append(trainer.fit(model, X, y, config, **options))
        except trainer.TrainingError as err:
            expected.append(err)
    got = fit_many(models_, X, y, configs, on_error="return", **options)
    return alone, expected, got


def layer_results(layer, x, upstream, batched: bool) -> list[torch.Tensor]:
    """A stacked layer's output, input gradient and parameter gradients, taken ``batched`` or run by run."""
    out, saved = layer.forward(x.clone(), batched)
    gx, grads = layer.backward(upstream.clone(), saved, batched, True)
    return [out, gx, *grads]


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["linear", "mlp", "batch", "layer", "group"]),
    classes=st.sampled_from([0, 2, 3]),
    n=st.integers(2, 60),
    batch_size=st.integers(2, 24),
    epochs=st.integers(1, 3),
    drop_last=st.booleans(),
    shuffle=st.booleans(),
    optimizer=st.sampled_from(trainer.OPTIMIZERS),
    runs=st.integers(2, 5),
    same_lr=st.booleans(),
    width=st.sampled_from([8, 16, 12]),
    watched=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_every_run_equals_fit_bit_for_bit(kind, classes, n, batch_size, epochs, drop_last, shuffle, optimizer, runs,
                                          same_lr, width, watched, seed):
    # watched: one run stops early and every run takes snapshots, so the stack is copied into the models
    # after every epoch; unwatched: no reader between epochs, runs of different lengths, each model
    # synced as its run ends (the validation metrics come from the stack either way).
    features = 3
    X, y = make_data(n, features, classes, seed)
    val = make_data(17, features, classes, seed + 1)
    if drop_last and batch_size > n:
        drop_last = False
    momentum = 0.5 if optimizer in ("sgd_momentum", "rmsprop") else 0.0
    configs = [TrainConfig(epochs=epochs if watched else epochs + i % 2, batch_size=batch_size,
                           lr=0.05 if same_lr else 0.01 * (i + 1),
                           optimizer=optimizer, momentum=momentum if i % 2 else 0.0 if optimizer == "rmsprop" else
                           momentum, drop_last=drop_last, shuffle=shuffle, seed=seed + i,
                           loss="cross_entropy" if classes else "mse",
                           patience=1 if i == 1 and watched else None, restore_best_weights=i == 1 and watched)
               for i in range(runs)]
    model_list = [make_model(kind, features, classes or 1, width, seed + i) for i in range(runs)]
    alone, expected, got = train_both(model_list, X, y, configs, validation_data=val,
                                      record_predictions=True, record_bn_stats=True,
                                      snapshot_inputs=val[0][:5] if watched else None)
    for a, b in zip(expected, got, strict=True):
        assert type(a) is type(b)
        if isinstance(a, trainer.TrainingError):
            assert str(a) == str(b)
            a, b = a.history, b.history
        assert_same_history(a, b)
    for a, b in zip(alone, model_list, strict=True):
        assert_same_state(a, b)


def test_batchnorm_batch_of_one_is_the_same_error_with_the_same_history():
    X, y = make_data(33, 2, 2, 0)  # batches of 8: the last one holds a single sample
    configs = [TrainConfig(epochs=2, batch_size=8, loss="cross_entropy", seed=s) for s in range(3)]
    model_list = [models.mlp(2, (16,), 2, norm="batch", seed=s) for s in range(3)]
    alone, expected, got = train_both(model_list, X, y, configs)
    for a, b in zip(expected, got, strict=True):
        assert isinstance(a, BatchTooSmallForBatchNorm) and isinstance(b, BatchTooSmallForBatchNorm)
        assert (a.epoch, a.step, a.batch_size, a.torch_message) == (b.epoch, b.step, b.batch_size, b.torch_message)
        assert_same_history(a.history, b.history)
    for a, b in zip(alone, model_list, strict=True):
        assert_same_state(a, b)
    with pytest.raises(BatchTooSmallForBatchNorm):
        fit_many([models.mlp(2, (16,), 2, norm="batch", seed=s) for s in range(3)], X, y, configs)


def test_runs_that_cannot_stack_are_grouped_and_per_run_data_is_kept():
    datasets = [make_data(40, 2, 2, s) for s in range(4)]
    configs = [TrainConfig(epochs=2, batch_size=b, loss="cross_entropy", seed=s, warmup_epochs=1)
               for s, b in enumerate([5, 5, 8, 5])]
    model_list = [models.mlp(2, (16,), 2, seed=s) for s in range(3)] + [models.mlp(2, (8,), 2, seed=3)]
    alone = [copy.deepcopy(m) for m in model_list]
    expected = [trainer.fit(m, X, y, c) for m, (X, y), c in zip(alone, datasets, configs, strict=True)]
    got = fit_many(model_list, [X for X, _ in datasets], [y for _, y in datasets], configs)
    for a, b in zip(expected, got, strict=True):
        assert_same_history(a, b)


def test_epochs_may_differ_within_a_group():
    X, y = make_data(50, 2, 0, 1)
    configs = [TrainConfig(epochs=e, batch_size=10, seed=0) for e in (1, 4, 2)]
    _, expected, got = train_both([models.mlp(2, (8,), 1, seed=0) for _ in range(3)], X, y, configs)
    for a, b in zip(expected, got, strict=True):
        assert_same_history(a, b)


def test_the_probe_refuses_a_kernel_that_differs():
    # A batched product of width-1 outputs sums in another order than addmm on this BLAS: whatever the
    # probe says, the calls it picks must give the per-run bits, forward and backward.
    g = torch.Generator().manual_seed(0)
    weight, bias = torch.randn(4, 1, 64, generator=g), torch.randn(4, 1, generator=g)
    x, upstream = torch.randn(4, 8, 64, generator=g), torch.randn(4, 8, 1, generator=g)
    layer = layers.Linear(weight, bias)
    batched = layer.exact(x.shape[0], x.shape[1])
    for a, b in zip(layer_results(layer, x, upstream, batched), layer_results(layer, x, upstream, False),
                    strict=True):
        assert torch.equal(a, b)


@pytest.mark.parametrize("n_in,n_out,batch", [(1, 1, 16), (1, 1, 128), (2, 1, 7), (64, 1, 8), (8, 8, 5)])
@pytest.mark.parametrize("weight_grad_batched", [None, False])
def test_a_linear_layer_mixes_batched_and_per_run_parts_exactly(n_in, n_out, batch, weight_grad_batched,
                                                               monkeypatch):
    # Output, input and bias gradients batched, the weight gradient (a dot product over the batch, which
    # BLAS may sum its own way) per run where the probe finds the batched product inexact. Some BLAS
    # builds sum Linear(1, 1)'s weight gradient the same way batched, others do not, so the mix is also
    # forced (weight_grad_batched=False): whatever mix is taken gives the per-run bits.
    g = torch.Generator().manual_seed(n_in * 100 + batch)
    weight, bias = probe.spread_randn(g, 5, n_out, n_in), probe.spread_randn(g, 5, n_out)
    x, upstream = probe.spread_randn(g, 5, batch, n_in), probe.spread_randn(g, 5, batch, n_out)
    if weight_grad_batched is not None:
        probed = layers.linear_parts(5, batch, n_in, n_out)
        forced = probed._replace(weight_grad=weight_grad_batched)
        monkeypatch.setattr(layers, "linear_parts", lambda *shape: forced)
    layer = layers.Linear(weight, bias)
    way = layer.exact(x.shape[0], x.shape[1])
    if (n_in, n_out) == (1, 1):
        assert way  # one product term and a bias: batched on any BLAS (the seed experiment's layer)
    for a, b in zip(layer_results(layer, x, upstream, way), layer_results(layer, x, upstream, False), strict=True):
        assert torch.equal(a, b)


def test_bad_arguments_are_refused_before_any_work():
    X, y = make_data(10, 2, 0, 0)
    with pytest.raises(ValueError, match="configs"):
        fit_many([models.linear(2, 1)], X, y, [])
    with pytest.raises(ValueError, match="on_error"):
        fit_many([models.linear(2, 1)], X, y, [TrainConfig(1, 2)], on_error="ignore")
    with pytest.raises(ValueError, match="exceeds"):
        fit_many([models.linear(2, 1)] * 2, X, y, [TrainConfig(1, 2), TrainConfig(trainer.EPOCH_BUDGET + 1, 2)])


@pytest.mark.parametrize("k,batch,width", [(8, 50, 32), (8, 49, 32), (3, 7, 12), (2, 1, 8)])
def test_layer_norm_batched_forward_equals_each_run_alone(k, batch, width):
    # One affine-free call over all runs' rows and one addcmul give each run's fused LayerNorm bits; the
    # backward then runs per run on views of that call's statistics. Values over many magnitudes.
    g = torch.Generator().manual_seed(k * batch)
    weight, bias = 1 + 0.1 * probe.spread_randn(g, k, width), 0.1 * probe.spread_randn(g, k, width)
    x, upstream = probe.spread_randn(g, k, batch, width), probe.spread_randn(g, k, batch, width)
    layer = layers.LayerNorm(weight, bias, 1e-5)
    assert layer.exact(k, batch)  # the batched path is the one this test checks
    batched = layer_results(layer, x, upstream, True)
    for a, b in zip(batched, layer_results(layer, x, upstream, False), strict=True):
        assert torch.equal(a, b)
    alone = [torch.nn.functional.layer_norm(x[i].clone(), (width,), weight[i].clone(), bias[i].clone(), 1e-5)
             for i in range(k)]
    assert torch.equal(batched[0], torch.stack(alone))


@pytest.mark.parametrize("batch", [50, 600])
def test_layer_norm_probe_refuses_when_the_affine_step_rounds_differently(monkeypatch, batch):
    # Were the affine step a multiply then an add (two roundings), the batched path would differ: refused,
    # at a large batch in the one draw ``probe_trials`` asks for there.
    layers.norm_exact.cache_clear()
    monkeypatch.setattr(torch, "addcmul", lambda b, t1, t2: t1 * t2 + b)
    assert probe.probe_trials(8 * batch * 32) == (3 if batch == 50 else 1)
    assert not layers.norm_exact(layers.LayerNorm, 8, batch, 32, 0)
    monkeypatch.undo()
    layers.norm_exact.cache_clear()


@pytest.mark.parametrize("k,batch,n_in,n_out", [(8, 600, 32, 32), (8, 200, 32, 2), (3, 5, 4, 3)])
def test_the_linear_probe_refuses_products_summed_in_another_order(monkeypatch, k, batch, n_in, n_out):
    # Every batched product summed in reverse order (the same maths, other roundings): the input gradient
    # (a sum over the outputs) and the weight gradient (a sum over the batch) must be refused in the draws
    # the probe takes, one at the largest shape.
    layers.linear_parts.cache_clear()
    real = torch.Tensor.bmm
    monkeypatch.setattr(torch.Tensor, "bmm", lambda a, b: real(a.flip(-1), b.flip(-2)))
    parts = layers.linear_parts(k, batch, n_in, n_out)
    monkeypatch.undo()
    layers.linear_parts.cache_clear()
    assert not parts.input_grad and not parts.weight_grad
    if batch == 600:
        assert probe.probe_trials(k * batch * min(n_in, n_out)) == 1


def test_probe_draws_shrink_with_the_outputs_compared_never_below_one():
    from ebcore.stacked.probe import PROBE_OUTPUTS, PROBE_TRIALS, probe_trials

    assert probe_trials(1) == probe_trials(PROBE_OUTPUTS // PROBE_TRIALS) == PROBE_TRIALS
    assert probe_trials(PROBE_OUTPUTS) == probe_trials(8 * 1000 * 32) == 1
    draws = [probe_trials(n) for n in range(1, 3 * PROBE_OUTPUTS, 997)]
    assert draws == sorted(draws, reverse=True)
    assert all(n * probe_trials(n) >= min(PROBE_OUTPUTS, n * PROBE_TRIALS) for n in range(1, 3 * PROBE_OUTPUTS, 997))


@pytest.mark.parametrize("autograd", [False, True])
def test_bn_layers_records_only_the_named_layers_with_the_same_records(autograd):
    """``bn_layers`` narrows ``record_bn_stats`` to the layers named: their records are the ones every
    layer's recording keeps, in ``fit`` (its direct path or, with a hook on the model, autograd) and in
    ``fit_many``, which keeps them for the recording runs only."""
    X, y = make_data(45, 2, 2, 3)  # batches of 8: a last batch of 5
    configs = [TrainConfig(epochs=2, batch_size=8, loss="cross_entropy", seed=s) for s in range(3)]

    def fresh_models():
        out = [models.mlp(2, (6, 5), 2, norm="batch", seed=s) for s in range(3)]
        if autograd:  # a hook keeps a model off the direct path (and out of the stack)
            for m in out:
                m[0].register_forward_hook(lambda *args: None)
        return out

    everything = [trainer.fit(m, X, y, c, record_bn_stats=True) for m, c in zip(fresh_models(), configs, strict=True)]
    assert all(set(h.bn_stats) == {"1", "4"} for h in everything)
    only = [trainer.fit(m, X, y, c, record_bn_stats=True, bn_layers=["4"])
            for m, c in zip(fresh_models(), configs, strict=True)]
    flags = [True, False, True]
    stacked = fit_many(fresh_models(), X, y, configs, record_bn_stats=flags, bn_layers=["4"])
    for full, one, many, flag in zip(everything, only, stacked, flags, strict=True):
        assert set(one.bn_stats) == {"4"} and set(many.bn_stats) == ({"4"} if flag else set())
        full.bn_stats.pop("1")
        assert_same_history(full, one)
        if flag:
            assert_same_history(full, many)
