"""The `viewerCan` answers as the API shows them: one Boolean per mutation that acts on the
object, made from the action lists of policies/viewer_can.py, so that a new action there is a new
field here and the two never drift apart."""

import re
from collections.abc import Mapping
from typing import Any

import strawberry

from policies import Target
from policies.viewer_can import (
    ASSESSMENT_ACTIONS,
    CANDIDATE_ACTIONS,
    ENTRY_ACTIONS,
    HELP_DOCUMENT_ACTIONS,
    MEMBER_ACTIONS,
    ORGANISATION_ACTIONS,
    RESOURCE_ACTIONS,
    RESULTS_ACCESS_ACTIONS,
    TEST_SESSION_ACTIONS,
    Permission,
    board_actions,
    decide,
)
from schema.core.context import Info

_RULE = (
    "True where you hold the right the mutation asks for; false wherever it would answer "
    "FORBIDDEN (and for removing, deleting or setting the password or email of your own "
    "account). The state of the data (a deleted organisation, one that is not a centre, a "
    "withdrawn entry) is still answered by the mutation's payload errors."
)
_FIELD_NOTES = {
    "updateUserAccount": "updateUserAccount changing first or last name only.",
    "updateUserAccountPassword": "updateUserAccount setting a password (a temporary one).",
    "updateUserAccountEmail": "updateUserAccount setting an email address.",
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# Each type's actions (policies/viewer_can.py), by type.
_ACTIONS: dict[Any, Mapping[str, Permission]] = {}


def _answers_type(name: str, actions: Mapping[str, Any], about: str) -> Any:
    """A type with one Boolean per action (named after its mutation), built as strawberry
    builds a class: the action lists are the one place that says which actions there are."""
    namespace: dict[str, Any] = {"__annotations__": {}}
    for action in actions:
        field = _snake(action)
        namespace["__annotations__"][field] = bool
        note = _FIELD_NOTES.get(action, f"{action}.")
        namespace[field] = strawberry.field(description=f"Whether you may call {note}")
    kind = strawberry.type(
        type(name, (), namespace), name=name, description=f"What you may do {about}. {_RULE}"
    )
    _ACTIONS[kind] = actions
    return kind


def answers(kind: Any, decided: Mapping[str, bool]) -> Any:
    """An instance of one of the types below from policies/viewer_can.py's answers."""
    return kind(**{_snake(action): allowed for action, allowed in decided.items()})


def answers_at(info: Info, kind: Any, target: Target | None) -> Any:
    """The `kind` answers for an object of the organisation `target`."""
    return answers(kind, decide(info.context.actor, _ACTIONS[kind], target))


def board_answers(info: Info, kind: Any) -> Any:
    """The `kind` answers for an object only the board acts on, wherever it is."""
    return answers(kind, board_actions(info.context.actor, _ACTIONS[kind]))


OrganisationPermissions = _answers_type(
    "OrganisationPermissions",
    ORGANISATION_ACTIONS,
    "at an organisation (permissions, Organisation.viewerCan): the mutations that act on it as "
    "a whole. The exam board's own actions (createSeries, uploadResource...) answer the same "
    "at every organisation. An organisation you do not know of answers false everywhere",
)
OrganisationUserViewerCan = _answers_type(
    "OrganisationUserViewerCan",
    dict.fromkeys(MEMBER_ACTIONS),
    "to this person at this organisation",
)
CandidateViewerCan = _answers_type("CandidateViewerCan", CANDIDATE_ACTIONS, "for this candidate")
EntryViewerCan = _answers_type("EntryViewerCan", ENTRY_ACTIONS, "to this entry")
ResultsAccessViewerCan = _answers_type(
    "ResultsAccessViewerCan", RESULTS_ACCESS_ACTIONS, "with this centre's results access"
)
TestSessionViewerCan = _answers_type(
    "TestSessionViewerCan", TEST_SESSION_ACTIONS, "to this test session"
)
ResourceViewerCan = _answers_type("ResourceViewerCan", RESOURCE_ACTIONS, "to this resource")
HelpDocumentViewerCan = _answers_type(
    "HelpDocumentViewerCan", HELP_DOCUMENT_ACTIONS, "to this help document"
)
AssessmentViewerCan = _answers_type("AssessmentViewerCan", ASSESSMENT_ACTIONS, "to this assessment")
