"""The real digits against their sources: the loader against scikit-learn's own, the notes' Keras example
against real Keras 3 (the same model on the same images), ``fit`` on the digits against the reference
DataLoader loop, ``fit_many`` against ``fit``, and one watched update against the reference loop's."""

import copy
import itertools
import os
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sklearn  # noqa: E402
import torch  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402

from devtools.reference import loader, reference_loop  # noqa: E402
from ebcore import trainer  # noqa: E402
from ebcore.lessons import digits as dg  # noqa: E402
from ebcore.lessons import epochs as ep  # noqa: E402
from ebcore.problems import data, digits  # noqa: E402
from ebcore.stacked import fit_many  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
assert sklearn.__version__ == "1.9.1" and keras.__version__ == "3.15.1"


def test_the_file_is_scikit_learns():
    theirs = Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"
    assert digits.FILE.read_bytes() == theirs.read_bytes()


def test_the_arrays_are_load_digits():
    real = load_digits()
    images, labels = digits.pixels()
    assert images.shape == (1797, 64) and labels.shape == (1797,)
    assert np.array_equal(images, real.data) and np.array_equal(labels, real.target)
    assert np.array_equal(images.reshape(-1, 8, 8), real.images)
    X, y = digits.tensors()
    assert torch.equal(X, torch.tensor(real.data / 16, dtype=torch.float32))
    assert torch.equal(y, torch.tensor(real.target))
    with pytest.raises(ValueError):
        images[0, 0] = 1  # one shared copy: read-only


def test_examples_are_the_first_of_each_digit():
    labels = load_digits().target
    shown = dg.examples(2)
    assert [labels[i] for i in shown] == [d for d in range(10) for _ in range(2)]
    assert all(i == min(j for j in range(len(labels)) if labels[j] == labels[i] and j not in shown[:k])
               for k, i in enumerate(shown))


@pytest.mark.parametrize("batch", dg.BATCHES)
def test_arithmetic_is_the_dataloaders_and_keras(batch):
    a = dg.arithmetic(batch, 10)
    assert (a.images, a.train, a.val) == (1797, 1437, 360)
    batches = list(DataLoader(range(a.train), batch_size=batch))
    assert a.steps == len(batches) == dg.steps_per_epoch(batch) and a.last == len(batches[-1])
    assert a.full == sum(len(b) == batch for b in batches) and a.total == 10 * len(batches)


class _Steps(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1


@pytest.mark.parametrize("batch", [32, 8, 1437])
def test_the_notes_keras_example_on_the_digits(batch):
    """Seed 001's model, compiled and fitted by Keras 3 on the digits: its steps are the page's."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    images, labels = load_digits(return_X_y=True)
    steps = _Steps()
    history = model.fit(images / 16, labels, batch_size=batch, epochs=1, validation_split=0.2, verbose=0,
                        callbacks=[steps])
    assert steps.steps == dg.steps_per_epoch(batch) == dg.arithmetic(batch, 1).steps
    assert model.optimizer.iterations.numpy() == dg.arithmetic(batch, 1).total
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert dg.keras_example(batch, 1).steps_per_epoch == steps.steps
    assert model.count_params() == sum(p.numel() for p in dg.model().parameters())


@pytest.mark.parametrize(("batch", "epochs", "seed"), [(32, 2, 0), (8, 1, 3), (256, 3, 7), (1437, 2, 1)])
def test_fit_on_the_digits_is_the_reference_loop(batch, epochs, seed):
    X, y = digits.tensors()
    (x_train, y_train), _ = data.validation_split(X, y, 0.2)
    cfg = ep.log_config(batch, epochs, seed)
    mine, theirs = dg.model(seed), dg.model(seed)
    history = trainer.fit(mine, x_train, y_train, cfg)
    expected = reference_loop(theirs, x_train, y_train, cfg)
    assert history.epoch_loss == expected  # exact floats
    for a, b in zip(mine.state_dict().values(), theirs.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_fit_many_on_the_digits_is_fit():
    X, y = digits.tensors()
    (x_train, y_train), val = data.validation_split(X, y, 0.2)
    configs = [ep.log_config(b, 2, s) for b, s in ((32, 0), (32, 1), (64, 0))]
    stacked = fit_many([dg.model(c.seed) for c in configs], x_train, y_train, configs, validation_data=val)
    for cfg, many in zip(configs, stacked, strict=True):
        one = trainer.fit(dg.model(cfg.seed), x_train, y_train, cfg, validation_data=val)
        assert (many.epoch_loss, many.val_loss, many.val_accuracy) == (one.epoch_loss, one.val_loss, one.val_accuracy)


def test_the_keras_example_is_a_prefix_of_the_longest():
    long, short = dg.keras_example(32, 12), dg.keras_example(32, 5)
    assert long.prefix(5) == short and short.n_train == 1437 and short.steps_per_epoch == 45


@pytest.mark.parametrize(("batch", "update", "seed"), [(10, 1, 0), (10, 144, 0), (10, 145, 2), (4, 500, 1),
                                                       (32, 45, 0)])
def test_a_watched_update_is_the_reference_loops(batch, update, seed):
    """The batch, and the answers before and after its update, from a plain DataLoader + torch.optim.Adam loop."""
    look = dg.see_batch(batch, update, seed)
    X, y = digits.tensors()
    (x_train, y_train), _ = data.validation_split(X, y, 0.2)
    cfg = ep.log_config(batch, 1, seed)
    model = dg.model(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    batches = itertools.chain.from_iterable(itertools.repeat(loader(x_train, torch.arange(len(y_train)), cfg)))
    for _ in range(update):
        xb, index = next(batches)
        yb = y_train[index]
        with torch.no_grad():
            before = model(xb).softmax(1)
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        after = model(xb).softmax(1)
    assert look.indices == tuple(index.tolist()) and look.labels == tuple(yb.tolist())
    assert look.before == tuple(map(tuple, before.tolist())) and look.after == tuple(map(tuple, after.tolist()))
    assert look.loss_before == loss.item()
    epoch, step = divmod(update - 1, look.steps_per_epoch)
    assert (look.epoch, look.step) == (epoch + 1, step + 1)
    assert look.right("after") == sum(int(a == b) for a, b in zip(after.argmax(1).tolist(), yb.tolist(), strict=True))


def test_after_step_sees_every_update_with_its_weights():
    X, y = digits.tensors()
    cfg = ep.log_config(100, 2, 0)
    model, seen = dg.model(0), []
    reference = copy.deepcopy(model)
    trainer.fit(model, X[:250], y[:250], cfg, after_step=lambda n: seen.append((n, model[0].weight.sum().item())))
    optimizer = torch.optim.Adam(reference.parameters(), lr=cfg.lr)
    expected = []
    dl = loader(X[:250], y[:250], cfg)
    n = 0
    for _ in range(cfg.epochs):
        for xb, yb in dl:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(reference(xb), yb).backward()
            optimizer.step()
            n += 1
            expected.append((n, reference[0].weight.sum().item()))
    assert seen == expected and len(seen) == 6


def test_softmax_in_the_loss_is_keras_softmax_layer_and_sparse_cross_entropy():
    """The page's model ends in logits and ``cross_entropy``; the notes' ends in ``Dense(10, softmax)`` with
    ``sparse_categorical_crossentropy``. Real Keras 3 on the same logits gives the same loss (float32)."""
    X, y = digits.tensors()
    logits = dg.model(0)(X[:64]).detach()
    ours = torch.nn.functional.cross_entropy(logits, y[:64]).item()
    probabilities = keras.activations.softmax(keras.ops.convert_to_tensor(logits.numpy()))
    theirs = keras.losses.SparseCategoricalCrossentropy()(y[:64].numpy(), probabilities)
    assert abs(float(keras.ops.convert_to_numpy(theirs)) - ours) < 1e-5


def test_a_split_takes_the_first_images_to_train_and_the_last_to_validate():
    X, y = digits.tensors()
    (Xt, yt), (Xv, yv) = digits.split(512, 360)
    assert torch.equal(Xt, X[:512]) and torch.equal(yv, y[-360:]) and Xv.shape == (360, digits.FEATURES)
    for n_train, n_val in ((1797, 1), (0, 360), (1437, 361)):
        with pytest.raises(ValueError):
            digits.split(n_train, n_val)
