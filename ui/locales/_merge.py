"""Merge a language package's page modules into one table, refusing a key defined twice."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def merged(package: ModuleType) -> dict[str, str]:
    """All ``STRINGS`` of ``package``'s modules (each page adds a module; nothing to register)."""
    table: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        strings = importlib.import_module(f"{package.__name__}.{info.name}").STRINGS
        twice = table.keys() & strings.keys()
        if twice:
            raise KeyError(f"{package.__name__}.{info.name} redefines {sorted(twice)}")
        table.update(strings)
    return table
