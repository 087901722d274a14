"""`permissions` and `viewerCan`: the answers per role where the permission matrix does not go
(its mutation cells hold viewerCan to each call: tests/permission_matrix/calls.py), an unknown
organisation answered as one without rights, and lists whose viewerCan costs no SQL per row."""

from typing import Any

from models.exams import Candidate, Entry, Series, Syllabus
from models.organisations import Organisation
from policies.viewer_can import MEMBER_ACTIONS, ORGANISATION_ACTIONS
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import CountQueries, add_users, statements

ORGANISATION_FIELDS = " ".join(ORGANISATION_ACTIONS)
PERMISSIONS = (
    f"query($c: String!) {{ permissions(organisationCode: $c) {{ {ORGANISATION_FIELDS} }} }}"
)

CANDIDATES = """
query($code: String!, $first: Int!, $can: Boolean!) {
  candidates(centreCode: $code, first: $first) {
    totalCount
    nodes {
      candidateNumber
      viewerCan @include(if: $can) { enterCandidate }
      entries { entryCode viewerCan @include(if: $can) { withdrawEntry loadResult } }
    }
  }
}
"""

USERS = (
    "query($code: String!, $can: Boolean!) { organisationUsers(organisationCode: $code, "
    "first: 100) { totalCount nodes { user { email } viewerCan @include(if: $can) { "
    + " ".join(MEMBER_ACTIONS)
    + " } } } }"
)


async def permissions(gql: GraphQLClient, email: str, code: str) -> dict[str, bool]:
    token = await gql.sign_in(email)
    return (await gql.ok(PERMISSIONS, {"c": code}, token))["permissions"]


def allowed(answers: dict[str, bool]) -> set[str]:
    return {action for action, yes in answers.items() if yes}


async def test_permissions_say_what_each_role_may_do_at_its_centre(
    demo: Any, gql: GraphQLClient
) -> None:
    assert allowed(await permissions(gql, "slt@aa101.example", "AA101")) == {
        "exportStaffSummary",
        "downloadCertificates",
    }
    assert allowed(await permissions(gql, "users@aa101.example", "AA101")) == {
        "inviteUser",
        "createUserAccount",
        "uploadUsers",
        "exportStaffSummary",
        "downloadCertificates",
    }
    eo = allowed(await permissions(gql, "eo@aa101.example", "AA101"))
    assert {"enterCandidate", "updateResultsAccess", "setHiddenAssessments"} <= eo
    assert not eo & {"registerUser", "designateExamsOfficer", "createSeries", "resendEmail"}
    board = allowed(await permissions(gql, "admin@exb.example", "AA101"))
    assert {"designateExamsOfficer", "createSeries", "uploadResource", "resendEmail"} <= board
    assert "enterCandidate" in board
    assert "setHiddenAssessments" not in board  # the centre's exams officer's alone


async def test_an_unknown_organisation_answers_as_one_without_rights(
    demo: Any, gql: GraphQLClient
) -> None:
    elsewhere = await permissions(gql, "eo@aa101.example", "BB202")
    nowhere = await permissions(gql, "eo@aa101.example", "ZZ999")
    assert elsewhere == nowhere == dict.fromkeys(ORGANISATION_ACTIONS, False)
    # The board, which may list organisations, is told no there too: no rights at nothing.
    assert allowed(await permissions(gql, "admin@exb.example", "ZZ999")) == set()


async def test_organisation_view_can_agrees_with_permissions(demo: Any, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@as100.example")
    for code in ("AS100", "AS101"):
        data = await gql.ok(
            f"query($c: String!) {{ organisation(code: $c) "
            f"{{ viewerCan {{ {ORGANISATION_FIELDS} }} }} "
            f"permissions(organisationCode: $c) {{ {ORGANISATION_FIELDS} }} }}",
            {"c": code},
            token,
        )
        assert data["organisation"]["viewerCan"] == data["permissions"]
        assert data["permissions"]["inviteUser"] is True


async def test_permissions_ask_for_a_signed_in_person(demo: Any, gql: GraphQLClient) -> None:
    body = await gql.post(PERMISSIONS, {"c": "AA101"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def _grow_candidates(total: int) -> None:
    """AA101 gets `total` candidates more, each entered for one syllabus of the demo's series."""
    centre = await Organisation.get(code="AA101")
    series = await Series.all().order_by("id").first()
    syllabus = await Syllabus.all().order_by("id").first()
    assert series is not None
    assert syllabus is not None
    start = await Candidate.filter(centre_id=centre.id).count()
    numbers = range(start + 1, start + total + 1)
    await Candidate.bulk_create(
        [
            Candidate(
                centre_id=centre.id,
                candidate_number=f"{9000 - n:04d}",
                first_name=f"Many{n}",
                last_name="Pupil",
                username=f"many.{n}",
                password_hash="not-a-hash",  # nobody signs in as them here
            )
            for n in numbers
        ]
    )
    ids = await Candidate.filter(username__startswith="many.").values_list("id", flat=True)
    have = set(await Entry.filter(candidate_id__in=ids).values_list("candidate_id", flat=True))
    await Entry.bulk_create(
        [
            Entry(
                candidate_id=i,
                series_id=series.id,
                syllabus_id=syllabus.id,
                entry_code=f"V{i:07d}",
            )
            for i in ids
            if i not in have
        ]
    )


async def test_a_candidate_list_with_view_can_costs_no_statement_more(
    demo: Any, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    counts = []
    for grow in (5, 60):
        await _grow_candidates(grow)
        without, _ = await statements(
            gql, count_queries, CANDIDATES, {"code": "AA101", "first": 100, "can": False}, token
        )
        with_can, data = await statements(
            gql, count_queries, CANDIDATES, {"code": "AA101", "first": 100, "can": True}, token
        )
        nodes = data["candidates"]["nodes"]
        assert len(nodes) > grow
        assert all(n["viewerCan"] == {"enterCandidate": True} for n in nodes)
        entries = [e["viewerCan"] for n in nodes for e in n["entries"]]
        assert entries
        assert all(e == {"withdrawEntry": True, "loadResult": False} for e in entries)
        counts.append((without, with_can))
    assert counts[0] == counts[1]
    assert counts[0][0] == counts[0][1]

    slt = await gql.sign_in("slt@aa101.example")
    data = await gql.ok(CANDIDATES, {"code": "AA101", "first": 5, "can": True}, slt)
    assert {n["viewerCan"]["enterCandidate"] for n in data["candidates"]["nodes"]} == {False}


async def test_an_organisation_users_list_with_view_can_is_flat(
    demo: Any, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    token = await gql.sign_in("users@aa101.example")
    small, data = await statements(gql, count_queries, USERS, {"code": "AA101", "can": True}, token)
    nodes = {n["user"]["email"]: n["viewerCan"] for n in data["organisationUsers"]["nodes"]}
    # The user manager may not touch the exams officer's credentials, nor delete them.
    officer = nodes["eo@aa101.example"]
    assert officer["updateUserRoles"] is True
    assert officer["updateUserAccountPassword"] is False
    assert officer["deleteUserAccount"] is True  # a payload error (CANNOT_REMOVE_EXAMS_OFFICER)
    # Their own row: roles and names yes, the rest is not done to one's own account this way.
    assert nodes["users@aa101.example"] == {
        **dict.fromkeys(MEMBER_ACTIONS, True),
        "removeUser": False,
        "updateUserAccountPassword": False,
        "updateUserAccountEmail": False,
        "deleteUserAccount": False,
    }
    teacher = nodes["teacher@aa101.example"]
    assert teacher["updateUserAccountPassword"] is True
    assert teacher["updateUserAccountEmail"] is False  # the exams officer's alone
    without, _ = await statements(gql, count_queries, USERS, {"code": "AA101", "can": False}, token)
    # One statement more, for every row's other organisations at once, however many rows.
    assert small == without + 1
    await add_users("AA101", 100)
    large, data = await statements(gql, count_queries, USERS, {"code": "AA101", "can": True}, token)
    assert len(data["organisationUsers"]["nodes"]) == 100
    assert small == large


async def test_staff_are_told_they_may_not_publish_the_assessments_they_take(
    demo: Any, gql: GraphQLClient
) -> None:
    # The board reads unpublished assessments in its own payloads only: the matrix cannot ask
    # it; the staff's list can be asked, and says no.
    token = await gql.sign_in("eo@aa101.example")
    data = await gql.ok(
        '{ myAssessments(organisationCode: "AA101") { nodes { title viewerCan '
        "{ publishAssessment unpublishAssessment } } } }",
        token=token,
    )
    answers = [n["viewerCan"] for n in data["myAssessments"]["nodes"]]
    assert answers
    assert all(a == {"publishAssessment": False, "unpublishAssessment": False} for a in answers)


async def test_results_access_says_who_may_change_it(demo: Any, gql: GraphQLClient) -> None:
    query = (
        '{ resultsAccessSeries(centreCode: "AA101") { series { code } viewerCan '
        "{ updateResultsAccess updateResultsAccessSelection createResultsCredentialsDocuments } } }"
    )
    for email, may in (("eo@aa101.example", True), ("admin@exb.example", False)):
        # The board reads a centre's access but leaves it, and the letters, to the centre.
        rows = (await gql.ok(query, token=await gql.sign_in(email)))["resultsAccessSeries"]
        assert rows
        assert {tuple(row["viewerCan"].values()) for row in rows} == {(may, may, may)}
