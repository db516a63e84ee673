"""Issue 16, points 1 and 13: the calculator's sentences count what its cards count, in both languages.

Iterations (batches a loader yields), weight updates (optimizer steps) and samples are named and
counted apart: a sentence that multiplies iterations by epochs and calls it updates contradicts the
"Total updates" card as soon as accumulation or several GPUs are on.
"""

import re

import pytest
from conftest import assert_clean, metrics, run_app

from ebcore.primitives import calc
from ui.locales import STRINGS

CASES = [  # (n, batch, epochs, accumulation, GPUs): the two, the plain case, and a single everything
    (1000, 50, 10, 4, 1),
    (1000, 50, 10, 4, 3),
    (320, 32, 10, 1, 1),
    (1000, 30, 3, 1, 2),
    (1, 1, 1, 1, 1),
]


def count(lang: str, key: str, n: int) -> str:
    """What ``ui.i18n.tn`` writes for ``n`` things of ``key``."""
    return STRINGS[lang][f"calc.count.{key}.{'one' if n == 1 else 'other'}"].format(count=f"{n:,}")


def sentences(at) -> str:
    return "\n".join(md.value for md in at.markdown)


@pytest.mark.parametrize(("n", "b", "epochs", "k", "r"), CASES)
def test_the_sentence_counts_what_the_cards_count(lang, n, b, epochs, k, r):
    query = {"n": str(n), "batch": str(b), "epochs": str(epochs), "accum": str(k), "gpus": str(r)}
    at = run_app(lang=lang, **query)
    assert_clean(at)
    p = calc.plan(n, b, epochs, accumulation_steps=k, world_size=r)
    s = STRINGS[lang]
    cards = metrics(at)
    assert cards[s["calc.m.total"]] == f"{p.total_updates:,}"
    text = sentences(at)
    # The sentence's updates are the cards' updates; its iterations are the loader's batches.
    assert count(lang, "updates", p.total_updates) in text
    assert count(lang, "updates", p.updates_per_epoch) in text
    assert count(lang, "iters", p.iterations_per_epoch) in text
    # Iterations × epochs is never presented as updates unless they are the same number.
    wrong = p.iterations_per_epoch * epochs
    if wrong != p.total_updates:
        assert count(lang, "updates", wrong) not in text
    if k * r > 1:
        assert f"**{p.effective_batch:,}**" in text  # samples behind one update


def test_one_of_everything_reads_in_the_singular():
    at = run_app(lang="en", n="1", batch="1", epochs="1")
    text = sentences(at)
    for wrong in ("1** full batches", "1** iterations", "1** weight updates", "1** epochs", "(s)"):
        assert wrong not in text
    assert "**1** iteration" in text and "**1** weight update" in text


def test_no_string_writes_a_plural_with_parentheses():
    assert not [k for k, v in STRINGS["en"].items() if re.search(r"\w\(s\)", v)]


@pytest.mark.parametrize("query", [{"accum": "4"}, {"gpus": "3"}, {"drop_last": "true"}])
def test_a_link_with_framework_options_opens_them(query):
    at = run_app(lang="en", n="1000", batch="50", **query)
    assert_clean(at)
    assert at.expander[0].label == STRINGS["en"]["calc.advanced"]
    assert at.expander[0].proto.expanded


def test_a_plain_link_keeps_the_options_folded():
    at = run_app(lang="en", n="1000", batch="50")
    assert not at.expander[0].proto.expanded
