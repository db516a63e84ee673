"""Lesson plan page text, and each step's title, what to show and what to ask."""

STRINGS: dict[str, str] = {
    "nav.lesson": "Lesson plan",
    "nav.section.teach": "For teachers",
    "lesson.title": "Lesson plan",
    "lesson.intro": "The whole lesson in order. Each link opens a page on settings prepared for that "
    "step, so you can click through it live in class, or paste the links into your slides.",
    "lesson.total": "{steps} steps, about {minutes} minutes.",
    "lesson.present": "Links open in presentation mode",
    "lesson.present.help": "Adds ?present=true to every link: larger text and explanations folded away, "
    "for a projector.",
    "lesson.open": "Open {page} →",
    "lesson.minutes": "{minutes} min",
    "lesson.show": "Show",
    "lesson.ask": "Ask",
    "lesson.links": "All links, to copy into slides",
    "lesson.updates.title": "Epochs, batches and updates",
    "lesson.updates.show": "320 samples in batches of 32 for 10 epochs: 10 updates per epoch and 100 in "
    "total. Change the batch size and watch the strip and the Keras line follow.",
    "lesson.updates.ask": "1,600 samples at batch 64: how many updates per epoch?",
    "lesson.last_batch.title": "The last batch",
    "lesson.last_batch.show": "1,206 samples at batch 300: four full batches and a last one of only 6. "
    "The app warns and offers batch sizes that avoid it.",
    "lesson.last_batch.ask": "Which batch size close to 300 leaves no tiny last batch?",
    "lesson.exam_checks.title": "Batch size as checking the answer key",
    "lesson.exam_checks.show": "Batch 100 checks the key once per exam. Click the presets for 10 and 1: batch "
    "10 checks once per topic, at its end, and does no better than 100 in the first sitting; batch 1 "
    "corrects itself inside every topic.",
    "lesson.exam_checks.ask": "Why does checking after every question help most on similar questions?",
    "lesson.exam_retakes.title": "Epochs as retaking the exam",
    "lesson.exam_retakes.show": "50 sittings of the same exam: mistakes on this sheet fall towards zero, "
    "while the score on a new exam peaks and then slips.",
    "lesson.exam_retakes.ask": "When should the student have stopped retaking this exam?",
    "lesson.tradeoffs.title": "Small or large batches? Test the claims",
    "lesson.tradeoffs.show": "Batches from 16 to 128, trained live. The table puts each claim from the "
    "notes next to the measured numbers and says whether it held here.",
    "lesson.tradeoffs.ask": "Which claims held on this data, and which did not?",
    "lesson.updates_axis.title": "Per epoch or per update?",
    "lesson.updates_axis.show": "The notes' experiment with the x-axis in weight updates instead of epochs: "
    "batch 16 made 8 times as many updates as batch 128.",
    "lesson.updates_axis.ask": "Is batch 16 learning more per update, or just making more updates?",
    "lesson.scaling.title": "The linear scaling rule",
    "lesson.scaling.show": "Batches from 8 to 256, with the learning rate grown in step with the batch "
    "size and warmed up over the first epochs.",
    "lesson.scaling.ask": "What happens to the large batches once their learning rate grows with them?",
    "lesson.bn_last6.title": "A last batch of 6 meets BatchNorm",
    "lesson.bn_last6.show": "The batch statistics of 6 samples scatter far more than those of 300. "
    "Compare keeping the tiny batch with drop_last over several seeds.",
    "lesson.bn_last6.ask": "Why does the run that keeps the tiny batch vary more from seed to seed?",
    "lesson.bn_crash.title": "A last batch of 1",
    "lesson.bn_crash.show": "1,201 samples at batch 300 leaves one sample at the end: PyTorch's BatchNorm "
    "stops with a real error.",
    "lesson.bn_crash.ask": "Which two one-line changes make this error go away?",
    "lesson.overfit.title": "Too many epochs",
    "lesson.overfit.show": "The curve after 150 epochs threads through every training point, and the "
    "validation loss has climbed back up. Drag the epoch slider back.",
    "lesson.overfit.ask": "At which epoch would you have stopped?",
    "lesson.early_stop.title": "Early stopping",
    "lesson.early_stop.show": "Keras's EarlyStopping with patience 3 stops the run and restores the best "
    "weights. Try larger patience and compare the table.",
    "lesson.early_stop.ask": "What does a larger patience buy, and what does it cost?",
    "lesson.digits.title": "Does it hold on real digits?",
    "lesson.digits.show": "The notes' Keras example on 1,797 real handwritten digits: 45 steps an epoch at batch "
    "32, 450 updates in 10 epochs. Then watch one batch's single update nudge the model's answers.",
    "lesson.digits.ask": "Of the notes' batch sizes (8, 32, 256, all 1,437), which reaches the highest "
    "validation accuracy in 10 epochs, and why?",
    "lesson.digits_exam.title": "The exam with real digits",
    "lesson.digits_exam.show": "The same exam on 100 real handwritten digits, a row per digit. In the first sitting "
    "at batch 10, the number beside each ✗ is the digit the student answered: one an earlier check taught it. "
    "Then look at sitting 30, and at the new exam of 200 other images.",
    "lesson.digits_exam.ask": "At batch 10, why does the first sitting make even more mistakes than guessing "
    "(90)? And why does retaking the real digits not hurt the new exam, as the made-up exam's trick questions did?",
    "lesson.bn_digits.title": "The tiny last batch on real digits",
    "lesson.bn_digits.show": "The notes' 1,206 / 300 case on real handwritten digits, with momentum SGD: five "
    "seeds each way. Compare the spread after ± with the last batch kept and with drop_last=True.",
    "lesson.bn_digits.ask": "Why do the seeds' accuracies spread so much more when the tiny last batch is kept, "
    "and which fixes bring them back together?",
    "lesson.digits_critical.title": "The critical batch of real digits",
    "lesson.digits_critical.show": "Steps to a validation target on 512 real handwritten digits, each batch "
    "size with its best learning rate; switch the data back to compare with the made-up data.",
    "lesson.digits_critical.ask": "Is the digits' critical batch larger or smaller than the made-up data's, "
    "and what happens to it with an easier target?",
}
