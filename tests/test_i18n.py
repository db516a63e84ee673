"""Both languages carry the same keys, no empty text, and the same placeholders."""

import importlib
import pkgutil
import string

import pytest

from ui.i18n import browser_language, fill, final_consonant, particle
from ui.locales import STRINGS, en, ko


def modules(package) -> dict[str, dict[str, str]]:
    """{module name: its STRINGS} for each page module of a language package."""
    return {
        info.name: importlib.import_module(f"{package.__name__}.{info.name}").STRINGS
        for info in pkgutil.iter_modules(package.__path__)
    }


def placeholders(text: str) -> set[str]:
    # "{b|을}" is the placeholder b with a Korean particle chosen from its value (ui.i18n.fill).
    return {name.split("|")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def test_same_keys():
    assert set(en.STRINGS) == set(ko.STRINGS), set(en.STRINGS) ^ set(ko.STRINGS)


def test_same_modules_same_keys_no_key_defined_twice():
    en_modules, ko_modules = modules(en), modules(ko)
    assert set(en_modules) == set(ko_modules)
    for name, strings in en_modules.items():
        assert set(strings) == set(ko_modules[name]), name
    # Merging modules with | would let a later module silently override a key of an earlier one.
    assert sum(len(s) for s in en_modules.values()) == len(en.STRINGS)


@pytest.mark.parametrize("lang", sorted(STRINGS))
def test_no_empty_values(lang):
    # Keys ending in ".none" explain an empty case and may be empty on purpose only in both languages.
    empty = [k for k, v in STRINGS[lang].items() if not v.strip() and not k.endswith("explain.none")]
    assert not empty


def test_same_placeholders():
    mismatched = [k for k in en.STRINGS if placeholders(en.STRINGS[k]) != placeholders(ko.STRINGS[k])]
    assert not mismatched


def test_korean_is_korean():
    # A translation left in English would pass the key check; require Hangul in most Korean strings.
    hangul = sum(any("가" <= ch <= "힣" for ch in v) for v in ko.STRINGS.values())
    assert hangul / len(ko.STRINGS) > 0.6


@pytest.mark.parametrize(
    ("locale", "lang"), [("ko-KR", "ko"), ("ko", "ko"), ("en-US", "en"), ("de-DE", "en"), (None, "en")]
)
def test_browser_language(locale, lang):
    assert browser_language(locale) == lang


# --- Korean particles chosen from the value (ui.i18n.particle, fill) ---------------------------------------
# How a Korean reads each value aloud decides the particle: written out here, not computed.
READ = [
    ("0", "을", "이", "으로"),  # 영
    ("1", "을", "이", "로"),  # 일: ㄹ takes 로
    ("2", "를", "가", "로"), ("3", "을", "이", "으로"), ("4", "를", "가", "로"), ("5", "를", "가", "로"),
    ("6", "을", "이", "으로"), ("7", "을", "이", "로"), ("8", "을", "이", "로"), ("9", "를", "가", "로"),
    ("10", "을", "이", "으로"),  # 십
    ("32", "를", "가", "로"), ("64", "를", "가", "로"), ("100", "을", "이", "으로"),  # 백
    ("300", "을", "이", "으로"), ("302", "를", "가", "로"), ("1,000", "을", "이", "으로"),  # 천
    ("1206", "을", "이", "으로"), ("10,000", "을", "이", "으로"),  # 만
    ("20000", "을", "이", "으로"), ("100000000", "을", "이", "으로"),  # 이만, 일억
    ("0.05", "를", "가", "로"),  # 영점영오
    ("0.10", "을", "이", "으로"), ("8.2", "를", "가", "로"), ("0.36", "을", "이", "으로"),
    ("72%", "를", "가", "로"),  # 퍼센트
    ("8.2×", "를", "가", "로"), ("18 ms", "를", "가", "로"),
    ("**300**", "을", "이", "으로"), ("B", "를", "가", "로"), ("N", "을", "이", "으로"),
    ("SGD", "를", "가", "로"), ("Adam", "을", "이", "으로"), ("BatchNorm", "을", "이", "으로"),
    ("Keras", "를", "가", "로"), ("GroupNorm", "을", "이", "으로"),
    ("사과", "를", "가", "로"), ("수박", "을", "이", "으로"), ("서울", "을", "이", "로"),
]


@pytest.mark.parametrize(("value", "object_", "subject", "towards"), READ)
def test_particle_from_how_the_value_is_read(value, object_, subject, towards):
    assert particle(value, "을") == particle(value, "를") == object_
    assert particle(value, "이") == particle(value, "가") == subject
    assert particle(value, "으로") == particle(value, "로") == towards
    topic, with_ = {"을": ("은", "과"), "를": ("는", "와")}[object_]
    assert particle(value, "는") == topic and particle(value, "와") == with_


def test_particle_for_unreadable_text_shows_both():
    assert final_consonant("") is None and particle("", "을") == "을(를)" and particle("(", "로") == "으로(로)"


def test_fill_chooses_the_particle_after_formatting():
    assert fill("B = {b|을} 쓰면", {"b": 300}) == "B = 300을 쓰면"
    assert fill("B = {b|을} 쓰면", {"b": 32}) == "B = 32를 쓰면"
    assert fill("{lr:.2f|로} 학습", {"lr": 0.05}) == "0.05로 학습"
    assert fill("{n:,|이} {n:,}개", {"n": 10000}) == "10,000이 10,000개"
    assert fill("{b}는 그대로, {b|는}", {"b": 4}) == "4는 그대로, 4는"
    assert fill("{x|과} {{literal}}", {"x": "{5"}) == "{5와 {literal}"
    assert fill("{{b|을}} {b|을}", {"b": 300}) == "{b|을} 300을"  # an escaped field stays text
