"""Early stopping against the real Keras 3 ``EarlyStopping`` (torch backend): the trainer's rule, the epochs
page's replay, ``fit`` and ``fit_many``, over drawn loss sequences with NaN, inf, ties, decimal ``min_delta``
boundaries, ``baseline``, ``start_from_epoch`` and ``restore_best_weights``.

Keras is driven the way ``model.fit`` drives it: a ``CallbackList`` (which turns the logs into Python
floats), ``on_epoch_end`` per epoch until ``model.stop_training``, then ``on_train_end``; a few sequences
also go through a real ``model.fit`` with a callback that writes the monitored value into the logs."""

import math
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ebcore import trainer  # noqa: E402
from ebcore.lessons import epochs as ep  # noqa: E402
from ebcore.problems import models  # noqa: E402
from ebcore.stacked import fit_many  # noqa: E402
from ebcore.trainer.stopping import EarlyStopping  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras's numpy-2 copy= notices

assert keras.__version__ == "3.15.1" and keras.backend.backend() == "torch"

_MODEL = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])


def _keras(values, patience, min_delta, baseline, start, restore):
    """(epochs run, stopped epoch or None, best epoch or None, epoch whose weights the model ends with).

    Before each epoch's end the model's one weight is set to the epoch's index, so the weights Keras
    restores name the epoch they came from."""
    cb = keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=patience, min_delta=min_delta,
                                       baseline=baseline, start_from_epoch=start, restore_best_weights=restore)
    callbacks = keras.callbacks.CallbackList([cb], model=_MODEL)
    _MODEL.stop_training = False
    callbacks.on_train_begin()
    ran = 0
    for epoch, value in enumerate(values):
        _MODEL.set_weights([np.full((1, 1), epoch, "float32")])
        callbacks.on_epoch_end(epoch, {"val_loss": value})
        ran = epoch + 1
        if _MODEL.stop_training:
            break
    callbacks.on_train_end()
    kept = int(_MODEL.get_weights()[0][0, 0])
    watched = cb.best is not None
    return ran, cb.stopped_epoch if cb.stopped_epoch > 0 else None, cb.best_epoch if watched else None, kept


def _ours(values, patience, min_delta, baseline, start, restore):
    """The same through the trainer's ``EarlyStopping`` on a torch model whose weight names its epoch."""
    model = torch.nn.Linear(1, 1, bias=False)
    stopper = EarlyStopping(patience, min_delta, restore, baseline, start)
    ran, stopped = 0, None
    for epoch, value in enumerate(values):
        with torch.no_grad():
            model.weight.fill_(epoch)
        ran = epoch + 1
        if stopper.update(epoch, value, model):
            stopped = epoch
            break
    stopper.restore(model)
    return ran, stopped, stopper.best_epoch, int(model.weight.item())


def _replayed(values, patience, min_delta, baseline, start, restore):
    """The epochs page's replay, in the same 0-based terms."""
    s = ep.keras_early_stopping(values, patience, min_delta, baseline, start)
    best = None if s.best_epoch is None else s.best_epoch - 1
    kept = best if restore and best is not None else s.epochs_run - 1
    return s.epochs_run, None if s.stop_epoch is None else s.stop_epoch - 1, best, kept


# Values where the float32 comparison, ties and the specials decide.
_LOSSES = st.one_of(
    st.sampled_from([0.8, 0.7, 0.75, 0.6, 0.5, 0.1, 0.2, 0.3, 1.0, 0.9, 1e-8, 0.0, math.nan, math.inf, -math.inf]),
    st.floats(0, 2, allow_nan=False), st.floats(allow_nan=True, allow_infinity=True, width=64),
)
_DELTAS = st.one_of(st.sampled_from([0.0, 0.1, 0.01, 0.001, 0.05, 0.2, 0.3, 1e-8, 1e-9]), st.floats(0, 1))
_BASELINES = st.one_of(st.none(), st.sampled_from([0.8, 0.7, 0.5, 0.1, 0.0, 1.0]), st.floats(-1, 2))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(values=st.lists(_LOSSES, min_size=1, max_size=12), patience=st.integers(0, 4), min_delta=_DELTAS,
       baseline=_BASELINES, start=st.integers(0, 4), restore=st.booleans())
@example(values=[math.nan, 1.0, 0.9, 0.8], patience=1, min_delta=0.0, baseline=None, start=0, restore=True)
@example(values=[math.nan] * 5, patience=1, min_delta=0.0, baseline=None, start=0, restore=False)
@example(values=[math.inf] * 5, patience=2, min_delta=0.0, baseline=None, start=0, restore=True)
@example(values=[0.8, 0.7, 0.6, 0.5], patience=1, min_delta=0.1, baseline=None, start=0, restore=True)
@example(values=[1.0, 0.9, 0.8, 0.7, 0.6], patience=2, min_delta=0.0, baseline=0.75, start=0, restore=True)
@example(values=[1.0, 2.0, 3.0, 0.5, 0.4], patience=1, min_delta=0.0, baseline=None, start=2, restore=True)
@example(values=[0.5, 0.5, 0.5], patience=0, min_delta=0.0, baseline=None, start=0, restore=False)
def test_the_rule_is_keras_3s(values, patience, min_delta, baseline, start, restore):
    truth = _keras(values, patience, min_delta, baseline, start, restore)
    assert _ours(values, patience, min_delta, baseline, start, restore) == truth
    assert _replayed(values, patience, min_delta, baseline, start, restore) == truth


class _Inject(keras.callbacks.Callback):
    """Writes the drawn value into the epoch's logs before EarlyStopping (next in the list) reads them."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.values[epoch]


@pytest.mark.parametrize(("values", "kwargs"), [
    ([math.nan, 1.0, 0.9, 0.8, 0.7], {"patience": 1}),
    ([0.8, 0.7, 0.6, 0.5, 0.4], {"patience": 1, "min_delta": 0.1}),
    ([1.0, 0.9, 0.9, 0.9, 0.9, 0.5], {"patience": 2, "baseline": 0.75}),
    ([1.0, 2.0, 3.0, 4.0, 0.5, 0.6, 0.7], {"patience": 1, "start_from_epoch": 3}),
])
def test_a_real_model_fit_stops_where_the_rule_says(values, kwargs):
    """The direct drive above is what ``model.fit`` does: the epochs a real fit runs agree with it."""
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", **kwargs)
    history = model.fit(np.zeros((4, 1), "float32"), np.zeros((4, 1), "float32"), epochs=len(values), verbose=0,
                        callbacks=[_Inject(values), stopper])
    ran = len(history.history["loss"])
    expect = _replayed(values, kwargs["patience"], kwargs.get("min_delta", 0.0), kwargs.get("baseline"),
                       kwargs.get("start_from_epoch", 0), False)
    assert ran == expect[0] < len(values)


@pytest.fixture(scope="module")
def curve():
    return ep.make_task(12, 0)


@pytest.mark.parametrize(("patience", "min_delta", "baseline", "start"), [
    (2, 0.0, None, 0), (3, 0.01, None, 0), (1, 0.0, 0.2, 0), (3, 0.0, None, 40), (0, 0.001, 0.15, 10),
])
def test_fit_and_fit_many_stop_as_keras_does_on_their_own_losses(curve, patience, min_delta, baseline, start):
    """A real run: Keras's callback fed the run's validation losses stops, keeps and restores where
    ``fit`` did, and ``fit_many`` is the same run bit for bit."""
    config = ep.curve_config(0, patience=patience, min_delta=min_delta, restore_best_weights=True,
                             baseline=baseline, start_from_epoch=start)
    features = ep.legendre_features(curve.x, ep.DEGREE)
    val = (ep.legendre_features(curve.x_val, ep.DEGREE), curve.y_val)

    model = models.linear(ep.DEGREE, 1, seed=0)
    history = trainer.fit(model, features, curve.y, config, validation_data=val)
    ran, stopped, best, _ = _keras(history.val_loss + [math.inf] * 200, patience, min_delta, baseline, start, True)
    assert (len(history.val_loss), history.stopped_epoch, history.best_epoch) == (ran, stopped, best)
    assert len(history.val_loss) < ep.EPOCHS  # each case stops early
    # restore_best_weights: the model ends as a plain run of best + 1 epochs does
    plain = models.linear(ep.DEGREE, 1, seed=0)
    trainer.fit(plain, features, curve.y, ep.curve_config(0, epochs=best + 1), validation_data=val)
    for mine, theirs in zip(model.state_dict().values(), plain.state_dict().values(), strict=True):
        assert torch.equal(mine, theirs)
    stacked = models.linear(ep.DEGREE, 1, seed=0)
    (many,) = fit_many([stacked], features, curve.y, [config], validation_data=val)
    assert (many.val_loss, many.stopped_epoch, many.best_epoch) == (history.val_loss, stopped, best)
    for mine, theirs in zip(model.state_dict().values(), stacked.state_dict().values(), strict=True):
        assert torch.equal(mine, theirs)
