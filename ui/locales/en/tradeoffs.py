"""The batch-size trade-offs page."""

STRINGS: dict[str, str] = {
    "trade.title": "Batch size trade-offs",
    "trade.intro": "Notes and blog posts list pros and cons of **small** and **large** batches. Here every claim "
    "sits next to a **measurement made just now** on this computer, and the verdict comes from those numbers. "
    "Change the batch sizes below and watch which claims still hold.",
    "trade.presets": "Ready-made comparisons",
    "trade.preset.notes": "Notes: 16 vs 128",
    "trade.preset.notes.help": "The two batch sizes of the notes' experiment, 16 and 128.",
    "trade.preset.extremes": "1 vs 256 (all data)",
    "trade.preset.extremes.help": "From one sample per update (SGD) to the whole training set per update "
    "(batch gradient descent).",
    "trade.preset.digits": "The notes' 16 vs 128, real digits",
    "trade.preset.digits.help": "The notes' 16 against 128 on real handwritten digits instead of made-up points.",
    "trade.preset.scaling": "Linear scaling + warm-up",
    "trade.preset.scaling.help": "Learning rate grows with the batch (lr × B/32) and starts gently for 3 epochs.",
    "trade.bmin": "Smallest batch",
    "trade.bmin.help": "The sweep starts here and doubles the batch size until it reaches the largest batch.",
    "trade.bmax": "Largest batch",
    "trade.bmax.help": "256 is the whole training set: one update per epoch.",
    "trade.epochs": "Epochs",
    "trade.epochs.help": "Passes over the 256 training samples, for every batch size.",
    "trade.lr": "Learning rate (SGD)",
    "trade.lr.help": "Step size of every weight update.",
    "trade.scale": "Linear scaling rule",
    "trade.scale.help": "Multiply the learning rate by B/32: a batch twice as big takes steps twice as long.",
    "trade.warmup": "Warm-up (3 epochs)",
    "trade.warmup.help": "Start at 10 % of the learning rate and rise to the full value over the first 3 epochs.",
    "trade.running": "Training one model per batch size ({steps} weight updates in total)…",
    "trade.diverged": "diverged",
    "trade.bn_error": "error (batch of 1)",
    "trade.table.title": "The claims, checked",
    "trade.table.one": "Pick two different batch sizes to compare.",
    "trade.data": "Data",
    "trade.data.help": "Made-up data: two overlapping clouds of points in 2-D. Real digits: 8 × 8 images of "
    "handwritten digits, ten classes. Same hidden layers (two of 64), same rules for the verdicts.",
    "trade.data.synthetic": "Made-up data",
    "trade.data.digits": "Real handwritten digits",
    "trade.table.caption_digits": "Smallest batch B = {small} against largest B = {large}, same model (64 "
    "pixels in, two hidden layers of 64, ten digits out), same real handwritten digits (the first {n} images "
    "train, the last {val} validate), same starting weights. Times measured on: {machine}. Every verdict "
    "follows the rule in its row, applied to the numbers as the row shows them; between a rule's two limits it "
    "is too close to call.",
    "trade.table.caption": "Smallest batch B = {small} against largest B = {large}, same model, same data "
    "({n} training and {val} validation samples), same starting weights. Times measured on: {machine}. "
    "Every verdict follows the rule in its row, applied to the numbers as the row shows them; between a rule's "
    "two limits it is too close to call.",
    "trade.col.claim": "What the notes claim",
    "trade.col.measure": "Measured here",
    "trade.col.small": "B = {b}",
    "trade.col.large": "B = {b}",
    "trade.col.verdict": "Verdict",
    "trade.col.rule": "The rule behind the verdict",
    "trade.claim.faster_epochs": "Large batches finish an epoch faster",
    "trade.claim.more_updates": "Small batches make more updates per epoch",
    "trade.claim.noisier": "Small batches give noisier gradients",
    "trade.claim.memory": "Large batches need more memory",
    "trade.claim.generalise": "Small batches generalise better",
    "trade.claim.batchnorm": "Small batches upset BatchNorm",
    "trade.measure.faster_epochs": "wall time of one epoch",
    "trade.measure.more_updates": "weight updates per epoch",
    "trade.measure.noisier": "gradient noise (relative)",
    "trade.measure.memory": "activation memory per step (computed)",
    "trade.measure.generalise": "final validation loss",
    "trade.measure.batchnorm": "error of a batch's mean (in std devs)",
    "trade.verdict.holds": "Holds",
    "trade.verdict.depends": "Too close to call",
    "trade.verdict.fails": "Does not hold here",
    "trade.rule.faster_epochs": "Holds if B = {large} takes under {hold} ms (80 % of B = {small}'s time); "
    "does not hold from {fail} ms.",
    "trade.rule.more_updates": "Holds if B = {small} makes more than {fail}.",
    "trade.rule.noisier": "Holds if B = {small}'s is over {hold} (1.2 × B = {large}'s); does not hold at {fail} "
    "or less.",
    "trade.rule.memory": "Holds if B = {large} needs more than {fail}.",
    "trade.rule.generalise": "Holds if B = {small}'s is under {hold} (B = {large}'s − 0.020); does not hold "
    "from {fail} (+ 0.020).",
    "trade.rule.generalise.diverged": "A run that diverged counts as the worse one: holds if only B = {large} "
    "diverged, does not hold if B = {small} did.",
    "trade.rule.batchnorm": "Holds if B = {small}'s is over {hold} (as for a batch under {under} samples); does "
    "not hold at {fail} or less (as from {reliable} samples, where the notes call it reliable).",
    "trade.rule.batchnorm.one": "A batch of 1, which BatchNorm cannot train on, counts as over {hold}.",
    "trade.noise.title": "Gradient noise shrinks like 1/√B",
    "trade.noise.x": "Batch size B",
    "trade.noise.y": "Gradient noise (relative)",
    "trade.noise.measured": "measured",
    "trade.noise.reference": "1/√B",
    "trade.noise.caption": "With the weights frozen, we draw many mini-batches and measure how far each "
    "batch's gradient points away from the full gradient over all {n} samples (divided by the full "
    "gradient's length). Big dots are the batch sizes of your sweep. Four times the batch, half the noise. "
    "The whole training set has no noise at all, so it is off the chart.",
    "trade.memory.title": "Memory grows with the batch",
    "trade.memory.batch": "Batch size B",
    "trade.memory.ours": "Our small network (computed)",
    "trade.memory.gpt2": "GPT-2 small, 1,024 tokens (estimate)",
    "trade.memory.caption": "Our column is computed from the sizes of the tensors one training step keeps "
    "for backpropagation; weights and gradients add a fixed {params} whatever the batch. The GPT-2 column "
    "is only an **estimate** from a published formula (Korthikanti et al., 2022; 16-bit, no "
    "recomputation): it shows why big models run out of GPU memory at large batches.",
    "trade.sweep.title": "Your sweep",
    "trade.sweep.x": "Epoch",
    "trade.sweep.y": "Validation loss",
    "trade.sweep.batch": "Batch size",
    "trade.sweep.ghost": "Earlier sweep",
    "trade.sweep.ghosts": "earlier sweeps (grey)",
    "trade.sweep.lr": "Learning rate",
    "trade.sweep.updates": "Updates / epoch",
    "trade.sweep.time": "ms / epoch",
    "trade.sweep.train": "Train loss",
    "trade.sweep.val": "Validation loss",
    "trade.sweep.gap": "Gap (val − train)",
    "trade.sweep.caption": "A small network learns to separate two overlapping clouds of points. Grey lines "
    "are earlier sweeps ({ghosts} shown), so you can compare before and after a change.",
    "trade.sweep.clear": "Clear grey lines",
    "trade.seed.title": "The notes' experiment, re-run",
    "trade.seed.intro": "Data `y = 3x + 0.3·noise` (1,000 points), model `Linear(1,1)`, SGD with learning rate "
    "0.1, and four runs: **5 or 20 epochs** × **batch 16 or 128**. Switch the x-axis: per epoch batch 16 "
    "looks faster, but it also made **8× more weight updates**.",
    "trade.seed.x": "x-axis",
    "trade.seed.x.help": "Epochs = passes over the data; weight updates = optimizer steps; samples seen = "
    "training samples processed.",
    "trade.seed.view": "Loss shown",
    "trade.seed.view.help": "Per epoch = mean of the epoch's batch losses (what the notes plot); every batch = "
    "the loss of each single batch (noisy).",
    "trade.seed.view.epoch": "Per epoch",
    "trade.seed.view.step": "Every batch",
    "trade.seed.seeds": "Repeats (seeds)",
    "trade.seed.seeds.help": "Each repeat starts from other random weights and shuffles differently; the "
    "shaded band spans all repeats, the line is their median.",
    "trade.seed.running": "Re-running the notes' experiment…",
    "trade.seed.y": "Loss (MSE)",
    "trade.seed.run": "epochs · batch",
    "trade.seed.axis.epochs": "Epochs",
    "trade.seed.axis.updates": "Weight updates",
    "trade.seed.axis.samples": "Samples seen",
    "trade.seed.floor": "noise floor {floor}",
    "trade.seed.log": "{axis} (log scale: 1, 10, 100, … equally spaced)",
    "trade.seed.caption": "Final epoch loss (seed 0): 5 epochs × batch 16 → {e5b16}, 5 × 128 → {e5b128}, "
    "20 × 16 → {e20b16}, 20 × 128 → {e20b128}. No model can beat the noise floor {floor} = 0.3², the "
    "noise in the data itself: with enough epochs every run ends up near it. A 5-epoch run is "
    "exactly the first 5 epochs of the 20-epoch run with the same batch (same seeds, same shuffles), so it "
    "lies under it: it is drawn as the wide pale line beneath.",
    "trade.guides.title": "Rules of thumb for choosing a batch size",
    "trade.guide.small": "Dataset under 1,000",
    "trade.guide.medium": "Dataset 1,000–10,000",
    "trade.guide.large": "Dataset over 10,000",
    "trade.guide.huge": "Huge data (ImageNet, LLMs)",
    "trade.guide.cnn": "CNNs",
    "trade.guide.transformer": "Transformers",
    "trade.guide.usual": "The \"usual\" range",
    "trade.guides.swept": "your sweep",
    "trade.guides.current": "fits our {n} samples",
    "trade.guides.other": "other situations",
    "trade.guides.caption": "Ranges collected from the notes. They are starting points, not laws: memory, "
    "learning rate and the data decide in the end. The dashed vertical lines are the batch sizes you swept.",
}
