"""The BatchNorm & last-batch page."""

STRINGS: dict[str, str] = {
    "bn.title": "BatchNorm and the tiny last batch",
    "bn.intro": "{setting} **BatchNorm** normalises each layer with the mean and variance of the *current "
    "batch*, so a step on a tiny batch sees shaky statistics. Below, a real PyTorch network shows what that "
    "does and how to fix it.",
    "bn.intro.partial.one": "With {n} samples and batches of {b}, every epoch ends with a batch of only "
    "**{count}** sample.",
    "bn.intro.partial.other": "With {n} samples and batches of {b}, every epoch ends with a batch of only "
    "**{count}** samples.",
    "bn.intro.full": "With {n} samples and batches of {b}, every batch is full: this setting has no small last "
    "batch (try a preset).",
    "bn.presets": "Try these",
    "bn.preset.last6": "1206 / 300 → last 6",
    "bn.preset.last6.help": "The notes' example: batch 300 leaves a last batch of 6 samples.",
    "bn.preset.last2": "1202 / 300 → last 2",
    "bn.preset.last2.help": "An even smaller last batch, only 2 samples (with momentum SGD).",
    "bn.preset.last1": "1201 / 300 → last 1",
    "bn.preset.last1.help": "A last batch of exactly 1 sample: BatchNorm cannot train on it at all.",
    "bn.preset.momentum": "Momentum 0.9",
    "bn.preset.momentum.help": "SGD with momentum 0.9: the tiny batch's gradient is averaged with the big "
    "batches' before it. Does that soften the harm?",
    "bn.preset.adam": "Adam",
    "bn.preset.adam.help": "Adam (learning rate 0.03): it rescales every step, so one noisy gradient can "
    "still move the weights a lot.",
    "bn.preset.high_lr": "Higher learning rate",
    "bn.preset.high_lr.help": "Momentum SGD at learning rate 0.3: bigger steps, so a bad step does more harm.",
    "bn.n": "Dataset size N",
    "bn.n.help": "Training samples in the two-class data set (50 to 2,000).",
    "bn.data": "Data",
    "bn.data.help": "Two overlapping clouds of made-up points (two classes), or real handwritten digits (ten).",
    "bn.data.synthetic": "Made-up points",
    "bn.data.digits": "Real handwritten digits",
    "bn.digits.about": "The digits: the first N of the 1,797 images train and the last 360 validate (never "
    "trained on); each image's 64 pixels go in, one of ten digits comes out.",
    "bn.n.help_digits": "Training images: the first N of the digits (50 to 1,437; the last 360 validate).",
    "bn.s3.intro_digits": "A small network (64 → 32 → 32 → 10, BatchNorm after each hidden layer) learns to read "
    "real handwritten digits: {epochs} epochs, {opt}, learning rate {lr}. The same run with the last batch kept "
    "and with `drop_last=True`; {which}",
    "bn.batch": "Batch size B",
    "bn.batch.help": "Samples per training step (50 to 600).",
    "bn.epochs": "Epochs",
    "bn.epochs.help": "Passes over the data in each training run.",
    "bn.seeds": "Seeds (repeats)",
    "bn.seeds.help": "Each setting is trained this many times with different random starting weights and "
    "shuffling, to see how much results vary by luck.",
    "bn.opt": "Optimizer",
    "bn.opt.help": "Plain SGD, SGD with momentum 0.9, or Adam.",
    "bn.opt.sgd": "plain SGD",
    "bn.opt.sgd_momentum": "SGD + momentum",
    "bn.opt.adam": "Adam",
    "bn.lr": "Learning rate",
    "bn.lr.help": "How big each step is. Higher rates make a bad step from the tiny batch do more harm.",
    "bn.norm": "Replacement norm",
    "bn.norm.help": "LayerNorm, or GroupNorm with 8 groups. Used in the last fix below.",
    "bn.norm.layer": "LayerNorm",
    "bn.norm.group": "GroupNorm",
    "bn.running": "Training the network (every fix, every seed)…",
    # --- 1 ---
    "bn.s1.title": "1 · Where the tiny batch comes from",
    "bn.s1.sentence": "**{n}** samples in batches of **{b}** = **{full}** full batches + a last batch of "
    "**{last}**. PyTorch's `DataLoader` keeps that last batch unless you ask it not to.",
    "bn.strip.full": "full batch",
    "bn.strip.partial": "small last batch",
    "bn.strip.dropped": "skipped (drop_last)",
    "bn.strip.gap": "⋯ {count} ⋯",
    "bn.strip.batch": "Batch",
    "bn.strip.samples": "Samples",
    "bn.strip.size": "Size",
    "bn.strip.x": "one epoch, batch by batch",
    "bn.sev.label": "Last batch",
    "bn.sev.full": "full",
    "bn.sev.full.why": "B divides N, so every batch is full. No problem for BatchNorm.",
    "bn.sev.fine": "fine",
    "bn.sev.fine.why": "{last} samples are enough for BatchNorm's statistics (it is usually reliable from "
    "about 16–32 samples).",
    "bn.sev.small": "small",
    "bn.sev.small.why": "{last} samples give noticeably noisy statistics (BatchNorm is usually reliable from "
    "about 16–32).",
    "bn.sev.tiny": "tiny",
    "bn.sev.tiny.why": "a mean and variance from just {last} samples are shaky: that step is normalised "
    "differently from all the others and makes a bad update.",
    "bn.sev.single": "size 1",
    "bn.sev.single.why": "the variance of one sample is always 0, nothing BatchNorm can divide by: in training "
    "mode it raises an error (section 4).",
    "bn.sev.none": "no batch",
    "bn.sev.none.why": "the loader yields no batch at all.",
    # --- 2 ---
    "bn.s2.title": "2 · How noisy a batch's statistics are",
    "bn.s2.intro": "We take the values that reach the network's first BatchNorm layer (one channel), draw "
    "2,000 random batches of each size, and compute what BatchNorm would: the batch **mean** and "
    "**variance**. Each thin tick is one batch; the dashed line is the value over all samples. The spread "
    "shrinks like **1/√b**.",
    "bn.s2.row": "b = {b}",
    "bn.s2.true": "value over all samples",
    "bn.s2.x_mean": "batch mean",
    "bn.s2.x_var": "batch variance",
    "bn.s2.col.b": "Batch size b",
    "bn.s2.col.mean_sd": "Spread of the mean (SD)",
    "bn.s2.col.theory": "Theory σ/√b (without replacement)",
    "bn.s2.col.var_sd": "Spread of the variance (SD)",
    "bn.s2.ratio": "The mean of a batch of **{small}** wanders **{ratio}×** as far as that of a batch of "
    "**{large}** ({m_small} ÷ {m_large} in the table); the theory column predicts **{theory}×** ({t_small} ÷ "
    "{t_large}). That is more than the √({large}/{small}) ≈ {sqrt}× of 1/√b alone, because a batch of {large} "
    "drawn without replacement from only {n} samples varies less still.",
    "bn.s2.one": "A batch of **1** is the last batch here: its mean is just one sample, and its variance is "
    "**0** every time (the b = 1 row on the right). BatchNorm would have to divide by that 0, so it refuses "
    "(section 4).",
    # --- 3 ---
    "bn.s3.title": "3 · What it does to training",
    "bn.s3.intro": "A small network (2 → 32 → 32 → 2, BatchNorm after each hidden layer) learns to separate "
    "two overlapping clouds of points: {epochs} epochs, {opt}, learning rate {lr}. The same run with the last "
    "batch kept and with `drop_last=True`; {which}",
    "bn.s3.intro.partial": "big dots mark the steps on the small last batch.",
    "bn.s3.intro.full": "here every batch is full, so the two are the same run.",
    "bn.run.keep": "BatchNorm, last batch kept",
    "bn.run.drop_last": "BatchNorm, drop_last=True",
    "bn.run.safer_batch": "BatchNorm, batch {b}",
    "bn.run.other_norm": "{norm}, last batch kept",
    "bn.s3.x": "training step",
    "bn.s3.size": "batch size",
    "bn.s3.tab.loss": "Loss per step",
    "bn.s3.tab.grad_norm": "Gradient size per step",
    "bn.s3.tab.shift": "BatchNorm running mean",
    "bn.s3.y.loss": "batch loss",
    "bn.s3.y.grad_norm": "gradient norm",
    "bn.s3.y.shift": "running-mean change",
    "bn.s3.caption.loss": "The loss of each batch before its update. The small batch's loss jumps around: "
    "with so few samples, luck decides how hard they are.",
    "bn.s3.caption.grad_norm": "How long the gradient vector is at each step. A gradient from a handful of "
    "samples points in a noisier direction.",
    "bn.s3.caption.shift": "How far each step moved BatchNorm's running mean (the statistics it uses at test "
    "time). It starts at 0, so at first every step moves it; once it has settled, the small batch's shaky "
    "mean keeps kicking it (with weight 0.1), every epoch.",
    "bn.s3.caption.loss.full": "The loss of each batch before its update. Every batch here holds {b} samples, "
    "so its ups and downs are only the ordinary luck of which samples a batch drew.",
    "bn.s3.caption.grad_norm.full": "How long the gradient vector is at each step. With every batch full, no "
    "step rests on a handful of samples.",
    "bn.s3.caption.shift.full": "How far each step moved BatchNorm's running mean (the statistics it uses at "
    "test time). It starts at 0, so at first every step moves it; after that each step nudges it by the "
    "ordinary noise of a full batch, with no small batch to kick it harder.",
    "bn.s3.crashed": "With a last batch of **{last}** the BatchNorm run stopped in the first epoch: "
    "see section 4.",
    "bn.m.keep": "Accuracy, last batch kept",
    "bn.m.drop": "Accuracy, drop_last=True",
    "bn.m.diff": "Difference (points)",
    "bn.m.diff.help": "drop_last minus kept, in percentage points of validation accuracy.",
    "bn.m.spread": "Mean ± spread (SD, in points) of the final validation accuracy over {k} seeds.",
    "bn.verdict.better": "**Over {k} seeds, dropping the tiny batch helps by {diff} points** (noise in that "
    "estimate about ±{noise}). Note also the spread: {sd_a} between seeds with the tiny batch, {sd_b} without "
    "it — the tiny batch makes results depend more on luck.",
    "bn.verdict.worse": "**Over {k} seeds, keeping the last batch did better by {diff} points** (noise about "
    "±{noise}). At these settings the tiny batch is not what limits the network.",
    "bn.verdict.unclear": "**Over {k} seeds there is no clear difference** ({diff} points, noise about "
    "±{noise}; spread {sd_a} with the tiny batch, {sd_b} without). At these settings the effect on the mean is "
    "small; look at the spread, and try the other presets.",
    "bn.s3.grows.crashed": "**What to look for.** With a last batch of **{last}** the run that keeps it "
    "cannot train at all: BatchNorm raises an error in its first epoch, so it has no accuracy and no spread "
    "to compare. The drop_last run and the {norm} run train normally. Section 4 shows the error, section 5 "
    "the fixes.",
    "bn.s3.grows.full": "**What to look for.** Every batch here is full, so there is no tiny batch and "
    "drop_last has nothing to drop: its runs see the same batches in the same order as the runs that keep "
    "the last batch, so they are the very same runs (a difference of 0). Pick a preset with a small last "
    "batch to compare.",
    "bn.s3.grows": "**What to look for.** The steadiest sign of the tiny batch is the **spread** after ±: "
    "with it, the final accuracy depends much more on the seed (luck), because the last update of every "
    "epoch comes from a handful of samples. The gap in the mean grows with a smaller last batch (2 instead "
    "of 6) and a higher learning rate. Momentum averages the tiny gradient with the big ones before it; "
    "Adam rescales each step and can overshoot on one noisy gradient. Try the presets — and expect some "
    "settings to show no clear difference: that is a real result too.",
    # --- 4 ---
    "bn.s4.title": "4 · A last batch of exactly 1",
    "bn.s4.intro": "With N = {n} and B = {b} the last batch holds a **single** sample. We train the "
    "BatchNorm network on it for real; this is what PyTorch says:",
    "bn.s4.where": "It stops in epoch {epoch} at step {step} of {steps}: the very last batch.",
    "bn.s4.why": "**Why?** In training mode BatchNorm divides by the *variance of the batch*. The variance "
    "of one number is 0 (there is nothing to spread), so normalising would divide by (almost) zero. "
    "PyTorch refuses instead of producing garbage. In eval mode it would work, because then the running "
    "statistics are used.",
    "bn.s4.try": "Open the case N = 1201, B = 300",
    # --- 5 ---
    "bn.s5.title": "5 · The fixes",
    "bn.s5.drop": "**Fix 1: `drop_last=True`.** The loader skips the small last batch: **{count}** of "
    "{n} samples sit out each epoch. Because the data is shuffled, *different* samples sit out each time, "
    "so over several epochs every sample is still used:",
    "bn.s5.col.epoch": "Epoch",
    "bn.s5.col.skipped": "Samples skipped (their numbers)",
    "bn.s5.safer": "**Fix 2: a batch size that divides N or leaves a large last batch.** Nearby choices:",
    "bn.s5.safer.item": "B = {b} (last batch {last})",
    "bn.s5.norm": "**Fix 3: a normalisation that ignores the batch.** {norm} normalises each sample on its own, "
    "so the batch size no longer matters to it (pick it under *Replacement norm* at the top).",
    "bn.s5.chart": "Validation accuracy of each way of training",
    "bn.s5.x": "validation accuracy after the last epoch (%)",
    "bn.s5.seed_dot": "one seed (%)",
    "bn.s5.mean_bar": "mean (%)",
    "bn.s5.caption": "Each dot is one training run (seed); the black bar is the mean of the {k} runs. "
    "A run that crashed on a batch of 1 has no dot.",
    "bn.s5.honest": "**Reading it honestly:** `drop_last` and a better batch size remove the tiny step "
    "completely. LayerNorm/GroupNorm remove the *statistics* problem and the crash, but the step on a few "
    "samples is still a noisy gradient step — here it is the last update before every validation, so its "
    "luck still shows up in the accuracy.",
}
