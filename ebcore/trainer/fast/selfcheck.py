"""A start-up check that ``fit``'s fast paths still give torch's own numbers, bit for bit (tens of ms).

The fast paths copy what torch does: ``direct_backprop`` calls the kernels autograd's backward runs,
``lean_optim`` issues ``torch.optim``'s update ops, ``flat_params`` updates every weight in one buffer.
The test suite holds them to torch, but a torch upgrade can change torch after the tests ran. So each
training process checks them once at its start (``ebcore.startup``) on tiny cases: ``fit`` against the
notes' reference loop over a real ``DataLoader`` (a BatchNorm MLP with cross-entropy and momentum SGD,
a GroupNorm MLP with MSE and Adam, each with a partial last batch), ``LeanOptimizer`` against
``torch.optim``'s update for each kind it copies, and its constants against ``torch.optim``'s defaults.
On any difference (or error) the fast paths turn off (``switch``) and the log says which case
differed: a torch upgrade can make the app slower, never wrong.

``torch.optim``'s update is called through its functional API (``TorchUpdate``: the functions the
classes' ``step`` calls, with the state the classes keep), because the first ``torch.optim`` object
in a process imports ``torch._dynamo`` (about 3 s here). ``tests/test_selfcheck.py`` holds
``TorchUpdate`` to the classes themselves.
"""

from __future__ import annotations

import copy
import inspect
import threading
import time

import torch
from torch import Tensor, nn
from torch.optim import adam, rmsprop, sgd
from torch.utils.data import DataLoader, TensorDataset

from ebcore.problems.models import mlp
from ebcore.trainer.config import TrainConfig
from ebcore.trainer.fast import lean_optim, switch
from ebcore.trainer.fast.lean_optim import LeanOptimizer
from ebcore.trainer.single_run import fit

__all__ = ["FIT_CASES", "OPTIMIZER_CASES", "TorchUpdate", "check", "check_once", "defaults_difference",
           "differences", "fit_difference", "optimizer_difference", "reference_loop"]

FIT_CASES: tuple[tuple[str, int, TrainConfig], ...] = (
    ("batch", 2, TrainConfig(epochs=2, batch_size=4, lr=0.1, optimizer="sgd_momentum", loss="cross_entropy", seed=1)),
    ("group", 1, TrainConfig(epochs=2, batch_size=4, lr=0.01, optimizer="adam", loss="mse", seed=2)),
)
"""``fit``'s cases: (the MLP's norm, its outputs, the run's settings); 10 samples, so the last batch holds 2."""
OPTIMIZER_CASES: tuple[tuple[str, float], ...] = (("sgd", 0.0), ("sgd_momentum", 0.9), ("adam", 0.0),
                                                  ("rmsprop", 0.0), ("rmsprop", 0.5))
"""``LeanOptimizer``'s cases: (kind, momentum), each over three steps."""

_lock = threading.Lock()
_owner: list[int] = []  # the thread running the check
_finished = threading.Event()


class TorchUpdate:
    """``torch.optim``'s update of ``params`` for ``kind`` (``"sgd"``, ``"sgd_momentum"``, ``"adam"``,
    ``"rmsprop"``) at the classes' defaults: the functional call each class's ``step`` makes, with the
    state it keeps (momentum buffers, 0-d float32 step counts, zero averages). ``step(lr, grads)``
    updates the parameters with a gradient (``grads[i]`` None: skipped, as the classes skip it)."""

    def __init__(self, params: list[Tensor], kind: str, momentum: float = 0.0) -> None:
        self.params, self.kind, self.momentum = params, kind, momentum
        self.buffers: list[Tensor | None] = [None] * len(params)
        if kind == "rmsprop" and momentum > 0:
            self.buffers = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in params]
        self.steps = [torch.tensor(0.0) for _ in params]
        self.averages = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in params]
        self.squares = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in params]

    @torch.no_grad()
    def step(self, lr: float, grads: list[Tensor | None]) -> None:
        index = [i for i, g in enumerate(grads) if g is not None]
        params, grads = [self.params[i] for i in index], [grads[i] for i in index]
        steps = [self.steps[i] for i in index]
        if self.kind in ("sgd", "sgd_momentum"):
            buffers = [self.buffers[i] for i in index]
            sgd.sgd(params, grads, buffers, weight_decay=0.0, momentum=self.momentum, lr=lr, dampening=0.0,
                    nesterov=False, maximize=False)
            for i, buffer in zip(index, buffers, strict=True):
                self.buffers[i] = buffer
        elif self.kind == "adam":
            beta1, beta2 = _default(torch.optim.Adam, "betas")
            adam.adam(params, grads, [self.averages[i] for i in index], [self.squares[i] for i in index], [],
                      steps, amsgrad=False, beta1=beta1, beta2=beta2, lr=lr, weight_decay=0.0,
                      eps=_default(torch.optim.Adam, "eps"), maximize=False)
        else:
            buffers = [self.buffers[i] for i in index] if self.momentum > 0 else []
            rmsprop.rmsprop(params, grads, [self.squares[i] for i in index], [], buffers, steps, lr=lr,
                            alpha=_default(torch.optim.RMSprop, "alpha"), eps=_default(torch.optim.RMSprop, "eps"),
                            weight_decay=0.0, momentum=self.momentum, centered=False)


def _default(cls: type, name: str):
    return inspect.signature(cls).parameters[name].default


def reference_loop(model: nn.Module, X: Tensor, y: Tensor, config: TrainConfig) -> list[float]:
    """The notes' training loop over a real ``DataLoader`` with ``torch.optim``'s update (``TorchUpdate``);
    trains ``model`` in place and returns each epoch's mean batch loss."""
    loader = DataLoader(TensorDataset(X, y), batch_size=config.batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(config.seed))
    criterion = nn.MSELoss() if config.loss == "mse" else nn.CrossEntropyLoss()
    params = list(model.parameters())
    optimizer = TorchUpdate(params, config.optimizer, config.momentum)
    losses = []
    for _ in range(config.epochs):
        running_loss = 0.0
        for inputs, targets in loader:
            for p in params:  # optimizer.zero_grad()
                p.grad = None
            loss = criterion(model(inputs), targets)
            loss.backward()
            optimizer.step(config.lr, [p.grad for p in params])
            running_loss += loss.item()
        losses.append(running_loss / len(loader))
    return losses


def fit_difference(norm: str, outputs: int, config: TrainConfig) -> str | None:
    """What differs between ``fit`` and ``reference_loop`` on one tiny case (None: nothing, bit for bit):
    the per-epoch losses, and every weight and buffer after training."""
    g = torch.Generator().manual_seed(config.seed)
    X = torch.randn(10, 3, generator=g)
    y = torch.randn(10, outputs, generator=g) if config.loss == "mse" else torch.randint(0, outputs, (10,), generator=g)
    model = mlp(3, (8,), outputs, norm=norm, seed=config.seed)
    reference = copy.deepcopy(model)
    losses = fit(model, X, y, config).epoch_loss
    expected = reference_loop(reference, X, y, config)
    if losses != expected:
        return f"fit's epoch losses {losses} != the DataLoader loop's {expected}"
    ours, theirs = model.state_dict(), reference.state_dict()
    different = [name for name in theirs if not torch.equal(ours[name], theirs[name])]
    return f"fit's {', '.join(different)} differ from the DataLoader loop's" if different else None


def optimizer_difference(kind: str, momentum: float) -> str | None:
    """What differs between ``LeanOptimizer`` and ``torch.optim``'s update over three steps of two
    tensors (the second without a gradient in the second step, which both skip), None if nothing."""
    g = torch.Generator().manual_seed(0)
    start = [torch.randn(4, 3, generator=g), torch.randn(3, generator=g)]
    grads = [[torch.randn(p.shape, generator=g) for p in start] for _ in range(3)]
    grads[1][1] = None
    ours, theirs = [p.clone() for p in start], [p.clone() for p in start]
    lean, reference = LeanOptimizer(ours, kind, momentum), TorchUpdate(theirs, kind, momentum)
    for lr, step in zip((0.1, 0.05, 0.1), grads, strict=True):
        lean.step(lr, step)
        reference.step(lr, step)
    if all(torch.equal(a, b) for a, b in zip(ours, theirs, strict=True)):
        return None
    return f"LeanOptimizer({kind!r}, momentum={momentum}) differs from torch.optim's update"


def defaults_difference() -> str | None:
    """Whether ``lean_optim``'s constants are still ``torch.optim``'s defaults (None: they are)."""
    ours = (lean_optim.ADAM_BETAS, lean_optim.EPS, lean_optim.EPS, lean_optim.RMSPROP_ALPHA)
    theirs = (_default(torch.optim.Adam, "betas"), _default(torch.optim.Adam, "eps"),
              _default(torch.optim.RMSprop, "eps"), _default(torch.optim.RMSprop, "alpha"))
    return None if ours == theirs else f"torch.optim's defaults {theirs} are not lean_optim's {ours}"


def differences() -> list[str]:
    """Every case that differs from torch (an empty list: the fast paths give torch's numbers)."""
    found = [_safely(fit_difference, *case) for case in FIT_CASES]
    found += [_safely(optimizer_difference, *case) for case in OPTIMIZER_CASES]
    found.append(_safely(defaults_difference))
    return [d for d in found if d is not None]


def _safely(case, *args) -> str | None:
    # A torch that changed an API the check or a fast path calls fails the case, not the process.
    try:
        return case(*args)
    except Exception as error:  # noqa: BLE001
        return f"{case.__name__}{args}: {type(error).__name__}: {error}"


def check() -> bool:
    """Run every case; on any difference turn the fast paths off (a warning in the log names the
    cases). True if all agreed. The time it took is logged (info)."""
    began = time.perf_counter()
    found = differences()
    if found:
        switch.turn_off(f"torch {torch.__version__}: " + "; ".join(found))
    switch.log.info("fast-path self-check: %s in %.1f ms", "differs" if found else "passed",
                    1000 * (time.perf_counter() - began))
    return not found


def check_once() -> None:
    """``check`` the first time this is called in the process: a training process calls it at start
    (``ebcore.startup``), and ``direct_backprop.supports`` before any fast path is taken, so a process
    that trains without that start (the server's own thread, a script, a test) is checked too. Other
    threads wait for the first one's check; its own ``fit`` calls pass."""
    if _finished.is_set():
        return
    with _lock:
        first = not _owner
        if first:
            _owner.append(threading.get_ident())
    if first:
        try:
            check()
        finally:
            _finished.set()
    elif _owner[0] != threading.get_ident():
        _finished.wait()
