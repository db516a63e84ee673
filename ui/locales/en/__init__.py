"""English text, one module per page; keys are prefixed with the page's name (``calc.``, ``exam.``)."""

import sys

from ui.locales._merge import merged

STRINGS: dict[str, str] = merged(sys.modules[__name__])
