"""Memberships (and places the board removed, for their undo) keep who granted each role and
when (`role_grants`), for the access review. Roles held before this migration have no entry:
the review says their granter is unknown and dates them by the membership's creation."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0002_search_text")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Membership",
            name="role_grants",
            field=fields.JSONField(
                default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
            ),
        ),
        ops.AddField(
            model_name="RemovedPlace",
            name="role_grants",
            field=fields.JSONField(
                default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
            ),
        ),
    ]
