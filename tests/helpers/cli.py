"""The `examdesk` command run as a user would: a separate process on the test's database."""

import os
import subprocess
import sys


def run_cli(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "examdesk.cli", *args],
        env={
            **os.environ,
            "EXAMDESK_DATABASE_URL": database_url,
            "EXAMDESK_FAST_PASSWORD_HASHING": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
