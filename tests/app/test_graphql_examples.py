"""Every documented flow in graphql_examples/ runs, in order, against one demo database.

Each `NNN_name.graphql` holds one operation; its variables, if any, are in `NNN_name.json`. The
leading comments may say who runs it (`# as: <demo email>`, or `# as-candidate: <demo results
username>` for a candidate on the results website; without either the request is anonymous)
and which refusal it shows (`# expect-error: <CODE>`, a payload error code or a GraphQL error's
extensions.code). Every mutation that succeeds must have written an audit event carrying the
response's X-Request-ID. `# upload: <variable path>=<file>` sends the file beside the example
(e.g. `input.file=300_enter_candidates_from_csv.csv`) as a GraphQL multipart request.
"""

import re

import httpx
from graphql import OperationDefinitionNode, parse

from examdesk.demo import demo_candidate_sign_ins, demo_sign_ins
from tests.helpers.graphql import GraphQLClient
from tests.helpers.graphql_examples import (
    EXAMPLE_NAME,
    EXAMPLES,
    HEADER,
    example_paths,
    load,
    run_example,
)


def test_every_example_names_its_operation_and_no_two_share_a_name() -> None:
    # Generated clients (@graphql-codegen) make one type per operation name.
    named: dict[str, str] = {}
    for path in example_paths():
        [operation] = [
            d
            for d in parse(path.read_text(encoding="utf-8")).definitions
            if isinstance(d, OperationDefinitionNode)
        ]
        assert operation.name is not None, f"{path.name}: name the operation"
        name = operation.name.value
        assert name not in named, f"{path.name}: {name} is {named.get(name)}'s name already"
        named[name] = path.name


def test_the_examples_are_well_formed() -> None:
    paths = example_paths()
    assert len(paths) >= 20, f"expected the documented flows in {EXAMPLES}, found {len(paths)}"
    for path in paths:
        assert EXAMPLE_NAME.match(path.stem), (
            f"{path.name}: name it NNN_snake_case.graphql (three digits)"
        )
    prefixes = [path.stem[:3] for path in paths]
    assert len(set(prefixes)) == len(prefixes), f"two examples share a number: {prefixes}"
    orphans = [p.name for p in EXAMPLES.glob("*.json") if not p.with_suffix(".graphql").exists()]
    assert not orphans, f"variables without an operation: {orphans}"
    uploaded = {example.upload[1].name for example in map(load, paths) if example.upload}
    strays = [
        p.name
        for p in EXAMPLES.iterdir()
        if p.suffix not in {".graphql", ".json"} and p.name not in uploaded
    ]
    assert not strays, f"unexpected files in graphql_examples/: {strays}"
    demo_emails = {sign_in.email for sign_in in demo_sign_ins()}
    for path in paths:
        example = load(path)
        if example.as_email is not None:
            assert example.as_email in demo_emails, f"{path.name}: no demo user {example.as_email}"
        if example.as_candidate is not None:
            assert example.as_candidate in {c.username for c in demo_candidate_sign_ins()}, (
                f"{path.name}: no demo candidate {example.as_candidate}"
            )
        if example.upload is not None:
            assert example.upload[1].is_file(), f"{path.name}: no file {example.upload[1].name}"
        for line in example.query.splitlines():
            if line.startswith("#") and re.match(r"^#\s*(as|expect-error)\b", line):
                assert HEADER.match(line.strip()), f"{path.name}: malformed header {line!r}"


async def test_every_example_runs_against_the_demo_data(
    demo: object, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    examples = [load(path) for path in example_paths()]
    assert examples, f"no examples in {EXAMPLES}"
    invited: dict[str, str] = {}
    for example in examples:
        await run_example(example, http, gql, invited)
