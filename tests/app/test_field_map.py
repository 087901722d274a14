"""For every root field, one schema package and the resolvers package of the same name serve it:
its resolver is in schema/<package>/queries.py or mutations.py and reaches no use case outside
resolvers/<package>/ (and the shared resolvers/core/). This is the map the README promises."""

import types
from collections.abc import Callable, Iterator
from typing import Any

from strawberry.types.base import get_object_definition

from schema.root import Mutation, Query

SHARED = "core"


def resolver_functions(root: type) -> Iterator[tuple[str, Callable[..., Any]]]:
    for field in get_object_definition(root, strict=True).fields:
        assert field.base_resolver is not None, f"{root.__name__}.{field.name} has no resolver"
        yield field.name, field.base_resolver.wrapped_func


def resolver_packages(func: Callable[..., Any]) -> set[str]:
    """The resolvers packages a function reaches, through the helpers of its own module too."""
    module = func.__module__
    found: set[str] = set()
    codes, seen = [func.__code__], set()
    while codes:
        code = codes.pop()
        if code in seen:
            continue
        seen.add(code)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
        for name in code.co_names:
            used = func.__globals__.get(name)
            if isinstance(used, types.ModuleType):
                owner = used.__name__
            else:
                owner = getattr(used, "__module__", None) or ""
                if owner == module and isinstance(used, types.FunctionType):
                    codes.append(used.__code__)
            if owner.startswith("resolvers."):
                found.add(owner.split(".")[1])
    return found - {SHARED}


def field_map() -> dict[str, tuple[str, set[str]]]:
    return {
        f"{root.__name__}.{name}": (func.__module__, resolver_packages(func))
        for root in (Query, Mutation)
        for name, func in resolver_functions(root)
    }


def test_every_root_field_is_served_by_one_package_of_each_layer() -> None:
    astray = []
    for field, (module, reached) in field_map().items():
        parts = module.split(".")
        package = parts[1]
        if len(parts) != 3 or parts[2] not in ("queries", "mutations"):
            astray.append(f"{field}: defined in {module}, not in a package's queries/mutations")
        elif reached - {package}:
            astray.append(f"{field}: schema/{package} reaches resolvers {sorted(reached)}")
        elif package != SHARED and not reached:
            astray.append(f"{field}: schema/{package} reaches no use case in resolvers/{package}")
    assert not astray, "\n".join(astray)


def test_the_map_sees_a_use_case_through_a_module_helper() -> None:
    fields = field_map()
    assert fields["Mutation.publish_assessment"] == ("schema.training.mutations", {"training"})
    assert fields["Query.me"] == ("schema.identity.queries", {"identity"})
    assert fields["Query.job"] == ("schema.core.queries", set())
