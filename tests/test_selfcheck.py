"""The start-up self-check: the fast paths agree with torch here; where they would not, they turn off,
the log says so, and ``fit`` and ``fit_many`` still give the notes' DataLoader loop's numbers."""

from __future__ import annotations

import copy
import logging

import pytest
import torch

from devtools.reference import reference_loop
from ebcore import startup
from ebcore.problems.models import mlp
from ebcore.stacked import fit_many
from ebcore.trainer import TrainConfig, fit
from ebcore.trainer.fast import direct_backprop, lean_optim, selfcheck, switch
from ebcore.trainer.fast.lean_optim import LeanOptimizer


@pytest.fixture(autouse=True)
def fast_paths_restored():
    selfcheck.check_once()  # this process's own first check, unperturbed: done before the test's
    yield
    switch.turn_on()


def test_the_fast_paths_give_torchs_numbers_here(caplog):
    caplog.set_level(logging.INFO, logger="ebcore.trainer.fast")
    assert selfcheck.differences() == []
    assert selfcheck.check() and switch.enabled()
    assert "self-check: passed" in caplog.text and not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(("kind", "momentum"), selfcheck.OPTIMIZER_CASES)
def test_the_checks_torch_update_is_the_torch_optim_class(kind, momentum):
    # The check calls torch.optim's functional API (its classes import torch._dynamo, seconds): it must
    # be what the classes do, state and skipped gradients included.
    g = torch.Generator().manual_seed(3)
    start = [torch.randn(5, 2, generator=g), torch.randn(2, generator=g)]
    ours, theirs = [p.clone() for p in start], [p.clone().requires_grad_() for p in start]
    update, optim = selfcheck.TorchUpdate(ours, kind, momentum), lean_optim.torch_optimizer(theirs, kind, momentum)
    for k, lr in enumerate((0.1, 0.3, 0.01, 0.1)):
        grads = [torch.randn(p.shape, generator=g) if (i, k) != (1, 1) else None for i, p in enumerate(start)]
        update.step(lr, grads)
        for p, grad in zip(theirs, grads, strict=True):
            p.grad = grad
        optim.param_groups[0]["lr"] = lr
        optim.step()
        assert all(torch.equal(a, b.detach()) for a, b in zip(ours, theirs, strict=True)), (kind, k)


def blobs(n: int = 30, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 2, generator=g), torch.randint(0, 2, (n,), generator=g)


def assert_fit_is_the_loop(config: TrainConfig) -> None:
    X, y = blobs()
    model = mlp(2, (8,), 2, norm="batch", seed=config.seed)
    reference = copy.deepcopy(model)
    assert fit(model, X, y, config).epoch_loss == reference_loop(reference, X, y, config)
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), reference.state_dict().values(),
                                                 strict=True))


def test_a_perturbed_kernel_turns_the_fast_paths_off_and_fit_stays_the_loop(monkeypatch, caplog):
    real = direct_backprop.loss_and_grad

    def perturbed(loss, out, y):  # a torch whose backward kernel moved by one part in a million
        value, g = real(loss, out, y)
        return value, g * (1 + 1e-6)

    monkeypatch.setattr(direct_backprop, "loss_and_grad", perturbed)
    assert not selfcheck.check()
    assert not switch.enabled()
    warning = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warning) == 1 and "fast paths are off" in warning[0] and "fit's" in warning[0]
    X, y = blobs()
    assert not direct_backprop.supports(mlp(2, (8,), 2, seed=0), "cross_entropy", X, y)
    # the perturbed kernel is still there, unused: fit takes autograd and torch.optim's own class
    assert selfcheck.differences() == []
    for optimizer in ("sgd_momentum", "adam", "rmsprop"):
        assert_fit_is_the_loop(TrainConfig(epochs=3, batch_size=8, lr=0.05, optimizer=optimizer,
                                           loss="cross_entropy", seed=1))
    # fit_many trains each run through fit
    configs = [TrainConfig(epochs=2, batch_size=8, lr=0.1, optimizer="sgd", loss="cross_entropy", seed=s)
               for s in (0, 1)]
    models = [mlp(2, (8,), 2, norm="batch", seed=c.seed) for c in configs]
    references = [copy.deepcopy(m) for m in models]
    histories = fit_many(models, X, y, configs)
    for h, reference, config in zip(histories, references, configs, strict=True):
        assert h.epoch_loss == reference_loop(reference, X, y, config)


def test_a_changed_update_hands_the_optimizer_to_torch_optim(monkeypatch, caplog):
    monkeypatch.setattr(lean_optim, "EPS", 1e-7)  # a torch whose Adam and RMSprop epsilon moved
    assert not selfcheck.check()
    warning = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "LeanOptimizer('adam'" in warning and "LeanOptimizer('rmsprop'" in warning and "defaults" in warning
    assert "LeanOptimizer('sgd'" not in warning
    assert isinstance(LeanOptimizer([torch.zeros(2)], "adam").delegate, torch.optim.Adam)
    assert all(selfcheck.optimizer_difference(*case) is None for case in selfcheck.OPTIMIZER_CASES)
    assert_fit_is_the_loop(TrainConfig(epochs=3, batch_size=8, lr=0.05, optimizer="adam",
                                       loss="cross_entropy", seed=2))


def test_a_training_process_checks_at_start_and_before_its_first_fast_step(monkeypatch):
    calls = []
    monkeypatch.setattr(selfcheck, "check_once", lambda: calls.append(1))
    startup.warm_training()
    assert calls[:1] == [1]  # (its fit asks again, through supports)
    calls.clear()
    X, y = blobs()
    fit(mlp(2, (8,), 2, seed=0), X, y, TrainConfig(epochs=1, batch_size=8, loss="cross_entropy"))
    assert calls == [1]


def test_other_threads_wait_for_the_first_check(monkeypatch):
    # a fresh process's state: no check yet; the first caller's check is slow, a second thread must wait
    import threading

    monkeypatch.setattr(selfcheck, "_owner", [])
    monkeypatch.setattr(selfcheck, "_finished", threading.Event())
    order = []
    started = threading.Event()

    def slow_check() -> bool:
        started.set()
        threading.Event().wait(0.2)
        order.append("checked")
        return True

    monkeypatch.setattr(selfcheck, "check", slow_check)
    first = threading.Thread(target=selfcheck.check_once)
    first.start()
    started.wait()
    selfcheck.check_once()
    order.append("second went on")
    first.join()
    assert order == ["checked", "second went on"]
