"""The exam-analogy page."""

STRINGS: dict[str, str] = {
    "exam.title": "The exam analogy",
    "exam.intro": "Think of training as studying with a **mock exam**: 100 questions and an **answer key** "
    "(the labels). You only learn when you **check your answers against the key** — for a model, that is "
    "one loss + backpropagation + **weight update**. Below, a small PyTorch network really sits the exam.",
    "exam.presets": "The notes' three cases:",
    "exam.preset.1": "Batch 1 · 100 checks",
    "exam.preset.1.help": "Check the key after every single question: 100 weight updates per exam.",
    "exam.preset.10": "Batch 10 · 10 checks",
    "exam.preset.10.help": "Check the key after every 10 questions: 10 weight updates per exam.",
    "exam.preset.100": "Batch 100 · 1 check",
    "exam.preset.100.help": "Solve all 100 questions, then check the key once: 1 weight update per exam.",
    "exam.batch": "Batch size: questions solved before checking the key",
    "exam.batch.help": "One check of the answer key = one weight update.",
    "exam.seed": "Student and exam number (seed)",
    "exam.seed.help": "Another seed draws another exam and another untrained student.",
    # section 1
    "exam.sheet.title": "1 · The exam sheet",
    "exam.sheet.caption": "Each row is one topic of 10 similar questions. Tiles of one shade form one batch; "
    "the **black bar** after a tile marks each time you check the answer key.",
    "exam.m.checks": "Answer-key checks per exam",
    "exam.m.checks.help": "Weight updates in one sitting (one epoch): 100 ÷ batch size, rounded up.",
    "exam.m.last": "Questions in the last batch",
    "exam.m.last.help": "When the batch size does not divide 100, the last batch is smaller.",
    "exam.m.memory": "Questions to remember",
    "exam.m.memory.help": "You must remember every question of a batch until you check it: memory grows "
    "with the batch size, just like GPU memory.",
    "exam.sheet.sentence": "With a batch of **{b}** you check the key {times} per sitting, so the "
    "student's weights change {times} per epoch.",
    "exam.count.times.one": "**{count}** time",
    "exam.count.times.other": "**{count}** times",
    "exam.count.questions.one": "{count} question",
    "exam.count.questions.other": "{count} questions",
    "exam.count.updates.one": "**{count}** weight update",
    "exam.count.updates.other": "**{count}** weight updates",
    "exam.count.epochs.one": "**{count} epoch**",
    "exam.count.epochs.other": "**{count} epochs**",
    "exam.count.sittings.one": "{count} sitting",
    "exam.count.sittings.other": "{count} sittings",
    "exam.within": "**{within}** of the 100 questions are answered after the key was checked at least once "
    "on their own topic in this sitting: only those can profit from a check the first time through.",
    "exam.topic_batches": "**Why batch {b} is no better than guessing in the first sitting.** One topic is "
    "{per_topic} similar questions, and with a batch of {b} every check comes at the end of a topic or "
    "later: one batch holds whole topics. A check teaches the topic just finished, and the next topic has "
    "another usual answer, so nothing you learn helps the questions still ahead of you in this sitting. "
    "It pays off when you **retake** the exam (section 3).",
    "exam.topic_batches.measured": "Over {seeds} students, batch {b} made **{mean:.1f}** mistakes on "
    "average (pure guessing: {chance:.0f}); batch 5, checking twice per topic, **{five:.1f}**; batch 1 "
    "**{one:.1f}**.",
    "exam.topic": "Topic {n}",
    "exam.question": "Question",
    "exam.batch_n": "Batch",
    # section 2
    "exam.similar.title": "2 · Similar questions: why checking often helps",
    "exam.similar.intro": "A misunderstanding repeats across similar questions until you check. With a batch "
    "of 100 you answer the whole exam before your first check, so a wrong idea about a topic costs you all "
    "10 of its questions. With a batch of 1 you find out after the first miss and fix it for the rest of "
    "the topic. Here the student answers each question **before** its batch is checked.",
    "exam.answers.title": "Right or wrong, at the moment of answering",
    "exam.answers.caption": "First sitting of student {seed} with a batch of {b}: **{mistakes}** mistakes out "
    "of 100. A yellow frame inside a tile marks a *trick question* whose key contradicts its topic.",
    "exam.right": "right",
    "exam.wrong": "wrong",
    "exam.answer": "When answered",
    "exam.trick": "trick question",
    "exam.study.title": "First-sitting mistakes by batch size",
    "exam.study.caption": "Mean of {seeds} students and exams (line) and the fewest–most among them (bar). "
    "Plain SGD with the learning rate held **fixed at {lr}** for every batch size; the only thing that "
    "changes is how often the key is checked.",
    "exam.study.x": "Batch size (questions per check)",
    "exam.study.y": "Mistakes in the first sitting",
    "exam.study.mean": "Mean mistakes",
    "exam.study.low": "Fewest",
    "exam.study.high": "Most",
    "exam.study.chance": "dashed: pure guessing ({chance:.0f})",
    "exam.study.sentence": "Batch 1: **{one:.0f}** mistakes on average. Batch 100: **{hundred:.0f}** — about "
    "as many as guessing, because nothing is corrected until the end.",
    # section 3
    "exam.epochs.title": "3 · Epochs: retaking the same exam",
    "exam.epochs.intro": "An **epoch** is one sitting of the whole exam. Retaking it helps, because your "
    "weights changed since last time. But retake it too often and you start **memorising this exam** "
    "— even its trick questions — like a piano piece you can play with your eyes closed while forgetting "
    "how to read sheet music. That is **overfitting**. A *new exam* on the same topics shows it.",
    "exam.epochs": "Epochs: how many times you sit the exam",
    "exam.epochs.help": "Each sitting goes through all 100 questions once, with the batch size chosen above.",
    "exam.epochs.progress": "The student is sitting the exam…",
    "exam.study.progress": "Students are sitting the exam with every batch size…",
    "exam.sit.x": "Sitting (epoch)",
    "exam.sit.y": "Right answers (%)",
    "exam.sit.this": "this exam (while sitting it)",
    "exam.sit.new": "new exam, same topics",
    "exam.sit.series": "Exam",
    "exam.sit.best": "best: sitting {n}",
    "exam.m.last_mistakes": "Mistakes in the last sitting",
    "exam.m.last_mistakes.help": "Questions of this exam answered wrong in the final sitting.",
    "exam.m.best": "Best new-exam score",
    "exam.m.best.help": "Right answers on 200 new questions, measured after each sitting.",
    "exam.m.best.delta": "at sitting {n}",
    "exam.m.final": "New-exam score after the last sitting",
    "exam.m.final.help": "The same new exam after the final sitting.",
    "exam.epochs.lr": "Learning rate held fixed at {lr} (plain SGD); questions always come in exam order.",
    "exam.epochs.overfit": "After sitting **{best}** the student keeps improving on this exam but gets "
    "worse on the new one: {best_score:.1f}% → {final_score:.1f}%, **{drop:.1f} points** lower. (We call a drop "
    "of {margin:.0f} points or more, {questions} of the {new} new questions, *worse*: a smaller one can come from "
    "a lucky or unlucky guess or two.) It is memorising, not understanding. Stopping at sitting {best} is "
    "**early stopping**.",
    "exam.epochs.worse": "After sitting **{best}** the new-exam score falls: {best_score:.1f}% → "
    "{final_score:.1f}%, **{drop:.1f} points** lower (we call {margin:.0f} points or more, {questions} of the "
    "{new} new questions, *worse*), and the student does not improve on this exam either. Stopping at sitting "
    "{best} is **early stopping**.",
    "exam.epochs.level": "The new-exam score was best in sitting **{best}** ({best_score:.1f}%) and ends at "
    "{final_score:.1f}%: {drop:.1f} points lower, less than the {margin:.0f} points ({questions} of the {new} "
    "new questions) we call *worse*, since a lucky or unlucky guess or two moves the score that much. No clear "
    "sign of memorising yet: try more epochs.",
    "exam.epochs.more": "Sitting {best} was the best so far. Try more epochs to see whether the new-exam "
    "score falls.",
    "exam.epochs.link": "Early stopping, on its own page",
    # summary
    "exam.summary.title": "What you just saw",
    "exam.summary.body": "- **Batch size {b}** = checking the key after every {every}: {updates} "
    "per sitting, with up to {memory} held in memory.\n"
    "- In its first sitting this student made **{mistakes}** mistakes; over {seeds} students, batch 1 "
    "averaged **{one:.0f}** and batch 100 **{hundred:.0f}**.\n"
    "- {epochs} = {sittings} of the same exam: mistakes went from **{first}** to "
    "**{last}**, and the new-exam score peaked at **{best_score:.1f}%** in sitting {best} "
    "(**{final_score:.1f}%** at the end).",
    # the exam of real handwritten digits (?data=digits)
    "exam.data": "The exam",
    "exam.data.help": "Made-up topics: each question is a pattern with an answer A–D, and a few trick questions. "
    "Real digits: each question is a handwritten digit to read (0–9).",
    "exam.data.synthetic": "Made-up topics (A–D)",
    "exam.data.digits": "Real handwritten digits (0–9)",
    "exam.digits.about": "The exam: **100 handwritten digits**, ten of each. Each row holds ten different images "
    "of one digit (the row is the topic, the digit is the key), ten possible answers, no trick questions. The "
    "new exam in section 3 holds 200 other images of the same digits. Each seed draws other images.",
    "exam.digits.alt": "The exam sheet in sitting {n}: 100 handwritten digits, ten rows of ten images of the "
    "digits 0 to 9; {right} answered right, {wrong} wrong.",
    "exam.topic_digits": "Digit {row}",
    "exam.sheet.caption_digits": "Each row holds 10 images of one digit, 0 to 9. Tiles of one shade form one "
    "batch; the **black bar** after a tile marks each time you check the answer key.",
    "exam.topic_batches_digits": "**Why batch {b} is no better than guessing in the first sitting.** Each row "
    "is {per_topic} images of one digit, and with a batch of {b} every check comes at the end of a row or "
    "later. A check teaches the digit just finished (\"these were all 3s\"), and the next row holds another "
    "digit, so nothing learnt helps the images still ahead in this sitting: the student often answers a digit "
    "it was just taught (the small number beside each ✗). It pays off when you **retake** the exam (section 3).",
    "exam.similar.intro_digits": "Until you check, a wrong idea repeats on every image like it. With a batch of "
    "100 you read all 100 digits before your first check. With a batch of 1 the key corrects you after each "
    "image, so by the second image of a row you have already seen one of that digit with its answer. Here the "
    "student answers each image **before** its batch is checked.",
    "exam.answers.caption_digits": "First sitting of student {seed} with a batch of {b}: **{mistakes}** "
    "mistakes out of 100. Under each image: ✓, or ✗ and the digit the student answered.",
    "exam.epochs.intro_digits": "An **epoch** is one sitting of the whole exam. Retaking it helps, because your "
    "weights changed since last time. Retake it often enough and you know **these 100 images** by heart; "
    "whether that also reads *new* handwriting is what the new exam, 200 other images of the same digits, shows.",
    "exam.sit.new_digits": "new exam: 200 other images",
    "exam.epochs.more_digits": "The new-exam score is still at its best in the last sitting, **{best}** "
    "({best_score:.1f}%). On real digits, retaking the same 100 images has not hurt so far: with no trick "
    "questions to memorise, what the student learns from ten images of a digit also fits other images of it.",
    "exam.epochs.level_digits": "The new-exam score was best in sitting **{best}** ({best_score:.1f}%) and ends "
    "at {final_score:.1f}%: {drop:.1f} points lower, less than the {margin:.0f} points ({questions} of the "
    "{new} new questions) we call *worse*. On real digits, retaking the same 100 images does not hurt here: with "
    "no trick questions to memorise, what the student learns from ten images of a digit also fits other images "
    "of it. The gap that is left, **{this}** of 100 right on this exam against {final_score:.1f}% on new "
    "images, is what it knows only from these images.",
    "exam.last_sheet.title": "The sheet in sitting {n}",
    "exam.last_sheet.caption": "The same sheet in the last sitting you chose: **{mistakes}** mistakes out of "
    "100, each question answered before its batch was checked. Right on a trick question (a yellow frame) "
    "means it was memorised.",
    "exam.last_sheet.caption_digits": "The same 100 images in the last sitting you chose: **{mistakes}** "
    "mistakes, each image answered before its batch was checked.",
}
