"""The package's shape: layers whose imports point only down, no import cycle, one error tree.

The graph is read from the source (every import, at module top or inside a function), so an
import hidden in a function counts like any other. ARCHITECTURE.md describes the layers.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import classifier
from classifier import errors

PACKAGE = Path(classifier.__file__).resolve().parent
ROOT = PACKAGE.parent

# lower layers first; a module may import its own layer and the ones below it
LAYERS = [
    (
        "core",
        [
            "classifier._version",
            "classifier.errors",
            "classifier.labels",
            "classifier.paths",
            "classifier.charsets",
            "classifier.fileformat",
        ],
    ),
    ("text", ["classifier.text"]),
    ("advice", ["classifier.advice"]),
    ("engine", ["classifier.engine"]),
    ("model", ["classifier.model"]),
    ("batch", ["classifier.batch"]),
    ("top", ["classifier.api", "classifier.cli", "classifier.__main__", "classifier.tools", "classifier"]),
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> int:
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (rank, len(prefix))
    assert best is not None, f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md"
    return best[0]


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for every import of the package in a module."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "classifier" or target.startswith("classifier."):
                names = [a.name for a in node.names]
                # `from . import x` imports the module classifier.<...>.x
                for name in names:
                    if f"{target}.{name}" in MODULES:
                        found.append((f"{target}.{name}", [], node.lineno))
                found.append((target, names, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "classifier" or alias.name.startswith("classifier."):
                    found.append((alias.name, [], node.lineno))
    return found


MODULES = _modules()
GRAPH = {m: sorted({t for t, _, _ in _imports(m, p) if t in MODULES and t != m}) for m, p in MODULES.items()}


def test_every_module_is_in_a_layer():
    for module in MODULES:
        _layer(module)


def test_imports_point_only_down():
    upward = [
        f"{m} ({LAYERS[_layer(m)][0]}) imports {t} ({LAYERS[_layer(t)][0]})"
        for m, targets in GRAPH.items()
        for t in targets
        if _layer(t) > _layer(m)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycle():
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for target in GRAPH[module]:
            if seen.get(target) == 1:
                cycles.append(" → ".join(path[path.index(target) :] + [module, target]))
            elif target not in seen:
                visit(target, path + [module])
        seen[module] = 2

    for module in MODULES:
        if module not in seen:
            visit(module, [])
    assert not cycles, "\n".join(cycles)


def test_private_names_stay_in_their_subpackage():
    """A `_name` is used only where it is defined (its own subpackage)."""
    crossing = []
    for module, path in MODULES.items():
        for target, names, line in _imports(module, path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target.rpartition(".")[0] != module.rpartition(".")[0]:
                crossing.append(f"{module}:{line} imports {private} from {target}")
    assert not crossing, "\n".join(crossing)


def test_subpackages_import_nothing_when_imported():
    """A subpackage's __init__ only describes it: importing one module never loads its siblings."""
    for module, path in MODULES.items():
        if path.name == "__init__.py" and module != "classifier":
            assert not _imports(module, path), f"{module}/__init__.py imports"


def _raised_names() -> list[tuple[str, int, str]]:
    raised = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(exc, ast.Attribute) and isinstance(exc.value, ast.Name):
                    name = f"{exc.value.id}.{exc.attr}"
                elif isinstance(exc, ast.Attribute) and isinstance(exc.value, ast.Attribute):
                    name = f"{exc.value.attr}.{exc.attr}"  # ColumnNotFoundError.missing(...)
                else:
                    name = getattr(exc, "id", ast.dump(exc))
                raised.append((module, node.lineno, name))
    return raised


def test_every_raised_exception_is_a_classifier_error():
    allowed_elsewhere = {
        ("classifier.cli", "click.ClickException"),  # the CLI turns ClassifierError into these
        ("classifier.cli", "click.UsageError"),
        ("classifier", "AttributeError"),  # module __getattr__ protocol
        ("classifier.text.alignment", "IndexError"),  # the sequence protocol (Origins' columns)
    }
    tree = {name: cls for name, cls in inspect.getmembers(errors, inspect.isclass)}
    wrong = []
    for module, line, name in _raised_names():
        base = name.split(".")[0]
        if (module, name) in allowed_elsewhere or name == "exc":
            continue
        cls = tree.get(base)
        if cls is None or not issubclass(cls, errors.ClassifierError):
            wrong.append(f"{module}:{line} raises {name}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", errors.__all__)
def test_the_error_tree(name):
    assert issubclass(getattr(errors, name), errors.ClassifierError)
