"""The calculator and the framework translator against the real frameworks: Keras 3 (torch backend)
``model.fit`` steps, ``validation_split`` and ``gradient_accumulation_steps``; PyTorch Lightning's
``accumulate_grad_batches`` and the sampler its DDP puts under a loader (2 CPU processes, gloo).
The app never imports either framework; only these tests do."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import pytorch_lightning as pl  # noqa: E402
import torch  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

from ebcore.primitives import calc, frameworks  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning",
                                        "ignore::pytest.PytestUnhandledThreadExceptionWarning")
assert keras.__version__ == "3.15.1" and pl.__version__ == "2.6.6"


class _Counter(keras.callbacks.Callback):
    """Batches run and weight updates made, per epoch (an update is a batch after which a weight moved)."""

    def on_train_begin(self, logs=None):
        self.batches, self.updates = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.batches.append(0)
        self.updates.append(0)
        self.before = self.model.get_weights()[0].copy()

    def on_train_batch_end(self, batch, logs=None):
        now = self.model.get_weights()[0]
        self.batches[-1] += 1
        self.updates[-1] += int(not np.array_equal(now, self.before))
        self.before = now.copy()


def _keras_fit(n, batch, epochs=1, validation_split=0.0, accumulation=None):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    # lr 1 on targets far from the model's output: every applied update moves the weight
    optimizer = keras.optimizers.SGD(1.0, gradient_accumulation_steps=accumulation)
    model.compile(optimizer=optimizer, loss="mae")
    counter = _Counter()
    model.fit(np.ones((n, 1), "float32"), np.full((n, 1), 1e6, "float32"), batch_size=batch, epochs=epochs,
              validation_split=validation_split, shuffle=False, verbose=0, callbacks=[counter])
    return counter


@pytest.mark.parametrize(("n", "batch", "split"), [
    (95, 10, 0.0), (1000, 32, 0.0), (10, 3, 0.0), (5, 8, 0.0), (1, 1, 0.0), (1206, 300, 0.0),
    (1000, 32, 0.2), (1206, 300, 0.2), (10, 3, 0.2), (7, 2, 0.3), (3, 1, 0.5), (2, 1, 0.2), (101, 10, 0.1),
])
def test_keras_steps_and_validation_split(n, batch, split):
    counter = _keras_fit(n, batch, validation_split=split)
    assert counter.batches == [calc.keras_steps(n, batch, split)]


@pytest.mark.parametrize(("n", "split"), [(1, 0.2), (3, 0.7), (4, 0.9), (1, 0.5)])
def test_keras_refuses_the_split_with_the_calculators_words(n, split):
    with pytest.raises(ValueError) as keras_says:
        _keras_fit(n, 1, validation_split=split)
    with pytest.raises(ValueError) as we_say:
        calc.keras_steps(n, 1, split)
    assert str(we_say.value) == str(keras_says.value) == frameworks.keras_split_error(n, split)


@pytest.mark.parametrize(("n", "batch", "k", "epochs"), [
    (10, 3, 3, 4), (1206, 300, 2, 4), (7, 2, 3, 5), (5, 5, 2, 5), (9, 4, 4, 6), (12, 3, 4, 3), (6, 1, 4, 3),
    (20, 3, 5, 4),
])
def test_keras_gradient_accumulation_counts_over_the_run(n, batch, k, epochs):
    counter = _keras_fit(n, batch, epochs, accumulation=k)
    assert counter.updates == calc.keras_updates_per_epoch(n, batch, epochs, k)
    cycle = frameworks.keras_accumulation_cycle(n, batch, k)
    assert counter.updates == [cycle[e % len(cycle)] for e in range(epochs)]
    row = {r.key: r for r in frameworks.translate(n, batch, k)}["keras_accum"]
    assert (row.updates, row.updates_by_epoch) == (counter.updates[0], tuple(cycle))
    # the page's sentence: Keras's total over the run and the batches it never applies
    summary = frameworks.keras_accumulation(n, batch, epochs, k)
    assert summary.total == sum(counter.updates)
    assert summary.left_over == sum(counter.batches) - summary.total * k


class _Tiny(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(1, 1)
        self.steps_after_epoch, self.seen = [], []

    def training_step(self, batch, _):
        self.seen.append(batch[0].shape[0])
        return self.layer(batch[0]).mean()

    def on_train_epoch_end(self):
        self.steps_after_epoch.append(self.trainer.global_step)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def _trainer(**kwargs):
    return pl.Trainer(accelerator="cpu", logger=False, enable_checkpointing=False, enable_progress_bar=False,
                      enable_model_summary=False, num_sanity_val_steps=0, **kwargs)


def _loader(n, batch, drop_last):
    return DataLoader(TensorDataset(torch.ones(n, 1)), batch_size=batch, drop_last=drop_last)


@pytest.mark.parametrize(("n", "batch", "k", "drop_last"), [
    (10, 3, 3, False), (1206, 300, 2, False), (1206, 300, 2, True), (7, 2, 3, True), (5, 5, 2, False),
    (100, 7, 4, True),
])
def test_lightning_accumulation_is_the_cards_rule(n, batch, k, drop_last):
    model, epochs = _Tiny(), 3
    _trainer(devices=1, max_epochs=epochs, accumulate_grad_batches=k).fit(model, _loader(n, batch, drop_last))
    per_epoch = np.diff([0, *model.steps_after_epoch]).tolist()
    p = calc.plan(n, batch, epochs, drop_last=drop_last, accumulation_steps=k)
    assert per_epoch == [p.updates_per_epoch] * epochs
    row = {r.key: r for r in frameworks.translate(n, batch, k, 1, drop_last)}["accum"]
    assert row.updates == p.updates_per_epoch


class _Recorded(_Tiny):
    """Writes, at the end of its epoch on each rank, the sampler Lightning injected and the batch sizes
    that rank trained on (the ranks are forked processes: a file is how they report)."""

    def __init__(self, out):
        super().__init__()
        self.out = out

    def on_train_epoch_end(self):
        sampler = self.trainer.train_dataloader.sampler
        torch.save((type(sampler).__name__, sampler.drop_last, self.seen), f"{self.out}.{self.global_rank}")


@pytest.mark.parametrize(("n", "batch"), [(11, 3), (7, 4), (9, 2), (13, 5)])
def test_lightning_ddp_leaves_the_samplers_drop_last_off(tmp_path, n, batch):
    """Lightning (2 CPU processes, gloo) puts ``DistributedSampler(drop_last=False)`` under a loader with
    ``drop_last=True``: its translator row, e.g. N = 11, B = 3 over 2 GPUs: 2 steps, nothing skipped."""
    out = str(tmp_path / "rank")
    trainer = _trainer(devices=2, strategy="ddp_fork", max_epochs=1)
    trainer.fit(_Recorded(out), _loader(n, batch, True))
    row = {r.key: r for r in frameworks.translate(n, batch, 1, 2, True, sampler_drop_last=True)}["lightning_ddp"]
    p = calc.plan(n, batch, drop_last=True, sampler_drop_last=False, world_size=2)
    assert not row.sampler_drop_last and (row.batches, row.skipped) == (p.iterations_per_epoch, p.dropped_per_epoch)
    for rank in range(2):
        kind, sampler_drop, seen = torch.load(f"{out}.{rank}")
        assert (kind, sampler_drop) == ("DistributedSampler", False)
        assert len(seen) == p.iterations_per_epoch and seen[-1] == p.last_batch_size
