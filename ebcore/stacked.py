"""Many independent training runs as one program: ``fit_many``.

Placeholder while the stacked trainer is built: every run goes through ``fit`` one after another,
which is what the stacked version must equal bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from torch import Tensor, nn

from ebcore.train import History, TrainConfig, TrainingError, fit

Data = Tensor | Sequence[Tensor]


def _per_run(value, k: int) -> list:
    if value is None or isinstance(value, (Tensor, tuple)) and not isinstance(value, list):
        return [value] * k
    return list(value)


def fit_many(
    models: Sequence[nn.Module],
    X: Data,
    y: Data,
    configs: Sequence[TrainConfig],
    *,
    validation_data: tuple[Tensor, Tensor] | Sequence[tuple[Tensor, Tensor]] | None = None,
    on_epoch: Callable[[History, int], None] | None = None,
    record_predictions: bool = False,
    record_bn_stats: bool = False,
    snapshot_inputs: Tensor | None = None,
    on_error: str = "raise",
) -> list[History | TrainingError]:
    """Train ``models[i]`` on its data with ``configs[i]``; result ``i`` equals ``fit(models[i], ...)``.

    ``X``/``y`` are one tensor shared by every run or one per run (a list); ``validation_data`` one
    ``(X_val, y_val)`` pair or a list of pairs. ``on_epoch(history, epoch)`` is called for each run
    after each of its epochs. ``on_error="return"`` puts a run's ``TrainingError`` (with its partial
    history) in its slot instead of raising.
    """
    k = len(models)
    if len(configs) != k:
        raise ValueError(f"{k} models but {len(configs)} configs")
    xs, ys = _per_run(X, k), _per_run(y, k)
    vals = [validation_data] * k if validation_data is None or isinstance(validation_data, tuple) else list(validation_data)
    out: list[History | TrainingError] = []
    for i in range(k):
        try:
            out.append(fit(models[i], xs[i], ys[i], configs[i], validation_data=vals[i], on_epoch=on_epoch,
                           record_predictions=record_predictions, record_bn_stats=record_bn_stats,
                           snapshot_inputs=snapshot_inputs))
        except TrainingError as err:
            if on_error != "return":
                raise
            out.append(err)
    return out
