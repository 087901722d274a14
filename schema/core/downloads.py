"""A file handed out by a short-lived signed link, as the API shows it."""

from datetime import datetime

import strawberry

from resolvers.core.downloads import FileLink

FILE_NAME = "The file's name, with its extension, as a browser should save it."
CONTENT_TYPE = "Its media type, e.g. text/csv or application/pdf."
SIGNED_URL = (
    "A signed link for you alone, valid a few minutes: fetch it with a plain GET, no "
    "Authorization header needed."
)
URL_EXPIRES_AT = "When `url` stops working (ISO 8601, UTC); ask again for a fresh link."


@strawberry.type(description="A file to download with a plain GET before `urlExpiresAt`.")
class FileDownload:
    name: str = strawberry.field(description=FILE_NAME)
    content_type: str = strawberry.field(description=CONTENT_TYPE)
    url: str = strawberry.field(description=SIGNED_URL)
    url_expires_at: datetime = strawberry.field(description=URL_EXPIRES_AT)

    @classmethod
    def of(cls, link: FileLink) -> "FileDownload":
        return cls(
            name=link.file.name,
            content_type=link.file.content_type,
            url=link.url,
            url_expires_at=link.expires_at,
        )
