"""Only `engine/whoosh_adapter.py` may touch Whoosh's private names.

Everything else uses Whoosh's public API or the adapter's functions, so that a Whoosh upgrade
means auditing one file (whose own tests pin the behaviour it relies on). The check walks the
syntax tree of every module under src/ and flags:

- `from whoosh... import _name` (or a private module in the path);
- `x._name`, where `_name` is a private name defined anywhere in the installed Whoosh, unless
  `x` is `self`/`cls` in a class of ours that does not derive from a Whoosh class;
- in a class deriving from a Whoosh class (directly, through the adapter, or through another
  such class): any `self._name`/`cls._name`, and any method named `_name`, since either
  would meet (or some day override) Whoosh's internals;
- `_name=` keyword arguments and `getattr(x, "_name")`-style lookups of Whoosh's names.
"""

from __future__ import annotations

import ast
import functools
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import whoosh

SRC = Path(__file__).resolve().parents[1] / "src"
ADAPTER = SRC / "termnews" / "engine" / "whoosh_adapter.py"
ADAPTER_MODULE = "termnews.engine.whoosh_adapter"
NAME_LOOKUPS = {"getattr", "hasattr", "setattr", "delattr"}


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@functools.cache
def whoosh_private_names() -> frozenset[str]:
    """Every private name the installed Whoosh defines: functions, classes, parameters,
    attributes it assigns, module globals and import aliases."""
    names: set[str] = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        with warnings.catch_warnings():  # Whoosh has a few invalid escapes in its strings
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            if isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[0])
    return frozenset(filter(is_private, names))


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _is_whoosh_module(module: str) -> bool:
    return module == "whoosh" or module.startswith("whoosh.")


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str, private: frozenset[str]) -> None:
        self.path = path
        self.private = private
        self.whoosh_names: set[str] = set()
        """Names bound to Whoosh's modules or objects, or to the adapter's."""
        self.classes: list[bool] = []
        """For each enclosing class, innermost last: does it derive from a Whoosh class?"""
        self.found: list[Violation] = []

    def flag(self, node: ast.AST, what: str) -> None:
        self.found.append(Violation(self.path, getattr(node, "lineno", 0), what))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _is_whoosh_module(alias.name) or alias.name == ADAPTER_MODULE:
                self.whoosh_names.add(alias.asname or alias.name.split(".")[0])
            if _is_whoosh_module(alias.name) and any(map(is_private, alias.name.split("."))):
                self.flag(node, f"imports Whoosh's private module {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if not (_is_whoosh_module(module) or module == ADAPTER_MODULE):
            return
        for alias in node.names:
            self.whoosh_names.add(alias.asname or alias.name)
            if _is_whoosh_module(module) and is_private(alias.name):
                self.flag(node, f"imports {alias.name} from {module}")
        if _is_whoosh_module(module) and any(map(is_private, module.split("."))):
            self.flag(node, f"imports from Whoosh's private module {module}")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        derived = any(_root_name(base) in self.whoosh_names for base in node.bases)
        if derived:
            # A class of this module deriving from Whoosh makes its own subclasses derived too.
            self.whoosh_names.add(node.name)
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and is_private(
                    item.name
                ):
                    self.flag(item, f"defines {item.name} on {node.name}, a Whoosh subclass")
        for decorator in node.decorator_list:
            self.visit(decorator)
        for base in [*node.bases, *node.keywords]:
            self.visit(base)
        self.classes.append(derived)
        for item in node.body:
            self.visit(item)
        self.classes.pop()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if is_private(node.attr):
            on_self = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            in_whoosh_subclass = bool(self.classes) and self.classes[-1]
            if on_self and in_whoosh_subclass:
                self.flag(node, f"{node.value.id}.{node.attr} in a Whoosh subclass")  # type: ignore[attr-defined]
            elif not on_self and node.attr in self.private:
                self.flag(node, f"{ast.unparse(node)} reads Whoosh's private {node.attr}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg and keyword.arg in self.private:
                self.flag(keyword, f"passes Whoosh's private argument {keyword.arg}=")
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in NAME_LOOKUPS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in self.private
        ):
            self.flag(node, f"{node.func.id}(..., {node.args[1].value!r}) on a Whoosh internal")
        self.generic_visit(node)


def find_violations(source: str, path: str, private: frozenset[str]) -> list[Violation]:
    """Every use of a private Whoosh name in one module's source."""
    checker = _Checker(path, private)
    checker.visit(ast.parse(source))
    return sorted(checker.found, key=lambda v: v.line)


def modules_outside_the_adapter() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        if path != ADAPTER:
            yield path


def test_only_the_adapter_touches_private_whoosh_names() -> None:
    private = whoosh_private_names()
    found = [
        violation
        for path in modules_outside_the_adapter()
        for violation in find_violations(
            path.read_text(encoding="utf-8"), str(path.relative_to(SRC.parent)), private
        )
    ]
    assert not found, (
        "private Whoosh names outside engine/whoosh_adapter.py (use or add an adapter "
        "function there, with a test in tests/test_whoosh_adapter.py):\n"
        + "\n".join(map(str, found))
    )


def test_the_scan_covers_the_engine_and_the_adapter_exists() -> None:
    scanned = {p.relative_to(SRC).as_posix() for p in modules_outside_the_adapter()}
    assert "termnews/engine/storage/codec.py" in scanned
    assert "termnews/engine/searcher.py" in scanned
    assert ADAPTER.is_file() and ADAPTER.relative_to(SRC).as_posix() not in scanned


def test_whoosh_private_names_are_found_in_the_installed_package() -> None:
    private = whoosh_private_names()
    # A sample of the names the adapter relies on, from classes, modules and parameters.
    assert {"_goto", "_read_ids", "_write_block", "_lenfield", "_perdoc", "_lk"} <= private
    assert {"_latest_generation", "_commit_toc", "_blocklimit", "_btexts"} <= private
    assert not any(name.startswith("__") for name in private)


def _check(source: str) -> list[str]:
    return [v.what for v in find_violations(source, "planted.py", whoosh_private_names())]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from whoosh.codec.whoosh3 import _lenfield\n", "imports _lenfield"),
        ("import whoosh.codec._private\n", "private module"),
        ("def f(leaf):\n    return leaf._perdoc\n", "leaf._perdoc"),
        ("def f(r):\n    return r.searcher()._orig_close\n", "_orig_close"),
        ("def f(ix, W):\n    return W(ix, _lk=False)\n", "_lk="),
        ("def f(leaf):\n    return getattr(leaf, '_perdoc', None)\n", "getattr"),
        ("def f(p):\n    return hasattr(p, '_cached_reader')\n", "hasattr"),
        (
            "from whoosh.codec.whoosh3 import W3LeafMatcher\n"
            "class M(W3LeafMatcher):\n    def _goto(self, position):\n        pass\n",
            "defines _goto on M",
        ),
        (
            "from whoosh.formats import Characters\n"
            "class C(Characters):\n    def _flat(self, v):\n        return v\n",
            "defines _flat on C",
        ),
        (
            "from whoosh.codec.whoosh3 import W3Codec\n"
            "class C(W3Codec):\n    def limit(self):\n        return self._blocklimit\n",
            "self._blocklimit in a Whoosh subclass",
        ),
        (
            "from whoosh import codec\n"
            "class C(codec.whoosh3.W3Codec):\n    def own(self):\n        return self._mine\n",
            "self._mine in a Whoosh subclass",
        ),
        (
            "from termnews.engine.whoosh_adapter import BlockLeafMatcher\n"
            "class M(BlockLeafMatcher):\n    pass\n"
            "class N(M):\n    def block(self):\n        return self._data\n",
            "self._data in a Whoosh subclass",
        ),
    ],
)
def test_the_checker_catches_a_planted_violation(source: str, expected: str) -> None:
    found = _check(source)
    assert len(found) == 1 and expected in found[0], found


def test_the_checker_reports_file_and_line() -> None:
    source = "import os\n\n\ndef f(matcher):\n    return matcher._postfile\n"
    (violation,) = find_violations(source, "engine/thing.py", whoosh_private_names())
    assert str(violation).startswith("engine/thing.py:5: ")


@pytest.mark.parametrize(
    "source",
    [
        # Our own classes' private attributes, even with names Whoosh also uses.
        "class Cache:\n    def __init__(self):\n        self._data = {}\n"
        "    def get(self):\n        return self._data\n",
        # Public names and dunders on Whoosh objects and subclasses.
        "from whoosh.formats import Positions\n"
        "class P(Positions):\n    stride = 1\n    def __init__(self):\n"
        "        super().__init__()\n    def encode(self, v):\n        return self.__class__\n",
        "def f(matcher):\n    return matcher.format, matcher.is_active()\n",
        # Private names of our own that Whoosh does not define.
        "def f(x):\n    return x._termnews_only_name\n",
        # A private class of ours deriving from Whoosh, with public methods only.
        "from whoosh.qparser import PhrasePlugin\n"
        "class _Plugin(PhrasePlugin):\n    def taggers(self, parser):\n        return []\n",
    ],
)
def test_the_checker_lets_public_and_own_names_pass(source: str) -> None:
    assert _check(source) == []
