"""The house rules a reader relies on, read from the source: layers apart, private names private.

- No module of the app imports another module's ``_private`` name or reads one as an attribute.
- ``ebcore`` never imports Streamlit, and its packages depend one way only:
  primitives ← problems ← trainer ← stacked ← lessons ← startup.
- No module of ``ebcore`` or ``ui`` (locale tables aside) runs past 400 lines.
- Every ``ebcore`` module lists its public names in ``__all__``, and each of them exists.
- The app never imports Keras or Lightning: they are the tests' oracles, installed for the tests only.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("ebcore", "ui", "app_pages", "devtools", "benchmarks")
APP_FILES = [*sorted(p for d in PROJECT for p in (ROOT / d).rglob("*.py")),
             ROOT / "serve.py", ROOT / "streamlit_app.py"]
LAYERS = ["primitives", "problems", "trainer", "stacked", "lessons", "startup"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_project(module: str) -> bool:
    return module.split(".")[0] in PROJECT


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(path: Path) -> list[str]:
    """Every ``from <project module> import _x`` and ``<project module alias>._x`` in ``path``."""
    tree = ast.parse(path.read_text(), str(path))
    found, aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _is_project(node.module):
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{path.name}:{node.lineno} from {node.module} import {alias.name}")
                else:  # `from ebcore.trainer import loop`: `loop._x` would read a private name
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_project(alias.name):
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name)
                and node.value.id in aliases):
            found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    uses = [use for path in APP_FILES for use in private_uses(path)]
    assert uses == []


def test_the_private_name_check_finds_both_forms(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from ebcore.trainer.loop import _end_epoch\nfrom ebcore.stacked import layers\n"
                     "layers._stack([])\nfrom ebcore.trainer import fit\n")
    assert len(private_uses(probe)) == 2


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("path", sorted((ROOT / "ebcore").rglob("*.py")), ids=lambda p: _module_name(p))
def test_ebcore_layers_depend_one_way_and_never_on_streamlit(path):
    name = _module_name(path)
    imports = _imports(path)
    assert not any(m.split(".")[0] in ("streamlit", "ui", "app_pages") for m in imports)
    if name == "ebcore":
        return
    own = LAYERS.index(name.split(".")[1])
    for module in imports:
        parts = module.split(".")
        if parts[0] == "ebcore" and len(parts) > 1 and parts[1] in LAYERS:
            assert LAYERS.index(parts[1]) <= own, f"{name} imports {module}, a layer above it"


def test_the_app_never_imports_the_oracle_frameworks():
    """Keras and Lightning check the app in the tests; a served app that imported them would pay their
    hundreds of megabytes and seconds of start-up (and the README's install would have to carry them)."""
    found = [f"{path.relative_to(ROOT)}: {module}" for path in APP_FILES for module in sorted(_imports(path))
             if module.split(".")[0] in ("keras", "pytorch_lightning", "lightning", "tensorflow", "tf_keras", "sklearn",
                                         "scipy")]
    assert not found


@pytest.mark.parametrize("path", [p for d in ("ebcore", "ui") for p in sorted((ROOT / d).rglob("*.py"))
                                  if "locales" not in p.parts], ids=lambda p: _module_name(p))
def test_no_module_runs_past_400_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= 400, f"{path.relative_to(ROOT)}: {lines} lines"


@pytest.mark.parametrize("path", sorted((ROOT / "ebcore").rglob("*.py")), ids=lambda p: _module_name(p))
def test_every_ebcore_module_lists_its_public_names(path):
    module = importlib.import_module(_module_name(path))
    if path.name == "__init__.py" and not hasattr(module, "__all__"):
        exported = [n for n, v in vars(module).items() if not n.startswith("_") and not isinstance(v, ModuleType)]
        assert not exported, "a package exporting names needs __all__"
        return
    assert hasattr(module, "__all__"), f"{module.__name__} has no __all__"
    assert all(hasattr(module, name) for name in module.__all__)
