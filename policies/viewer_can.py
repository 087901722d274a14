"""What the viewer may do (`permissions` and each object's `viewerCan`): one answer per
mutation, true where the viewer holds the right the mutation asks for, false wherever the
mutation would be refused as FORBIDDEN (and on one's own account for what is never done to it
this way: removing, deleting, setting the password or email).

The answers are not a second copy of the rules. Each action names the permission its mutation's
resolver asks the Authorizer for (the resolvers take the pairs from here), and the object-level
rules are the functions the resolvers call: who may set whose credentials
(policies/credentials.py), who may delete whom (policies/deletion.py), and who may rename a
person who belongs elsewhere too (`manages_everywhere`). Every decision goes through
Authorizer.allows, which keeps it for the rest of the request (Actor.decisions): a list of a
hundred candidates costs one decision per action, not one per row.

What an action does not answer is the state of the data: a deleted organisation, an
organisation that is not a centre, a withdrawn entry, the exams officer's place. Those are
payload errors of the mutation, and the objects' own fields say them (isDeleted, kind, status,
isExamsOfficer).
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from policies.actor import Actor, Target
from policies.authorizer import Authorizer
from policies.credentials import Holding, credentials_refusal
from policies.deletion import DeletionRefusal, deletion_refusal


@dataclass(frozen=True, slots=True)
class Permission:
    """`act` on `obj`, asked at the object's organisation (or, for `board_wide`, at none:
    only the board's roles reach it)."""

    obj: str
    act: str
    board_wide: bool = False

    def __iter__(self) -> Iterator[str]:
        """`obj` and `act`, as the resolvers pass them on: `require_organisation(actor, code,
        *MANAGE_USERS, ...)`."""
        return iter((self.obj, self.act))

    def allowed(self, authorizer: Authorizer, target: Target | None) -> bool:
        return authorizer.allows(self.obj, self.act, None if self.board_wide else target)


# What each guarded mutation asks the Authorizer; its resolver passes the same constant on.
MANAGE_USERS = Permission("users", "manage")
REGISTER_USER = Permission("users", "register")
DESIGNATE_EXAMS_OFFICER = Permission("exams_officer", "designate")
CREATE_USER_ACCOUNT = Permission("user_accounts", "create")
EDIT_USER_ACCOUNT = Permission("user_accounts", "edit")
EDIT_USER_EMAIL = Permission("user_accounts", "edit_email")
MANAGE_ENTRIES = Permission("entries", "manage")
LOAD_RESULT = Permission("results", "load")
MANAGE_RESULTS_ACCESS = Permission("results_access", "manage")
DOWNLOAD_RESULTS_CREDENTIALS = Permission("results_credentials", "download")
MANAGE_TEST_SESSIONS = Permission("test_sessions", "manage")
DOWNLOAD_LOGIN_SHEETS = Permission("login_sheets", "download")
CREATE_SUBMISSION = Permission("submissions", "create")
MANAGE_ACCESS_ARRANGEMENTS = Permission("access_arrangements", "manage")
MANAGE_ASSESSMENT_VISIBILITY = Permission("assessment_visibility", "manage")
READ_STAFF_PROGRESS = Permission("staff_progress", "read")
MANAGE_CENTRES = Permission("centres", "manage")
MANAGE_RESOURCES = Permission("resources", "manage", board_wide=True)
MANAGE_HELP_DOCUMENTS = Permission("help_documents", "manage", board_wide=True)
MANAGE_ASSESSMENTS = Permission("assessments", "manage", board_wide=True)
MANAGE_OUTBOX = Permission("outbox", "manage", board_wide=True)
MANAGE_SERIES = Permission("series", "manage", board_wide=True)

# The mutations that act at an organisation as a whole (permissions(organisationCode:)).
ORGANISATION_ACTIONS: Mapping[str, Permission] = {
    "inviteUser": MANAGE_USERS,
    "registerUser": REGISTER_USER,
    "designateExamsOfficer": DESIGNATE_EXAMS_OFFICER,
    "createUserAccount": CREATE_USER_ACCOUNT,
    "uploadUsers": CREATE_USER_ACCOUNT,
    "enterCandidate": MANAGE_ENTRIES,
    "enterCandidatesFromCsv": MANAGE_ENTRIES,
    "updateResultsAccess": MANAGE_RESULTS_ACCESS,
    "createResultsCredentialsDocuments": DOWNLOAD_RESULTS_CREDENTIALS,
    "createTestSession": MANAGE_TEST_SESSIONS,
    "submitForAssessment": CREATE_SUBMISSION,
    "submitAccessArrangement": MANAGE_ACCESS_ARRANGEMENTS,
    "setHiddenAssessments": MANAGE_ASSESSMENT_VISIBILITY,
    "exportStaffSummary": READ_STAFF_PROGRESS,
    "downloadCertificates": READ_STAFF_PROGRESS,
    "updateCentre": MANAGE_CENTRES,
    "deleteCentre": MANAGE_CENTRES,
    "undoDeleteCentre": MANAGE_CENTRES,
    # The board's own, wherever it looks from.
    "createSeries": MANAGE_SERIES,
    "uploadResource": MANAGE_RESOURCES,
    "uploadHelpDocument": MANAGE_HELP_DOCUMENTS,
    "createAssessment": MANAGE_ASSESSMENTS,
    "resendEmail": MANAGE_OUTBOX,
}
CANDIDATE_ACTIONS: Mapping[str, Permission] = {"enterCandidate": MANAGE_ENTRIES}
ENTRY_ACTIONS: Mapping[str, Permission] = {
    "withdrawEntry": MANAGE_ENTRIES,
    "loadResult": LOAD_RESULT,
}
RESULTS_ACCESS_ACTIONS: Mapping[str, Permission] = {
    "updateResultsAccess": MANAGE_RESULTS_ACCESS,
    "updateResultsAccessSelection": MANAGE_RESULTS_ACCESS,
    "createResultsCredentialsDocuments": DOWNLOAD_RESULTS_CREDENTIALS,
}
TEST_SESSION_ACTIONS: Mapping[str, Permission] = {
    "updateTestSession": MANAGE_TEST_SESSIONS,
    "cancelTestSession": MANAGE_TEST_SESSIONS,
    "enterCandidateIntoTestSession": MANAGE_TEST_SESSIONS,
    "createLogInSheet": DOWNLOAD_LOGIN_SHEETS,
}
RESOURCE_ACTIONS: Mapping[str, Permission] = {
    "updateResource": MANAGE_RESOURCES,
    "replaceResourceFile": MANAGE_RESOURCES,
    "deleteResource": MANAGE_RESOURCES,
    "withdrawResource": MANAGE_RESOURCES,
    "releaseResource": MANAGE_RESOURCES,
}
HELP_DOCUMENT_ACTIONS: Mapping[str, Permission] = {
    "updateHelpDocument": MANAGE_HELP_DOCUMENTS,
    "deleteHelpDocument": MANAGE_HELP_DOCUMENTS,
}
ASSESSMENT_ACTIONS: Mapping[str, Permission] = {
    "publishAssessment": MANAGE_ASSESSMENTS,
    "unpublishAssessment": MANAGE_ASSESSMENTS,
}

# deletion_refusal's reasons that are FORBIDDEN; the others are the data's state (payload errors).
FORBIDDING_DELETION = frozenset({DeletionRefusal.NOT_PERMITTED, DeletionRefusal.ROLE_OUT_OF_REACH})


def decide(
    actor: Actor, actions: Mapping[str, Permission], target: Target | None
) -> dict[str, bool]:
    """Each action's answer at `target` (None: an organisation the viewer may not know of,
    which answers no everywhere, so that it says nothing of whether it exists)."""
    authorizer = Authorizer(actor)
    if target is None:
        return dict.fromkeys(actions, False)
    return {name: permission.allowed(authorizer, target) for name, permission in actions.items()}


def manages_everywhere(authorizer: Authorizer, targets: Iterable[Target]) -> bool:
    """Whether the actor manages users at each of these organisations: a person's names are
    their account's, so renaming someone who belongs elsewhere too needs every one of them."""
    return all(MANAGE_USERS.allowed(authorizer, target) for target in targets)


# What member_actions answers, by mutation (updateUserAccount three times: changing names, a
# password or an email address, which are asked differently).
MEMBER_ACTIONS = (
    "updateUserRoles",
    "updateUser",
    "removeUser",
    "resendInvitation",
    "updateUserAccount",
    "updateUserAccountPassword",
    "updateUserAccountEmail",
    "deleteUserAccount",
)


def member_actions(
    actor: Actor, user_id: int, holdings: list[Holding], *, acting_at: Target
) -> dict[str, bool]:
    """What the viewer may do to one person of the organisation `acting_at`; `holdings` are
    every organisation the person belongs to (soft-deleted ones too)."""
    authorizer = Authorizer(actor)
    manages = MANAGE_USERS.allowed(authorizer, acting_at)
    edits = EDIT_USER_ACCOUNT.allowed(authorizer, acting_at)
    credentials = credentials_refusal(actor, holdings, acting_at=acting_at.id) is None
    deletion = deletion_refusal(actor, user_id, holdings, acting_at=acting_at.id)
    elsewhere = manages_everywhere(
        authorizer, (h.target for h in holdings if h.target.id != acting_at.id)
    )
    # One's own account is never removed, deleted or given a password or email this way (the
    # mutations refuse it in their payload and point to changePassword or the board): no.
    others = user_id != actor.user_id
    return {
        "updateUserRoles": manages,
        "updateUser": manages and elsewhere,
        "removeUser": manages and others,
        "resendInvitation": manages and credentials,
        "updateUserAccount": edits and elsewhere,
        "updateUserAccountPassword": others and edits and credentials,
        "updateUserAccountEmail": others
        and edits
        and EDIT_USER_EMAIL.allowed(authorizer, acting_at)
        and credentials,
        "deleteUserAccount": others
        and (deletion is None or deletion.reason not in FORBIDDING_DELETION),
    }


def board_actions(actor: Actor, actions: Mapping[str, Permission]) -> dict[str, bool]:
    """The answers for an object only the board's roles act on, wherever it is."""
    authorizer = Authorizer(actor)
    return {name: permission.allowed(authorizer, None) for name, permission in actions.items()}
