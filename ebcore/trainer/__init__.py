"""The DataLoader-exact trainer: a run's settings (``config``), its sample order (``order``), what it
records (``records``), early stopping (``stopping``), the one epoch loop (``loop``) and ``fit``
(``single_run``, with its fast path in ``trainer.fast``). Its public names, from one place:"""

from ebcore.trainer.config import (
    EPOCH_BUDGET,
    LOSSES,
    MONITORS,
    OPTIMIZERS,
    SAMPLE_BUDGET,
    SGD_MOMENTUM_DEFAULT,
    STEP_BUDGET,
    TrainConfig,
    check_budget,
    learning_rate,
    max_epochs,
    require_int,
    samples_needed,
    steps_needed,
)
from ebcore.trainer.loop import predict
from ebcore.trainer.order import epoch_batches
from ebcore.trainer.records import BatchNormRecord, BatchTooSmallForBatchNorm, History, StepPredictions, TrainingError
from ebcore.trainer.single_run import fit
from ebcore.trainer.stopping import KerasRule

__all__ = ["EPOCH_BUDGET", "LOSSES", "MONITORS", "OPTIMIZERS", "SAMPLE_BUDGET", "SGD_MOMENTUM_DEFAULT",
           "STEP_BUDGET", "BatchNormRecord", "BatchTooSmallForBatchNorm", "History", "KerasRule", "StepPredictions",
           "TrainConfig", "TrainingError", "check_budget", "epoch_batches", "fit", "learning_rate", "max_epochs",
           "predict", "require_int", "samples_needed", "steps_needed"]
