"""The critical-batch page ("How big can a batch get?"), and its verdicts on the trade-offs page."""

STRINGS: dict[str, str] = {
    "nav.critical": "How big can a batch get?",
    "crit.title": "How big can a batch get?",
    "crit.intro": "A larger batch averages more samples into every weight update, so it should need **fewer "
    "updates**. Does it, and up to where? Here every batch size from 8 to the whole training set trains with "
    "several learning rates, three runs each (other starting weights and shuffling), and we count the **weight "
    "updates (steps) until the validation loss reaches a target**. Researchers found three regions (Shallue et "
    "al., 2018): *perfect scaling* (twice the batch, half "
    "the steps), *diminishing returns*, and *maximal data parallelism* (a bigger batch saves nothing). The "
    "bend sits near the **critical batch size**, which the gradient noise predicts (McCandlish et al., 2018).",
    "crit.presets": "Ready-made experiments",
    "crit.data": "Data",
    "crit.data.help": "Made-up data shows the effect cleanly; the real handwritten digits show whether it "
    "holds on data you can read.",
    "crit.data.synthetic": "Made-up data",
    "crit.data.digits": "Real handwritten digits",
    "crit.preset.digits_tuned": "Fair: tuned per size",
    "crit.preset.digits_tuned.help": "Every batch size gets its best learning rate from the digits' grid.",
    "crit.preset.digits_untuned": "Unfair: one learning rate",
    "crit.preset.digits_untuned.help": "Every batch size uses learning rate 0.4, the middle of the digits' grid.",
    "crit.preset.digits_loose": "Loose target",
    "crit.preset.digits_loose.help": "Validation loss 1.0: an easy target, reached early in training.",
    "crit.target_digits": "Target validation loss (cross-entropy)",
    "crit.target.help_digits": "A run 'reaches the target' at the first step its validation loss is at or "
    "below this. The untrained model scores about 2.3 (a guess among ten digits); 0.5 is about as low as these "
    "runs get.",
    "crit.seed.help_digits": "Another seed draws other starting weights and another shuffling order; the "
    "images stay the same.",
    "crit.lr.help_digits": "Used for every batch size when the switch is on; one of the grid's rates. The grid "
    "stops at 0.8: at 1.6 and 3.2 the largest batches' loss spikes and misses the targets.",
    "crit.digits.about": "On the real digits: the first {train} images train (a power of two, so the batch "
    "size can double up to the whole training set) and the last {val} validate (the same {val} Keras holds out "
    "with `validation_split=0.2`), with a small cousin of the notes' model, 64 → 16 → 10, and cross-entropy.",
    "crit.running_made_up": "Training the made-up data's runs to compare…",
    "crit.digits.versus": "Next to the made-up data: at its default target ({target} MSE, tuned) the fitted "
    "B_crit is {made_up}; on the real digits at {digits_target} it is {b_crit}.",
    "crit.preset.tuned": "Fair: tuned per size",
    "crit.preset.tuned.help": "Every batch size gets its best learning rate from the grid.",
    "crit.preset.untuned": "Unfair: one learning rate",
    "crit.preset.untuned.help": "Every batch size uses learning rate 0.05, as when an experiment is tuned for "
    "small batches only.",
    "crit.preset.close": "Target close to the best",
    "crit.preset.close.help": "Validation loss 0.32: the harder the target, the larger the critical batch.",
    "crit.preset.loose": "Loose target",
    "crit.preset.loose.help": "Validation loss 0.5: an easy target, reached early in training.",
    "crit.target": "Target validation loss (MSE)",
    "crit.target.help": "A run 'reaches the target' at the first step its validation loss is at or below this. "
    "The best possible is about {floor} (the noise in the labels).",
    "crit.fixed": "One learning rate for all sizes",
    "crit.fixed.help": "Off: each batch size uses its best learning rate from the grid (a fair comparison). "
    "On: every size uses the learning rate chosen next to it.",
    "crit.lr": "That learning rate (SGD)",
    "crit.lr.help": "Used for every batch size when the switch is on; one of the grid's rates. The grid stops at "
    "0.1: from 0.2 on, this network's loss spikes at large batches, and 0.4 diverges.",
    "crit.seed": "Seed",
    "crit.seed.help": "Another seed draws other data, other starting weights and another shuffling order.",
    "crit.running": "Training {runs} models ({steps} weight updates in total)…",
    "crit.noise_running": "Measuring the gradient noise along one run…",
    "crit.steps.title": "1. Steps to the target",
    "crit.steps.x": "Batch size B",
    "crit.steps.y": "Steps (weight updates) to the target",
    "crit.steps.lr": "Learning rate",
    "crit.steps.low": "fastest run",
    "crit.steps.high": "slowest run",
    "crit.series.tuned": "best learning rate per size",
    "crit.series.fixed": "learning rate {lr} for all sizes",
    "crit.series.tuned_ghost": "tuned per size (for comparison)",
    "crit.series.fit": "fit: S_min + E_min/B",
    "crit.series.perfect": "perfect scaling from B = {b}",
    "crit.series.predicted": "prediction (B_noise = {b})",
    "crit.region.perfect": "perfect scaling",
    "crit.region.diminishing": "diminishing returns",
    "crit.region.maximal": "maximal data parallelism",
    "crit.metric.bcrit": "Critical batch B_crit",
    "crit.metric.smin": "S_min (fewest steps)",
    "crit.metric.emin": "E_min (fewest samples)",
    "crit.steps.how_tuned": "Each dot is the median of {reps} runs (other starting weights and shuffling; the "
    "bar spans the fastest to the slowest) at the learning rate whose median was fastest among {lrs} ({grid}), "
    "read off validation losses measured after every epoch (steps between two evaluations are interpolated).",
    "crit.steps.how_fixed": "Each dot is the median of {reps} runs (other starting weights and shuffling; the "
    "bar spans the fastest to the slowest) at learning rate {lr} for every size.",
    "crit.steps.span": "From B = {b0} to B = {b1} the batch grew {bratio:,}×, the steps fell {sratio}× "
    "({s0} → {s1}).",
    "crit.steps.perfect_until": "Up to B = {b}, every doubling of the batch saved at least 80 % of the ideal "
    "halving of steps (perfect scaling).",
    "crit.steps.perfect_none": "Already the first doubling, B = {b0} → {b1}, {saved}: less than the 80 % of "
    "perfect scaling.",
    "crit.steps.maximal_from": "From B = {b} on, every doubling saved at most 20 % (maximal data parallelism): "
    "there a bigger batch stopped saving steps. The shading and the last two columns of the table show each "
    "doubling.",
    "crit.steps.maximal_until": "From B = {b} up to B = {end}, the largest size that reached the target, every "
    "doubling saved at most 20 % (maximal data parallelism): there a bigger batch stopped saving steps. The "
    "shading and the last two columns of the table show each doubling.",
    "crit.steps.maximal_none": "Even the last doubling, B = {b0} → {b1}, {saved}: within these sizes a bigger "
    "batch never stopped saving steps. The shading and the last two columns of the table show each doubling.",
    "crit.doubling.saved": "saved {pct} % of the ideal halving",
    "crit.doubling.cost": "took {pct} % more steps",
    "crit.metric.caption": "B_crit, S_min and E_min: the curve S_min + E_min/B fitted to the dots in the table.",
    "crit.metric.caption_fixed": "B_crit, S_min and E_min: the curve S_min + E_min/B fitted to the dots in the "
    "table, all at learning rate {lr}; the research's values come from tuned runs (switch it off).",
    "crit.steps.caption_fixed": "With learning rate {lr} for every size, B = {b1} needs {s1} steps where its "
    "best learning rate needs {t1}: {ratio}× the steps. The grey dots are the tuned runs. An untuned comparison "
    "makes large batches look far worse than they are.",
    "crit.steps.not_reached": "Not reached within the runs: B = {batches}. These sizes are left out.",
    "crit.fit.none": "Fewer than two batch sizes reached this target, or their steps do not fall with the batch "
    "size: there is no curve to fit. Try a looser target.",
    "crit.table.batch": "Batch size",
    "crit.table.lr": "Learning rate",
    "crit.table.steps": "Steps (median)",
    "crit.table.spread": "Fastest–slowest run",
    "crit.table.examples": "Samples (steps × B)",
    "crit.table.saved": "Doubling from B/2",
    "crit.table.region": "Region",
    "crit.table.none": "not reached",
    "crit.tradeoff.title": "2. Samples to the target: the steps–samples trade-off",
    "crit.tradeoff.x": "Steps to the target",
    "crit.tradeoff.y": "Training samples to the target",
    "crit.tradeoff.batch": "Batch size",
    "crit.tradeoff.fit": "(S/S_min − 1)(E/E_min − 1) = 1",
    "crit.tradeoff.caption": "Small batches use few samples but many steps; large batches few steps but many "
    "samples. The fitted hyperbola has S_min = {s_min} steps (the fewest any batch needs) and E_min = {e_min} "
    "samples (the fewest any batch needs), so B_crit = E_min/S_min = {b_crit}. At B_crit a run needs twice the "
    "fewest steps and twice the fewest samples (the diamond). Our training set has {n} samples.",
    "crit.tradeoff.fixed": "These are the table's runs, all at learning rate {lr}.",
    "crit.mark.smin": "S_min",
    "crit.mark.emin": "E_min",
    "crit.mark.bcrit": "B_crit ≈ {b}",
    "crit.noise.title": "3. The gradient noise scale predicts the bend",
    "crit.noise.intro": "At fixed weights, how noisy is a batch gradient? The simple noise scale "
    "B_simple = tr(Σ)/|G|² compares the spread of the samples' gradients, tr(Σ), with the true gradient, |G|²: "
    "a batch of B_simple samples is as noisy as it is informative. We compute every sample's gradient exactly, "
    "and estimate the same number from only two batch gradients (sizes {small} and {big}), as a data-parallel "
    "job could.",
    "crit.noise.x": "Steps of the measuring run (batch {b}, learning rate {lr})",
    "crit.noise.y": "Noise scale B_simple (samples)",
    "crit.noise.exact": "exact (every sample's gradient)",
    "crit.noise.two_batch": "two-batch estimate ({draws} pairs)",
    "crit.noise.bcrit": "fitted B_crit = {b}",
    "crit.noise.caption": "At initialisation B_simple = {init} (two-batch estimate: {init_est}). The noise "
    "grows as the loss falls: where the measuring run first reaches validation loss {target} (step {step}), "
    "B_simple = {at} (estimate: {at_est}), against B_crit = {b_crit} fitted from the steps above.",
    "crit.noise.caption_nofit": "At initialisation B_simple = {init} (two-batch estimate: {init_est}). The noise "
    "grows as the loss falls: where the measuring run first reaches validation loss {target} (step {step}), "
    "B_simple = {at} (estimate: {at_est}). The steps above give no curve to fit a B_crit to.",
    "crit.noise.caption_missed": "At initialisation B_simple = {init} (two-batch estimate: {init_est}). The "
    "measuring run does not reach validation loss {target}; its last checkpoint gives B_simple = {at} "
    "(estimate: {at_est}).",
    "crit.predict.caption": "The black dashed line (\"prediction\") is S_min(1 + B_noise/B) with the fitted "
    "S_min = {s_min} and "
    "B_noise = {b_noise} measured above, not fitted: on average it is {error} % away from the measured steps.",
    "crit.predict.fixed": "The prediction is for each size's best learning rate; these dots all use {lr}.",
    "crit.budget.title": "4. A budget of epochs is not a target",
    "crit.budget.intro": "The notes (and the trade-offs page) compare batch sizes after the **same number of "
    "epochs** (here the median of the runs). Then a batch twice as big makes half the weight updates, so large "
    "batches lose by design: "
    "such a comparison only probes the perfect-scaling region (Google's Deep Learning Tuning Playbook).",
    "crit.budget": "Epoch budget",
    "crit.budget.help": "Every batch size trains this many passes over the {n} training samples.",
    "crit.budget.x": "Batch size B",
    "crit.budget.y": "Validation loss after the budget",
    "crit.budget.target": "target {target}",
    "crit.budget.caption": "After {epochs}, B = {b0} reaches validation loss {l0} with {u0} and B = {b1} "
    "only {l1} with {u1}. Counted in steps to the target instead, B = {b1} needs {s1} steps and B = {b0} "
    "needs {s0}.",
    "crit.budget.caption_missed": "After {epochs}, B = {b0} reaches validation loss {l0} with {u0} and "
    "B = {b1} only {l1} with {u1}.",
    "crit.count.epochs.one": "{count} epoch",
    "crit.count.epochs.other": "{count} epochs",
    "crit.count.updates.one": "{count} update",
    "crit.count.updates.other": "{count} updates",
    # The trade-offs page's claims table, with the conditions measured here.
    "crit.claims.title": "When do these two claims hold? Measured on the page *How big can a batch get?*",
    "crit.claims.faster": "**Large batches train faster** holds in steps only up to a point: from B = {high} "
    "on, each doubling of the batch saved at most 20 % of the ideal halving of weight updates to validation "
    "loss {target} (B_crit ≈ {b_crit}, batch sizes 8–{n}, learning rate tuned per size, median of {reps} runs).",
    "crit.claims.faster_all": "**Large batches train faster** held in steps for every batch size measured: even "
    "the last doubling saved more than 20 % of the ideal halving of weight updates to validation loss {target} "
    "(B_crit ≈ {b_crit}, batch sizes 8–{n}, learning rate tuned per size, median of {reps} runs).",
    "crit.claims.faster_none": "**Large batches train faster**: measure where doubling the batch stops saving "
    "weight updates.",
    "crit.claims.generalise": "**Small batches generalise better** holds only when the comparison is unfair: "
    "with the learning rate tuned per size the lowest validation loss was {small} at B = {b0} and {large} at "
    "B = {b1}; at one learning rate ({lr}) for all sizes B = {b1} reached only {large_fixed}.",
    "crit.claims.generalise_holds": "**Small batches generalise better** held here even with the learning rate "
    "tuned per size: the lowest validation loss was {small} at B = {b0} and {large} at B = {b1} (at one learning "
    "rate, {lr}, B = {b1} reached {large_fixed}).",
    "crit.claims.link": "Open the measurements",
    # The lesson plan's step on this page.
    "lesson.critical.title": "How big can a batch get?",
    "lesson.critical.show": "Steps to a validation target for batch sizes 8 to 1,024, each with its best "
    "learning rate: the steps halve at first, then stop falling. Switch on one learning rate for all sizes "
    "and watch the large batches fall behind.",
    "lesson.critical.ask": "From which batch size on does doubling the batch stop saving steps?",
}
