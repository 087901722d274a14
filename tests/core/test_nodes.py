"""node and nodes: each Node type answers exactly as its own single-object query would, and
nothing at AA101 shows to another centre's staff through them."""

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from graphql import GraphQLObjectType

from models.assessments import Assessment, Section
from models.audit import AuditEvent, SignInEvent
from models.exams import Candidate, Entry, Result, Series, Syllabus
from models.mail import DeliveryStatus, OutboxMessage
from models.organisations import Organisation
from models.users import Membership, User
from resolvers.core import clock
from schema.core.nodes import MAX_NODES, REFETCHABLE
from schema.root import build_schema
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import CountQueries, statements
from tests.permission_matrix.table import ACTORS
from tests.services.resources import release as scheduled
from tests.services.resources import upload
from tests.services.sending_files import PDF, post_files
from tests.test_sessions.helpers import create_session
from tests.training.helpers import RIGHT, gid, section_ids, start, take
from tests.training.helpers import SUBMIT as SUBMIT_SECTION

NODE = "query Node($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
EXPORT = """mutation($input: ExportAuditEventsInput!) {
  exportAuditEvents(input: $input) { job { id } errors { code } } }"""

ALLOWED = "eo@aa101.example"
OTHER_CENTRE = "eo@bb202.example"
BOARD = "admin@exb.example"


@dataclass(frozen=True)
class Sample:
    """An object at AA101 (or the board's, for series), and its own query."""

    id: str
    own_query: str
    variables: dict[str, Any]
    # Whether another centre's staff see it through its own query: series are everyone's.
    other_centre_sees: bool = False
    # Who sees it: AA101's exams officer, or for what only the board manages, a board admin.
    seen_by: str = ALLOWED
    # Where another centre's staff see it, when that is a list of their own centre.
    other_centre_query: str | None = None


SUBMIT = """mutation($input: SubmitForAssessmentInput!) {
  submitForAssessment(input: $input) { submission { id } errors { code } } }"""


async def submit_work(gql: GraphQLClient, token: str, centre: str = "AA101") -> str:
    """A candidate's work for 0580 (0620 at BB202), submitted by whoever the token is."""
    syllabus = "0580" if centre == "AA101" else "0620"
    variables = {
        "input": {
            "centreCode": centre,
            "seriesCode": "2026-NOV",
            "syllabusCode": syllabus,
            "kind": "WORK",
            "candidateNumber": "0002",
            "files": [None],
        }
    }
    body = await post_files(gql.http, token, SUBMIT, variables, {"input.files.0": ("w.pdf", PDF)})
    payload = body["data"]["submitForAssessment"]
    assert payload["errors"] == [], payload
    return payload["submission"]["id"]


APPLY = """mutation($input: SubmitAccessArrangementInput!) {
  submitAccessArrangement(input: $input) { application { id } errors { code } } }"""


async def apply_for_arrangement(gql: GraphQLClient, token: str, centre: str = "AA101") -> str:
    variables = {
        "input": {
            "centreCode": centre,
            "seriesCode": "2026-NOV",
            "candidateNumber": "0004" if centre == "AA101" else "0002",
            "arrangement": "EXTRA_TIME_25",
            "reasons": "Diagnosed dyslexia.",
        }
    }
    payload = (await gql.ok(APPLY, variables, token))["submitAccessArrangement"]
    assert payload["errors"] == [], payload
    return payload["application"]["id"]


HELP = """mutation($input: UploadHelpDocumentInput!) {
  uploadHelpDocument(input: $input) { helpDocument { id } errors { code } } }"""


async def add_help_document(gql: GraphQLClient, board: str, title: str, roles: list[str]) -> str:
    variables = {"input": {"title": title, "forEveryone": not roles, "roles": roles}}
    body = await post_files(gql.http, board, HELP, variables, {"input.file": ("g.pdf", PDF)})
    payload = body["data"]["uploadHelpDocument"]
    assert payload["errors"] == [], payload
    return payload["helpDocument"]["id"]


MY_ASSESSMENTS = '{ myAssessments(organisationCode: "AA101", first: 100) { nodes { id } } }'
MY_SECTIONS = (
    '{ myAssessments(organisationCode: "AA101", first: 100) { nodes { sections { id } } } }'
)
JOB_FILES = "query($id: ID!) { job(id: $id) { status files { id } } }"
UNDELIVERED = "{ undeliveredEmails(first: 100) { nodes { id } } }"


async def undelivered_email(
    status: DeliveryStatus = DeliveryStatus.FAILED, attempts: int = 3
) -> str:
    """An email the outbox has (or has not) delivered, and its id in the API."""
    message = await OutboxMessage.create(
        recipient="lost@aa101.example",
        subject="Your invitation",
        body="secret",
        template="INVITATION",
        status=status,
        queued_at=clock.now(),
        # Not due: the delivery task leaves a PENDING one alone.
        next_attempt_at=clock.now() + timedelta(days=1),
        attempts=attempts,
        last_error="451 try later" if attempts else None,
        failed_at=clock.now() if status is DeliveryStatus.FAILED else None,
    )
    return gid("UndeliveredEmail", message.id)


async def job_files(gql: GraphQLClient, job_id: str, token: str) -> set[str]:
    """The ids of the files job(id).files shows the actor; none when job(id) refuses them."""
    body = await gql.post(JOB_FILES, {"id": job_id}, token)
    if body.get("errors"):
        assert body["errors"][0]["extensions"]["code"] in {"FORBIDDEN", "NOT_FOUND"}, body
        return set()
    return {file["id"] for file in body["data"]["job"]["files"]}


async def listed_in_order(gql: GraphQLClient, query: str, token: str) -> list[str]:
    return re.findall(r'"id": "([^"]+)"', json.dumps(await gql.ok(query, {}, token)))


async def listed(gql: GraphQLClient, query: str, token: str) -> set[str]:
    """The ids of Node objects a list answers the actor; none when it refuses them."""
    body = await gql.post(query, {}, token)
    if body.get("errors"):
        assert body["errors"][0]["extensions"]["code"] in {"FORBIDDEN", "NOT_FOUND"}, body
        return set()
    return set(re.findall(r'"id": "([^"]+)"', json.dumps(body["data"])))


async def shown_by_id(gql: GraphQLClient, ids: list[str], token: str) -> set[str]:
    return {node["id"] for node in (await gql.ok(NODES, {"ids": ids}, token))["nodes"] if node}


def node_type_names() -> set[str]:
    return {
        name
        for name, graphql_type in build_schema()._schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType)
        and any(interface.name == "Node" for interface in graphql_type.interfaces)
    }


def test_every_node_type_is_refetchable() -> None:
    assert node_type_names() == REFETCHABLE.keys()


async def samples(gql: GraphQLClient) -> dict[str, Sample]:
    eo = await gql.sign_in(ALLOWED)
    invigilator = await gql.sign_in("inv@aa101.example")
    first, second = await section_ids()
    await take(gql, invigilator, first, RIGHT[0])
    passed = await take(gql, invigilator, second, RIGHT[1])
    export = (await gql.ok(EXPORT, {"input": {}}, eo))["exportAuditEvents"]
    exported = await gql.wait_for_job(export["job"]["id"], eo, query=JOB_FILES)
    assert exported["status"] == "SUCCEEDED", exported
    started = await start(gql, eo, first)
    assert started["errors"] == [], started
    session = await create_session(gql, eo)
    centre = await Organisation.get(code="AA101")
    series = await Series.get(code="2026-NOV")
    syllabus = await Syllabus.get(code="0580")
    candidate = await Candidate.filter(centre_id=centre.id).order_by("id").first()
    assert candidate is not None
    invigilator_user = await User.get(email="inv@aa101.example")
    # The earliest series' results are out: the centre sees them in its entries list.
    result = (
        await Result.filter(entry__candidate__centre_id=centre.id)
        .select_related("entry__candidate", "entry__series")
        .order_by("entry__series__results_release_at", "id")
        .first()
    )
    assert result is not None
    board = await gql.sign_in(BOARD)
    resource = await upload(gql.http, board, title="Centre notes", service="GENERAL")
    release = await scheduled(gql, board, resource["id"], centres=["AA101"])
    submitted = await submit_work(gql, eo)
    audited = await AuditEvent.filter(organisation_id=centre.id).order_by("-at", "-id").first()
    signed_in = await SignInEvent.filter(email="inv@aa101.example").order_by("-id").first()
    assert audited is not None
    assert signed_in is not None
    [assessment, *_] = await listed_in_order(gql, MY_ASSESSMENTS, eo)
    guide = await add_help_document(gql, board, "Guide for everyone", [])
    application = await apply_for_arrangement(gql, eo)
    undelivered = await undelivered_email()
    in_entries = {
        "series": result.entry.series.code,
        "number": result.entry.candidate.candidate_number,
    }
    return {
        "Organisation": Sample(
            gid("Organisation", centre.id),
            "query($code: String!) { organisation(code: $code) { id } }",
            {"code": "AA101"},
        ),
        "Series": Sample(
            gid("Series", series.id),
            "query($code: String!) { seriesByCode(code: $code) { id } }",
            {"code": "2026-NOV"},
            other_centre_sees=True,
        ),
        "Syllabus": Sample(
            gid("Syllabus", syllabus.id),
            "query($code: String!) { syllabuses(filter: {search: $code}) { nodes { id } } }",
            {"code": "0580"},
            other_centre_sees=True,
        ),
        "Candidate": Sample(
            gid("Candidate", candidate.id),
            'query($number: String!) { candidates(centreCode: "AA101", '
            "filter: {search: $number}) { nodes { id } } }",
            {"number": candidate.candidate_number},
        ),
        "Job": Sample(export["job"]["id"], "query($id: ID!) { job(id: $id) { id } }", {"id": None}),
        "Certificate": Sample(
            passed["attempt"]["certificate"]["id"],
            "query($id: ID!) { certificate(id: $id) { id } }",
            {"id": None},
        ),
        "TestSession": Sample(
            session["id"], "query($id: ID!) { testSession(id: $id) { id } }", {"id": None}
        ),
        "User": Sample(
            gid("User", invigilator_user.id),
            'query($id: ID!) { organisationUser(organisationCode: "AA101", userId: $id) '
            "{ user { id } } }",
            {"id": None},
        ),
        "Entry": Sample(
            gid("Entry", result.entry.id),
            'query($series: String!, $number: String!) { entries(centreCode: "AA101", '
            "seriesCode: $series, filter: {search: $number}) { nodes { id } } }",
            in_entries,
        ),
        "Result": Sample(
            gid("Result", result.id),
            'query($series: String!, $number: String!) { entries(centreCode: "AA101", '
            "seriesCode: $series, filter: {search: $number}) { nodes { result { id } } } }",
            in_entries,
        ),
        "Resource": Sample(
            resource["id"],
            'query($id: ID!) { centreResource(centreCode: "AA101", id: $id) { id } }',
            {"id": None},
        ),
        "Submission": Sample(
            submitted,
            '{ submissions(centreCode: "AA101", first: 100) { nodes { id } } }',
            {},
        ),
        "AccessArrangementApplication": Sample(
            application,
            '{ accessArrangements(centreCode: "AA101", first: 100) { nodes { id } } }',
            {},
        ),
        "HelpDocument": Sample(
            guide,
            "{ helpDocuments(first: 100) { nodes { id } } }",
            {},
            other_centre_sees=True,
        ),
        "Assessment": Sample(
            assessment,
            MY_ASSESSMENTS,
            {},
            other_centre_sees=True,
            other_centre_query=MY_ASSESSMENTS.replace("AA101", "BB202"),
        ),
        "AuditEvent": Sample(
            gid("AuditEvent", audited.id),
            '{ auditEvents(filter: {organisationCode: "AA101"}, first: 100) { nodes { id } } }',
            {},
        ),
        "SignInEvent": Sample(
            gid("SignInEvent", signed_in.id),
            '{ signInEvents(filter: {organisationCode: "AA101"}, first: 100) { nodes { id } } }',
            {},
        ),
        "Release": Sample(
            release["id"],
            "{ releases(first: 100, filter: {includeCancelled: true}) { nodes { id } } }",
            {},
            seen_by=BOARD,
        ),
        "UndeliveredEmail": Sample(undelivered, UNDELIVERED, {}, seen_by=BOARD),
        "AssessmentSection": Sample(
            first,
            MY_SECTIONS,
            {},
            other_centre_sees=True,
            other_centre_query=MY_SECTIONS.replace("AA101", "BB202"),
        ),
        # Read only in startSection's and submitSection's answers: submitting it is its query
        # (its maker's submission answers it, once; anyone else's is refused).
        "SectionAttempt": Sample(
            started["attempt"]["id"],
            SUBMIT_SECTION,
            {"input": {"attemptId": started["attempt"]["id"], "answers": RIGHT[0]}},
        ),
        "JobFile": Sample(exported["files"][0]["id"], JOB_FILES, {"id": export["job"]["id"]}),
    }


async def seen_by_own_query(
    gql: GraphQLClient, sample: Sample, token: str, email: str = ALLOWED
) -> bool:
    variables = {k: sample.id if v is None else v for k, v in sample.variables.items()}
    query = sample.own_query
    if email == OTHER_CENTRE and sample.other_centre_query:
        query = sample.other_centre_query
    body = await gql.post(query, variables, token)
    if body.get("errors"):
        assert body["errors"][0]["extensions"]["code"] in {"FORBIDDEN", "NOT_FOUND"}, body
        return False
    # The object's id anywhere in the answer: a query of one object, or a list holding it.
    return sample.id in json.dumps(body["data"])


async def test_node_answers_as_each_types_own_query_and_leaks_nothing_across_centres(
    demo: object, gql: GraphQLClient
) -> None:
    found = await samples(gql)
    assert found.keys() == REFETCHABLE.keys()
    for email in (ALLOWED, OTHER_CENTRE, BOARD):
        token = await gql.sign_in(email)
        for type_name, sample in found.items():
            if email == BOARD and sample.seen_by != BOARD:
                continue  # the board sees the centre's things too: not what is tested here
            node = (await gql.ok(NODE, {"id": sample.id}, token))["node"]
            expected = email == sample.seen_by or sample.other_centre_sees
            assert await seen_by_own_query(gql, sample, token, email) is expected, (
                email,
                type_name,
            )
            if expected:
                assert node == {"__typename": type_name, "id": sample.id}, (email, type_name)
            else:
                assert node is None, (email, type_name)


async def test_nodes_answers_in_order_with_null_where_node_would(
    demo: object, gql: GraphQLClient
) -> None:
    found = await samples(gql)
    ids = [sample.id for sample in found.values()]
    wanted = [*ids, "not an id", gid("Job", 2**40), gid("NoSuchType", 1)]
    eo = await gql.sign_in(ALLOWED)
    answers = (await gql.ok(NODES, {"ids": wanted}, eo))["nodes"]
    mine = [s.id if s.seen_by == ALLOWED else None for s in found.values()]
    assert [a and a["id"] for a in answers] == [*mine, None, None, None]
    other = await gql.sign_in(OTHER_CENTRE)
    answers = (await gql.ok(NODES, {"ids": wanted}, other))["nodes"]
    shown = [a and a["__typename"] for a in answers]
    everyones = [t if s.other_centre_sees else None for t, s in found.items()]
    assert shown == [*everyones, None, None, None]
    assert everyones[:3] == [None, "Series", "Syllabus"]


async def test_an_id_of_another_type_or_beyond_any_key_is_null(
    demo: object, gql: GraphQLClient
) -> None:
    board = await gql.sign_in(BOARD)
    centre = await Organisation.get(code="AA101")
    for wrong in (gid("Series", centre.id + 10_000), gid("Organisation", 2**31), "", "\u00e9"):
        assert (await gql.ok(NODE, {"id": wrong}, board))["node"] is None, wrong


async def test_more_than_the_cap_of_ids_is_invalid(demo: object, gql: GraphQLClient) -> None:
    board = await gql.sign_in(BOARD)
    body = await gql.post(NODES, {"ids": [gid("Series", 1)] * (MAX_NODES + 1)}, board)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    full = await gql.ok(NODES, {"ids": [gid("Series", 1)] * MAX_NODES}, board)
    assert len(full["nodes"]) == MAX_NODES


async def test_signed_out_callers_are_unauthenticated(demo: object, gql: GraphQLClient) -> None:
    for query, variables in ((NODE, {"id": gid("Series", 1)}), (NODES, {"ids": []})):
        body = await gql.post(query, variables)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_objects_of_one_type_are_read_in_one_query(
    demo: object, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    board = await gql.sign_in(BOARD)
    organisations = await Organisation.all()
    one = [gid("Organisation", organisations[0].id)]
    many = [gid("Organisation", o.id) for o in organisations]
    few, _ = await statements(gql, count_queries, NODES, {"ids": one}, board)
    lots, data = await statements(gql, count_queries, NODES, {"ids": many}, board)
    assert len(many) > 3
    assert [n["id"] for n in data["nodes"]] == many
    assert lots == few


ORGANISATION = "query($code: String!) { organisation(code: $code) { id } }"


async def test_every_actor_sees_an_organisation_by_id_exactly_where_organisation_shows_it(
    demo: object, gql: GraphQLClient
) -> None:
    organisations = await Organisation.all().order_by("code")
    ids = [gid("Organisation", o.id) for o in organisations]
    for email in ACTORS.values():
        token = await gql.sign_in(email)
        by_id = (await gql.ok(NODES, {"ids": ids}, token))["nodes"]
        for organisation, node in zip(organisations, by_id, strict=True):
            own = await gql.post(ORGANISATION, {"code": organisation.code}, token)
            shown = not own.get("errors") and own["data"]["organisation"] is not None
            assert (node is not None) is shown, (email, organisation.code)
    # The matrix's actors see some organisations and not others.
    assert any(node is None for node in by_id)
    assert any(node is not None for node in by_id)


async def test_a_user_is_seen_by_themselves_and_their_organisations_user_managers_only(
    demo: object, gql: GraphQLClient
) -> None:
    invigilator = await User.get(email="inv@aa101.example")
    officer = await User.get(email="eo@aa101.example")
    ids = [gid("User", invigilator.id), gid("User", officer.id)]
    token = await gql.sign_in("inv@aa101.example")
    shown = (await gql.ok(NODES, {"ids": ids}, token))["nodes"]
    assert [node and node["id"] for node in shown] == [ids[0], None]
    board = await gql.sign_in(BOARD)
    assert all((await gql.ok(NODES, {"ids": ids}, board))["nodes"])


ENTRY_RESULTS = """query($series: String!) { entries(centreCode: "AA101", seriesCode: $series,
  first: 100) { totalCount nodes { id result { id } } } }"""


async def test_the_centre_sees_results_by_id_exactly_where_its_entries_list_shows_them(
    demo: object, gql: GraphQLClient
) -> None:
    # The board has loaded a result of the upcoming series: the centre may not see it yet.
    upcoming = await Series.all().order_by("-results_release_at").first()
    assert upcoming is not None
    entry = await Entry.filter(
        candidate__centre__code="AA101", series_id=upcoming.id, result=None
    ).first()
    assert entry is not None
    await Result.create(entry=entry, grade="B", loaded_at=upcoming.results_release_at)
    results = await Result.filter(entry__candidate__centre__code="AA101").select_related(
        "entry__series"
    )
    by_series: dict[str, list[str]] = {}
    for result in results:
        by_series.setdefault(result.entry.series.code, []).append(gid("Result", result.id))
    eo = await gql.sign_in(ALLOWED)
    hidden = 0
    for series, ids in by_series.items():
        listed = (await gql.ok(ENTRY_RESULTS, {"series": series}, eo))["entries"]
        assert listed["totalCount"] <= 100
        in_list = {row["result"]["id"] for row in listed["nodes"] if row["result"]}
        shown = (await gql.ok(NODES, {"ids": ids}, eo))["nodes"]
        assert {node["id"] for node in shown if node} == in_list, series
        hidden += shown.count(None)
    board = await gql.sign_in(BOARD)
    every = [i for ids in by_series.values() for i in ids]
    assert all((await gql.ok(NODES, {"ids": every}, board))["nodes"])
    # Some are loaded but not yet released to the centre.
    assert hidden > 0


async def test_a_resource_by_id_shows_only_where_a_centre_list_would_show_it(
    demo: object, gql: GraphQLClient
) -> None:
    board = await gql.sign_in(BOARD)
    elsewhere = await upload(gql.http, board, title="For BB202", service="GENERAL")
    await scheduled(gql, board, elsewhere["id"], centres=["BB202"])
    later = await upload(gql.http, board, title="Tomorrow", service="GENERAL")
    await scheduled(gql, board, later["id"], in_hours=24)
    listening = await upload(gql.http, board, title="Listening", service="GLOBAL_LISTENING")
    await scheduled(gql, board, listening["id"])
    ids = [elsewhere["id"], later["id"], listening["id"]]
    seen = {
        email: [bool(n) for n in (await gql.ok(NODES, {"ids": ids}, token))["nodes"]]
        for email in (ALLOWED, "inv@aa101.example", OTHER_CENTRE, BOARD)
        for token in [await gql.sign_in(email)]
    }
    assert seen == {
        ALLOWED: [False, False, True],
        "inv@aa101.example": [False, False, False],
        OTHER_CENTRE: [True, False, True],
        BOARD: [True, True, True],
    }


SUBMISSIONS = '{ submissions(centreCode: "AA101", first: 100) { nodes { id } } }'


async def test_every_actor_sees_a_submission_by_id_exactly_where_the_centres_list_shows_it(
    demo: object, gql: GraphQLClient
) -> None:
    ids = [
        await submit_work(gql, await gql.sign_in(email))
        for email in ("teacher@aa101.example", "eo@aa101.example")
    ]
    ids.append(await submit_work(gql, await gql.sign_in("teacher@bb202.example"), "BB202"))
    seen = set()
    for email in ACTORS.values():
        token = await gql.sign_in(email)
        shown = await shown_by_id(gql, ids, token)
        assert shown == await listed(gql, SUBMISSIONS, token) & set(ids[:2]) | (shown & {ids[2]}), (
            email
        )
        seen.add(len(shown & set(ids[:2])))
    # Someone sees both, someone (the teacher) their own only, someone none.
    assert seen >= {0, 1, 2}
    teacher = await gql.sign_in("teacher@aa101.example")
    assert await shown_by_id(gql, ids, teacher) == {ids[0]}


CENTRE_APPLICATIONS = '{ accessArrangements(centreCode: "AA101", first: 100) { nodes { id } } }'
BOARD_APPLICATIONS = "{ accessArrangementsForBoard(first: 100) { nodes { id } } }"


async def test_every_actor_sees_an_application_by_id_exactly_where_a_list_shows_it(
    demo: object, gql: GraphQLClient
) -> None:
    ids = [
        await apply_for_arrangement(gql, await gql.sign_in("eo@aa101.example")),
        await apply_for_arrangement(gql, await gql.sign_in("eo@bb202.example"), "BB202"),
    ]
    seen = set()
    for email in ACTORS.values():
        token = await gql.sign_in(email)
        shown = await shown_by_id(gql, ids, token)
        lists = (CENTRE_APPLICATIONS, CENTRE_APPLICATIONS.replace("AA101", "BB202"))
        in_lists = set().union(*[await listed(gql, q, token) for q in (*lists, BOARD_APPLICATIONS)])
        assert shown == in_lists & set(ids), email
        seen.add(len(shown))
    assert seen >= {0, 1, 2}


async def test_every_actor_sees_a_help_document_by_id_exactly_where_their_list_shows_it(
    demo: object, gql: GraphQLClient
) -> None:
    board = await gql.sign_in(BOARD)
    ids = [
        await add_help_document(gql, board, "For SLT", ["SLT"]),
        await add_help_document(gql, board, "Listening", ["GLOBAL_LISTENING"]),
        await add_help_document(gql, board, "For all", []),
    ]
    seen = set()
    for email in ACTORS.values():
        token = await gql.sign_in(email)
        shown = await shown_by_id(gql, ids, token)
        in_list = await listed(gql, "{ helpDocuments(first: 100) { nodes { id } } }", token)
        assert shown == in_list & set(ids), email
        seen.add(len(shown))
    assert len(seen) >= 3


async def test_every_actor_sees_an_assessment_by_id_exactly_where_my_assessments_shows_it(
    demo: object, gql: GraphQLClient
) -> None:
    every = [gid("Assessment", a.id) for a in await Assessment.all()]
    seen = set()
    for email in ACTORS.values():
        token = await gql.sign_in(email)
        shown = await shown_by_id(gql, every, token)
        mine = MY_ASSESSMENTS, MY_ASSESSMENTS.replace("AA101", "BB202")
        assert shown == set().union(*[await listed(gql, q, token) for q in mine]), email
        seen.add(len(shown))
    assert len(seen) >= 2


async def test_every_actor_sees_audit_and_sign_in_events_by_id_exactly_where_the_logs_show_them(
    demo: object, gql: GraphQLClient
) -> None:
    eo = await gql.sign_in(ALLOWED)
    await gql.ok(EXPORT, {"input": {}}, eo)
    await gql.sign_in("eo@bb202.example")
    audits = await AuditEvent.all().order_by("-id").limit(40)
    sign_ins = await SignInEvent.all().order_by("-id").limit(40)
    ids = [gid("AuditEvent", e.id) for e in audits] + [gid("SignInEvent", e.id) for e in sign_ins]
    logs = (
        "{ auditEvents(first: 100) { nodes { id } } }",
        "{ signInEvents(first: 100) { nodes { id } } }",
    )
    seen = set()
    for email in ACTORS.values():
        token = await gql.sign_in(email)
        in_logs = set().union(*[await listed(gql, q, token) for q in logs])
        shown = await shown_by_id(gql, ids, token)
        assert shown == in_logs & set(ids), email
        seen.add(len(shown))
    assert len(seen) >= 3


async def test_every_actor_sees_an_undelivered_email_by_id_exactly_where_the_list_shows_it(
    demo: object, gql: GraphQLClient
) -> None:
    listed_ones = [
        await undelivered_email(DeliveryStatus.FAILED, attempts=0),
        await undelivered_email(DeliveryStatus.FAILED, attempts=5),
        await undelivered_email(DeliveryStatus.PENDING, attempts=2),
    ]
    # Queued and never tried, and delivered: neither is undelivered.
    ids = [
        *listed_ones,
        await undelivered_email(DeliveryStatus.PENDING, attempts=0),
        await undelivered_email(DeliveryStatus.SENT, attempts=1),
    ]
    for email in ACTORS.values():
        token = await gql.sign_in(email)
        shown = await shown_by_id(gql, ids, token)
        assert shown == await listed(gql, UNDELIVERED, token) & set(ids), email
        assert shown == (set(listed_ones) if email == BOARD else set()), email


async def test_every_actor_sees_a_section_by_id_exactly_where_my_assessments_shows_it(
    demo: object, gql: GraphQLClient
) -> None:
    every = [gid("AssessmentSection", s.id) for s in await Section.all()]
    seen = set()
    for email in ACTORS.values():
        token = await gql.sign_in(email)
        shown = await shown_by_id(gql, every, token)
        mine = MY_SECTIONS, MY_SECTIONS.replace("AA101", "BB202")
        assert shown == set().union(*[await listed(gql, q, token) for q in mine]), email
        seen.add(len(shown))
    # The board takes none, an invigilator the invigilators' ones, other staff all of them.
    assert len(seen) >= 3


async def test_a_job_file_is_seen_by_id_by_its_jobs_creator_alone_as_job_files_shows_it(
    demo: object, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    jobs: dict[str, list[str]] = {}
    for email in (ALLOWED, ALLOWED, OTHER_CENTRE):
        token = await gql.sign_in(email)
        job = (await gql.ok(EXPORT, {"input": {}}, token))["exportAuditEvents"]["job"]["id"]
        done = await gql.wait_for_job(job, token, query=JOB_FILES)
        jobs[job] = [file["id"] for file in done["files"]]
    files = [file for ids in jobs.values() for file in ids]
    assert len(files) >= 3
    seen = set()
    for email in (*ACTORS.values(), OTHER_CENTRE):
        token = await gql.sign_in(email)
        in_jobs = set().union(*[await job_files(gql, job, token) for job in jobs])
        shown = await shown_by_id(gql, files, token)
        assert shown == in_jobs, email
        seen.add(len(shown))
    # The creators see theirs; the board, which follows every job, none of their files.
    assert seen >= {0, 1, 2}
    board = await gql.sign_in(BOARD)
    assert all((await gql.ok(NODES, {"ids": list(jobs)}, board))["nodes"])
    eo = await gql.sign_in(ALLOWED)
    one, _ = await statements(gql, count_queries, NODES, {"ids": files[:1]}, eo)
    every, data = await statements(gql, count_queries, NODES, {"ids": files}, eo)
    assert [bool(node) for node in data["nodes"]] == [True, True, False]
    assert every == one


def without_download(attempt: dict) -> dict:
    certificate = attempt["certificate"]
    if certificate is None:
        return attempt
    return {**attempt, "certificate": {**certificate, "download": None}}


ATTEMPT = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on SectionAttempt {
  id score passed timeRanOut submittedAt certificate { id number download { url expiresAt } }
} } }"""


async def test_an_attempt_is_seen_by_id_by_its_taker_alone_as_submit_section_answered_it(
    demo: object, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    invigilator = await gql.sign_in("inv@aa101.example")
    first, second = await section_ids()
    wrong = [[0] for _ in RIGHT[0]]
    answered = [
        (await take(gql, invigilator, first, wrong))["attempt"],
        (await take(gql, invigilator, first, RIGHT[0]))["attempt"],
        (await take(gql, invigilator, second, RIGHT[1]))["attempt"],
    ]
    assert [a["certificate"] is not None for a in answered] == [False, False, True]
    ids = [attempt["id"] for attempt in answered]
    one, _ = await statements(gql, count_queries, ATTEMPT, {"ids": ids[-1:]}, invigilator)
    every, data = await statements(gql, count_queries, ATTEMPT, {"ids": ids}, invigilator)
    # A download link is made when it is read, to expire minutes later: compare all but that.
    assert [without_download(node) for node in data["nodes"]] == [
        without_download(attempt) for attempt in answered
    ]
    assert data["nodes"][-1]["certificate"]["download"]["url"]
    assert every == one
    for email in (*ACTORS.values(), OTHER_CENTRE):
        if email != "inv@aa101.example":
            assert await shown_by_id(gql, ids, await gql.sign_in(email)) == set(), email
    # Out of the centre, they may take nothing there: submitSection would refuse it too.
    await Membership.filter(user__email="inv@aa101.example").delete()
    assert await shown_by_id(gql, ids, await gql.sign_in("inv@aa101.example")) == set()
