"""The home page: the epochs & batches calculator."""

STRINGS: dict[str, str] = {
    "calc.title": "Epochs & batches",
    "calc.intro": "An **epoch** is one full pass over the training data. The **batch size** is how many "
    "samples the model looks at before it makes **one weight update** (one *iteration* or *step*). "
    "Type your numbers and see how many updates that means.",
    "calc.intro.accum": "An **epoch** is one full pass over the training data. The **batch size** is how many "
    "samples one *iteration* (step) processes. Without accumulation each iteration ends in one weight update; "
    "with gradient accumulation over **K = {k}** batches the model makes **one weight update every {k} "
    "iterations**. Type your numbers and see how many updates that means.",
    "calc.intro.gpus": "An **epoch** is one full pass over the training data. The **batch size** is how many "
    "samples one *iteration* (step) processes on one GPU. Here **{r} GPUs** each process a batch of their own "
    "at the same time and make **one weight update together**, from all {r} batches. Type your numbers and "
    "see how many updates that means.",
    "calc.intro.both": "An **epoch** is one full pass over the training data. The **batch size** is how many "
    "samples one *iteration* (step) processes on one GPU. Here **{r} GPUs** each accumulate the gradients of "
    "**{k} batches** and then make **one weight update together**: one update every {k} iterations, from "
    "{k} × {r} batches. Type your numbers and see how many updates that means.",
    "calc.presets": "Worked examples",
    "calc.preset.notes320": "320 / 32 / 10",
    "calc.preset.notes320.help": "The notes' first example: 320 samples, batch 32, 10 epochs.",
    "calc.preset.notes200": "200 / 20 / 10",
    "calc.preset.notes200.help": "200 samples in batches of 20 for 10 epochs.",
    "calc.preset.exam100": "Exam: batch 100",
    "calc.preset.exam100.help": "100 exam questions, check the answer key once at the end.",
    "calc.preset.exam10": "Exam: batch 10",
    "calc.preset.exam10.help": "100 exam questions, check the key after every 10.",
    "calc.preset.exam1": "Exam: batch 1",
    "calc.preset.exam1.help": "100 exam questions, check the key after every single one.",
    "calc.preset.n1000": "1000 / 50 / 20",
    "calc.preset.n1000.help": "1,000 samples, batch 50, 20 epochs: 400 updates in total.",
    "calc.preset.keras800": "Keras 800/800",
    "calc.preset.keras800.help": "A Keras log showing 800/800 with batch 10: 8,000 training samples.",
    "calc.preset.q1600": "1600 / 64",
    "calc.preset.q1600.help": "A learner's question: 1,600 samples at batch 64 is 25 updates per "
    "epoch, not 10.",
    "calc.preset.bn1206": "1206 / 300 → last 6",
    "calc.preset.bn1206.help": "Batch 300 leaves a last batch of only 6 samples: the BatchNorm problem.",
    "calc.n": "Dataset size N (samples)",
    "calc.n.help": "How many training samples one epoch goes through.",
    "calc.batch": "Batch size B",
    "calc.batch.help": "Samples in one batch, processed in one iteration (step). Without accumulation, on "
    "one GPU, each batch ends in one weight update.",
    "calc.epochs": "Epochs",
    "calc.epochs.help": "How many full passes over the data.",
    "calc.drop_last": "DataLoader drop_last",
    "calc.drop_last.help": "Skip the incomplete last batch, as DataLoader(..., drop_last=True) does (with R > 1, "
    "each GPU's own last batch).",
    "calc.accum": "Gradient accumulation K",
    "calc.accum.help": "One weight update every K batches (micro-batches). 1 = no accumulation. The cards "
    "count it as PyTorch Lightning does (each epoch's last short window updates too); Keras 3 counts "
    "differently, see its row in the translator.",
    "calc.gpus": "GPUs R (DistributedSampler)",
    "calc.gpus.help": "Data-parallel replicas. Each gets its own share of the data and they step together.",
    "calc.advanced": "Framework options: drop_last, accumulation, several GPUs",
    "calc.m.updates_epoch": "Updates per epoch",
    "calc.m.updates_epoch.help": "Weight updates (optimizer steps) in one epoch.",
    "calc.m.total": "Total updates",
    "calc.m.total.help": "Updates per epoch × epochs.",
    "calc.m.last": "Last batch",
    "calc.m.last.help": "How many samples the final batch of an epoch holds.",
    "calc.m.skipped": "Skipped per epoch",
    "calc.m.skipped.help": "Samples drop_last leaves out of each epoch.",
    "calc.m.regime": "Regime",
    "calc.m.regime.help": "Which flavour of gradient descent one update is.",
    "calc.regime.batch": "Batch gradient descent",
    "calc.regime.stochastic": "Stochastic gradient descent",
    "calc.regime.mini_batch": "Mini-batch gradient descent",
    "calc.regime.none": "No updates",
    "calc.regime.explain.batch": "Each update uses **every** sample: batch gradient descent, one update per epoch.",
    "calc.regime.explain.stochastic": "Each update uses **one** sample: stochastic gradient descent, as many "
    "updates as samples.",
    "calc.regime.explain.mini_batch": "Each update uses a **mini-batch**: the usual case, between the two "
    "extremes.",
    "calc.regime.explain.none": "",
    "calc.sentence": "{samples} in batches of **{b}** → {full}{partial} = {iters} per epoch.",
    "calc.sentence.partial": " + 1 last batch of **{last}**",
    "calc.sentence.whole": "{samples} in batches of **{b}**: the batch is larger than the data, so the "
    "loader yields **one batch of all {n}** samples = {iters} per epoch.",
    "calc.sentence.plain": "Each iteration ends in one weight update: {per_epoch} per epoch × {epochs} = "
    "{total}.",
    "calc.sentence.total": "So {per_epoch} per epoch × {epochs} = {total}, each from up to **{eff}** "
    "samples.",
    "calc.sentence.accum": "With accumulation over **{k}** batches, the model updates {times} per epoch: one "
    "update every {k} iterations.",
    "calc.sentence.gpus": "Over **{r}** GPUs each replica gets **{share}** samples and runs {iters}; the "
    "replicas step together, and all of them process **{processed}** samples per epoch.",
    "calc.count.samples.one": "**{count}** sample",
    "calc.count.samples.other": "**{count}** samples",
    "calc.count.full.one": "**{count}** full batch",
    "calc.count.full.other": "**{count}** full batches",
    "calc.count.iters.one": "**{count}** iteration",
    "calc.count.iters.other": "**{count}** iterations",
    "calc.count.updates.one": "**{count}** weight update",
    "calc.count.updates.other": "**{count}** weight updates",
    "calc.count.batches.one": "**{count}** batch",
    "calc.count.batches.other": "**{count}** batches",
    "calc.count.epochs.one": "**{count}** epoch",
    "calc.count.epochs.other": "**{count}** epochs",
    "calc.count.times.one": "**{count}** time",
    "calc.count.times.other": "**{count}** times",
    "calc.none": "With drop_last, a batch of {b} is larger than the {n} samples: the loader yields "
    "**no batch at all** — 0 iterations, 0 updates. Lower the batch size or turn drop_last off.",
    "calc.none.gpus": "With the DataLoader's drop_last, a batch of {b} is larger than each GPU's share of the "
    "{n} samples ({share}): every loader yields **no batch at all** — 0 iterations, 0 updates. Lower the batch "
    "size or turn the DataLoader's drop_last off.",
    "calc.strip.title": "One epoch, batch by batch",
    "calc.strip.caption.replica": "Shown for one GPU's share ({share} samples).",
    "calc.strip.full": "full batch",
    "calc.strip.partial": "smaller last batch",
    "calc.strip.dropped": "skipped (drop_last)",
    "calc.strip.gap": "⋯ {count} ⋯",
    "calc.strip.batch": "Batch",
    "calc.strip.samples": "Samples",
    "calc.strip.size": "Size",
    "calc.strip.x": "batches in order",
    "calc.strip.x.folded": "batches in order (⋯ number ⋯ = batches not drawn)",
    "calc.keras.title": "What Keras prints",
    "calc.keras.caption": "Keras 3 (verbose=1) prints the first and last epoch like this. Keras counts steps "
    "as ceil(N / B) and always trains on the partial batch. In a real run each line goes on with the epoch's time "
    "and its loss and metrics; nothing is trained here, so they are left out. The page “Epochs & early "
    "stopping” shows a real run's log.",
    "calc.warn.tiny": "The last batch has only **{last}** of {b} samples. Layers that normalise over the "
    "batch (BatchNorm) estimate mean and variance from just {last} samples, so that step gets noisy "
    "statistics and a bad update.",
    "calc.warn.single": "The last batch holds **exactly 1** sample. BatchNorm1d in training mode raises "
    "*“Expected more than 1 value per channel when training”*.",
    "calc.warn.small": "The last batch has {last} of {b} samples: BatchNorm statistics from so few samples "
    "are noticeably noisy.",
    "calc.whole": "The batch size ({b}) is larger than the data the loader gets ({n} samples), so every "
    "epoch is **one batch of all {n} samples**: full-batch training, with no smaller last batch to worry "
    "about. Any batch size from {n} up gives the same run, and drop_last would leave no batch at all.",
    "calc.whole.small": "The batch size ({b}) is larger than the data the loader gets ({n} samples), so every "
    "epoch is **one batch of all {n} samples**: full-batch training, with no smaller last batch. But every "
    "step's batch has only {n} samples, so BatchNorm's statistics are noisy in *every* step (it is usually "
    "trusted from about {reliable} samples). Any batch size from {n} up gives the same run, and drop_last "
    "would leave no batch at all.",
    "calc.whole.single": "The batch size ({b}) is larger than the data the loader gets (1 sample), so every "
    "batch holds **exactly 1** sample: BatchNorm1d in training mode raises *“Expected more than 1 value per "
    "channel when training”* at the first step.",
    "calc.warn.suggest": "Nearby batch sizes without the problem:",
    "calc.warn.suggest.item": "B = {b} (last batch {last})",
    "calc.warn.fix_drop": "Or turn on drop_last and skip those {last} samples each epoch.",
    "calc.warn.link": "Why a tiny last batch hurts",
    "calc.table.title": "Framework translator",
    "calc.table.caption": "The same N = {n} and B = {b} in each framework's own terms.",
    "calc.table.framework": "Framework / setting",
    "calc.table.batches": "Batches per epoch",
    "calc.table.updates": "Updates per epoch",
    "calc.table.last": "Last batch",
    "calc.table.note": "Samples left out / padded",
    "calc.table.effective": "Samples per update",
    "calc.table.row.keras": "Keras model.fit(batch_size={b})",
    "calc.table.row.keras_split": "Keras, validation_split=0.2 (trains on {train})",
    "calc.table.row.torch": "PyTorch DataLoader(batch_size={b})",
    "calc.table.row.torch_drop": "PyTorch DataLoader(..., drop_last=True)",
    "calc.table.row.accum": "PyTorch Lightning, accumulate_grad_batches={k}, one GPU",
    "calc.table.row.ddp": "PyTorch DistributedSampler, R = {r} GPUs (per GPU)",
    "calc.table.opt.k": ", K = {k}",
    "calc.table.opt.drop": ", DataLoader drop_last=True",
    "calc.table.yours.mark": "★ {label}",
    "calc.table.yours": "★ marks the rows counted with the settings of the cards above: their numbers are the "
    "cards' numbers. The other rows show the same N and B with other settings.",
    "calc.table.none": "—",
    "calc.table.skipped": "{count} skipped",
    "calc.table.padded": "{count} repeated (padding)",
    "calc.table.skipped.all": "{count} skipped (all GPUs)",
    "calc.table.padded.all": "{count} repeated (padding, all GPUs)",
    "calc.sampler_drop_last": "DistributedSampler drop_last",
    "calc.sampler_drop_last.help": "The sampler's own drop_last, apart from the loader's. With R > 1 GPUs it trims "
    "the data to a multiple of R instead of padding it with repeated samples. Off by default, and PyTorch Lightning "
    "always leaves it off. On one GPU it does nothing.",
    "calc.table.row.keras_accum": "Keras 3, optimizer(gradient_accumulation_steps={k})",
    "calc.table.row.lightning_ddp": "PyTorch Lightning, devices={r} (per GPU)",
    "calc.table.opt.sampler_drop": ", DistributedSampler drop_last=True",
    "calc.table.keras_refuses": "No validation_split row: Keras refuses it for this N. Its message: `` {message} ``",
    "calc.table.keras_accum": "**Keras 3 counts accumulation over the whole run, not per epoch.** It updates after "
    "every K = {k} batches counted since training began. At S = {s} batches per epoch, epochs 1–{c} make {cycle} "
    "updates, and then the pattern repeats. Over {epochs} that is {total}, where PyTorch Lightning's "
    "accumulate_grad_batches on the same batches makes {lightning}.",
    "calc.table.keras_accum.even": "**Keras 3 counts accumulation over the whole run, not per epoch.** It updates "
    "after every K = {k} batches counted since training began. At S = {s} batches per epoch, that is {cycle} updates "
    "every epoch. Over {epochs} that is {total}, where PyTorch Lightning's accumulate_grad_batches on "
    "the same batches makes {lightning}.",
    "calc.table.keras_accum.left": "No update ever uses the last {left}.",
    "calc.table.flags": "Over {r} GPUs two separate flags decide. The DistributedSampler's drop_last (yours: "
    "{sampler}) trims the data to a multiple of R before it is shared out. The DataLoader's drop_last (yours: "
    "{loader}) drops each GPU's short last batch. PyTorch Lightning creates the sampler itself and leaves its "
    "drop_last off, whatever the loader's is.",
    "calc.table.formula": "Rule",
    "calc.definitions": "Epoch, batch, iteration: the words",
    "calc.definitions.body": "- **Epoch**: one complete pass over the whole training set. `epochs=10` means "
    "the data is seen ten times.\n"
    "- **Batch size**: how many samples one iteration processes (on one GPU).\n"
    "- **Iteration (step)**: one batch processed. Without gradient accumulation it ends in one weight update, "
    "so updates per epoch = batches per epoch; with accumulation over K batches there is one update every K "
    "iterations (over several GPUs the GPUs' batches go into the same update).\n"
    "- **Batch = N** is *batch gradient descent* (1 update per epoch); **batch = 1** is *stochastic "
    "gradient descent* (N updates per epoch); anything between is *mini-batch* gradient descent.",
}
