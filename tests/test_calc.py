"""ebcore.primitives.calc against the frameworks themselves: a real DataLoader and DistributedSampler."""

import math
import signal

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.utils.data import DataLoader, DistributedSampler

from ebcore.primitives import calc

sizes = st.integers(min_value=1, max_value=400)
flags = st.booleans()


def loader_batches(indices, batch_size, drop_last):
    """The batches a real DataLoader yields over ``indices``, as lists of ints."""
    loader = DataLoader(indices, batch_size=batch_size, drop_last=drop_last)
    return len(loader), [b.tolist() for b in loader]


@settings(max_examples=300, deadline=None)
@given(n=sizes, b=sizes, drop_last=flags, epochs=st.integers(1, 50))
def test_single_device_matches_dataloader(n, b, drop_last, epochs):
    length, batches = loader_batches(list(range(n)), b, drop_last)
    p = calc.plan(n, b, epochs, drop_last=drop_last)
    assert p.iterations_per_epoch == length == len(batches)
    assert p.last_batch_size == (len(batches[-1]) if batches else 0)
    seen = sum(len(x) for x in batches)
    assert p.samples_per_epoch == seen
    assert p.dropped_per_epoch == n - seen
    assert p.updates_per_epoch == length
    assert p.total_updates == length * epochs


@settings(max_examples=200, deadline=None)
@given(n=sizes, b=st.integers(1, 64), world=st.integers(2, 9), drop_last=flags, sampler_drop=flags)
@example(n=11, b=3, world=2, drop_last=True, sampler_drop=False)  # the issue's: 2 steps, nothing skipped
@example(n=7, b=4, world=2, drop_last=True, sampler_drop=False)  # 1 step, not "no batch at all"
@example(n=9, b=2, world=2, drop_last=True, sampler_drop=False)  # the loader drops a padded copy
def test_distributed_matches_sampler(n, b, world, drop_last, sampler_drop):
    """The sampler's and the loader's drop_last apart, as separate flags of the real classes."""
    per_replica = []
    for rank in range(world):
        sampler = DistributedSampler(range(n), num_replicas=world, rank=rank, shuffle=False, drop_last=sampler_drop)
        per_replica.append(loader_batches(list(sampler), b, drop_last))
    p = calc.plan(n, b, 3, drop_last=drop_last, sampler_drop_last=sampler_drop, world_size=world)
    lengths = {length for length, _ in per_replica}
    assert lengths == {p.iterations_per_epoch}, "replicas step together"
    processed = [i for _, batches in per_replica for batch in batches for i in batch]
    assert p.samples_per_epoch == len(processed)
    assert p.dropped_per_epoch == n - len(set(processed))
    assert p.padded_per_epoch == len(processed) - len(set(processed))
    last_sizes = {len(batches[-1]) if batches else 0 for _, batches in per_replica}
    assert last_sizes == {p.last_batch_size}
    assert p.samples_per_replica == len(DistributedSampler(range(n), num_replicas=world, rank=0,
                                                           drop_last=sampler_drop))
    assert p.effective_batch == b * world


@settings(max_examples=200, deadline=None)
@given(n=sizes, b=st.integers(1, 50), k=st.integers(1, 12), drop_last=flags, epochs=st.integers(1, 5))
def test_accumulation_counts_a_final_partial_window(n, b, k, drop_last, epochs):
    """Simulate a Lightning-style loop: step every k micro-batches and on the epoch's last batch."""
    length, _ = loader_batches(list(range(n)), b, drop_last)
    steps, window, windows = 0, 0, []
    for i in range(length):
        window += 1
        if window == k or i == length - 1:
            steps += 1
            windows.append(window)
            window = 0
    p = calc.plan(n, b, epochs, drop_last=drop_last, accumulation_steps=k)
    assert p.updates_per_epoch == steps
    assert p.total_updates == steps * epochs
    assert p.last_update_micro_batches == (windows[-1] if windows else 0)
    assert p.effective_batch == k * b


@pytest.mark.parametrize(
    ("n", "b", "epochs", "per_epoch", "total", "last"),
    [
        (320, 32, 10, 10, 100, 32),  # the notes' first example
        (200, 20, 10, 10, 100, 20),
        (100, 100, 1, 1, 1, 100),  # the exam: check once at the end
        (100, 10, 1, 10, 10, 10),
        (100, 1, 1, 100, 100, 1),
        (1000, 50, 20, 20, 400, 50),
        (8000, 10, 20, 800, 16000, 10),  # Keras 800/800
        (1206, 300, 1, 5, 5, 6),  # the BatchNorm last batch of 6
        (60006, 300, 1, 201, 201, 6),
        (1600, 64, 1, 25, 25, 64),  # the learner question: 25, not 10
    ],
)
def test_worked_examples(n, b, epochs, per_epoch, total, last):
    # Each worked example must agree with the framework too, not only with the notes.
    assert len(DataLoader(range(n), batch_size=b)) == per_epoch
    p = calc.plan(n, b, epochs)
    assert (p.updates_per_epoch, p.total_updates, p.last_batch_size) == (per_epoch, total, last)


def test_drop_last_with_batch_larger_than_data_gives_no_updates():
    p = calc.plan(50, 64, 7, drop_last=True)
    assert len(DataLoader(range(50), batch_size=64, drop_last=True)) == 0
    assert (p.iterations_per_epoch, p.updates_per_epoch, p.total_updates, p.last_batch_size) == (0, 0, 0, 0)
    assert p.dropped_per_epoch == 50
    assert p.regime is calc.Regime.NONE


@pytest.mark.parametrize(
    ("n", "b", "k", "r", "regime"),
    [
        (100, 100, 1, 1, calc.Regime.BATCH),
        (100, 500, 1, 1, calc.Regime.BATCH),
        (100, 1, 1, 1, calc.Regime.STOCHASTIC),
        (100, 10, 1, 1, calc.Regime.MINI_BATCH),
        (100, 10, 10, 1, calc.Regime.BATCH),  # accumulating 10 x 10 sees every sample per update
        (100, 1, 2, 1, calc.Regime.MINI_BATCH),
    ],
)
def test_regime(n, b, k, r, regime):
    assert calc.plan(n, b, accumulation_steps=k, world_size=r).regime is regime


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_samples": 0},
        {"n_samples": -5},
        {"n_samples": True},
        {"n_samples": 10.0},
        {"n_samples": "10"},
        {"n_samples": None},
        {"batch_size": 0},
        {"batch_size": False},
        {"batch_size": 2.5},
        {"epochs": 0},
        {"epochs": -1},
        {"epochs": "3"},
        {"accumulation_steps": 0},
        {"world_size": 0},
        {"world_size": None},
        {"drop_last": 1},
        {"drop_last": "yes"},
        {"n_samples": calc.MAX_SAMPLES + 1},
    ],
)
def test_invalid_arguments_name_the_argument_and_range(kwargs):
    args = {"n_samples": 10, "batch_size": 3, "epochs": 1} | kwargs
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=name):
        calc.plan(args.pop("n_samples"), args.pop("batch_size"), args.pop("epochs"), **args)


@pytest.mark.parametrize(
    ("last", "b", "severity"),
    [(0, 5, "none"), (300, 300, "full"), (1, 300, "single"), (6, 300, "tiny"), (12, 300, "small"),
     (16, 300, "fine"), (150, 300, "fine")],
)
def test_last_batch_severity(last, b, severity):
    assert calc.last_batch_severity(last, b).value == severity


@settings(max_examples=200, deadline=None)
@given(n=st.integers(2, 100_000), b=st.integers(2, 2000))
def test_safer_batch_sizes_really_are_safer(n, b):
    for candidate in calc.safer_batch_sizes(n, b):
        assert candidate != b and 1 <= candidate <= n
        last = calc.plan(n, candidate).last_batch_size
        assert last == candidate or (last >= calc.BN_RELIABLE_BATCH and 2 * last >= candidate)


def test_safer_batch_sizes_for_the_notes_case():
    suggestions = calc.safer_batch_sizes(1206, 300)
    assert suggestions, "there are healthy sizes near 300 for 1206 samples"
    assert all(abs(s - 300) <= 150 for s in suggestions)


@pytest.mark.parametrize(
    ("n", "b", "split", "steps"), [(10000, 10, 0.2, 800), (8000, 10, 0.0, 800), (1001, 32, 0.1, 29)]
)
def test_keras_steps(n, b, split, steps):
    assert calc.keras_train_samples(n, split) == math.floor(n * (1 - split))
    assert calc.keras_steps(n, b, split) == steps


def test_calc_never_imports_torch_or_streamlit():
    import subprocess
    import sys

    code = (
        "import sys, ebcore.primitives.calc, ebcore.primitives.strip, ebcore.primitives.keraslog,"
        " ebcore.primitives.frameworks;"
        "print('torch' in sys.modules, 'streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_torch_is_the_reference_here():
    # Guard that the reference itself behaves as the docs' worked example says.
    batches = [b.tolist() for b in DataLoader(torch.arange(10), batch_size=3)]
    assert batches == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), b=st.integers(1, 5000))
def test_safer_batch_sizes_are_the_nearest_healthy_ones(n, b):
    def healthy(c: int) -> bool:
        last = calc.plan(n, c).last_batch_size
        return last == c or (last >= calc.BN_RELIABLE_BATCH and 2 * last >= c)

    reach = max(b // 2, 8)
    nearby = sorted((c for c in range(max(1, b - reach), min(n, b + reach) + 1) if c != b and healthy(c)),
                    key=lambda c: (abs(c - b), c))
    assert calc.safer_batch_sizes(n, b) == nearby[:4]


@pytest.mark.parametrize(("n", "b"), [(2, 10**9), (10**9, 9 * 10**8), (10**9, 10**9 - 1), (7, 10**6)])
def test_safer_batch_sizes_scan_is_bounded_for_huge_values(n, b, monkeypatch):
    # Found by fuzzing the home page (gpus=156, batch=10⁹): the scan ran for minutes on a shared server.
    checked = []
    real = calc.healthy_last_batch

    def counted(*args: int) -> bool:
        checked.append(args)
        assert len(checked) <= 2 * calc.SAFER_SCAN, "the scan is not bounded"
        return real(*args)

    def hang(*_: object) -> None:
        raise AssertionError("still scanning after 20 s")  # a hang guard (the fix takes milliseconds)

    monkeypatch.setattr(calc, "healthy_last_batch", counted)
    signal.signal(signal.SIGALRM, hang)
    signal.alarm(20)
    try:
        suggestions = calc.safer_batch_sizes(n, b)
    finally:
        signal.alarm(0)
    assert all(1 <= s <= n and abs(s - b) <= calc.SAFER_SCAN for s in suggestions)


# --- the framework translator (issue 26, 10): every row is calc.plan for the settings it names -------------


def _evaluate_rule(formula: str, n: int, b: int, k: int, r: int) -> int:
    """The row's formula text worked out with integer ceil/floor: what a student reading it would compute."""
    expr = formula.replace("·0.8", "*4//5").replace("N", str(n)).replace("B", str(b)).replace("K", str(k))
    return _exact(expr.replace("R", str(r)))


def _exact(expr: str) -> int:
    """Evaluate ``ceil(a/b)``/``floor(a/b)`` nests exactly with fractions (no float rounding)."""
    from fractions import Fraction

    class Q(Fraction):
        def __truediv__(self, other):  # noqa: D105
            return Q(Fraction(self) / Fraction(other))

        def __floordiv__(self, other):  # noqa: D105
            return Q(Fraction(self) // Fraction(other))

        def __mul__(self, other):  # noqa: D105
            return Q(Fraction(self) * Fraction(other))

    import re

    wrapped = re.sub(r"\d+", lambda m: f"Q({m[0]})", expr)
    env = {"Q": Q, "ceil": lambda x: Q(math.ceil(x)), "floor": lambda x: Q(math.floor(x)), "__builtins__": {}}
    return int(eval(wrapped, env, {}))  # noqa: S307 - our own formula text, digits and ceil/floor only


@settings(max_examples=400, deadline=None)
@given(n=st.integers(1, 3000), b=st.integers(1, 600), k=st.integers(1, 9), r=st.integers(1, 9), drop_last=flags,
       sampler_drop=flags)
def test_translator_rows_are_calc_plan_and_the_cards_row_is_the_cards(n, b, k, r, drop_last, sampler_drop):
    from ebcore.primitives import frameworks

    rows = frameworks.translate(n, b, k, r, drop_last, sampler_drop)
    cards = calc.plan(n, b, drop_last=drop_last, sampler_drop_last=sampler_drop, accumulation_steps=k, world_size=r)
    for row in rows:
        if row.key == "keras_accum":  # Keras 3 counts its windows over the run (pinned by the oracle tests)
            assert row.updates_by_epoch == tuple(frameworks.keras_accumulation_cycle(n, b, k)) and not row.yours
            continue
        p = calc.plan(row.train_samples, b, drop_last=row.drop_last, sampler_drop_last=row.sampler_drop_last,
                      accumulation_steps=row.accumulation_steps, world_size=row.world_size)
        assert (row.batches, row.updates, row.last_batch, row.skipped, row.padded, row.samples_per_update) == (
            p.iterations_per_epoch, p.updates_per_epoch, p.last_batch_size, p.dropped_per_epoch,
            p.padded_per_epoch, p.largest_update), row
        # The rule column, worked out by hand, gives the row's updates.
        assert _evaluate_rule(row.rule, n, b, row.accumulation_steps, row.world_size) == row.updates, row
        # Only Keras's split trains on fewer samples; every option a row names is an option it was counted with.
        assert row.train_samples == (calc.keras_train_samples(n, 0.2) if row.key == "keras_split" else n)
        assert row.yours == ((row.train_samples, row.drop_last, row.sampler_drop_last, row.accumulation_steps,
                              row.world_size) == (n, drop_last, sampler_drop and r > 1, k, r))
    keys = [row.key for row in rows]
    assert ("accum" in keys) == ("keras_accum" in keys) == (k > 1)
    assert ("ddp" in keys) == ("lightning_ddp" in keys) == (r > 1)
    assert ("keras_split" in keys) == (frameworks.keras_split_error(n) is None)
    # The page's own settings always have a row (the last one once accumulation or GPUs are on), and its
    # numbers are the cards'.
    mine = [row for row in rows if row.yours]
    assert mine and (rows[-1].yours or k == r == 1)
    for row in mine:
        assert (row.updates, row.last_batch, row.skipped) == (
            cards.updates_per_epoch, cards.last_batch_size, cards.dropped_per_epoch)
    # The rows with options carry the page's other options (accumulation with its drop_last, several GPUs
    # with its K and both drop_lasts; Lightning's with the sampler's off, as Lightning sets it).
    for row in rows:
        if row.key == "accum":
            assert (row.drop_last, row.accumulation_steps, row.world_size) == (drop_last, k, 1)
        if row.key == "ddp":
            assert (row.drop_last, row.sampler_drop_last, row.accumulation_steps, row.world_size) == (
                drop_last, sampler_drop, k, r)
        if row.key == "lightning_ddp":
            assert (row.drop_last, row.sampler_drop_last, row.accumulation_steps, row.world_size) == (
                drop_last, False, k, r)


@pytest.mark.parametrize(("n", "b", "k", "epochs", "expected"), [
    (10, 3, 3, 4, [1, 1, 2, 1]),  # the issue's: 5 updates, the leftover window never applied
    (1206, 300, 2, 4, [2, 3, 2, 3]),
    (100, 10, 1, 3, [10, 10, 10]),
    (5, 10, 4, 5, [0, 0, 0, 1, 0]),
])
def test_keras_updates_per_epoch_by_hand(n, b, k, epochs, expected):
    assert calc.keras_updates_per_epoch(n, b, epochs, k) == expected


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 60), b=st.integers(1, 15), k=st.integers(1, 9))
def test_keras_largest_update_is_the_largest_window_across_epochs(n, b, k):
    from ebcore.primitives import frameworks

    steps = calc.loader_length(n, b)
    sizes = [len(x) for x in DataLoader(range(n), batch_size=b)] * (2 * k + 2)
    windows = [sum(sizes[j * k:(j + 1) * k]) for j in range(len(sizes) // k)]
    assert frameworks.keras_largest_update(n, b, k) == max(windows), steps


def test_translator_for_the_issue_case():
    """4 GPUs, K = 2, drop_last, N = 1,000, B = 32: the cards say 4 updates; the accumulation row said 16."""
    from ebcore.primitives import frameworks

    rows = {row.key: row for row in frameworks.translate(1000, 32, 2, 4, True, True)}
    assert calc.plan(1000, 32, drop_last=True, sampler_drop_last=True, accumulation_steps=2,
                     world_size=4).updates_per_epoch == 4
    assert rows["ddp"].updates == 4 and rows["ddp"].yours
    assert rows["accum"].updates == 16 and rows["accum"].drop_last and not rows["accum"].yours  # floor(1000/32)=31 → 16


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 500), b=st.integers(1, 200), k=st.integers(1, 6), r=st.integers(1, 5), drop_last=flags,
       sampler_drop=flags)
def test_largest_update_is_the_biggest_accumulation_window(n, b, k, r, drop_last, sampler_drop):
    p = calc.plan(n, b, drop_last=drop_last, sampler_drop_last=sampler_drop, accumulation_steps=k, world_size=r)
    share = len(DistributedSampler(range(n), num_replicas=r, rank=0, drop_last=sampler_drop)) if r > 1 else n
    batches = [len(x) for x in DataLoader(range(share), batch_size=b, drop_last=drop_last)]
    windows = [sum(batches[i:i + k]) * r for i in range(0, len(batches), k)]
    assert p.largest_update == max(windows, default=0)
    assert p.one_batch_holds_all == (batches == [share] and b > share)
