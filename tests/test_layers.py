"""The layers hold: permission rules live in policies/ alone, so nothing else speaks to Casbin."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPLICATION = ("examdesk", "models", "resolvers", "schema")


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
