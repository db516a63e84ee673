"""``torch.optim``'s SGD, momentum, Adam and RMSprop updates for ``fit``, without the per-step machinery.

On a small model ``optimizer.step()`` costs more than the forward pass: every step it rebuilds its
parameter lists from the param groups, looks up each parameter's state, groups tensors by device and
dtype and loops in Python. The arithmetic is a handful of element-wise ops a parameter. ``LeanOptimizer``
keeps the lists and the state once and issues the same ops, in the same order and with the same
scalars, as ``torch.optim``'s default (single-tensor) update for the defaults ``fit`` uses (no weight
decay, no Nesterov, no dampening, not centred, no AMSGrad), batched over the parameters with torch's
``_foreach`` ops (on CPU each loops over the same per-tensor kernels). So the weights are those of
``torch.optim``, bit for bit: ``tests/test_lean_optim.py`` checks it against ``torch.optim`` itself,
and ``tests/test_train_exact.py`` checks ``fit`` against the reference loop.

A parameter without a gradient in a step is skipped, as ``torch.optim`` skips it: its state and step
count wait for its next gradient.

With the fast paths off (``trainer.fast.switch``: the start-up self-check found a difference), a new
``LeanOptimizer`` hands every step to the ``torch.optim`` class itself (``torch_optimizer``).
"""

from __future__ import annotations

import torch
from torch import Tensor

from ebcore.trainer.fast import switch

__all__ = ["ADAM_BETAS", "EPS", "RMSPROP_ALPHA", "LeanOptimizer", "torch_optimizer"]

# torch.optim's defaults for the classes fit builds
ADAM_BETAS = (0.9, 0.999)
EPS = 1e-8
RMSPROP_ALPHA = 0.99


def torch_optimizer(params: list[Tensor], kind: str, momentum: float = 0.0) -> torch.optim.Optimizer:
    """The ``torch.optim`` optimizer ``LeanOptimizer`` copies (its defaults; the learning rate is set per step)."""
    if kind in ("sgd", "sgd_momentum"):
        return torch.optim.SGD(params, lr=0.0, momentum=momentum)
    if kind == "adam":
        return torch.optim.Adam(params, lr=0.0)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=0.0, momentum=momentum)
    raise ValueError(f"unknown optimizer {kind!r}")


class LeanOptimizer:
    """One optimizer over ``params`` (leaf tensors), kind ``"sgd"``, ``"sgd_momentum"``, ``"adam"`` or
    ``"rmsprop"`` with ``momentum`` (SGD and RMSprop; 0 for none); ``step(lr)`` applies one update
    with learning rate ``lr`` to every parameter that has a ``.grad``."""

    def __init__(self, params: list[Tensor], kind: str, momentum: float = 0.0) -> None:
        if kind not in ("sgd", "sgd_momentum", "adam", "rmsprop"):
            raise ValueError(f"unknown optimizer {kind!r}")
        self.params = list(params)
        self.kind = kind
        self.momentum = momentum
        # the fast paths off: torch.optim's own class takes every step
        self.delegate = None if switch.enabled() else torch_optimizer(self.params, kind, momentum)
        n = len(self.params)
        self.steps = [0] * n  # updates each parameter has had (torch.optim's state["step"])
        self.buffers: list[Tensor | None] = [None] * n  # momentum buffers (SGD, RMSprop with momentum)
        if kind == "adam":
            self.exp_avgs = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params]
            self.exp_avg_sqs = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params]
        elif kind == "rmsprop":
            self.square_avgs = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params]
            if momentum > 0:
                self.buffers = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params]

    @torch.no_grad()
    def step(self, lr: float, grads: list[Tensor] | None = None) -> None:
        """One update of every parameter with a gradient, at learning rate ``lr``. ``grads``: the
        parameters' gradients in order, instead of their ``.grad`` (``fit`` without autograd)."""
        if self.delegate is not None:
            self._delegated_step(lr, grads)
            return
        if grads is None:
            grads = [p.grad for p in self.params]
        # `None in grads` would compare every tensor with None (elementwise, hundreds of µs): test identity
        missing = any(g is None for g in grads)
        index = [i for i, g in enumerate(grads) if g is not None] if missing else range(len(grads))
        if not index:
            return
        if len(index) != len(grads):
            grads = [grads[i] for i in index]
        params = [self.params[i] for i in index] if len(index) != len(self.params) else self.params
        for i in index:
            self.steps[i] += 1
        if self.kind == "adam":
            self._adam(index, params, grads, lr)
        elif self.kind == "rmsprop":
            self._rmsprop(index, params, grads, lr)
        else:
            self._sgd(index, params, grads, lr)

    def _delegated_step(self, lr: float, grads: list[Tensor] | None) -> None:
        if grads is not None:
            for p, g in zip(self.params, grads, strict=True):
                p.grad = g
        for group in self.delegate.param_groups:
            group["lr"] = lr
        self.delegate.step()

    def _pick(self, values: list, index) -> list:
        return values if len(index) == len(values) else [values[i] for i in index]

    def _sgd(self, index, params: list[Tensor], grads: list[Tensor], lr: float) -> None:
        if self.momentum != 0:
            # torch.optim: the first step's buffer is a copy of the gradient, later ones
            # buf.mul_(momentum).add_(grad, alpha=1 - dampening) with dampening 0
            fresh = [k for k, i in enumerate(index) if self.buffers[i] is None]
            for k in fresh:
                self.buffers[index[k]] = grads[k].detach().clone()
            old = [k for k in range(len(index)) if k not in fresh] if fresh else range(len(index))
            if old:
                bufs = [self.buffers[index[k]] for k in old]
                torch._foreach_mul_(bufs, self.momentum)
                torch._foreach_add_(bufs, [grads[k] for k in old], alpha=1.0)
            grads = [self.buffers[i] for i in index]
        torch._foreach_add_(params, grads, alpha=-lr)

    def _adam(self, index, params: list[Tensor], grads: list[Tensor], lr: float) -> None:
        beta1, beta2 = ADAM_BETAS
        exp_avgs, exp_avg_sqs = self._pick(self.exp_avgs, index), self._pick(self.exp_avg_sqs, index)
        torch._foreach_lerp_(exp_avgs, grads, 1 - beta1)
        # exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        torch._foreach_mul_(exp_avg_sqs, beta2)
        torch._foreach_addcmul_(exp_avg_sqs, grads, grads, 1 - beta2)
        # torch.optim reads the step as a float tensor's .item(): the same float here
        steps = {float(self.steps[i]) for i in index}
        if len(steps) == 1:  # every parameter has had as many updates (always, unless one lacked a gradient)
            (s,) = steps
            step_sizes, bias2_sqrts = -(lr / (1 - beta1**s)), (1 - beta2**s) ** 0.5
        else:
            each = [float(self.steps[i]) for i in index]
            step_sizes = [-(lr / (1 - beta1**s)) for s in each]  # param.addcdiv_(.., value=-step_size)
            bias2_sqrts = [(1 - beta2**s) ** 0.5 for s in each]
        # denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        denoms = torch._foreach_sqrt(exp_avg_sqs)
        torch._foreach_div_(denoms, bias2_sqrts)
        torch._foreach_add_(denoms, EPS)
        torch._foreach_addcdiv_(params, exp_avgs, denoms, step_sizes)

    def _rmsprop(self, index, params: list[Tensor], grads: list[Tensor], lr: float) -> None:
        square_avgs = self._pick(self.square_avgs, index)
        # square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha); avg = square_avg.sqrt().add_(eps)
        torch._foreach_mul_(square_avgs, RMSPROP_ALPHA)
        torch._foreach_addcmul_(square_avgs, grads, grads, 1 - RMSPROP_ALPHA)
        avgs = torch._foreach_sqrt(square_avgs)
        torch._foreach_add_(avgs, EPS)
        if self.momentum > 0:
            # buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
            bufs = self._pick(self.buffers, index)
            torch._foreach_mul_(bufs, self.momentum)
            torch._foreach_addcdiv_(bufs, grads, avgs)
            torch._foreach_add_(params, bufs, alpha=-lr)
        else:
            torch._foreach_addcdiv_(params, grads, avgs, -lr)
