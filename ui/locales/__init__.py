"""User-facing text, one module per language. Keys are shared; ``tests/test_i18n.py`` proves it."""

from ui.locales import en, ko

STRINGS: dict[str, dict[str, str]] = {"en": en.STRINGS, "ko": ko.STRINGS}
