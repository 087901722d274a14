"""Limits on what one request may ask: depth, aliases and tokens.

strawberry's limiter extensions make a new validation rule class for each instance, that is for
each request, which no cache of validation results could recognise. The rules are made once
here instead, so that a document found valid under them stays valid, and they are applied with
the token limit (a parse option) where documents are parsed and kept (document_cache.py).
"""

from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.types import ExecutionContext

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000

DEPTH_RULE = depth_rule(MAX_DEPTH, should_ignore=None)
ALIAS_RULE = alias_rule(MAX_ALIASES)


def apply_limits(context: ExecutionContext) -> None:
    """Before parsing: the token limit for the parser, the depth and alias rules for validation."""
    context.parse_options["max_tokens"] = MAX_TOKENS
    context.validation_rules = (*context.validation_rules, DEPTH_RULE, ALIAS_RULE)
