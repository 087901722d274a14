"""Enums of the network: the centres sample file's kind."""

from resolvers.network import centre_upload as upload_cases
from schema.core.described import described_enum

SampleFormat = described_enum(
    upload_cases.SampleFormat,
    "Which kind of centres sample file centresUploadSample makes.",
    {
        "XLSX": "An Excel workbook (.xlsx), the columns on its first sheet.",
        "CSV": "A UTF-8 CSV file with a header row.",
    },
)
