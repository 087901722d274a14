"""A file handed out by a short-lived signed link, as the API shows it."""

from datetime import datetime

import strawberry

from resolvers.core.downloads import FileLink


@strawberry.type(description="A file to download with a plain GET before `urlExpiresAt`.")
class FileDownload:
    name: str
    content_type: str
    url: str = strawberry.field(description="A signed link for you alone, valid a few minutes.")
    url_expires_at: datetime

    @classmethod
    def of(cls, link: FileLink) -> "FileDownload":
        return cls(
            name=link.file.name,
            content_type=link.file.content_type,
            url=link.url,
            url_expires_at=link.expires_at,
        )
