"""English text, one module per page; keys are prefixed with the page's name (``calc.``, ``exam.``)."""

from ui.locales.en import calc, shell

STRINGS: dict[str, str] = shell.STRINGS | calc.STRINGS
