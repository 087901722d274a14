"""Every object a mutation returns has an `id: ID!`, so that client caches normalise it, unless
it is a value object: nothing to normalise, because nothing else ever shows the same one."""

from graphql import GraphQLNamedType, GraphQLObjectType, get_named_type

from schema.root import build_schema

# Value objects: they describe one answer and are never shown again elsewhere.
VALUE_OBJECTS = {
    # Errors and warnings in a payload: what went wrong with this call's input.
    "UserError",
    "CsvRowError",
    "EntryWarning",
    # Signed links: a new URL and expiry on every request.
    "CertificateDownload",
    "HelpDocumentDownload",
    "ResourceDownload",
    # The report of one upload, row by row.
    "CandidateCsvRow",
    "ResultCsvRow",
    "UserUploadRow",
    "CentreUploadReport",
    "DuplicatedCentreUser",
    "ExtraCentreUser",
    "MissingCentre",
    # The test a test sitter's token opens: one per token, read only through it.
    "CandidateTest",
    # What the viewer may do (viewerCan): part of the object it hangs from, cached with it.
    "OrganisationPermissions",
    "OrganisationUserViewerCan",
    "CandidateViewerCan",
    "EntryViewerCan",
    "ResultsAccessViewerCan",
    "TestSessionViewerCan",
    "ResourceViewerCan",
    "HelpDocumentViewerCan",
    "AssessmentViewerCan",
}


def returned_object_types() -> dict[str, GraphQLObjectType]:
    """The object types reachable from the mutations' payloads (the payloads themselves are
    envelopes of one answer, and left out)."""
    schema = build_schema()._schema
    assert schema.mutation_type is not None
    found: dict[str, GraphQLObjectType] = {}

    def walk(graphql_type: GraphQLNamedType) -> None:
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name in found:
            return
        found[graphql_type.name] = graphql_type
        for field in graphql_type.fields.values():
            walk(get_named_type(field.type))

    payloads = {get_named_type(f.type) for f in schema.mutation_type.fields.values()}
    for payload in payloads:
        assert isinstance(payload, GraphQLObjectType)
        for field in payload.fields.values():
            walk(get_named_type(field.type))
    return {name: t for name, t in found.items() if t not in payloads}


def test_every_object_a_mutation_returns_has_an_id_or_is_a_value_object() -> None:
    returned = returned_object_types()
    without_id = {
        name
        for name, graphql_type in returned.items()
        if "id" not in graphql_type.fields or str(graphql_type.fields["id"].type) != "ID!"
    }
    assert without_id - VALUE_OBJECTS == set()
    # An exemption that no longer applies goes from the lists.
    assert VALUE_OBJECTS - without_id == set()
    assert {"Entry", "CentreUser", "SubmittedFile", "UserError"} <= returned.keys()
