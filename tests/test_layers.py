"""The package's layers, read from the source: pure rules, queries, mail, operations, the edge."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "booking"

# Pure rules never reach the database, the app or the request.
PURE_FORBIDDEN = (
    "flask", "flask_login", "flask_wtf", "flask_mail", "flask_limiter", "flask_sqlalchemy",
    "werkzeug", "sqlalchemy", "booking.extensions", "booking.queries", "booking.operations",
    "booking.mail",
)
# Names that are the state of one web request.
REQUEST_STATE = {("flask", "request"), ("flask", "session"), ("flask", "g"), ("flask", "flash"),
                 ("flask_login", "current_user")}
EDGE = ("booking.public", "booking.dashboard", "booking.manage", "booking.auth", "booking.api", "booking.webhooks",
        "booking.cli", "booking.error_pages")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) for every import in the file; name is None for `import x`."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.extend((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.module, alias.name) for alias in node.names)
    return found


MODULES = {_module_name(p): _imports(p) for p in sorted(ROOT.rglob("*.py"))}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _targets(imports: list[tuple[str, str | None]]) -> set[str]:
    """Modules imported, `from booking.x import y` counting y when it is a module."""
    targets = set()
    for module, name in imports:
        full = f"{module}.{name}" if name else module
        targets.add(full if full in MODULES else module)
    return targets


def _package(module: str) -> str:
    """The layer a module belongs to: booking.<first part>."""
    parts = module.split(".")
    return ".".join(parts[:2])


def test_the_walk_sees_the_layers() -> None:
    packages = {_package(m) for m in MODULES}
    assert {"booking.domain", "booking.queries", "booking.operations", "booking.mail"} <= packages
    assert "booking.operations.booking" in MODULES and "booking.domain.availability" in MODULES


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _within(m, "booking.domain")))
def test_pure_rules_import_no_app_database_or_session(module: str) -> None:
    bad = sorted(t for t in _targets(MODULES[module]) if any(_within(t, f) for f in PURE_FORBIDDEN))
    assert not bad, f"{module} imports {bad}"


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if _within(m, "booking.operations") or _within(m, "booking.queries"))
)
def test_operations_and_queries_take_no_request_state(module: str) -> None:
    imports = MODULES[module]
    state = sorted(f"{m}.{n}" for m, n in imports if (m, n) in REQUEST_STATE)
    edge = sorted(t for t in _targets(imports) if any(_within(t, e) for e in EDGE))
    assert not state and not edge, f"{module} imports {state + edge}"


def test_no_import_cycles_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, imports in MODULES.items():
        if module == "booking":  # the app factory wires every package together
            continue
        for target in _targets(imports):
            if _within(target, "booking") and target != "booking" and _package(target) != _package(module):
                graph[_package(module)].add(_package(target))

    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif len(path) < len(graph) + 1:
                visit(nxt, path + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert not cycles, f"import cycles: {cycles[:3]}"
