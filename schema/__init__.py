"""The GraphQL shape: types, inputs, payloads, the roots and DataLoaders."""
