"""Enums of the network: the centres sample file's kind."""

import strawberry

from resolvers.network import centre_upload as upload_cases

SampleFormat = strawberry.enum(
    upload_cases.SampleFormat, description="A centres sample file's kind."
)
