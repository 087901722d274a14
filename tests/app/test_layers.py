"""The layers hold: permission rules live in policies/ alone, so nothing else speaks to Casbin,
and no two modules of the application import each other, even lazily inside a function; nor do
two packages of resolvers/, through any of their modules."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = ("examdesk", "models", "resolvers", "schema")
PACKAGES = (*APPLICATION, "policies")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_policies_imports_casbin_or_the_enforcer() -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for package in APPLICATION
        for path in (ROOT / package).rglob("*.py")
        for name in imported_modules(path)
        if name == "casbin" or name.startswith("casbin.") or name == "policies.enforcer"
    }
    assert not offenders, (
        "Ask the Authorizer (or policies.role_allows) instead of Casbin:\n"
        + "\n".join(sorted(offenders))
    )


def test_the_check_sees_an_import_of_casbin(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("import casbin.model\nfrom policies.enforcer import get_enforcer\n")
    assert {"casbin.model", "policies.enforcer"} <= imported_modules(module)


def application_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Which application modules each one imports, anywhere in it (`from a import b` counts b
    when b is a module)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(module: str) -> Iterator[list[str]]:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                yield from visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                yield sorted(group)

    for module in sorted(graph):
        if module not in index:
            yield from visit(module)


def test_no_import_cycle() -> None:
    found = list(cycles(import_graph(application_modules())))
    assert not found, "Modules that import each other:\n" + "\n".join(map(str, found))


def test_the_cycle_check_finds_a_lazy_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert list(cycles(graph)) == [["a", "b", "c"]]


def resolver_package(module: str) -> str | None:
    """The domain package of resolvers/ a module belongs to (resolvers.exams.entries: exams)."""
    parts = module.split(".")
    if parts[0] != "resolvers" or len(parts) < 2 or not (ROOT / "resolvers" / parts[1]).is_dir():
        return None
    return parts[1]


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Which resolvers/ packages each one imports, from any of its modules, lazily or not."""
    packages: dict[str, set[str]] = {}
    for module, targets in graph.items():
        if (source := resolver_package(module)) is None:
            continue
        packages.setdefault(source, set())
        for target in targets:
            if (package := resolver_package(target)) not in (None, source):
                packages[source].add(package)
    return packages


def test_no_import_cycle_between_resolver_packages() -> None:
    found = list(cycles(package_graph(import_graph(application_modules()))))
    assert not found, "resolvers/ packages that import each other:\n" + "\n".join(map(str, found))


def test_the_package_check_finds_a_cycle_through_different_modules() -> None:
    graph = {
        "resolvers.exams.entries": {"resolvers.results_website.access"},
        "resolvers.results_website.access": {"resolvers.exams.series"},
        "resolvers.exams.series": set(),
    }
    assert list(cycles(package_graph(graph))) == [["exams", "results_website"]]
