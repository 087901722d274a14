"""Candidate usernames are one person at a centre whatever their case: "LinkMe_01" and
"linkme_01" link to one candidate, by enterCandidate, by a CSV upload and under races."""

import unicodedata
from typing import Any

import httpx
import pytest
from tortoise.exceptions import IntegrityError

from models.exams import Candidate
from models.jobs import Job, JobStatus
from models.organisations import Organisation
from models.users import User
from resolvers.core import jobs
from resolvers.core.credential_secrets import sealer
from resolvers.exams.bulk_entries import _SEALED_FOR, KIND
from tests.exams.test_bulk_entries import csv_text, enter_file
from tests.exams.test_candidate_entry import enter
from tests.helpers.graphql import GraphQLClient


@pytest.fixture
async def eo(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in("eo@aa101.example")


async def test_a_username_in_other_case_links_to_the_same_candidate(
    eo: str, gql: GraphQLClient
) -> None:
    amara = await Candidate.get(centre__code="AA101", username="AA101_Cand001")
    result = await enter(gql, eo, username="aa101_CAND001", firstName="Amara", lastName="Okafor")
    assert result["errors"] == []
    assert result["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert result["candidate"]["candidateNumber"] == "0001"
    # The stored username keeps the case the centre first typed.
    assert result["candidate"]["username"] == "AA101_Cand001"
    assert await Candidate.filter(centre_id=amara.centre_id, first_name="Amara").count() == 1


@pytest.mark.parametrize(
    "username",
    ["JOSÉ.GARCÍA", unicodedata.normalize("NFD", "José.García")],
)
async def test_diacritics_match_in_any_case_and_either_form(
    eo: str, gql: GraphQLClient, username: str
) -> None:
    result = await enter(gql, eo, username=username, firstName="José", lastName="García")
    assert result["errors"] == []
    assert result["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert result["candidate"]["candidateNumber"] == "0002"
    assert result["candidate"]["username"] == "josé.garcía"


async def test_a_new_username_keeps_its_case_and_a_later_one_links(
    eo: str, gql: GraphQLClient
) -> None:
    first = await enter(gql, eo, username="LinkMe_01")
    assert first["outcome"] == "NEW_CANDIDATE"
    second = await enter(gql, eo, username="linkme_01", syllabusCodes=["0580"])
    assert second["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert second["candidate"]["id"] == first["candidate"]["id"]
    assert second["candidate"]["username"] == "LinkMe_01"


async def test_the_database_refuses_a_second_candidate_differing_only_in_case(
    demo: object,
) -> None:
    """Two requests at once both see no candidate; the unique key lets only one write."""
    centre = await Organisation.get(code="AA101")
    details = {"first_name": "A", "last_name": "B", "password_hash": "x"}
    await Candidate.create(centre=centre, candidate_number="0100", username="Race_Me", **details)
    with pytest.raises(IntegrityError):
        await Candidate.create(
            centre=centre, candidate_number="0101", username="RACE_me", **details
        )
    with pytest.raises(IntegrityError):
        await Candidate.bulk_create(
            [Candidate(centre=centre, candidate_number="0102", username="race_ME", **details)]
        )


async def test_the_key_follows_a_changed_username(demo: object) -> None:
    candidate = await Candidate.get(centre__code="AA101", username="AA101_Cand003")
    candidate.username = "Siti.Rahman"
    await candidate.save(update_fields=["username"])
    assert await Candidate.get(username_key="siti.rahman") == candidate


async def test_csv_rows_link_and_merge_whatever_the_case(
    http: httpx.AsyncClient, gql: GraphQLClient, eo: str
) -> None:
    content = csv_text(
        "Amara,Okafor,aa101_cand001,,0500,,",  # 2: Amara, in other case
        "New,One,New_One,Secret2026,0500,,",  # 3: a new candidate
        "New,One,NEW_ONE,Secret2026,0580,,",  # 4: the same one, in other case
    )
    checked = await enter_file(http, eo, content, dryRun=True)
    assert checked["errors"] == []
    assert [(r["outcome"], r["candidateNumber"]) for r in checked["rows"]] == [
        ("LINKED_TO_EXISTING_CANDIDATE", "0001"),
        ("NEW_CANDIDATE", "0005"),
        ("NEW_CANDIDATE", "0005"),
    ]
    assert (checked["newCandidates"], checked["linkedCandidates"]) == (1, 1)

    before = await Candidate.all().count()
    payload = await enter_file(http, eo, content)
    job = await gql.wait_for_job(payload["job"]["id"], eo)
    assert job["status"] == "SUCCEEDED", job
    assert await Candidate.all().count() == before + 1
    new = await Candidate.get(centre__code="AA101", username_key="new_one")
    assert new.username == "New_One"
    assert await new.entries.all().count() == 2


async def _run_planned(centre_code: str, username: str) -> Job:
    """The upload job for one new candidate as if the file were checked before `username` was
    taken: the job checks again inside its transaction."""
    centre = await Organisation.get(code=centre_code)
    user = await User.get(email="eo@aa101.example")
    planned: dict[str, Any] = {
        "row": 2,
        "username": username,
        "candidateId": None,
        "candidateNumber": "0100",
        "firstName": "A",
        "lastName": "B",
        "uci": None,
        "password": sealer(_SEALED_FOR).encrypt(b"Secret2026").decode(),
        "entries": [],
    }
    job = await Job.create(
        kind=KIND,
        organisation_id=centre.id,
        created_by_id=user.id,
        request_id="test",
        status=JobStatus.RUNNING,
        created_at=centre.created_at,
        payload={
            "centreId": centre.id,
            "centreCode": centre_code,
            "seriesId": 1,
            "seriesCode": "2026-NOV",
            "file": None,
            "candidates": [planned],
        },
    )
    await jobs.run(job)
    await job.refresh_from_db()
    return job


async def test_the_job_refuses_a_username_taken_meanwhile_in_other_case(demo: object) -> None:
    before = await Candidate.all().count()
    job = await _run_planned("AA101", "aa101_CAND001")
    assert job.status is JobStatus.FAILED
    assert job.error_code == "CONCURRENT_CHANGE"
    assert "aa101_CAND001" in (job.error_message or "")
    assert await Candidate.all().count() == before


# --- a reused username with other names: linked, with a warning ------------------------------

ENTER_WARNED = """
mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) {
  outcome candidate { candidateNumber firstName } errors { code }
  warnings { code message field }
} }"""


async def _enter_warned(gql: GraphQLClient, token: str, **overrides: Any) -> dict[str, Any]:
    values = {
        "centreCode": "AA101",
        "seriesCode": "2026-NOV",
        "syllabusCodes": ["0500"],
        "username": "AA101_Cand001",
        "firstName": "Amara",
        "lastName": "Okafor",
    }
    data = await gql.ok(ENTER_WARNED, {"input": {**values, **overrides}}, token=token)
    return data["enterCandidate"]


async def test_a_reused_username_with_other_names_links_and_warns(
    eo: str, gql: GraphQLClient
) -> None:
    result = await _enter_warned(gql, eo, username="aa101_cand001", firstName="Amy")
    assert result["errors"] == []
    assert result["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert result["candidate"] == {"candidateNumber": "0001", "firstName": "Amara"}
    [warning] = result["warnings"]
    assert warning["code"] == "NAME_DIFFERS"
    assert warning["field"] == ["input", "firstName"]
    assert "belongs to candidate 0001 Amara Okafor, not Amy Okafor" in warning["message"]
    assert await Candidate.filter(centre__code="AA101", username_key="aa101_cand001").count() == 1


async def test_a_differing_last_name_points_at_the_last_name(eo: str, gql: GraphQLClient) -> None:
    result = await _enter_warned(gql, eo, lastName="Smith")
    assert [(w["code"], w["field"]) for w in result["warnings"]] == [
        ("NAME_DIFFERS", ["input", "lastName"])
    ]


@pytest.mark.parametrize(
    ("username", "first", "last"),
    [("AA101_Cand001", "AMARA", "okafor"), ("JOSÉ.GARCÍA", "jose", "GARCIA")],
)
async def test_case_and_accents_alone_do_not_warn(
    eo: str, gql: GraphQLClient, username: str, first: str, last: str
) -> None:
    result = await _enter_warned(gql, eo, username=username, firstName=first, lastName=last)
    assert result["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert result["warnings"] == []


async def test_a_csv_row_with_other_names_says_so_in_its_message(
    http: httpx.AsyncClient, eo: str
) -> None:
    content = csv_text(
        "Amy,Okafor,aa101_cand001,,0500,,",  # 2: Amara's username, another first name
        "siti,RAHMAN,AA101_Cand003,,0500,,",  # 3: Siti, only the case differs
    )
    payload = await enter_file(http, eo, content, dryRun=True)
    assert payload["errors"] == []
    first, second = payload["rows"]
    assert first["outcome"] == second["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert "already belongs to candidate 0001 Amara Okafor" in first["message"]
    assert "belongs to candidate 0001 Amara Okafor, not Amy Okafor" in first["message"]
    assert "not siti RAHMAN" not in second["message"]


# --- one username, one candidate across an institution and its client venues ----------------


@pytest.fixture
async def associate_eo(demo: object, gql: GraphQLClient) -> str:
    """The exams officer of AS100, whose client venues are AS101 and AS102."""
    return await gql.sign_in("eo@as100.example")


async def test_a_username_of_another_venue_of_the_institution_is_refused(
    associate_eo: str, gql: GraphQLClient
) -> None:
    first = await enter(
        gql, associate_eo, centreCode="AS101", username="Shared_01", firstName="Wanjiru"
    )
    assert first["outcome"] == "NEW_CANDIDATE"
    before = await Candidate.all().count()
    refused = await enter(gql, associate_eo, centreCode="AS102", username="shared_01")
    assert refused["candidate"] is None
    [error] = refused["errors"]
    assert error["code"] == "USERNAME_IN_USE_AT_VENUE"
    assert error["field"] == ["input", "username"]
    assert "another venue of this institution" in error["message"]
    assert "Wanjiru" not in error["message"]
    assert "AS101" not in error["message"]
    assert await Candidate.all().count() == before
    # At its own venue the username still links.
    again = await enter(
        gql, associate_eo, centreCode="AS101", username="SHARED_01", syllabusCodes=["0580"]
    )
    assert again["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"


async def test_a_csv_row_with_another_venues_username_is_refused(
    associate_eo: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    await enter(gql, associate_eo, centreCode="AS101", username="Shared_02")
    payload = await enter_file(
        http,
        associate_eo,
        csv_text("A,B,shared_02,Secret2026,0500,,", "C,D,own_02,Secret2026,0500,,"),
        centreCode="AS102",
        dryRun=True,
    )
    assert [
        (r["rowNumber"], [(e["code"], e["column"]) for e in r["errors"]]) for r in payload["rows"]
    ] == [
        (2, [("USERNAME_IN_USE_AT_VENUE", "username")]),
        (3, []),
    ]


async def test_the_job_refuses_a_username_taken_meanwhile_at_another_venue(
    associate_eo: str, gql: GraphQLClient
) -> None:
    await enter(gql, associate_eo, centreCode="AS101", username="Shared_03")
    before = await Candidate.all().count()
    job = await _run_planned("AS102", "shared_03")
    assert job.status is JobStatus.FAILED
    assert job.error_code == "CONCURRENT_CHANGE"
    assert "another venue" in (job.error_message or "")
    assert await Candidate.all().count() == before
