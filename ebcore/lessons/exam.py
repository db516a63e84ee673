"""The exam analogy, run for real: a 100-question mock exam, a small PyTorch student, the answer key.

The exam (notes, seed 002): questions come in *topics* of similar questions, laid out row by row
(topic ``t`` is questions ``10·t … 10·t+9``), each with one of ``CHOICES`` answers. A question's
features are its topic's pattern plus a few per-question *quirks* (random details a flexible model can
memorise). Most keys follow the topic; a few *trick* questions have a key that contradicts it.

On real handwritten digits (``data="digits"``, ``ebcore.problems.digits``) the topics are the ten digits:
row ``t`` holds ten different images of the digit ``t``, the key is the digit written (``DIGIT_CHOICES``
answers) and there are no trick questions; the new exam holds other images of the same digits.

The student is an MLP trained with ``ebcore.trainer.single_run`` in exam order (``shuffle=False``):
batch size = questions solved before checking the key (one weight update per check), epochs =
sittings of the same exam. Its answer to a question is the trainer's recorded prediction, made
*before* that question's batch was checked. A second exam with the same topics but new questions
(and its own tricks) measures what carries over: the held-out score after each sitting.

Everything random comes from explicit generators seeded by ``seed``; nothing uses torch's global RNG.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from ebcore.primitives.calc import loader_last_batch, loader_length
from ebcore.problems import DATA, check_data, digits
from ebcore.problems.models import mlp
from ebcore.stacked import fit_many
from ebcore.trainer import TrainConfig, check_budget
from ebcore.trainer.loop import epoch_progress

__all__ = ["BATCH_SIZES", "CHOICES", "DIGIT_CHOICES", "HIDDEN", "LR", "MAX_EPOCHS", "NEW_QUESTIONS",
           "PATTERN_DIM", "PATTERN_NOISE", "QUESTIONS", "QUIRK_DIM", "QUIRK_SCALE", "STUDY_SEEDS", "TOPICS",
           "TRICKS_PER_TOPIC", "WORSE_BY_QUESTIONS", "BatchStudy", "chance_mistakes", "checked_within_topic",
           "config", "Exam", "ExamRun", "digit_exams", "first_sitting_study", "make_exams", "new_exam_verdict",
           "NewExamVerdict", "sheet", "sheet_counts", "SheetCounts", "sit", "sit_many", "Tile"]

QUESTIONS = 100
"""Questions on the exam sheet (the notes' mock exam)."""
TOPICS = 10
"""Topics of similar questions; each topic is one row of ``QUESTIONS // TOPICS`` questions."""
CHOICES = 4
"""Answer options per question (A–D)."""
DIGIT_CHOICES = 10
"""Answer options per question on the digits exam (0–9)."""
NEW_QUESTIONS = 200
"""Questions on the held-out exam (same topics, new questions): a larger exam gives a steadier score."""
TRICKS_PER_TOPIC = 2
"""Questions per topic whose key contradicts the topic (on both exams)."""
PATTERN_DIM = 8
"""Features that carry the topic."""
QUIRK_DIM = 8
"""Per-question random features: nothing to learn, everything to memorise."""
QUIRK_SCALE = 0.5
"""Size of each quirk feature relative to the topic pattern's features (which have size 1)."""
PATTERN_NOISE = 0.7
"""How much each question departs from its topic's pattern (standard deviation per pattern feature)."""
HIDDEN = (128,)
"""The student's hidden layer widths."""
LR = 0.1
"""Plain SGD learning rate, held fixed for every batch size and epoch count (no scaling rule)."""
BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100)
"""Batch sizes of the first-sitting comparison."""
STUDY_SEEDS = tuple(range(8))
"""Seeds (exam and student) averaged in the first-sitting comparison."""
MAX_EPOCHS = 50
"""Most sittings the page offers, at every batch size (the trainer's budget allows 50 even at batch 1)."""


# --- the exams -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exam:
    """One exam: ``features`` (float32, ``(n, features)``), ``key`` (int64 answers, ``(n,)``), ``topic``
    (int64, ``(n,)``), ``trick`` (bool, ``(n,)``: the key contradicts the topic), ``choices`` (answer
    options) and ``images`` (int64 ``(n,)``: each question's row in ``digits.pixels()``; empty when made up)."""

    features: Tensor
    key: Tensor
    topic: Tensor
    trick: Tensor
    choices: int = CHOICES
    images: Tensor = torch.zeros(0, dtype=torch.int64)

    @property
    def size(self) -> int:
        """Number of questions."""
        return self.key.shape[0]


def _exam(g: torch.Generator, patterns: Tensor, topic_answer: Tensor, per_topic: int) -> Exam:
    topics = patterns.shape[0]
    topic = torch.arange(topics).repeat_interleave(per_topic)
    n = topic.shape[0]
    quirks = QUIRK_SCALE * torch.randn(n, QUIRK_DIM, generator=g)
    wobble = PATTERN_NOISE * torch.randn(n, patterns.shape[1], generator=g)
    features = torch.cat([patterns[topic] + wobble, quirks], dim=1)
    key = topic_answer[topic].clone()
    trick = torch.zeros(n, dtype=torch.bool)
    for t in range(topics):
        # Tricks never open a topic's row: the first question shows the topic's usual answer.
        picks = 1 + torch.randperm(per_topic - 1, generator=g)[:TRICKS_PER_TOPIC]
        rows = t * per_topic + picks
        trick[rows] = True
        # A wrong answer for the topic: shift by 1..CHOICES-1 so it always differs from the usual one.
        shift = 1 + torch.randint(CHOICES - 1, (TRICKS_PER_TOPIC,), generator=g)
        key[rows] = (topic_answer[t] + shift) % CHOICES
    return Exam(features, key, topic, trick)


def make_exams(seed: int = 0, data: str = DATA[0]) -> tuple[Exam, Exam]:
    """The exam sheet (``QUESTIONS`` questions, topic by topic in row order) and a new exam on the same
    topics (``NEW_QUESTIONS`` questions), both drawn from ``torch.Generator().manual_seed(seed)``.

    Each topic has a random pattern (standard normal, ``PATTERN_DIM`` features) and a random usual
    answer; every question adds its own quirks (normal with standard deviation ``QUIRK_SCALE``).
    ``data="digits"``: see ``digit_exams``.
    """
    check_data(data)
    if data == "digits":
        return digit_exams(seed)
    g = torch.Generator().manual_seed(seed)
    patterns = torch.randn(TOPICS, PATTERN_DIM, generator=g)
    topic_answer = torch.randint(CHOICES, (TOPICS,), generator=g)
    sheet = _exam(g, patterns, topic_answer, QUESTIONS // TOPICS)
    new = _exam(g, patterns, topic_answer, NEW_QUESTIONS // TOPICS)
    return sheet, new


def digit_exams(seed: int = 0) -> tuple[Exam, Exam]:
    """The digits exam: for each digit in turn, ``QUESTIONS // TOPICS`` of its images on the sheet and
    ``NEW_QUESTIONS // TOPICS`` others on the new exam, drawn without repeats by a ``torch.Generator``
    seeded with ``seed`` from the 1,797 images. Inputs are pixels ÷ 16; the key is the digit written."""
    x, y = digits.tensors()
    g = torch.Generator().manual_seed(seed)
    per_sheet, per_new = QUESTIONS // TOPICS, NEW_QUESTIONS // TOPICS
    picks = []
    for digit in range(TOPICS):
        rows = (y == digit).nonzero().flatten()
        picks.append(rows[torch.randperm(rows.shape[0], generator=g)[:per_sheet + per_new]])
    sheet = torch.cat([p[:per_sheet] for p in picks])
    new = torch.cat([p[per_sheet:] for p in picks])
    return tuple(Exam(x[rows], y[rows], y[rows], torch.zeros(rows.shape[0], dtype=torch.bool), DIGIT_CHOICES, rows)
                 for rows in (sheet, new))


# --- the exam sheet ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """One question on the 10 × 10 sheet: ``question`` (0-based), ``row`` (its topic) and ``col``;
    ``batch`` (0-based check it belongs to) and ``check_after`` (True if the key is checked right
    after this question: the last question of its batch)."""

    question: int
    row: int
    col: int
    batch: int
    check_after: bool


def sheet(batch_size: int, questions: int = QUESTIONS, columns: int = QUESTIONS // TOPICS) -> list[Tile]:
    """The exam sheet's tiles in question order for ``batch_size`` questions per check (row-major)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    return [
        Tile(q, q // columns, q % columns, q // batch_size, (q + 1) % batch_size == 0 or q == questions - 1)
        for q in range(questions)
    ]


@dataclass(frozen=True)
class SheetCounts:
    """The sheet's numbers for one batch size: ``checks`` (answer-key checks = weight updates per
    sitting), ``last_batch`` (questions in the final batch) and ``memory`` (questions solved and held
    in memory before a check: the batch, or the whole exam if the batch is larger)."""

    checks: int
    last_batch: int
    memory: int


def sheet_counts(batch_size: int, questions: int = QUESTIONS) -> SheetCounts:
    """Checks, last batch and memory per sitting, counted as a PyTorch DataLoader batches the exam."""
    return SheetCounts(
        loader_length(questions, batch_size), loader_last_batch(questions, batch_size), min(batch_size, questions)
    )


def checked_within_topic(batch_size: int, questions: int = QUESTIONS, per_topic: int = QUESTIONS // TOPICS) -> int:
    """Questions answered *after* the key was already checked once within their own topic, in one sitting.

    Only these can profit from a check in the first sitting: a check teaches the questions just solved,
    and the next topic has another usual answer. With batches of a whole topic or more (every check at a
    topic's end) it is 0. Counted on the sheet's layout: checks close each DataLoader batch (``sheet``).
    """
    tiles = sheet(batch_size, questions, per_topic)
    count = 0
    for tile in tiles:
        start = tile.question - tile.question % per_topic
        count += any(tiles[q].check_after for q in range(start, tile.question))
    return count


# --- the student sits the exam ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExamRun:
    """What one student did. Per sitting (epoch, 0-based list positions): ``answers`` (the answer given to
    each question, question order, at the moment it was answered, before its batch was checked) and
    ``new_score`` (fraction of the new exam answered right after that sitting, eval mode). Per question:
    ``key`` (the right answer), ``trick`` (the key contradicts the topic) and ``images`` (row in
    ``digits.pixels()``; empty if made up). ``mistakes`` counts each sitting's wrong answers.
    """

    batch_size: int
    seed: int
    new_score: list[float]
    answers: list[list[int]]
    key: list[int]
    trick: list[bool]
    images: list[int]

    @functools.cached_property
    def mistakes(self) -> list[int]:
        """Per sitting: questions of the sheet answered wrong (``answers`` against ``key``)."""
        return [sum(a != k for a, k in zip(given, self.key, strict=True)) for given in self.answers]

    @property
    def sittings(self) -> int:
        """Number of sittings run."""
        return len(self.answers)

    def right(self, sitting: int) -> list[bool]:
        """Per question (question order): answered right in ``sitting`` (0-based), before its batch was checked."""
        return [a == k for a, k in zip(self.answers[sitting], self.key, strict=True)]

    @property
    def first_right(self) -> list[bool]:
        """Per question: answered right in the first sitting."""
        return self.right(0)

    def prefix(self, sittings: int) -> ExamRun:
        """The first ``sittings`` sittings of this run: exactly the run of that many sittings, since the
        learning rate is constant and the questions come in the same order every sitting."""
        if not 1 <= sittings <= self.sittings:
            raise ValueError(f"sittings must be from 1 to {self.sittings}, got {sittings}")
        return ExamRun(self.batch_size, self.seed, self.new_score[:sittings], self.answers[:sittings], self.key,
                       self.trick, self.images)

    @property
    def best_sitting(self) -> int:
        """0-based sitting whose new-exam score is highest (earliest on ties): where to stop early."""
        return max(range(self.sittings), key=lambda e: (self.new_score[e], -e))


def config(batch_size: int, sittings: int, seed: int = 0) -> TrainConfig:
    """The trainer settings for a student: SGD at the fixed ``LR``, exam order (no shuffling), cross-entropy.

    Raises ``ValueError`` if the run would exceed the trainer's step or sample budget.
    """
    cfg = TrainConfig(epochs=sittings, batch_size=batch_size, lr=LR, shuffle=False, seed=seed, loss="cross_entropy")
    check_budget(QUESTIONS, cfg, NEW_QUESTIONS)
    return cfg


def sit(
    batch_size: int, sittings: int = 1, seed: int = 0, data: str = DATA[0],
    progress: Callable[[float], None] | None = None,
) -> ExamRun:
    """Train a fresh student (``mlp`` seeded with ``seed``) on exam ``seed`` of ``data`` for ``sittings`` epochs.

    ``progress(fraction_done)`` is called after each sitting.
    """
    return sit_many([(batch_size, seed)], sittings, data, progress=progress)[0]


def sit_many(
    students: Sequence[tuple[int, int]], sittings: int = 1, data: str = DATA[0],
    progress: Callable[[float], None] | None = None,
) -> list[ExamRun]:
    """Every ``(batch_size, seed)`` student sits their exam of ``data`` ``sittings`` times, trained as one
    stacked program (``fit_many``: the students of one batch size step together); each result equals
    ``sit``'s for that student alone. ``progress(fraction)`` follows the finished steps of all students."""
    exams = [make_exams(seed, data) for _, seed in students]
    configs = [config(b, sittings, seed) for b, seed in students]
    models = [mlp(sheet.features.shape[1], HIDDEN, sheet.choices, seed=seed) for (_, seed), (sheet, _)
              in zip(students, exams, strict=True)]
    total = sum(loader_length(QUESTIONS, b) * sittings for b, _ in students)
    histories = fit_many(
        models, [sheet.features for sheet, _ in exams], [sheet.key for sheet, _ in exams], configs,
        validation_data=[(new.features, new.key) for _, new in exams],
        on_epoch=epoch_progress(progress, total, lambda history: history.steps_per_epoch),
        record_predictions=True,
    )
    out = []
    for (b, seed), (sheet, _), history in zip(students, exams, histories, strict=True):
        answers = torch.zeros(sittings, QUESTIONS, dtype=torch.int64)
        for p in history.predictions:
            answers[p.epoch, p.indices] = p.outputs.argmax(1)
        out.append(ExamRun(batch_size=b, seed=seed, new_score=list(history.val_accuracy), answers=answers.tolist(),
                           key=sheet.key.tolist(), trick=sheet.trick.tolist(), images=sheet.images.tolist()))
    return out


@dataclass(frozen=True)
class BatchStudy:
    """First-sitting mistakes for one batch size over several seeds: ``per_seed`` (list of counts),
    with ``mean``, ``low`` and ``high`` (the smallest and largest count)."""

    batch_size: int
    per_seed: list[int]

    @property
    def mean(self) -> float:
        """Average first-sitting mistakes over the seeds."""
        return sum(self.per_seed) / len(self.per_seed)

    @property
    def low(self) -> int:
        """Fewest first-sitting mistakes among the seeds."""
        return min(self.per_seed)

    @property
    def high(self) -> int:
        """Most first-sitting mistakes among the seeds."""
        return max(self.per_seed)


def first_sitting_study(
    batch_sizes: Sequence[int] = BATCH_SIZES,
    seeds: Sequence[int] = STUDY_SEEDS,
    data: str = DATA[0],
    progress: Callable[[float], None] | None = None,
) -> list[BatchStudy]:
    """First-sitting mistakes (out of ``QUESTIONS``) on exams of ``data`` for each batch size, one student per
    seed (all students of all batch sizes trained as one stacked program); ``progress`` as ``sit_many``'s."""
    runs = sit_many([(b, s) for b in batch_sizes for s in seeds], 1, data, progress=progress)
    per_batch = len(seeds)
    return [BatchStudy(b, [r.mistakes[0] for r in runs[i * per_batch:(i + 1) * per_batch]])
            for i, b in enumerate(batch_sizes)]


def chance_mistakes(data: str = DATA[0], questions: int = QUESTIONS) -> float:
    """Mistakes expected from pure guessing among the answers of ``data``'s exam (``CHOICES`` or ``DIGIT_CHOICES``)."""
    return questions * (1 - 1 / (DIGIT_CHOICES if data == "digits" else CHOICES))



# --- what the sittings chart says about the new exam -----------------------------------------------------

WORSE_BY_QUESTIONS = 4
"""A new-exam score this many questions (of ``NEW_QUESTIONS``: 2 percentage points) or more below its best
counts as "worse"; a smaller dip is within what one lucky or unlucky guess or two moves, so it is called level."""


@dataclass(frozen=True)
class NewExamVerdict:
    """What the new exam says after a run's last sitting, from right-answer counts (no float ties).

    ``kind``: ``"rising"`` (the last sitting is the best so far), ``"worse"`` (the last is at least
    ``WORSE_BY_QUESTIONS`` below the best) or ``"level"`` (below the best by less than that, or equal).
    Scores are percentages of ``NEW_QUESTIONS`` (multiples of 0.5, exact at one decimal); ``best`` is the
    1-based best sitting (earliest on ties); ``this_improved``: fewer mistakes on this exam in the last
    sitting than in the best one.
    """

    kind: str
    best: int
    best_score: float
    final_score: float
    drop: float  # percentage points, best_score - final_score (>= 0)
    this_improved: bool
    margin: float  # percentage points: WORSE_BY_QUESTIONS of NEW_QUESTIONS


def new_exam_verdict(run: ExamRun, questions: int = NEW_QUESTIONS) -> NewExamVerdict:
    """The verdict on ``run``'s new-exam scores (see ``NewExamVerdict``)."""
    right = [round(score * questions) for score in run.new_score]
    best = run.best_sitting
    dropped = right[best] - right[-1]
    kind = "rising" if best == run.sittings - 1 else "worse" if dropped >= WORSE_BY_QUESTIONS else "level"
    pct = 100 / questions
    return NewExamVerdict(kind=kind, best=best + 1, best_score=right[best] * pct, final_score=right[-1] * pct,
                          drop=dropped * pct, this_improved=run.mistakes[-1] < run.mistakes[best],
                          margin=WORSE_BY_QUESTIONS * pct)
