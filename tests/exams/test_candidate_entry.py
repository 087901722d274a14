"""Single candidate entry (seed 001): the username and password rules, linking by username,
candidate numbers, entry codes, withdrawing, and a series' entries with filters."""

import base64
import re
from typing import Any

import pytest

from models.audit import AuditEvent
from models.exams import Candidate, Entry
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.exams.candidates import (
    LISTED_UNSUPPORTED,
    SUPPORTED_DIACRITICS,
    check_candidate_password,
    check_username,
)
from tests.helpers.graphql import GraphQLClient

ENTER = """
mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) {
  outcome message errors { code message field }
  candidate { id candidateNumber username firstName lastName uci centre { code } }
  entries { id entryCode status syllabus { code } series { code } }
} }"""

WITHDRAW = """
mutation($input: WithdrawEntryInput!) { withdrawEntry(input: $input) {
  errors { code message field } entry { id status withdrawnAt entryCode }
} }"""

ENTRIES = """
query($centre: String!, $series: String!, $filter: EntryFilter, $first: Int) {
  entries(centreCode: $centre, seriesCode: $series, filter: $filter, first: $first) {
    totalCount resultsVisible
    nodes { id entryCode status syllabus { code }
            candidate { candidateNumber username firstName lastName uci centre { code } }
            result { grade } }
} }"""

ENTRY_CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")

# The seed's diacritics, as the help page prints them ("Ô.Õ" included, "a" being plain ASCII).
SEED_DIACRITICS = (
    "À,Á,Â,Ã,Ä,Å,Æ,Ç,È,É,Ê,Ë,Ì,Í,Î,Ï,Ð,Ñ,Ò,Ó,Ô.Õ,Ö,Ø,Ù,Ú,Û,Ü,Ý,Þ,ß , à,á,â,ã,ä,å,æ,ç,è,é,ê,ë,"
    "ì,í,î,ï,ð,ñ,ò,ó,ô,õ,ö,ø,ù,ú,û,ü,ý,þ,ÿ,a,ā,Ă,ă,Ą,ą,"
)
DIACRITICS = [c for c in SEED_DIACRITICS if c not in ", ."]


def entry_input(**overrides: Any) -> dict[str, Any]:
    values = {
        "centreCode": "AA101",
        "seriesCode": "2026-NOV",
        "syllabusCodes": ["0500"],
        "username": "AA101_2026NOV_Cand101",
        "firstName": "Nia",
        "lastName": "Long",
        "password": "Secret2026",
    }
    values.update(overrides)
    return values


async def enter(gql: GraphQLClient, token: str, **overrides: Any) -> dict[str, Any]:
    data = await gql.ok(ENTER, {"input": entry_input(**overrides)}, token=token)
    return data["enterCandidate"]


@pytest.fixture
async def eo(demo, gql: GraphQLClient) -> str:
    return await gql.sign_in("eo@aa101.example")


# The rules themselves, one seed character at a time.


def test_the_alphabet_is_exactly_the_seeds() -> None:
    assert set(DIACRITICS) - {"a"} == SUPPORTED_DIACRITICS
    # The multiplication and division signs sit in the Latin-1 letter block, not in the seed.
    assert "\u00d7" not in SUPPORTED_DIACRITICS
    assert "\u00f7" not in SUPPORTED_DIACRITICS
    assert "Ā" not in SUPPORTED_DIACRITICS  # the seed lists only the lower-case ā


@pytest.mark.parametrize("character", DIACRITICS)
def test_each_supported_diacritic_is_accepted(character: str) -> None:
    assert check_username(f"cand{character}01") == f"cand{character}01"


@pytest.mark.parametrize("character", ["@", "_", "-", "."])
def test_the_default_punctuation_is_accepted(character: str) -> None:
    assert check_username(f"a{character}b")


@pytest.mark.parametrize("character", list(LISTED_UNSUPPORTED))
def test_each_listed_unsupported_character_is_refused_by_name(character: str) -> None:
    with pytest.raises(DomainError) as caught:
        check_username(f"cand{character}01", "input", "username")
    [error] = caught.value.errors
    assert error.code is ErrorCode.USERNAME_INVALID
    assert f'"{character}"' in error.message
    assert error.field == ("input", "username")


@pytest.mark.parametrize(
    ("username", "named"),
    [
        ("two words", "space"),
        ("tab\there", "tab"),
        ("Ālpha", '"Ā"'),
        ("łódź", '"ł"'),
        ("emoji😀", '"😀"'),
        ("nul\x00", "U+0000"),
    ],
)
def test_characters_the_seed_does_not_list_are_refused_too(username: str, named: str) -> None:
    with pytest.raises(DomainError) as caught:
        check_username(username)
    assert named in caught.value.errors[0].message


def test_a_combining_accent_counts_as_the_listed_letter() -> None:
    assert check_username("jose\u0301") == "josé"


def test_every_refused_character_is_named_once() -> None:
    with pytest.raises(DomainError) as caught:
        check_username("a/b/c:d e")
    message = caught.value.errors[0].message
    assert message.count('"/"') == 1
    assert '":"' in message
    assert "space" in message


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Abcdefg1", True),
        ("ABCDEFG1", True),
        ("Ábcdefg1", True),
        ("Abcdef1", False),
        ("abcdefg1", False),
        ("Abcdefgh", False),
        ("", False),
        ("Longer Pass Phrase 9", True),
    ],
)
def test_candidate_password_rule(password: str, ok: bool) -> None:
    if ok:
        assert check_candidate_password(password) == password
    else:
        with pytest.raises(DomainError) as caught:
            check_candidate_password(password)
        assert caught.value.errors[0].code is ErrorCode.CANDIDATE_PASSWORD_INVALID


# Through /graphql.


async def test_enter_a_candidate_with_a_diacritic_username(eo: str, gql: GraphQLClient) -> None:
    result = await enter(
        gql, eo, username="Zoë.Ångström@aa101", syllabusCodes=["0500", "0580"], uci="aa101260099z"
    )
    assert result["errors"] == []
    assert result["outcome"] == "NEW_CANDIDATE"
    candidate = result["candidate"]
    assert candidate["username"] == "Zoë.Ångström@aa101"
    assert candidate["candidateNumber"] == "0005"  # AA101's demo candidates are 0001 to 0004
    assert candidate["uci"] == "AA101260099Z"
    assert candidate["centre"]["code"] == "AA101"
    assert [e["syllabus"]["code"] for e in result["entries"]] == ["0500", "0580"]
    codes = [e["entryCode"] for e in result["entries"]]
    assert all(ENTRY_CODE.match(code) for code in codes)
    assert len(set(codes)) == 2
    assert "added as candidate 0005" in result["message"]
    stored = await Candidate.get(username="Zoë.Ångström@aa101")
    assert stored.password_hash.startswith("$argon2id$")
    assert "Secret2026" not in stored.password_hash
    event = await AuditEvent.filter(action="entry.create").order_by("-id").first()
    assert event is not None
    assert event.target_id == str(stored.id)
    assert "Secret2026" not in str(event.after)


async def test_every_supported_diacritic_in_one_username(eo: str, gql: GraphQLClient) -> None:
    username = "".join(DIACRITICS) + "@_-.09AZaz"
    result = await enter(gql, eo, username=username)
    assert result["errors"] == []
    assert result["candidate"]["username"] == username


async def test_bad_slash_name_is_refused_naming_the_slash(eo: str, gql: GraphQLClient) -> None:
    before = await Candidate.all().count()
    result = await enter(gql, eo, username="bad/name")
    assert result["candidate"] is None
    assert result["entries"] == []
    [error] = result["errors"]
    assert error["code"] == "USERNAME_INVALID"
    assert '"/"' in error["message"]
    assert error["field"] == ["input", "username"]
    assert await Candidate.all().count() == before


async def test_each_listed_unsupported_character_through_the_api(
    eo: str, gql: GraphQLClient
) -> None:
    for character in LISTED_UNSUPPORTED:
        result = await enter(gql, eo, username=f"cand{character}1")
        assert [e["code"] for e in result["errors"]] == ["USERNAME_INVALID"], character
        assert f'"{character}"' in result["errors"][0]["message"]
    assert not await Candidate.filter(username__startswith="cand").exists()


@pytest.mark.parametrize(("length", "ok"), [(0, False), (1, True), (500, True), (501, False)])
async def test_username_length(eo: str, gql: GraphQLClient, length: int, ok: bool) -> None:
    result = await enter(gql, eo, username="u" * length)
    if ok:
        assert result["errors"] == []
        assert len(result["candidate"]["username"]) == length
    else:
        # Too long is refused as for every text input (schema/core/input_rules.py); empty by the
        # rule.
        assert [e["code"] for e in result["errors"]] == [
            "INPUT_TOO_LONG" if length else "USERNAME_INVALID"
        ]


@pytest.mark.parametrize(
    ("password", "problem"),
    [("Short1A", "at least 8"), ("nouppercase1", "upper-case"), ("NoDigitsHere", "digit")],
)
async def test_password_rule_through_the_api(
    eo: str, gql: GraphQLClient, password: str, problem: str
) -> None:
    result = await enter(gql, eo, password=password)
    [error] = result["errors"]
    assert error["code"] == "CANDIDATE_PASSWORD_INVALID"
    assert problem in error["message"]
    assert error["field"] == ["input", "password"]


async def test_all_problems_are_reported_at_once_and_nothing_changes(
    eo: str, gql: GraphQLClient
) -> None:
    entries_before = await Entry.all().count()
    events_before = await AuditEvent.all().count()
    result = await enter(
        gql,
        eo,
        username="bad/name",
        password="weak",
        seriesCode="1999-JUN",
        syllabusCodes=["0500", "9999"],
        firstName=" ",
        uci="no spaces",
    )
    codes = sorted(e["code"] for e in result["errors"])
    assert codes == sorted(
        [
            "SERIES_NOT_FOUND",
            "SYLLABUS_NOT_FOUND",
            "USERNAME_INVALID",
            "NAME_REQUIRED",
            "CANDIDATE_PASSWORD_INVALID",
            "UCI_INVALID",
        ]
    )
    assert await Entry.all().count() == entries_before
    assert await AuditEvent.all().count() == events_before


async def test_reusing_a_username_links_to_the_same_candidate(eo: str, gql: GraphQLClient) -> None:
    first = await enter(gql, eo, syllabusCodes=["0500"])
    assert first["outcome"] == "NEW_CANDIDATE"
    password_hash = (await Candidate.get(id=_pk(first["candidate"]["id"]))).password_hash

    second = await enter(
        gql,
        eo,
        syllabusCodes=["0580", "0610"],
        firstName="Other",
        lastName="Person",
        password="Different2027",
    )
    assert second["errors"] == []
    assert second["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert second["candidate"]["id"] == first["candidate"]["id"]
    assert second["candidate"]["firstName"] == "Nia"
    message = second["message"]
    assert "already belongs to candidate 0005 Nia Long" in message
    assert "same candidate" in message
    assert "password were not changed" in message
    stored = await Candidate.get(id=_pk(first["candidate"]["id"]))
    assert stored.password_hash == password_hash
    assert await Entry.filter(candidate_id=stored.id).count() == 3

    again = await enter(gql, eo, syllabusCodes=["0580"])
    assert [e["code"] for e in again["errors"]] == ["ALREADY_ENTERED"]
    assert again["errors"][0]["field"] == ["input", "syllabusCodes", "0"]


async def test_a_linked_username_with_another_number_is_refused(
    eo: str, gql: GraphQLClient
) -> None:
    result = await enter(
        gql, eo, username="AA101_Cand001", candidateNumber="0002", syllabusCodes=["0500"]
    )
    assert [e["code"] for e in result["errors"]] == ["CANDIDATE_NUMBER_TAKEN"]


async def test_usernames_are_unique_per_centre_not_everywhere(demo, gql: GraphQLClient) -> None:
    # BB202 may use a username AA101 already has: it is a different candidate.
    token = await gql.sign_in("eo@bb202.example")
    result = await enter(gql, token, centreCode="BB202", username="AA101_Cand001")
    assert result["outcome"] == "NEW_CANDIDATE"
    assert result["candidate"]["centre"]["code"] == "BB202"


async def test_candidate_numbers_given_or_the_next_free_one(eo: str, gql: GraphQLClient) -> None:
    given = await enter(gql, eo, username="given", candidateNumber="42")
    assert given["candidate"]["candidateNumber"] == "0042"
    following = await enter(gql, eo, username="following")
    assert following["candidate"]["candidateNumber"] == "0043"
    taken = await enter(gql, eo, username="taken", candidateNumber="0001")
    assert [e["code"] for e in taken["errors"]] == ["CANDIDATE_NUMBER_TAKEN"]
    for bad in ("0", "12345", "12a", "-1"):
        invalid = await enter(gql, eo, username="invalid", candidateNumber=bad)
        assert [e["code"] for e in invalid["errors"]] == ["CANDIDATE_NUMBER_INVALID"], bad


async def test_withdraw_an_entry(eo: str, gql: GraphQLClient) -> None:
    entered = await enter(gql, eo, syllabusCodes=["0500", "0580"])
    entry_id = entered["entries"][0]["id"]
    result = (await gql.ok(WITHDRAW, {"input": {"entryId": entry_id}}, token=eo))["withdrawEntry"]
    assert result["errors"] == []
    assert result["entry"]["status"] == "WITHDRAWN"
    assert result["entry"]["withdrawnAt"] is not None

    listed = await _entries(gql, eo, "2026-NOV", {"search": "AA101_2026NOV_Cand101"})
    assert {(n["syllabus"]["code"], n["status"]) for n in listed["nodes"]} == {
        ("0500", "WITHDRAWN"),
        ("0580", "ENTERED"),
    }
    again = (await gql.ok(WITHDRAW, {"input": {"entryId": entry_id}}, token=eo))["withdrawEntry"]
    assert [e["code"] for e in again["errors"]] == ["ENTRY_WITHDRAWN"]
    assert await AuditEvent.filter(action="entry.withdraw").count() == 1

    # Entering for it again brings the same entry back.
    back = await enter(gql, eo, syllabusCodes=["0500"])
    assert back["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert back["entries"][0]["id"] == entry_id
    assert back["entries"][0]["status"] == "ENTERED"


async def test_withdraw_with_an_id_of_another_type(eo: str, gql: GraphQLClient) -> None:
    result = await gql.ok(WITHDRAW, {"input": {"entryId": "VXNlcjox"}}, token=eo)  # User:1
    assert [e["code"] for e in result["withdrawEntry"]["errors"]] == ["INVALID_INPUT"]


async def test_entries_in_candidate_number_order_with_filters(eo: str, gql: GraphQLClient) -> None:
    everything = await _entries(gql, eo, "2026-JUN")
    numbers = [n["candidate"]["candidateNumber"] for n in everything["nodes"]]
    assert numbers == sorted(numbers)
    assert numbers[0] == "0001"
    assert everything["totalCount"] == 7
    assert {n["candidate"]["centre"]["code"] for n in everything["nodes"]} == {"AA101"}

    withdrawn = await _entries(gql, eo, "2026-JUN", {"status": "WITHDRAWN"})
    assert [(n["candidate"]["lastName"], n["syllabus"]["code"]) for n in withdrawn["nodes"]] == [
        ("García", "0610")
    ]
    maths = await _entries(gql, eo, "2026-JUN", {"syllabusCode": "0580"})
    assert [n["candidate"]["candidateNumber"] for n in maths["nodes"]] == ["0001", "0003"]

    for term, number in (
        ("Rahman", "0003"),
        ("siti", "0003"),
        ("0002", "0002"),
        ("AA101260001A", "0001"),
        ("Cand003", "0003"),
        ("García", "0002"),
        ("garcia", "0002"),
        ("GARCÍA", "0002"),
    ):
        found = await _entries(gql, eo, "2026-JUN", {"search": term})
        assert {n["candidate"]["candidateNumber"] for n in found["nodes"]} == {number}, term
    both = await _entries(gql, eo, "2026-JUN", {"search": "Amara 0580"})
    assert both["totalCount"] == 0  # every word must match the candidate; 0580 is a syllabus


async def test_unknown_series_in_the_list(eo: str, gql: GraphQLClient) -> None:
    body = await gql.post(ENTRIES, {"centre": "AA101", "series": "1999-JUN"}, token=eo)
    assert body["errors"][0]["extensions"]["code"] == "SERIES_NOT_FOUND"


async def test_the_list_costs_the_same_queries_however_many_entries(
    eo: str, gql: GraphQLClient, count_queries
) -> None:
    with count_queries() as few:
        small = await _entries(gql, eo, "2025-NOV")  # one entry at AA101
    for index in range(12):
        await enter(
            gql, eo, username=f"bulk{index}", seriesCode="2025-NOV", syllabusCodes=["0500", "0580"]
        )
    with count_queries() as many:
        large = await _entries(gql, eo, "2025-NOV")
    assert small["totalCount"] == 1
    assert large["totalCount"] == 25
    assert len(_requests(many.statements)) == len(_requests(few.statements))


def _requests(statements: list[str]) -> list[str]:
    # The mail sender polls its outbox in the background; that is not the request's work.
    return [s for s in statements if "outbox_message" not in s]


async def _entries(
    gql: GraphQLClient, token: str, series: str, filter: dict[str, Any] | None = None
) -> dict[str, Any]:
    data = await gql.ok(
        ENTRIES,
        {"centre": "AA101", "series": series, "filter": filter, "first": 100},
        token=token,
    )
    return data["entries"]


def _pk(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])
