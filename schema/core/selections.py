"""What the client selected below the current field, read from the query's syntax tree.

Strawberry's `selected_fields` converts the whole sub-selection on every call, which costs more
than the row itself on a long list; walking the few nodes that matter does not.
"""

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from schema.core.context import Info


def selects(info: Info, name: str, *, deep: bool = False) -> bool:
    """Whether the field `name` is selected directly inside the current field (through
    fragments too), or, with `deep`, anywhere below it."""
    raw = info._raw_info
    seen: set[str] = set()

    def among(selection_set: SelectionSetNode | None) -> bool:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value == name or (deep and among(selection.selection_set)):
                    return True
            elif isinstance(selection, InlineFragmentNode):
                if among(selection.selection_set):
                    return True
            elif isinstance(selection, FragmentSpreadNode):
                fragment = raw.fragments.get(selection.name.value)
                if fragment is not None and fragment.name.value not in seen:
                    seen.add(fragment.name.value)
                    if among(fragment.selection_set):
                        return True
        return False

    return any(among(node.selection_set) for node in raw.field_nodes)
