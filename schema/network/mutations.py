"""The network's mutations: creating, editing and deleting centres, their users, and uploading
the centres spreadsheet."""

from collections.abc import Awaitable
from typing import Annotated

import strawberry
from strawberry import relay

from models.organisations import Organisation
from resolvers.core.csv_files import upload_bytes, upload_name
from resolvers.network import centre_upload as upload_cases
from resolvers.network import centre_user_removals as removals
from resolvers.network import centre_users, centres, pin_checks
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id, with_user_id
from schema.core.permissions import SignedIn
from schema.network.inputs import (
    AddCentreUserInput,
    CentreCodeInput,
    CentreCodesInput,
    CentrePlaceInput,
    CentrePlacesInput,
    CheckUserPinInput,
    CreateCentreInput,
    RemoveCentreUserInput,
    ResendActivationInput,
    UpdateCentreInput,
    UploadCentresInput,
)
from schema.network.payloads import (
    AddCentreUserPayload,
    CentrePayload,
    CentresPayload,
    CheckUserPinPayload,
    RemoveCentreUserPayload,
    RemoveCentreUsersPayload,
    RemovedCentreUser,
    ResendActivationEmailPayload,
    UndoRemoveCentreUsersPayload,
    UploadCentresPayload,
)
from schema.network.types import CentreUser, OrganisationNode


def _centre_payload(work: Awaitable[Organisation]) -> Awaitable[CentrePayload]:
    return payload(
        CentrePayload,
        work,
        lambda centre: CentrePayload(centre=OrganisationNode.of(centre)),
    )


def _removal_message(removal: removals.Removal) -> str:
    if removal.last_membership:
        return (
            f"{removal.email} was removed from the centre. It was their last organisation: "
            "the account stays, with no access."
        )
    return f"{removal.email} was removed from the centre; their other organisations stay."


@strawberry.type
class CentreMutations:
    @strawberry.mutation(permission_classes=[SignedIn], description="Board admins: a new centre.")
    async def create_centre(
        self,
        info: Info,
        input: Annotated[
            CreateCentreInput,
            strawberry.argument(
                description="The centre's number, name, location and, for an associate "
                "centre, its associate."
            ),
        ],
    ) -> CentrePayload:
        return await _centre_payload(
            centres.create_centre(
                info.context.actor,
                code=input.code,
                name=input.name,
                address=input.address,
                city=input.city,
                country=input.country,
                associate_code=input.associate_code,
            )
        )

    @strawberry.mutation(
        permission_classes=[SignedIn], description="Board admins: a centre's name and location."
    )
    async def update_centre(
        self,
        info: Info,
        input: Annotated[
            UpdateCentreInput,
            strawberry.argument(description="Which centre, and the details to change."),
        ],
    ) -> CentrePayload:
        return await _centre_payload(
            centres.update_centre(
                info.context.actor,
                code=input.code,
                name=input.name,
                address=input.address,
                city=input.city,
                country=input.country,
            )
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: soft-delete a centre. Its users lose all access there at "
        "once; undoDeleteCentre restores it.",
    )
    async def delete_centre(
        self,
        info: Info,
        input: Annotated[
            CentreCodeInput, strawberry.argument(description="The centre to soft-delete.")
        ],
    ) -> CentrePayload:
        return await _centre_payload(centres.delete_centre(info.context.actor, code=input.code))

    @strawberry.mutation(
        permission_classes=[SignedIn], description="Board admins: restore a deleted centre."
    )
    async def undo_delete_centre(
        self,
        info: Info,
        input: Annotated[
            CentreCodeInput, strawberry.argument(description="The soft-deleted centre to restore.")
        ],
    ) -> CentrePayload:
        return await _centre_payload(
            centres.undo_delete_centre(info.context.actor, code=input.code)
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: add a user to a centre by email, with a new PIN; the "
        "activation email is sent. The email must not be in use anywhere.",
    )
    async def add_centre_user(
        self,
        info: Info,
        input: Annotated[
            AddCentreUserInput,
            strawberry.argument(
                description="The centre, the new user's email, and optionally their names "
                "and roles."
            ),
        ],
    ) -> AddCentreUserPayload:
        return await payload(
            AddCentreUserPayload,
            centre_users.add_centre_user(
                info.context.actor,
                code=input.code,
                email=input.email,
                first_name=input.first_name,
                last_name=input.last_name,
                roles=[r.value for r in input.roles],
            ),
            lambda row: AddCentreUserPayload(
                centre_user=CentreUser.of(row),
                message=f"{row.email} has been added and sent an activation email.",
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: take a user out of a centre; the centre and the account "
        "stay, and undoRemoveCentreUsers gives the place back.",
    )
    async def remove_centre_user(
        self,
        info: Info,
        input: Annotated[
            RemoveCentreUserInput,
            strawberry.argument(description="The centre, and the user to take out of it."),
        ],
    ) -> RemoveCentreUserPayload:
        async def work() -> removals.Removal:
            user_id = node_id(input.user_id, "User", "input", "userId")
            [removal] = await removals.remove_centre_users(
                info.context.actor, [(input.code, user_id)], lambda _, name: ("input", name)
            )
            return removal

        return await payload(
            RemoveCentreUserPayload,
            work(),
            lambda removal: RemoveCentreUserPayload(
                removed_user_id=input.user_id,
                last_membership=removal.last_membership,
                message=_removal_message(removal),
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: send a centre user's activation email again, with a new "
        "link and code (the earlier ones stop working). Only for accounts still "
        "PENDING_ACTIVATION; at most a few an hour.",
    )
    async def resend_activation_email(
        self,
        info: Info,
        input: Annotated[
            ResendActivationInput,
            strawberry.argument(description="The centre, and the user waiting for activation."),
        ],
    ) -> ResendActivationEmailPayload:
        return await payload(
            ResendActivationEmailPayload,
            with_user_id(
                input.user_id,
                lambda user_id: centre_users.resend_activation(
                    info.context.actor, code=input.code, user_id=user_id
                ),
            ),
            lambda row: ResendActivationEmailPayload(
                centre_user=CentreUser.of(row),
                message=f"A new activation email has been sent to {row.email}.",
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins (phone support): whether a caller's PIN is that account's. "
        "Audited; five wrong PINs for an account in an hour lock it for the hour "
        "(PIN_LOCKED).",
    )
    async def check_user_pin(
        self,
        info: Info,
        input: Annotated[
            CheckUserPinInput,
            strawberry.argument(
                description="The caller's email address and the PIN they read out."
            ),
        ],
    ) -> CheckUserPinPayload:
        return await payload(
            CheckUserPinPayload,
            pin_checks.check_pin(info.context.actor, email=input.email, pin=input.pin),
            lambda done: CheckUserPinPayload(
                matches=done.matches, email=done.email, status=done.status
            ),
        )


def _places(places: list[CentrePlaceInput]) -> list[tuple[str, int]]:
    return [
        (p.code, node_id(p.user_id, "User", "input", "places", str(i), "userId"))
        for i, p in enumerate(places)
    ]


def _place_field(index: int, name: str) -> tuple[str, ...]:
    return ("input", "places", str(index), name)


@strawberry.type
class CentreReportActionMutations:
    """The upload report's bulk actions, each all or nothing, each undoable."""

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: soft-delete several centres (the upload report's missing "
        "centres): all of them or, if any cannot be, none. undoDeleteCentres restores them.",
    )
    async def delete_centres(
        self,
        info: Info,
        input: Annotated[
            CentreCodesInput, strawberry.argument(description="The centres to soft-delete.")
        ],
    ) -> CentresPayload:
        return await payload(
            CentresPayload,
            centres.delete_centres(info.context.actor, input.codes),
            lambda done: CentresPayload(centres=[OrganisationNode.of(c) for c in done]),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: restore several soft-deleted centres, all or none.",
    )
    async def undo_delete_centres(
        self,
        info: Info,
        input: Annotated[
            CentreCodesInput,
            strawberry.argument(description="The soft-deleted centres to restore."),
        ],
    ) -> CentresPayload:
        return await payload(
            CentresPayload,
            centres.undo_delete_centres(info.context.actor, input.codes),
            lambda done: CentresPayload(centres=[OrganisationNode.of(c) for c in done]),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: take several users out of centres (the upload report's "
        "extra users), each from that centre only: all or none. undoRemoveCentreUsers gives "
        "the places back.",
    )
    async def remove_centre_users(
        self,
        info: Info,
        input: Annotated[
            CentrePlacesInput,
            strawberry.argument(description="The places (a centre and a user) to take away."),
        ],
    ) -> RemoveCentreUsersPayload:
        async def work() -> list[removals.Removal]:
            places = _places(input.places)
            return await removals.remove_centre_users(info.context.actor, places, _place_field)

        return await payload(
            RemoveCentreUsersPayload,
            work(),
            lambda done: RemoveCentreUsersPayload(
                removed=[
                    RemovedCentreUser(
                        centre_code=r.centre_code,
                        user_id=relay.GlobalID("User", str(r.user_id)),
                        email=r.email,
                        last_membership=r.last_membership,
                    )
                    for r in done
                ]
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: give removed places back, with the roles they had: all or "
        "none (NOT_REMOVED for a place not taken away, or back already).",
    )
    async def undo_remove_centre_users(
        self,
        info: Info,
        input: Annotated[
            CentrePlacesInput,
            strawberry.argument(description="The places taken away that are to be given back."),
        ],
    ) -> UndoRemoveCentreUsersPayload:
        async def work() -> list[centre_users.CentreUserRow]:
            places = _places(input.places)
            return await removals.undo_remove_centre_users(info.context.actor, places, _place_field)

        return await payload(
            UndoRemoveCentreUsersPayload,
            work(),
            lambda rows: UndoRemoveCentreUsersPayload(restored=[CentreUser.of(r) for r in rows]),
        )


@strawberry.type
class CentreUploadMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: add centres and their users from a spreadsheet. New centres "
        "get their name and location; existing ones have their NAME updated only. Every row is "
        "checked first: any problem writes nothing. A good file queues a job (payload.job).",
    )
    async def upload_centres(
        self,
        info: Info,
        input: Annotated[
            UploadCentresInput,
            strawberry.argument(description="The spreadsheet, and whether this is a dry run."),
        ],
    ) -> UploadCentresPayload:
        async def upload() -> upload_cases.CentreUpload:
            content = await upload_bytes(input.file)
            return await upload_cases.upload_centres(
                info.context.actor,
                content=content,
                filename=upload_name(input.file),
                dry_run=input.dry_run,
            )

        return await payload(
            UploadCentresPayload, upload(), UploadCentresPayload.of, dry_run=input.dry_run
        )
