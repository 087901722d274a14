"""The GraphQL shape: types, inputs, payloads, the roots and DataLoaders."""

# Before any type is defined: each Node type copies the interface's id field and its words.
import schema.core.node_interface  # noqa: F401
