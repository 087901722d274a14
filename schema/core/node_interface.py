"""The words of Relay's Node interface, as the SDL shows them.

Every Node type copies the interface's `id` field when it is defined, so these words are set
before any type is: schema/__init__.py imports this module first.
"""

from strawberry import relay

# strawberry's own words for the interface say nothing of how to use it here.
_NODE = relay.Node.__strawberry_definition__  # type: ignore[attr-defined]
_NODE.description = (
    "An object with a global id. Ask `node(id:)` or `nodes(ids:)` for it again by that id; "
    "client caches key objects by it."
)
for _field in _NODE.fields:
    if _field.graphql_name == "id":
        _field.description = (
            "The object's global id: opaque, stable, and unique across every type. Pass it "
            "back as it came."
        )
