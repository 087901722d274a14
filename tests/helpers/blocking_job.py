"""A job kind for tests of the processes that run jobs: it reports progress, then waits until a
file it was given exists, and says which process ran it. Imported by the test and by the
`examdesk worker` it starts (tests/helpers/processes.py), so both know the kind."""

import asyncio
import os
from pathlib import Path
from typing import Any

from resolvers.core import jobs

KIND = "test.blocks"


async def _blocks(run: jobs.JobRun) -> dict[str, Any]:
    await run.progress(1, 2, "Waiting for the test")
    release = Path(run.payload["release"])
    # Another process makes the file: nothing here to wait on but the file system.
    while not await asyncio.to_thread(release.exists):  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    return {"pid": os.getpid()}


jobs.install({KIND: jobs.JobKind(_blocks, requires=("organisation", "read"))})
