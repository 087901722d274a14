"""Single candidate entry into a test session: the candidate is entered, as enterCandidate
enters one, for the session's syllabus in its series, and the entry belongs to the session. The
entry code it gets is what the candidate types to start the test while the session runs."""

from dataclasses import dataclass, replace

from models.exams import Candidate, Entry
from models.test_sessions import TestSession
from policies import Actor
from resolvers.core.errors import DomainError, UserError
from resolvers.exams import entries as entry_cases
from resolvers.exams.name_warnings import EntryWarning
from resolvers.test_sessions.session_reads import find_managed_session
from resolvers.test_sessions.session_rules import refuse_cancelled, refuse_finished

EntryOutcome = entry_cases.EntryOutcome


@dataclass(frozen=True)
class SessionEnrolment:
    session: TestSession
    candidate: Candidate
    entry: Entry
    outcome: EntryOutcome
    warnings: list[EntryWarning]


async def enter_candidate_into_test_session(
    actor: Actor,
    *,
    session_id: int,
    username: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
    candidate_number: str | None = None,
    uci: str | None = None,
) -> SessionEnrolment:
    """Enter a candidate into the session, new or linked by username as enterCandidate does
    (the same rules for the username and password, the same errors, one transaction and one
    audit event). Not into a cancelled session or one that is over."""
    session = await find_managed_session(actor, session_id)
    refuse_cancelled(session, "enter candidates into")
    refuse_finished(session, "enter candidates into")
    try:
        enrolment = await entry_cases.enter_candidate(
            actor,
            centre_code=session.centre.code,
            series_code=session.series.code,
            syllabus_codes=[session.syllabus.code],
            username=username,
            first_name=first_name,
            last_name=last_name,
            password=password,
            candidate_number=candidate_number,
            uci=uci,
            test_session=session,
        )
    except DomainError as error:
        raise DomainError([_on_session_input(e) for e in error.errors]) from error
    (entry,) = enrolment.entries
    return SessionEnrolment(
        session=session,
        candidate=enrolment.candidate,
        entry=entry,
        outcome=enrolment.outcome,
        warnings=enrolment.warnings,
    )


# What enterCandidate takes and this input names by the session instead.
_FROM_SESSION = {"centreCode", "seriesCode", "syllabusCodes"}


def _on_session_input(error: UserError) -> UserError:
    """The error, pointing at the session where enterCandidate's points at what came from it
    (ALREADY_ENTERED names the syllabus, here the session's)."""
    if error.field[:1] == ("input",) and error.field[1:2] and error.field[1] in _FROM_SESSION:
        return replace(error, field=("input", "testSessionId"))
    return error
