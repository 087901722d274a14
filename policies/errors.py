"""Authorization failures. The GraphQL layer turns them into extensions.code."""


class AccessError(Exception):
    code = "FORBIDDEN"


class NotSignedIn(AccessError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in to do this.") -> None:
        super().__init__(message)


class Forbidden(AccessError):
    code = "FORBIDDEN"

    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message)
