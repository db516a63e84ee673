"""All user-facing text: one package per language (``en/``, ``ko/``), one module per page inside.

Keys are shared between the languages; ``tests/test_i18n.py`` proves both have the same keys,
placeholders and no empty text.
"""

from ui.locales import en, ko

STRINGS: dict[str, dict[str, str]] = {"en": en.STRINGS, "ko": ko.STRINGS}
