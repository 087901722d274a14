"""The guard on every root field. Each one names who may call it at all; what they may do
where is then decided in resolvers/ through policies/. A test walks the schema and fails on a
root field without one of these."""

from typing import Any

from strawberry.permission import BasePermission

from models.sessions import SessionStage
from policies import Authorizer


class Public(BasePermission):
    """Open to anyone, signed in or not (signing in, password reset, activation)."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return True


class SignedIn(BasePermission):
    """A fully signed-in session: password changed, email verified, authenticator code given."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        Authorizer(info.context.actor).require_signed_in(SessionStage.FULL)
        return True


class AnySessionStage(BasePermission):
    """Any session, including one still completing its first sign-in's steps."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        Authorizer(info.context.actor).require_signed_in(*SessionStage)
        return True


class CandidateSignedIn(BasePermission):
    """A candidate signed in to the results website (signInCandidate); staff are forbidden."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        Authorizer(info.context.actor).require_candidate_session()
        return True


class TestSitter(BasePermission):
    """A candidate who started a test with their entry code (startTest); anyone else is
    refused, results website candidates and staff alike."""

    __test__ = False  # a guard, not a pytest class

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        Authorizer(info.context.actor).require_test_sitter()
        return True


GUARDS = (Public, SignedIn, AnySessionStage, CandidateSignedIn, TestSitter)
