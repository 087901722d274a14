"""Enums of the network: the centres sample file's kind."""

import strawberry

from resolvers.network import centre_upload as cases

SampleFormat = strawberry.enum(cases.SampleFormat, description="A centres sample file's kind.")


__all__ = ["SampleFormat"]
