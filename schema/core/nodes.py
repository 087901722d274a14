"""Relay's `node` and `nodes`: any object again by its global id.

A type is refetchable only through the use case of its own single-object query (or, for
Syllabus and Candidate, which have none, of their list), in a batch form that keeps that query's
rule for each row: node() never shows more than that query would. Where the query refuses
(FORBIDDEN, NOT_FOUND) or answers null, node() answers null, so an id never tells "somebody
else's" from "none such", nor a malformed id from either. Every Node type is refetchable:
tests/core/test_nodes.py fails on one that is not.

Some lists need more than an id to ask (the organisation of organisationUsers, the centre of
a centre's list). For those, an object is shown if the actor could see it in SOME such list:
a User to whoever may read the users of any organisation the person belongs to (a user
manager there, the board), and to the person themselves, as `me` shows them; an Entry, and
its Result once that series' results show at that centre, to whoever may read the entries
of the candidate's centre, whatever series and filter the list would need; a Resource to
the board, and to staff of a centre whose centreResources shows it (released there by now,
of a service they may open there), without a download link, which only lists mint; a
Submission as its centre's submissions list shows it (a teacher only their own); an
AccessArrangementApplication to the board, whose queue holds every centre's, and to the
centre's nominated users; an Assessment to whoever myAssessments shows it at one of their
centres; an AuditEvent or SignInEvent to whoever auditEvents or signInEvents shows it
without an organisation code (the board all; an exams officer their organisations'); an
UndeliveredEmail to board admins, who alone read undeliveredEmails.

Some are read only inside another object or a mutation's payload. An AssessmentSection is
shown where Assessment.sections shows it: to whoever its assessment is shown by id. A
SectionAttempt, which startSection and submitSection answer, to the person who made it while
submitSection would take it (at a live centre where they may take assessments), with the
certificate it issued. A JobFile where Job.files shows it: to the creator of its SUCCEEDED
job while they hold the right the job needs, with a fresh link minted for them, as Job.files
mints one at every read.
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from strawberry import relay

from policies import Actor
from resolvers.admin import audit_reports, outbox
from resolvers.core import downloads
from resolvers.core import jobs as job_cases
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.exams import candidate_list
from resolvers.exams import entries as entry_cases
from resolvers.exams import series as series_cases
from resolvers.network import organisations as organisation_cases
from resolvers.people import users as user_cases
from resolvers.services import access_arrangements as arrangement_cases
from resolvers.services import help_documents as help_cases
from resolvers.services import releases as release_cases
from resolvers.services import resources as resource_cases
from resolvers.services import submissions as submission_cases
from resolvers.test_sessions import session_reads
from resolvers.training import assessment_attempts as attempt_cases
from resolvers.training import assessments as assessment_cases
from resolvers.training import certificates as certificate_cases
from schema.admin.types import AuditEventNode, SignInEventNode, UndeliveredEmailNode
from schema.core.context import Info
from schema.core.ids import parse_global_id
from schema.core.jobs import JobFileNode, JobNode
from schema.exams.types import CandidateNode, EntryNode, ResultNode, SeriesNode, SyllabusNode
from schema.network.dataloaders import OrganisationByIdLoader
from schema.network.types import OrganisationNode
from schema.people.types import UserNode
from schema.services.types import (
    AccessArrangementNode,
    HelpDocumentNode,
    ReleaseNode,
    ResourceNode,
    SubmissionNode,
)
from schema.test_sessions.types import TestSessionNode
from schema.training.types import AssessmentNode, AttemptNode, CertificateNode, SectionNode

MAX_NODES = 100


@dataclass(frozen=True)
class Refetch:
    """How node() reads a type: the batch form of its single-object query's use case."""

    load: Callable[[Actor, list[int]], Awaitable[Mapping[int, Any]]]
    convert: Callable[[Info, Any], relay.Node]


def _test_session(info: Info, session: Any) -> relay.Node:
    # Its centre came with it: the session's fields need no query for it.
    OrganisationByIdLoader.of(info.context).prime(session.centre_id, session.centre)
    return TestSessionNode.of(session)


def _entry(_: Info, view: Any) -> relay.Node:
    return EntryNode.of(view.entry, results_visible=view.results_visible)


def _result(info: Info, result: Any) -> relay.Node:
    # A result read by id is read as through Entry.result: the trail of who looked records it.
    entry = result.entry
    info.context.results_reads.note(
        centre_id=entry.candidate.centre_id, candidate_id=entry.candidate_id, entry_id=entry.id
    )
    return ResultNode.of(result)


def _application(info: Info, view: Any) -> relay.Node:
    return AccessArrangementNode.of(info.context.actor, view)


REFETCHABLE: dict[str, Refetch] = {
    "Job": Refetch(job_cases.jobs_by_ids, lambda _, job: JobNode.of(job)),
    "Certificate": Refetch(
        certificate_cases.certificates_by_ids, lambda _, row: CertificateNode.of(row)
    ),
    "TestSession": Refetch(session_reads.test_sessions_by_ids, _test_session),
    "Organisation": Refetch(
        organisation_cases.organisations_by_ids, lambda _, row: OrganisationNode.of(row)
    ),
    "Series": Refetch(series_cases.series_by_ids, lambda _, row: SeriesNode.of(row)),
    # These have no query of one object: they are shown as their lists show them.
    "Syllabus": Refetch(series_cases.syllabuses_by_ids, lambda _, row: SyllabusNode.of(row)),
    "Candidate": Refetch(candidate_list.candidates_by_ids, lambda _, row: CandidateNode.of(row)),
    "User": Refetch(user_cases.users_by_ids, lambda _, row: UserNode.of(row)),
    "Entry": Refetch(entry_cases.entries_by_ids, _entry),
    "Result": Refetch(entry_cases.results_by_ids, _result),
    "Release": Refetch(release_cases.releases_by_ids, lambda _, row: ReleaseNode.of(row)),
    "Resource": Refetch(resource_cases.resources_by_ids, lambda _, row: ResourceNode.of(row)),
    "AccessArrangementApplication": Refetch(arrangement_cases.applications_by_ids, _application),
    "Assessment": Refetch(
        assessment_cases.assessments_by_ids, lambda _, view: AssessmentNode.of(view)
    ),
    "AuditEvent": Refetch(audit_reports.audit_events_by_ids, lambda _, row: AuditEventNode.of(row)),
    "SignInEvent": Refetch(
        audit_reports.sign_in_events_by_ids, lambda _, row: SignInEventNode.of(row)
    ),
    "HelpDocument": Refetch(
        help_cases.help_documents_by_ids, lambda _, row: HelpDocumentNode.of(row)
    ),
    "Submission": Refetch(
        submission_cases.submissions_by_ids,
        lambda info, view: SubmissionNode.of(info.context.actor, view),
    ),
    "UndeliveredEmail": Refetch(
        outbox.undelivered_by_ids, lambda _, row: UndeliveredEmailNode.of(row)
    ),
    # These are read only inside another object or a mutation's payload.
    "AssessmentSection": Refetch(
        assessment_cases.sections_by_ids, lambda _, section: SectionNode.of(section)
    ),
    "SectionAttempt": Refetch(attempt_cases.attempts_by_ids, lambda _, view: AttemptNode.of(view)),
    "JobFile": Refetch(downloads.job_files_by_ids, lambda _, link: JobFileNode.of(link)),
}


async def resolve_nodes(info: Info, ids: list[str]) -> list[relay.Node | None]:
    """The objects the ids name, in their order; one query per type asked for."""
    if len(ids) > MAX_NODES:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, f"Ask for at most {MAX_NODES} ids at once.", "ids"
        )
    wanted: dict[str, set[int]] = defaultdict(set)
    parsed = [parse_global_id(value) for value in ids]
    for named in parsed:
        if named is not None and named[0] in REFETCHABLE:
            wanted[named[0]].add(named[1])
    actor = info.context.actor
    found: dict[tuple[str, int], relay.Node] = {}
    for type_name, keys in wanted.items():
        refetch = REFETCHABLE[type_name]
        for key, row in (await refetch.load(actor, sorted(keys))).items():
            found[type_name, key] = refetch.convert(info, row)
    return [None if named is None else found.get(named) for named in parsed]
