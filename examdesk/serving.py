"""Running the app under uvicorn: in this process, or in N worker processes.

With `--workers N` uvicorn's supervisor starts N processes, each of which imports
`examdesk.serving:app_from_env` and calls it (an app factory), so each reads the settings from
the environment, configures its own logging and opens its own database connections. The same
works without examdesk's command:

    uvicorn --factory examdesk.serving:app_from_env --workers 4 --timeout-graceful-shutdown 30

On SIGTERM (or Ctrl-C) uvicorn stops accepting connections, lets the requests it is answering
finish for up to EXAMDESK_SHUTDOWN_SECONDS, then stops the app (its lifespan's shutdown).
"""

import gc
import logging
import os
import tempfile

import uvicorn
from starlette.applications import Starlette

from examdesk.settings import LogFormat, Settings

log = logging.getLogger("examdesk.serving")

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def configure_logging_for(settings: Settings) -> None:
    from examdesk.requests import configure_logging

    configure_logging(json_lines=settings.log_format is LogFormat.JSON)


def app_from_env() -> Starlette:
    """The app factory each worker process calls."""
    from examdesk.app import create_app

    settings = Settings.from_env()
    configure_logging_for(settings)
    log.info("examdesk process %d serving", os.getpid())
    return _frozen(create_app(settings))


def _frozen(app: Starlette) -> Starlette:
    """The app, once everything made at start-up (the schema, the policies, the modules) has
    been moved out of the garbage collector's way: those live as long as the process, and the
    collector would otherwise walk them at every collection a request sets off."""
    gc.freeze()
    return app


def serve(settings: Settings, *, host: str, port: int, workers: int) -> None:
    options = {
        "host": host,
        "port": port,
        # examdesk's logging (examdesk/requests.py), and its own request log instead of
        # uvicorn's, which would print each path with its query string (tokens included).
        "log_config": None,
        "access_log": False,
        "proxy_headers": settings.production,
        "timeout_graceful_shutdown": settings.shutdown_seconds,
    }
    if workers == 1:
        from examdesk.app import create_app

        log.info("examdesk process %d serving", os.getpid())
        uvicorn.run(_frozen(create_app(settings)), **options)
        return
    if os.environ.get(MULTIPROCESS_DIR):
        uvicorn.run("examdesk.serving:app_from_env", factory=True, workers=workers, **options)
        return
    # The workers add up their metrics in files here (examdesk/metrics.py); a fresh folder each
    # start, as prometheus-client asks, removed when the server stops.
    with tempfile.TemporaryDirectory(prefix="examdesk-metrics-") as folder:
        os.environ[MULTIPROCESS_DIR] = folder
        try:
            uvicorn.run("examdesk.serving:app_from_env", factory=True, workers=workers, **options)
        finally:
            del os.environ[MULTIPROCESS_DIR]
