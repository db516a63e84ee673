"""K runs' losses and gradients in a few calls, with the bits of K separate ones.

``fit`` computes a step's cross-entropy as ``nll_loss(log_softmax(out))``; its gradient by
``nll_loss_backward`` then ``_log_softmax_backward_data``. For K stacked runs that was 4·K kernel calls
a step. Three of the four kernels work row by row, so one call over the K runs' rows side by side gives
each run's bits (checked once per shape by ``batched_way``, as ``ebcore.stacked.net`` checks its
layers); the mean gradient ``-1/B`` at each target is the same value whichever rows share the call.

MSE is element-wise but for its mean, which a row-wise sum over each run's elements reproduces
(checked the same way). For cross-entropy the loss *value* is the exception: ``nll_loss``'s mean
adds the picked log-probabilities in its own order, a cascade of partial sums
(``aten/src/ATen/native/LossNLL.cpp``, ``nll_loss_out_frame``), not the order of ``torch.sum``.
``cascade_mean`` does the same float additions, in the same order, as vector operations over many
(run, step) rows at once, so an epoch's step losses of all K runs cost about fifty vector operations
instead of K·steps kernel calls. Whether it matches ``nll_loss`` for a batch size is checked by a
probe too; where it does not, the per-run kernel is used.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor

from ebcore.stacked.probe import bit_equal, spread_randn
from ebcore.trainer.fast.direct_backprop import kernels, loss_and_grad

__all__ = ["batched_way", "cascade_mean", "StackedLoss"]

_NONE = torch.nn._reduction.get_enum("none")
_MEAN = torch.nn._reduction.get_enum("mean")
_ONE = torch.ones(())  # the backward seed d(loss)/d(loss), as loss.backward() uses
_LEVELS = 8  # cascade_sum_num_levels
_STEP = 16  # 1 << level_power; level_power = max(4, CeilLog2(B) / 8) is 4 for any batch below 2**32
_COLUMNS = 64  # floats: a multiple of every CPU vector's width torch builds for (8 with AVX2, 16 with AVX-512)
_COLUMNS_FROM = 3  # classes: with two the row kernel was the faster (28 against 32 us a step, 8 runs of 50 rows)


def cascade_mean(picked: Tensor) -> Tensor:
    """``nll_loss``'s mean of ``-picked`` along the last axis, for every leading index: ``(..., B)`` →
    ``(...)``, the float32 operations of ``nll_loss_out_frame`` in its order.

    In the kernel, sample ``b``'s value is subtracted into partial sum 0; after each sample whose index
    is a multiple of 16, partial sum 0 is added into 1 and cleared; after a multiple of 256, 1 into 2;
    and so on up eight levels. So each level folds groups of incoming values starting from zero: the
    first value alone (index 0 passes every level), then values 1–16, 17–32, …; a complete group moves
    up, an incomplete last group stays as that level's partial sum. Here each level folds all its groups
    at once, padding short groups with the identity of the operation (``+0.0`` for a subtraction,
    ``-0.0`` for an addition); then the levels' remainders are added to 0 in order and the sum is
    divided by the batch size, as the kernel does."""
    lead, b = picked.shape[:-1], picked.shape[-1]
    if not 0 < b < 2**32:
        raise ValueError(f"batch size {b} outside the cascade's range")
    values = picked.reshape(-1, b)
    remainders = []
    for level in range(_LEVELS):
        values, remainder = _fold_level(values, subtract=level == 0, top=level == _LEVELS - 1)
        remainders.append(remainder)
    total = torch.zeros_like(remainders[0])
    for partial in remainders:
        total = total + partial
    # a tensor divisor: a scalar one may be applied as a multiplication by its reciprocal
    return (total / torch.full_like(total, float(b))).reshape(lead)


def _fold_level(values: Tensor, subtract: bool, top: bool) -> tuple[Tensor, Tensor]:
    """One level of the cascade on ``(M, n)`` incoming values: ``(values moving up (M, groups), this
    level's remainder (M,))``. The top level never moves anything: it folds all it received."""
    m, n = values.shape
    zero = torch.zeros(m, dtype=values.dtype)
    if n == 1 and not top:  # only the first value: it moves up alone (as 0 ± v), nothing remains
        first = values[:, 0]
        return (zero - first if subtract else zero + first).unsqueeze(1), zero
    if top:
        groups, complete = values.unsqueeze(1), 0
    else:
        complete = 1 + (n - 1) // _STEP  # group 0 (the first value) and every full group after it
        tail = n - 1 - (complete - 1) * _STEP
        pad = 0.0 if subtract else -0.0
        width = _STEP if complete > 1 else tail
        first = torch.full((m, 1, width), pad, dtype=values.dtype)
        first[:, 0, 0] = values[:, 0]
        last = torch.full((m, 1, width), pad, dtype=values.dtype)
        last[:, 0, :tail] = values[:, n - tail:]
        full = values[:, 1:1 + (complete - 1) * _STEP].reshape(m, complete - 1, _STEP)[:, :, :width]
        groups = torch.cat([first, full, last], dim=1)
    acc = torch.zeros(groups.shape[:2], dtype=values.dtype)
    for i in range(groups.shape[2]):
        acc = acc - groups[:, :, i] if subtract else acc + groups[:, :, i]
    if top:
        return acc[:, :0], acc[:, 0]
    return acc[:, :complete], acc[:, complete]


@functools.lru_cache(maxsize=1024)
def batched_way(kind: str, k: int, batch: int, width: int) -> str | None:
    """How ``StackedLoss`` computes the ``kind`` loss of K runs of ``batch`` rows of ``width`` outputs
    (classes) in one go with the per-run kernels' gradient and loss bits: ``"columns"`` (cross-entropy's
    log-softmax down the columns of the transposed logits, the faster from ``_COLUMNS_FROM`` classes),
    ``"rows"``, or None (per run)."""
    def probe(by_columns: bool) -> bool:
        def draw(g: torch.Generator) -> list[list[Tensor]]:
            out = spread_randn(g, k, batch, width)
            if kind == "cross_entropy":
                y = torch.randint(0, width, (k, batch), generator=g)
            else:
                y = spread_randn(g, k, batch, width)
            pairs = [loss_and_grad(kind, o.clone(), t.clone()) for o, t in zip(out, y, strict=True)]
            if kind == "cross_entropy":
                grad, picked = _batched_cross_entropy(out.clone(), y.clone(), by_columns)
                values = cascade_mean(picked)
            else:
                grad, values = _batched_mse(out.clone(), y.clone())
            return [[grad, values], [torch.stack([p[1] for p in pairs]), torch.stack([p[0] for p in pairs])]]

        return bit_equal(draw)

    if kind == "cross_entropy" and width >= _COLUMNS_FROM and probe(by_columns=True):
        return "columns"
    return "rows" if probe(by_columns=False) else None


def _batched_mse(out: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """``(K, B, D)`` outputs and targets → each run's MSE gradient ``(K, B, D)`` and mean loss ``(K,)``.

    ``mse_loss_backward``'s kernel is ``alpha · (out − y) · grad_output`` with ``alpha = 2 / (B·D)`` in
    float32 and ``grad_output = 1``; the loss is the sum of the squared differences over each run's
    elements, divided by their count, as ``mse_loss``'s mean does."""
    k = out.shape[0]
    count = out[0].numel()
    diff = out - y
    grad = diff * torch.tensor(2.0 / count, dtype=out.dtype)
    squared = torch._C._nn.mse_loss(out, y, _NONE)
    return grad, squared.view(k, -1).sum(1) / torch.full((k,), float(count), dtype=out.dtype)


def _batched_cross_entropy(out: Tensor, y: Tensor, by_columns: bool) -> tuple[Tensor, Tensor]:
    """``(K, B, C)`` logits and ``(K, B)`` targets → the gradient ``(K, B, C)`` of each run's mean loss
    and the picked log-probabilities ``(K, B)`` its loss value is made of.

    ``by_columns``: the log-softmax of each row taken as that of a column of the transposed logits, by
    torch's kernel for a softmax over a leading dimension, which works across many columns at once. The
    kernel for the last dimension works a row at a time: with the digits' ten classes it took 53 µs for
    the 400 rows of 8 runs here, the transposed way 17 µs. Where a row is shorter than a vector the two
    do the same operations in the same order (``batched_way``'s probe decides, shape by shape), but
    columns past the last whole vector take a scalar path, whose ``exp`` and ``log`` round differently
    now and then: so the columns are padded to a multiple of ``_COLUMNS`` (whole vectors on any CPU build)."""
    k, b, c = out.shape
    rows, targets = out.reshape(k * b, c), y.reshape(k * b)
    if by_columns:
        columns = out.new_zeros(c, -(-(k * b) // _COLUMNS) * _COLUMNS)
        columns[:, :k * b] = rows.t()
        log_p = torch._log_softmax(columns, 0, False)[:, :k * b].t().contiguous()
    else:
        log_p = torch._log_softmax(rows, 1, False)
    # The kernel's mean gradient is -grad_output / total_weight, total_weight = B per run: pass B.
    # -100: cross_entropy's default ignore_index, which no class label matches
    g = kernels.nll_backward(_ONE, log_p, targets, None, _MEAN, -100, torch.tensor(float(b)))
    grad = torch._log_softmax_backward_data(g, log_p, 1, out.dtype)
    return grad.view(k, b, c), log_p.gather(1, targets.unsqueeze(1)).view(k, b)


class StackedLoss:
    """The loss of K stacked runs: ``step(out, y)`` returns the gradient of each run's mean loss with
    respect to its outputs and a token; ``values(tokens)`` turns the tokens of consecutive steps into
    each run's loss values, ``(K, steps)``, each the bits ``fit`` records. Cross-entropy and MSE go
    batched where ``batched_way`` says so (cross-entropy's values reduced once, at the end, by
    ``cascade_mean``); any other case takes the per-run kernels."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def step(self, out: Tensor, y: Tensor) -> tuple[Tensor, tuple[str, Tensor]]:
        way = batched_way(self.kind, *out.shape) if out.dim() == 3 else None
        if self.kind == "cross_entropy" and y.dim() == 2 and way:
            grad, picked = _batched_cross_entropy(out, y, way == "columns")
            return grad, ("picked", picked)
        if self.kind == "mse" and y.shape == out.shape and way:
            grad, values = _batched_mse(out, y)
            return grad, ("values", values)
        pairs = [loss_and_grad(self.kind, o, t) for o, t in zip(out.unbind(0), y.unbind(0), strict=True)]
        return torch.stack([g for _, g in pairs]), ("values", torch.stack([v for v, _ in pairs]))

    def values(self, tokens: list[tuple[str, Tensor]]) -> Tensor:
        """Each run's loss at each of the steps whose tokens are given, in order: ``(K, len(tokens))``."""
        columns: list[Tensor] = []
        i = 0
        while i < len(tokens):
            kind, first = tokens[i]
            j = i + 1
            while j < len(tokens) and tokens[j][0] == kind and tokens[j][1].shape == first.shape:
                j += 1
            stretch = torch.stack([t for _, t in tokens[i:j]], dim=1)  # (K, steps[, B])
            columns.append(cascade_mean(stretch) if kind == "picked" else stretch)
            i = j
        return torch.cat(columns, dim=1)
