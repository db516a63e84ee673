"""Both languages carry the same keys, no empty text, and the same placeholders."""

import importlib
import pkgutil
import string

import pytest

from ui.i18n import browser_language
from ui.locales import STRINGS, en, ko


def modules(package) -> dict[str, dict[str, str]]:
    """{module name: its STRINGS} for each page module of a language package."""
    return {
        info.name: importlib.import_module(f"{package.__name__}.{info.name}").STRINGS
        for info in pkgutil.iter_modules(package.__path__)
    }


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


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
