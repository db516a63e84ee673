"""Every Korean string against the style guide (/work/shared/KOREAN.md, kept in the repo's spirit here):

- a particle after a number agrees with how the number is read (10이, 300을, 4와, 8은, 32를, 0.05를,
  72%가, 1로): each string is filled with many values (0 to 10,000, decimals, percentages, words) in
  every placeholder and the text the student sees is read;
- no fixed particle glued to a placeholder (``{b}를`` is wrong for b = 300): rephrase, or let ``t()`` pick
  it with ``{b|을}``;
- one term per idea: none of the guide's rejected words (the "not" column), with its stated exceptions;
- one speech level: 합니다체 body and "~해 보세요" instructions, no 해요체 ending.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from ui.i18n import PAIRS, fill, final_consonant
from ui.locales import ko

KO = ko.STRINGS
HANGUL = "가-힣"

# --- values -----------------------------------------------------------------------------------------
# Every last digit, every round unit (십 백 천 만), thousands separators, decimals read digit by digit,
# percentages, units, and words a placeholder may hold (Hangul with and without 받침, code names).
INTEGERS = [*range(0, 21), 25, 30, 32, 40, 50, 60, 64, 70, 80, 90, 99, 100, 101, 110, 128, 200, 206, 256, 300,
            302, 400, 512, 600, 1000, 1024, 1201, 1206, 1600, 2000, 3000, 8000, 10000]
DECIMALS = [0.05, 0.1, 0.3, 0.36, 0.5, 1.5, 2.0, 7.1, 8.2, 8.3, 9.8, 0.07, 0.24, 0.301]
WORDS = ["사과", "서울", "수박", "BatchNorm", "SGD", "Adam", "Keras", "B", "N"]


class Value:
    """A placeholder's value: ``{x}`` shows ``text``; ``{x:.1f}``, ``{x:,}`` format ``number``."""

    def __init__(self, text: str, number: float | None = None):
        self.text, self.number = text, number

    def __format__(self, spec: str) -> str:
        if not spec:
            return self.text
        if self.number is None:
            return format(self.text, spec.rstrip("fd%,.0123456789") or "")
        number = int(self.number) if spec.endswith("d") else self.number
        return format(number, spec)


def values() -> list[Value]:
    out = [Value(f"{i:,}" if i >= 1000 else str(i), i) for i in INTEGERS]
    out += [Value(str(i), i) for i in (1000, 1206, 10000)]  # as a setting shows it, no separator
    out += [Value(f"{d:g}" if d != 2.0 else "2.0", d) for d in DECIMALS] + [Value("0.10", 0.1)]
    out += [Value(f"{p}%", p) for p in (0, 1, 3, 7, 10, 24, 50, 72, 100)]
    out += [Value(f"{m} ms", m) for m in (8, 18, 30)] + [Value(f"{x}×", x) for x in (4.7, 8.2, 10)]
    out += [Value(f"**{i}**", i) for i in (1, 4, 10, 300)]
    out += [Value(w) for w in WORDS]
    return out


VALUES = values()


def fields(text: str) -> set[str]:
    """The placeholder names of a template (``{b|을}`` counts as ``b``)."""
    return {name.split("|")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def renderings(text: str) -> list[str]:
    """``text`` as students can see it: every placeholder filled with each of :data:`VALUES` in turn."""
    names = fields(text)
    if not names:
        return [text]
    return [fill(text, dict.fromkeys(names, value)) for value in VALUES]


# --- particles ------------------------------------------------------------------------------------------
# A Hangul run that is a particle (or particle + 의/는/도…), and which pair it belongs to.
_FORMS = {"이": "이", "가": "가", "을": "을", "를": "를", "은": "은", "는": "는"}
_FORMS |= {p + s: p for p in ("과", "와") for s in ("", "의", "는", "도", "만")}
_FORMS |= {p + s: p for p in ("으로", "로") for s in ("", "는", "도", "서", "써", "부터", "의", "만")}
_AFTER_VOWEL_ONLY = ("였", "라고", "라는", "라서", "라면", "라도")  # after a 받침: 이었, 이라고, …
_RUN = re.compile(f"[{HANGUL}]+")


def particle_errors(text: str) -> list[str]:
    """Each particle in ``text`` that disagrees with the number, symbol or code name before it."""
    errors = []
    for run in _RUN.finditer(text):
        before = text[: run.start()]
        if not before or re.search(f"[\\s{HANGUL}()\\[\\]/·:=,.-]$", before.rstrip("*_`'\"”’")):
            continue  # a word of its own, or a particle after a bracket that agrees with the word before it
        if before[-1].isspace():
            continue
        final = final_consonant(before)
        word = run[0]
        if final is None:
            continue
        shown = before[-12:].lstrip() + word
        pair = _FORMS.get(word)
        if pair:
            with_final, without = PAIRS[pair]
            if pair in ("으로", "로"):
                right = "로" if final in ("", "ㄹ") else "으로"
            else:
                right = with_final if final else without
            if pair != right:
                errors.append(f"{shown!r} (→ {right})")
        elif word.startswith(_AFTER_VOWEL_ONLY) and final:
            errors.append(f"{shown!r} (→ 이{word})")
    return errors


# A placeholder followed by a fixed particle (Markdown between them is invisible): ``{b}를``, ``{b}**가``.
_GLUED = re.compile(r"\{[^{}|]+\}[*_`'\"”’]*(" + "|".join(sorted(_FORMS, key=len, reverse=True)) + f")(?![{HANGUL}])")


def glued_particles(text: str) -> list[str]:
    return [m[0] for m in _GLUED.finditer(text)]


# --- words the guide rejects ---------------------------------------------------------------------------
# (pattern, why). The guide's exceptions are written into the patterns.
REJECTED = [
    (r"에폭", "에포크"),
    (r"배치 ?사이즈", "배치 크기"),
    (r"(?<!\()갱신", "업데이트 (갱신 only once, in parentheses)"),
    (r"반복(?! ?실행|해서 실행|한 실행|하여 실행)", "이터레이션 / 스텝 (반복 only for repeating a run)"),
    (r"기울기", "그래디언트 (기울기 is a slope)"),
    (r"오버피팅", "과적합"),
    (r"답안지", "해답지"),
    (r"첫 ?응시", "첫 풀이"),
    (r"건너뜀|건너뛰|빠짐|빠지는 샘플|빠진 샘플", "버려지는 샘플"),
    (r"케라스|파이토치", "Keras, PyTorch"),
    (r"(?<!BatchNorm\()(?<!BatchNorm\*\*\()배치 ?정규화(?!\**\(BatchNorm| \(BatchNorm)",
     "BatchNorm (배치 정규화 only next to the code name)"),
    (r"맞춘 곡선", "피팅 곡선"),
    (r"가로축|세로축", "x축 / y축"),
    (r"라벨", "레이블"),
    (r"\d\**스텝", "25 스텝 (a space)"),
    (r"에포크 \**\{(count|epochs|total)\}", "a count is \"10 에포크\"; \"에포크 10\" is the tenth epoch"),
    (r"마지막 배치 \**\{?\w*\}?\**개(?!짜리)", "마지막 배치에 샘플이 6개 (\"마지막 배치 6개\" is six batches)"),
    (r"배치 1개\)|샘플 1개 배치", "샘플 1개짜리 배치"),
    (r"GPU[^.]{0,12}\d+\**대|GPU 한 대", "GPU 4개 (개, not 대)"),
    (r"불안하게", "흔들다 / 망치다 (\"upset\" is not 불안)"),
]
# 기울기 is right for a slope: a string about a line's slope (y = 3x) may say it.
SLOPE_OK = re.compile(r"y ?= ?\d*x")

# --- speech level ---------------------------------------------------------------------------------------
# 해요체 sentence endings (…에요, …해요, …어요, …죠, …나요?), but "~해 보세요" is how instructions end.
_HAEYO = re.compile(f"[{HANGUL}]*(요|죠)(?=[\\s.!?…)*\"”’:,]|$)")
_NOT_HAEYO = ("보세요", "필요", "중요", "주요", "요요")


def haeyo_endings(text: str) -> list[str]:
    return [m[0] for m in _HAEYO.finditer(text) if not m[0].endswith(_NOT_HAEYO)]


# --- the tests ------------------------------------------------------------------------------------------
KEYS = sorted(KO)


def test_every_string_has_been_read():
    # Guard against a filter that reads nothing: the checks below see every Korean string.
    assert len(KEYS) > 500 and sum(len(renderings(KO[k])) for k in KEYS) > 10_000


@pytest.mark.parametrize("key", KEYS)
def test_particles_agree_with_the_number_before_them(key):
    text = KO[key]
    assert not glued_particles(text), f"{key}: a fixed particle after a placeholder; rephrase or write {{b|을}}"
    errors = sorted({e for shown in renderings(text) for e in particle_errors(shown)})
    assert not errors, f"{key}: {errors[:6]}"


@pytest.mark.parametrize("key", KEYS)
def test_no_rejected_words(key):
    text = KO[key]
    found = []
    for pattern, why in REJECTED:
        for m in re.finditer(pattern, text):
            if m[0].startswith("기울기") and SLOPE_OK.search(text):
                continue
            found.append(f"{m[0]!r} → {why}")
    assert not found, f"{key}: {found}"


def korean_literals_outside_the_tables() -> dict[str, str]:
    """{"file:line": text} of each Hangul string literal in the app's code outside ``ui/locales`` (docstrings
    excluded: they are for developers). All user text belongs in the tables; what is left must still read right."""
    root = Path(__file__).resolve().parent.parent
    files = [root / "streamlit_app.py", *(p for d in ("ui", "ebcore", "app_pages") for p in (root / d).rglob("*.py"))]
    found = {}
    for path in files:
        if "locales" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and re.search(f"[{HANGUL}]", node.value)):
                found[f"{path.relative_to(root)}:{node.lineno}"] = node.value
    return found


def test_korean_outside_the_tables_follows_the_guide():
    literals = korean_literals_outside_the_tables()
    assert literals  # the language switch's label, "Language · 언어", at least
    wrong = {where: text for where, text in literals.items()
             if particle_errors(text) or haeyo_endings(text) or any(re.search(p, text) for p, _ in REJECTED)}
    assert not wrong


def test_gaengsin_at_most_once_per_page():
    # The guide lets 갱신 appear once, in parentheses, where a note names the older word.
    pages = {}
    for key, text in KO.items():
        pages.setdefault(key.split(".")[0], []).extend(re.findall(r"\(갱신\)", text))
    assert all(len(found) <= 1 for found in pages.values()), pages


@pytest.mark.parametrize("key", KEYS)
def test_one_speech_level(key):
    assert not haeyo_endings(KO[key]), f"{key}: 해요체 {haeyo_endings(KO[key])}; write 합니다체 or ~해 보세요"


# --- the checks themselves -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["배치 10가", "B = 4과 B = 256를", "B = 300를", "B = 8는", "800 ÷ 32을", "학습률 0.05을", "72%이",
     "**300**를", "1으로", "3로", "0.36였고", "10,000를", "N = 1,000를", "18 ms을", "BatchNorm는"],
)
def test_checker_catches_the_reported_errors(text):
    assert particle_errors(text)


@pytest.mark.parametrize(
    "text",
    ["배치 10이", "B = 4와 B = 256을", "B = 300을", "B = 8은", "800 ÷ 32를", "학습률 0.05를", "72%가",
     "**300**을", "1로", "3으로", "0.35였고", "10,000을", "학습률(0.05)을", "샘플 300개를", "18 ms를",
     "BatchNorm은", "3가지", "B = 4일 때", "10번", "GPU 4개로"],
)
def test_checker_passes_right_particles(text):
    assert not particle_errors(text)


def test_glued_placeholder_is_caught_and_the_helper_is_not():
    assert glued_particles("샘플 {n}개를 {b}**를 {b}이 {b}와 {b}로") == ["{b}**를", "{b}이", "{b}와", "{b}로"]
    assert not glued_particles("{b|을} B = {b}에서 {b}일 때 {b}개를 학습률({lr})을 {x}에 {b}이면")


def test_haeyo_is_caught_and_instructions_are_not():
    assert haeyo_endings("무시했어요. 흔들려요 이렇죠.") == ["무시했어요", "흔들려요", "이렇죠"]
    assert not haeyo_endings("무시했습니다. 숫자를 바꿔 보세요. 꼭 필요합니다. 필요.")
