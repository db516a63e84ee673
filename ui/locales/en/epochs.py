"""The epochs & early stopping page."""

STRINGS: dict[str, str] = {
    "epochs.title": "Epochs & early stopping",
    "epochs.intro": "One **epoch** is one full pass over the training data. More epochs means more "
    "practice on the *same* examples: too few and the model has not learned the pattern yet "
    "(**underfitting**); too many and it starts learning the noise of these particular examples "
    "(**overfitting**). Below, a real model trains in PyTorch, and you can rewind it to any epoch.",
    "epochs.scrub.title": "1 · Scrub through training",
    "epochs.points": "Training points",
    "epochs.points.help": "How many noisy examples the model learns from. Fewer points overfit sooner.",
    "epochs.seed": "Data seed",
    "epochs.seed.help": "Picks which random points (and noise) you get. The same seed always gives the same run.",
    "epochs.training": "Training…",
    "epochs.presets": "Jump to",
    "epochs.preset.under": "Too early (epoch {epoch})",
    "epochs.preset.good": "Best (epoch {epoch})",
    "epochs.preset.over": "Too late (epoch {epoch})",
    "epochs.epoch": "Epoch",
    "epochs.epoch.help": "Rewinds the finished run to the end of this epoch (0 = before training). "
    "Nothing is retrained: every epoch's curve was saved.",
    "epochs.fit.truth": "true pattern",
    "epochs.fit.model": "model",
    "epochs.fit.points": "training points",
    "epochs.fit.x": "input x",
    "epochs.fit.y": "output y",
    "epochs.loss.train": "training loss",
    "epochs.loss.val": "validation loss",
    "epochs.loss.under": "underfitting",
    "epochs.loss.good": "good",
    "epochs.loss.over": "overfitting",
    "epochs.loss.x": "epoch",
    "epochs.loss.y": "loss (MSE, log scale)",
    "epochs.loss.current": "now",
    "epochs.m.train": "Training loss",
    "epochs.m.val": "Validation loss",
    "epochs.m.best": "Best epoch (lowest val. loss)",
    "epochs.m.best.help": "The epoch after which the model did best on data it never trained on.",
    "epochs.phase.start": "**Epoch 0**: the model has not trained yet, its curve is just its random start.",
    "epochs.phase.under": "**Epoch {epoch}: underfitting.** The curve has not caught the shape yet, and "
    "both losses are still falling. More epochs help here.",
    "epochs.phase.good": "**Epoch {epoch}: about right.** The curve follows the pattern, not every dot; "
    "validation loss is near its lowest (epoch {best}).",
    "epochs.phase.over": "**Epoch {epoch}: overfitting.** Training loss keeps falling, but the curve now "
    "bends to pass through the noisy dots, and validation loss climbs. It memorises these points "
    "instead of the pattern.",
    "epochs.stop.title": "2 · Early stopping",
    "epochs.stop.intro": "You do not have to guess the right number of epochs. Keras's **EarlyStopping** "
    "watches the validation loss after every epoch and stops once it has not improved for "
    "**patience** epochs in a row. An epoch only counts as better if it beats the best so far by more "
    "than **min_delta** (the first epoch it watches is always the best so far). With **restore_best_weights** the "
    "model goes back to its best epoch at the end. The callback's two rarer options, **baseline** and "
    "**start_from_epoch**, work here exactly as in Keras 3.",
    "epochs.data": "Validation loss to watch",
    "epochs.data.help": "The curve above (made-up points), or a real run: the notes' Keras model on real "
    "handwritten digits.",
    "epochs.data.synthetic": "The curve above",
    "epochs.data.digits": "Real handwritten digits",
    "epochs.stop.digits": "The notes' Keras model (`Dense(128, relu)`, `Dense(10)`, Adam) trained on real "
    "handwritten digits: {train} training and {val} validation images (`validation_split=0.2`), batch {b}, "
    "{epochs} epochs, seed {seed} (the slider above). A real validation loss is noisy near its lowest point: "
    "compare where a small and a large patience stop in the table below.",
    "epochs.patience": "patience (epochs)",
    "epochs.patience.help": "How many epochs in a row without improvement are tolerated before stopping.",
    "epochs.min_delta": "min_delta",
    "epochs.min_delta.help": "The smallest drop in validation loss that counts as an improvement.",
    "epochs.restore": "restore_best_weights",
    "epochs.restore.help": "At the end, go back to the weights of the best epoch instead of keeping the last ones.",
    "epochs.baseline": "baseline",
    "epochs.baseline.help": "A value the validation loss must get below: an improvement restarts the patience count "
    "only if it also beats the baseline. If no epoch gets there, training stops at the first epoch without "
    "improvement once patience epochs have passed.",
    "epochs.baseline.none": "None",
    "epochs.start": "start_from_epoch",
    "epochs.start.help": "How many first epochs early stopping does not watch at all (a warm-up). Counting starts "
    "after them: the first watched epoch is the best so far, whatever its loss.",
    "epochs.stopchart.ran": "validation loss (trained)",
    "epochs.stopchart.skipped": "epochs saved by stopping",
    "epochs.stopchart.best": "best: {epoch}",
    "epochs.stopchart.stop": "stop: {epoch}",
    "epochs.stopchart.x": "epoch",
    "epochs.stopchart.y": "validation loss (log scale)",
    "epochs.m.stopped": "Stopped after epoch",
    "epochs.m.never": "never",
    "epochs.m.best_epoch": "Best epoch",
    "epochs.m.final": "Validation loss you end with",
    "epochs.m.final.help": "With restore_best_weights: the best epoch's loss. Without: the last epoch's.",
    "epochs.stop.result": "Training ran **{stop}** of {total} epochs. Restoring the best weights (epoch "
    "**{best}**) ends at validation loss **{restored}**; keeping the last weights ends at **{last}**.",
    "epochs.patience.table": "How patience changes the stop",
    "epochs.table.patience": "patience",
    "epochs.table.stop": "stops after epoch",
    "epochs.table.best": "best epoch",
    "epochs.table.restored": "val. loss, restored",
    "epochs.table.last": "val. loss, last weights",
    "epochs.log.title": "3 · The training log you know",
    "epochs.log.intro": "This is what Keras prints during `model.fit(x, y, batch_size=…, epochs=…, "
    "validation_split=0.2)`. Here a small network learns to tell two overlapping groups of points "
    "apart; the log below comes from a real run with these settings.",
    "epochs.log.n": "Samples N",
    "epochs.log.n.help": "All samples; Keras keeps the last 20% for validation.",
    "epochs.log.batch": "batch_size",
    "epochs.log.epochs": "epochs",
    "epochs.log.style": "Log format",
    "epochs.log.style.help": "Which Keras version prints the log, and how: Keras 3 (today's) with `verbose=1` or "
    "`verbose=2`, or Keras 2.15, the version the notes' log comes from.",
    "epochs.log.style.keras3": "Keras 3 (verbose=1)",
    "epochs.log.style.keras3_v2": "Keras 3 (verbose=2)",
    "epochs.log.style.keras2": "Keras 2.15 (the notes)",
    "epochs.log.times": "The times on each line are this server's, measured while the run trained: the epoch's "
    "seconds, then its time per step (the epoch's time ÷ its steps; Keras 3 leaves the slower first step out of "
    "that average). On your computer they will differ; every other number is the same for everyone with these "
    "settings.",
    "epochs.log.steps": "{n} samples → **{train}** for training → {train} ÷ {b}, rounded up = "
    "**{steps}** steps per epoch. That is the `{steps}/{steps}` at the start of each epoch's progress line.",
    "epochs.log.notes": "The log in the notes (Keras 2.15's format) showed 800/800 at batch 10: {train} training "
    "samples ÷ {b} = {steps} steps per epoch.",
    "epochs.acc.train": "training accuracy",
    "epochs.acc.val": "validation accuracy",
    "epochs.acc.x": "epoch",
    "epochs.acc.y": "accuracy",
    "epochs.qa.title": "4 · Questions",
    "epochs.qa.more.q": "Should I always raise the number of epochs?",
    "epochs.qa.more.a": "No. Think of learning a piano piece. At first you read the sheet music; later you "
    "play it without looking; in the end you can play it with your eyes closed. Practise only like "
    "that and you may forget how to read music, and a new piece becomes impossible. That is "
    "overfitting: perfect on what you practised, poor on anything new. It is often better to stop "
    "once you play well *from the music*. In training, watch the validation loss and stop when it "
    "starts rising, which is exactly what early stopping does.",
    "epochs.qa.same_exam.q": "Is solving one exam 20 times the same as solving 20 different exams once?",
    "epochs.qa.same_exam.a": "Not quite. Each time you redo the same exam you are a slightly different "
    "student (the weights have changed), so you still learn something. Twenty different exams show "
    "more variety and make memorising harder. Which is better depends on the subject and the data. "
    "But good examples are scarce in practice, so models usually go over a limited data set "
    "many times, and early stopping guards against memorising it.",
    "epochs.qa.start.q": "What are sensible starting values for epochs and patience?",
    "epochs.qa.start.a": "Set epochs generously and let early stopping decide. The notes use `epochs=50`, "
    "`batch_size=64` with `EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)`; "
    "the classic examples train for 10 or 20 epochs. A patience of 3 to 10 is common: short enough "
    "not to waste time, long enough to ride over a noisy epoch. Keep `restore_best_weights=True`, or "
    "you keep the last, slightly worse weights.",
}
