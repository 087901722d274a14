"""The subject of every decision: who is calling, at which session stage, holding what."""

from dataclasses import dataclass, field

from models.organisations import Organisation, OrganisationKind
from models.sessions import SessionStage


@dataclass(frozen=True, slots=True)
class Placement:
    """One organisation the actor belongs to, and the roles held there."""

    organisation_id: int
    kind: OrganisationKind
    parent_id: int | None
    deleted: bool
    roles: frozenset[str]


@dataclass(frozen=True, slots=True)
class Target:
    """The organisation an operation acts on."""

    id: int
    kind: OrganisationKind
    parent_id: int | None
    deleted: bool

    @classmethod
    def of(cls, organisation: Organisation) -> "Target":
        return cls(
            id=organisation.id,
            kind=organisation.kind,
            parent_id=organisation.parent_id,
            deleted=organisation.deleted_at is not None,
        )


@dataclass(frozen=True, slots=True)
class Right:
    """`act` on `obj` at an organisation (None: no organisation, which only the board's roles
    reach): what a file link grants, asked of the Authorizer again each time it is used."""

    obj: str
    act: str
    organisation_id: int | None


@dataclass(frozen=True, slots=True)
class RequestMeta:
    request_id: str
    ip_address: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    request: RequestMeta
    user_id: int | None = None
    email: str | None = None
    session_id: int | None = None
    stage: SessionStage | None = None
    placements: tuple[Placement, ...] = field(default_factory=tuple)
    # A candidate signed in to the results website: no user, one CANDIDATE placement at the
    # centre (resolvers/results_website/candidate_sessions.py). Every staff field refuses them.
    candidate_id: int | None = None
    credential_id: int | None = None
    candidate_session_id: int | None = None
    # A candidate who started a test with their entry code: no user, one TEST_CANDIDATE
    # placement at the centre, and the one entry the token was given for
    # (resolvers/test_sessions/test_start.py). Every other field refuses them, the results
    # website's included.
    test_sitting_id: int | None = None
    test_entry_id: int | None = None
    # Decisions made for this actor during the request: one Casbin pass per question.
    decisions: dict[tuple[str, str, "Target | None"], bool] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def is_candidate(self) -> bool:
        return self.candidate_id is not None

    @property
    def sits_test(self) -> bool:
        return self.test_sitting_id is not None
