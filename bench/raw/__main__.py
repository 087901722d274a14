"""`python -m raw --port 8001` (from bench/): the raw endpoint on one uvicorn worker, as
`examdesk serve` runs examdesk (the same server, loop and HTTP implementation)."""

import argparse
import gc

import uvicorn

from .app import RawSettings, create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    app = create_app(RawSettings.from_env())
    gc.freeze()  # as `examdesk serve` does
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
