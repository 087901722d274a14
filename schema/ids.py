"""Global ids in inputs: decoded and checked against the type they must name."""

from strawberry import relay

from resolvers.errors import DomainError, ErrorCode


def node_id(global_id: relay.GlobalID, type_name: str, *field: str) -> int:
    try:
        if global_id.type_name != type_name:
            raise ValueError(global_id.type_name)
        return int(global_id.node_id)
    except ValueError as exc:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, f"That is not the id of a {type_name}.", *field
        ) from exc


__all__ = ["node_id"]
