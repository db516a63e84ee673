"""The stacked eval forward and validation metrics against each run's own model (``fit``'s evaluation)."""

import pytest
import torch
from conftest import one_ulp_up

from ebcore.problems import models

from ebcore.stacked import evaluate as stacked_eval
from ebcore.stacked.net import PROBE_OUTPUTS, PROBE_TRIALS, StackedNet, _Linear, probe_trials
from ebcore.trainer.loop import cross_entropy as _cross_entropy
from ebcore.trainer.loop import mse_loss as _mse_loss
from ebcore.trainer.loop import predict as _predict


def trained_models(kind: str, k: int, out: int):
    # BatchNorm's running statistics away from their initial 0/1, so eval mode reads real values
    built = []
    for seed in range(k):
        model = models.mlp(3, (16, 16), out, norm=kind, seed=seed)
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for _ in range(3):
                model(torch.randn(20, 3, generator=g) * (seed + 1) + seed)
        built.append(model)
    return built


@pytest.mark.parametrize("kind", [None, "batch", "layer", "group"])
@pytest.mark.parametrize("k,n", [(8, 1000), (3, 17), (2, 1)])
def test_predict_and_metrics_equal_each_model_alone(kind, k, n):
    g = torch.Generator().manual_seed(k * n)
    for out, loss in ((2, "cross_entropy"), (1, "mse")):
        runs = trained_models(kind, k, out)
        x = torch.randn(k, n, 3, generator=g) * 3
        y = torch.randint(out, (k, n), generator=g) if loss == "cross_entropy" else torch.randn(k, n, 1, generator=g)
        net = StackedNet(runs)
        got = stacked_eval.predict(net, x)
        losses, accuracies = stacked_eval.validation_metrics(net, x, y, loss)
        loss_fn = _cross_entropy if loss == "cross_entropy" else _mse_loss
        for i, model in enumerate(runs):
            alone = _predict(model, x[i].clone())
            assert torch.equal(got[i], alone)
            assert losses[i] == loss_fn(alone, y[i]).item()
            if loss == "cross_entropy":
                assert accuracies[i] == (alone.argmax(1) == y[i]).sum().item() / n
            else:
                assert accuracies is None
            assert model.training  # nothing was switched


def test_predict_changes_no_running_statistics():
    runs = trained_models("batch", 3, 2)
    net = StackedNet(runs)
    before = [layer.running_mean.clone() for layer in net.batch_norms()]
    stacked_eval.predict(net, torch.randn(3, 40, 3))
    assert all(torch.equal(a, layer.running_mean) for a, layer in zip(before, net.batch_norms(), strict=True))


def test_the_eval_probe_refuses_a_batched_batchnorm_that_rounds_differently(monkeypatch):
    stacked_eval.eval_exact.cache_clear()
    # the batched call sees K·C channels side by side; nudge exactly that call by one ulp
    real = torch.native_batch_norm
    nudge = one_ulp_up(lambda x: x, lambda x: True)

    def nudged(x, *args):
        out, mean, invstd = real(x, *args)
        return (nudge(out) if x.shape[1] == 4 * 16 else out), mean, invstd

    monkeypatch.setattr(torch, "native_batch_norm", nudged)
    try:
        assert not stacked_eval.eval_exact("batch", 4, 30, (16,))
        runs = trained_models("batch", 4, 2)
        x = torch.randn(4, 30, 3)
        got = stacked_eval.predict(StackedNet(runs), x)  # refused: run by run, still each model's bits
        for i, model in enumerate(runs):
            model.eval()
            with torch.no_grad():
                assert torch.equal(got[i], model(x[i].clone()))
            model.train()
    finally:
        stacked_eval.eval_exact.cache_clear()


def test_probe_draws_shrink_with_the_outputs_compared_never_below_one():
    assert probe_trials(1) == probe_trials(PROBE_OUTPUTS // PROBE_TRIALS) == PROBE_TRIALS
    assert probe_trials(PROBE_OUTPUTS) == probe_trials(8 * 1000 * 32) == 1
    draws = [probe_trials(n) for n in range(1, 3 * PROBE_OUTPUTS, 997)]
    assert draws == sorted(draws, reverse=True)
    assert all(n * probe_trials(n) >= min(PROBE_OUTPUTS, n * PROBE_TRIALS) for n in range(1, 3 * PROBE_OUTPUTS, 997))


@pytest.mark.parametrize("k,n,width,out", [(8, 1000, 32, 32), (8, 1000, 32, 2), (2, 1000, 3, 2), (3, 7, 3, 2)])
def test_the_eval_probe_refuses_a_batched_linear_that_sums_in_another_order(monkeypatch, k, n, width, out):
    # The batched product with its terms summed in reverse order (three or more terms: a + b is b + a):
    # the same maths, other roundings.
    # The probe's draws (``probe_trials``) must see it; at a validation set's size the first draw alone does.
    stacked_eval.eval_exact.cache_clear()
    if k * n * out >= PROBE_OUTPUTS:
        monkeypatch.setattr(stacked_eval, "probe_trials", lambda outputs: 1)
    real = stacked_eval._eval_layer

    def reordered(layer, x, batched):
        if batched and isinstance(layer, _Linear):
            return torch.baddbmm(layer.bias.unsqueeze(1), x.flip(-1), layer.weight.flip(-1).transpose(1, 2))
        return real(layer, x, batched)

    monkeypatch.setattr(stacked_eval, "_eval_layer", reordered)
    try:
        assert not stacked_eval.eval_exact("linear", k, n, (width, out))
    finally:
        stacked_eval.eval_exact.cache_clear()


@pytest.mark.parametrize("batched", [True, False])
def test_fit_many_validation_either_way_equals_fit(batched, monkeypatch):
    # Where some layer would go run by run at the validation shape, each model evaluates itself, synced
    # after every epoch; either way the histories and final models are fit's.
    import copy

    from ebcore.stacked import many_runs as stacked

    from ebcore import trainer

    monkeypatch.setattr(stacked, "all_batched", lambda *args: batched)
    g = torch.Generator().manual_seed(3)
    X, y = torch.randn(45, 3, generator=g), torch.randint(2, (45,), generator=g)
    val = (torch.randn(30, 3, generator=g), torch.randint(2, (30,), generator=g))
    configs = [trainer.TrainConfig(epochs=2 + i % 2, batch_size=8, loss="cross_entropy", optimizer="adam", seed=i)
               for i in range(3)]
    runs = trained_models("batch", 3, 2)
    alone = [copy.deepcopy(m) for m in runs]
    expected = [trainer.fit(m, X, y, c, validation_data=val) for m, c in zip(alone, configs, strict=True)]
    got = stacked.fit_many(runs, X, y, configs, validation_data=val)
    for a, b, ma, mb in zip(expected, got, alone, runs, strict=True):
        assert a.val_loss == b.val_loss and a.val_accuracy == b.val_accuracy and a.step_loss == b.step_loss
        assert all(torch.equal(p, q) for p, q in zip(ma.state_dict().values(), mb.state_dict().values(), strict=True))


def test_the_stacked_evaluation_is_kept_for_networks_where_it_pays():
    # LayerNorm and GroupNorm cost the same per row either way: their runs evaluate model by model
    from ebcore.problems import models

    def net(norm):
        return StackedNet([models.mlp(2, (8,), 2, norm=norm, seed=s) for s in range(2)])

    assert stacked_eval.pays_off(net(None)) and stacked_eval.pays_off(net("batch"))
    assert not stacked_eval.pays_off(net("layer")) and not stacked_eval.pays_off(net("group"))
