"""Both languages carry the same keys, no empty text, and the same placeholders."""

import string

import pytest

from ui.i18n import browser_language
from ui.locales import STRINGS, en, ko


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_same_keys():
    assert set(en.STRINGS) == set(ko.STRINGS), set(en.STRINGS) ^ set(ko.STRINGS)


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
