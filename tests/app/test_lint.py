"""The repository is ruff clean and ruff formatted (the settings are in pyproject.toml)."""

import ast
import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (
        f"ruff check found problems (fix them, or run `.venv/bin/ruff check --fix .`):\n"
        f"{result.stdout}{result.stderr}"
    )


def test_ruff_format_is_applied() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (
        f"ruff format would change these files (run `.venv/bin/ruff format .`):\n"
        f"{result.stdout}{result.stderr}"
    )


# An issue or seed number means nothing to a reader of the code: name the concept instead.
TRACKER_REFERENCE = re.compile(r"\bissues? \d+\b|\bseeds? 00\d\b", re.IGNORECASE)


def explanations(source: str) -> Iterator[tuple[int, str]]:
    """The comments and docstrings of a module, with their line numbers."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ) and (docstring := ast.get_docstring(node, clean=False)):
            yield node.body[0].lineno, docstring


def test_comments_and_docstrings_name_concepts_not_tracker_numbers() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {match.group(0)}"
        for package in ("examdesk", "models", "policies", "resolvers", "schema")
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, text in explanations(path.read_text(encoding="utf-8"))
        if (match := TRACKER_REFERENCE.search(text))
    ]
    assert not found, "Name the concept, not the issue or seed:\n" + "\n".join(found)


def test_the_tracker_check_reads_comments_and_docstrings() -> None:
    source = '"""Module (seed 004)."""\n\ndef f():\n    """Issue 3."""\n    # issue 12, part 2\n'
    assert [TRACKER_REFERENCE.search(text).group(0) for _, text in explanations(source)] == [
        "issue 12",
        "seed 004",
        "Issue 3",
    ]


MAX_FUNCTION_LINES = 60
FUNCTION_PACKAGES = ("models", "policies", "resolvers", "schema", "examdesk")


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> Iterator[tuple[str, int]]:
    """The functions (nested ones too) longer than `limit` lines, from `def` to their last line,
    with their length."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                yield node.name, length


def test_no_function_over_60_lines() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{name} ({length} lines)"
        for package in FUNCTION_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for name, length in long_functions(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        f"Cut these at their steps (at most {MAX_FUNCTION_LINES} lines, def to last line):\n"
        + "\n".join(found)
    )


def test_the_length_check_counts_from_def_to_the_last_line() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(59))
    source = f"def fits():\n{body}\n\nasync def too_long():\n{body}    return 1\n"
    assert list(long_functions(source)) == [("too_long", 61)]


MAX_MODULE_LINES = 400
# The sentence a long module's top docstring carries, so the reason is where a reader starts.
LONG_MODULE_REASON = re.compile(r"over 400 lines", re.IGNORECASE)


def application_modules() -> Iterator[Path]:
    for package in FUNCTION_PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def unexplained_length(source: str) -> int | None:
    """The module's length if it is over the limit and its docstring does not say why."""
    length = len(source.splitlines())
    if length <= MAX_MODULE_LINES:
        return None
    docstring = ast.get_docstring(ast.parse(source)) or ""
    return None if LONG_MODULE_REASON.search(docstring) else length


def test_a_module_over_400_lines_says_why_at_its_top() -> None:
    found = [
        f"{path.relative_to(ROOT)} ({length} lines)"
        for path in application_modules()
        if (length := unexplained_length(path.read_text(encoding="utf-8")))
    ]
    assert not found, (
        "Split these by concern, or say in the top docstring why they are over 400 lines:\n"
        + "\n".join(found)
    )


def test_the_module_length_check_wants_the_reason_in_the_docstring() -> None:
    body = "x = 1\n" * MAX_MODULE_LINES
    assert unexplained_length(f'"""Short."""\n{body}') == MAX_MODULE_LINES + 1
    assert unexplained_length(f'"""Over 400 lines: one story."""\n{body}') is None
    assert unexplained_length(body[: -len("x = 1\n")]) is None


def declared_names(source: str) -> list[str] | None:
    """The names a module's `__all__` lists, or None when it has none."""
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return sorted(ast.literal_eval(node.value))
    return None


def imported_names(source: str) -> list[str]:
    return sorted(
        alias.asname or alias.name
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    )


def test_all_is_the_face_of_a_package_and_nowhere_else() -> None:
    """A package that re-exports names says which in `__all__`; a module's public names are the
    ones without a leading underscore, so it declares no `__all__` to keep in step."""
    in_modules = [
        str(path.relative_to(ROOT))
        for path in application_modules()
        if path.name != "__init__.py" and declared_names(path.read_text(encoding="utf-8"))
    ]
    assert not in_modules, "Only a package's __init__.py declares __all__:\n" + "\n".join(
        in_modules
    )
    faces = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in application_modules()
        if path.name == "__init__.py"
    }
    out_of_step = [
        name
        for name, source in faces.items()
        if imported_names(source) and declared_names(source) != imported_names(source)
    ]
    assert not out_of_step, "__all__ should list exactly what these re-export:\n" + "\n".join(
        out_of_step
    )


REPOSITORY_PATH = re.compile(
    r"\b(?:resolvers|schema|models|policies|examdesk|tests|bench|graphql_examples|\.ci)"
    r"/[\w./-]*\w\.(?:py|graphql|csv|json|md|conf|txt)\b"
)


def named_paths(text: str) -> set[str]:
    return set(REPOSITORY_PATH.findall(text))


def test_every_file_the_docs_and_comments_name_exists() -> None:
    """Moving a module leaves no README line, policy comment or docstring pointing at nothing."""
    sources = [ROOT / "README.md", ROOT / "bench" / "README.md", ROOT / "policies" / "policy.csv"]
    sources += sorted((ROOT / "graphql_examples").glob("*.graphql"))
    for package in (*FUNCTION_PACKAGES, "tests", "bench"):
        sources += sorted((ROOT / package).rglob("*.py"))
    missing = sorted(
        f"{source.relative_to(ROOT)}: {path}"
        for source in sources
        for path in named_paths(source.read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    )
    assert not missing, "These name files that do not exist:\n" + "\n".join(missing)


def test_the_path_check_reads_paths_in_prose() -> None:
    text = "See resolvers/core/jobs.py (and schema/<package>/queries.py), or tests/app/."
    assert named_paths(text) == {"resolvers/core/jobs.py"}
