"""/healthz and /readyz, for a load balancer or an orchestrator.

/healthz (liveness) says the process answers and reaches its database: restart it if not.
/readyz (readiness) says it may be sent requests: the database answers and its migrations are
those of this examdesk (neither behind, waiting for `examdesk migrate`, nor ahead, migrated by a
newer examdesk during a rolling upgrade). Neither needs signing in, so neither says more than
ready or not and why in a word.
"""

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from examdesk.database import database_reachable
from examdesk.migrator import Standing, schema_status

log = logging.getLogger("examdesk.health")


async def healthz(request: Request) -> JSONResponse:
    if not await database_reachable():
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    if not await database_reachable():
        return JSONResponse(
            {"status": "unavailable", "reason": "database unreachable"}, status_code=503
        )
    try:
        status = await schema_status()
    except Exception:
        log.warning("the database's migrations could not be read", exc_info=True)
        return JSONResponse(
            {"status": "unavailable", "reason": "migrations unreadable"}, status_code=503
        )
    if status.standing is not Standing.CURRENT:
        log.warning("not ready: %s", status.explain())
        return JSONResponse(
            {"status": "unavailable", "reason": f"migrations {status.standing.value}"},
            status_code=503,
        )
    return JSONResponse({"status": "ok"})
