"""The real handwritten digits page."""

STRINGS: dict[str, str] = {
    "nav.digits": "Real handwritten digits",
    "digits.title": "Real handwritten digits",
    "digits.intro": "The other pages train on data made up for their lesson. This one trains on **1,797 real "
    "handwritten digits**, scanned from forms that 13 people filled in. Does what you learned about epochs and "
    "batches hold on data you can read yourself?",
    "digits.data.title": "1 · The data",
    "digits.data.body": "Each image is 8 × 8 pixels. A pixel counts the ink in a 4 × 4 block of the scan, from 0 "
    "(blank) to 16 (all ink). The model reads the 64 numbers of an image in one row, each divided by 16, just as the "
    "notes flatten MNIST's 28 × 28 pixels and divide them by 255.",
    "digits.data.caption": "The first two images of each digit in the data set.",
    "digits.data.alt": "A handwritten {digit}",
    "digits.credit": "Data: *Optical Recognition of Handwritten Digits* by E. Alpaydin and C. Kaynak, from the "
    "[UCI Machine Learning Repository]({url}), licensed CC BY 4.0; these are its 1,797 test images, the copy "
    "scikit-learn ships as `load_digits`.",
    "digits.keras.title": "2 · The notes' Keras example, run for real",
    "digits.keras.intro": "The notes train this model on MNIST. Here it trains on the digits, in PyTorch, with "
    "the settings Keras would use and the same number of steps: the same two layers, Adam at Keras's learning "
    "rate 0.001, the training data shuffled every epoch and the last 20% held out for validation. The starting "
    "weights and the shuffle order are PyTorch's, so the numbers differ from a Keras run's in their details.",
    "digits.batch": "Batch size (`batch_size`)",
    "digits.batch.help": "Images per weight update. 1,437 is the whole training set at once: one update an epoch.",
    "digits.batch.all": "{b} (all)",
    "digits.epochs": "Epochs (`epochs`)",
    "digits.epochs.help": "Passes over the 1,437 training images. Moving this slider trains nothing new: each "
    "batch size trains {max} epochs once, and a shorter run is exactly its start.",
    "digits.seed": "Seed",
    "digits.seed.help": "Decides the starting weights and the shuffle order. The same seed always gives the same "
    "numbers.",
    "digits.presets": "The notes' batch sizes:",
    "digits.preset.8": "Small: 8",
    "digits.preset.8.help": "The notes' small batch (`batch_size=8`): many updates an epoch, each from few images.",
    "digits.preset.32": "The notes' example: 32",
    "digits.preset.32.help": "The notes' example as written (`batch_size=32`).",
    "digits.preset.256": "Large: 256",
    "digits.preset.256.help": "The notes' large batch (`batch_size=256`): few updates an epoch, each from many images.",
    "digits.preset.1437": "All at once: 1,437",
    "digits.preset.1437.help": "`batch_size=len(X_train)`: the whole training set in one batch, one update an epoch.",
    "digits.training": "Training on the digits…",
    "digits.calc": "**The arithmetic.** Of the {images} images, `validation_split=0.2` keeps the first "
    "**{train}** for training and the last {val} for validation. {train} ÷ {b} = {ratio}, rounded up: an epoch "
    "takes **{steps_text}**: {batches}. Over {epochs} epochs that makes **{total_text}**.",
    "digits.calc.even": "{full} batches of {b}",
    "digits.calc.last": "{full} full batches of {b} and a last batch of {last}",
    "digits.calc.one": "one batch of all {b} images",
    "digits.count.steps.one": "{count} step",
    "digits.count.steps.other": "{count} steps",
    "digits.count.updates.one": "{count} weight update",
    "digits.count.updates.other": "{count} weight updates",
    "digits.log.title": "The Keras 3 log",
    "digits.log.caption": "What Keras 3 prints for this run (`verbose=1`, the default): the steps, this machine's "
    "time per step, then the epoch's loss and accuracy on the training images and on the held-out 20%.",
    "digits.loss.train": "Training loss (loss)",
    "digits.loss.val": "Validation loss (val_loss)",
    "digits.loss.y": "Loss (cross-entropy)",
    "digits.acc.train": "Training accuracy",
    "digits.acc.val": "Validation accuracy",
    "digits.acc.y": "Accuracy",
    "digits.x": "Epoch",
    "digits.m.val_acc": "Validation accuracy",
    "digits.m.updates": "Weight updates",
    "digits.m.best": "Lowest val_loss at epoch",
    "digits.result": "After {epochs} epochs and {total} updates, the model names the right digit for {acc} of "
    "the {val} validation images it never trained on. Its validation loss (val_loss) was lowest after epoch "
    "{best}.",
    "digits.stop": "With `EarlyStopping(monitor='val_loss', patience={patience}, restore_best_weights=True)` "
    "Keras would stop this run after epoch {stop} and restore epoch {best}, the lowest validation loss "
    "({restored}). Without it, all {epochs} epochs end with a validation loss of {last}: trained longer, this "
    "run starts to overfit.",
    "digits.stop.never": "With `EarlyStopping(monitor='val_loss', patience={patience}, "
    "restore_best_weights=True)` Keras would train all {epochs} epochs: the validation loss never went "
    "{patience} epochs without improving. Its last validation loss is {last}; its lowest was {restored} after "
    "epoch {best}.",
    "digits.stop.link": "Early stopping on these digits, step by step",
    "digits.look.title": "3 · See a batch",
    "digits.look.intro": "A batch is what the model sees before one weight update. Pick an update: below are the "
    "images of its batch, with the model's answers just before and just after that single update.",
    "digits.look.batch": "Batch size",
    "digits.look.batch.help": "Images in each batch of this run (Adam at 0.001, the seed above).",
    "digits.look.update": "Update number",
    "digits.look.update.help": "Counts updates from the start of training: 1 is the very first, from the untrained "
    "model.",
    "digits.look.where": "Update {update} is step {step} of {steps} in epoch {epoch}. Under each image: the "
    "digit written, then the model's answer before → after the update.",
    "digits.look.last": "This is the epoch's last batch: {train} = {full} × {b} + {last}, so it holds only "
    "{last} images.",
    "digits.look.alt": "Image {i}: a handwritten {label}; the model answered {before} before the update and "
    "{after} after it.",
    "digits.look.cap": "{label} · {before} → {after}",
    "digits.look.result.down": "The update changed the weights once, using the gradient of this batch's mean "
    "loss{adam}. On these same {b} images the loss fell from {before} to {after}, and the model now answers "
    "{right_after} of them right (before: {right_before}). The probability it gives the right digit changed by "
    "{change} percentage points on average: one update is a small nudge, and training is many of them.",
    "digits.look.result.up": "The update changed the weights once, using the gradient of this batch's mean "
    "loss, yet on these same {b} images the loss rose from {before} to {after}: Adam's step also follows a "
    "running average of earlier batches' gradients, which can point elsewhere. The model now answers "
    "{right_after} of them right (before: {right_before}); the probability of the right digit changed by "
    "{change} percentage points on average.",
    "digits.look.adam": " (Adam also mixes in a running average of the earlier batches' gradients)",
    "digits.look.col.image": "Image",
    "digits.look.col.digit": "Digit written",
    "digits.look.col.before": "Answer before",
    "digits.look.col.p_before": "P(right digit) before",
    "digits.look.col.after": "Answer after",
    "digits.look.col.p_after": "P(right digit) after",
    "digits.look.table": "The batch, image by image",
}
