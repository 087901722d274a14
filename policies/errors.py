"""Authorization failures. The GraphQL layer turns them into extensions.code and
extensions.reason (policies/reasons.py)."""

from policies.reasons import Reason


class AccessError(Exception):
    code = "FORBIDDEN"

    def __init__(self, message: str, reason: Reason) -> None:
        super().__init__(message)
        self.reason = reason


class NotSignedIn(AccessError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in to do this.") -> None:
        super().__init__(message, Reason.NOT_SIGNED_IN)


class Forbidden(AccessError):
    code = "FORBIDDEN"

    def __init__(
        self,
        message: str = "You do not have permission to do this.",
        reason: Reason = Reason.NOT_PERMITTED,
    ) -> None:
        super().__init__(message, reason)
