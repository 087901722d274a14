"""GraphiQL served whole by this server: no CDN, so the page works on a machine without internet.

GraphiQL's own browser files (graphiql, React, the explorer plugin) come from the Python package
graphene-django-graphiql-static, which ships the npm releases' files as they are; the page around
them and its script (the sign-in panel and the fetcher that adds the bearer token) are ours, in
examdesk/graphiql_files/. Every file is read once, at start-up: its Subresource Integrity hash is
computed from the bytes that will be served, its URL carries a digest so that a browser may keep
it for a year, and a gzip copy is made for the browsers that accept one.
"""

import base64
import functools
import gzip
import hashlib
import importlib.resources
from dataclasses import dataclass
from pathlib import Path
from string import Template

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

VENDOR = importlib.resources.files("graphene_django_graphiql_static").joinpath(
    "static/graphene_django_graphiql_static"
)
OWN = Path(__file__).with_name("graphiql_files")
STATIC_PATH = "/graphiql/static"
JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"

# Served name -> where the bytes come from, in the order the page loads them (React before
# GraphiQL, GraphiQL before the plugin that uses it, our script last).
STYLES = {
    "graphiql.min.css": VENDOR.joinpath("graphiql.min.css"),
    "graphiql-plugin-explorer.css": VENDOR.joinpath("style.css"),
    "examdesk-graphiql.css": OWN / "examdesk-graphiql.css",
}
SCRIPTS = {
    "react.production.min.js": VENDOR.joinpath("react.production.min.js"),
    "react-dom.production.min.js": VENDOR.joinpath("react-dom.production.min.js"),
    "graphiql.min.js": VENDOR.joinpath("graphiql.min.js"),
    "graphiql-plugin-explorer.umd.js": VENDOR.joinpath("graphiql-plugin-explorer.umd.js"),
    "examdesk-graphiql.js": OWN / "examdesk-graphiql.js",
}
# The URL names the content, so the same URL never means other bytes: cached for a year.
LONG_CACHE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    gzipped: bytes
    media_type: str
    integrity: str
    url: str


def _static_file(name: str, body: bytes, media_type: str) -> StaticFile:
    digest = hashlib.sha384(body).digest()
    version = hashlib.sha256(body).hexdigest()[:16]
    return StaticFile(
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        media_type=media_type,
        integrity=f"sha384-{base64.b64encode(digest).decode()}",
        url=f"{STATIC_PATH}/{name}?v={version}",
    )


@functools.cache
def graphiql_files() -> dict[str, StaticFile]:
    """Every file the page loads, by served name; read on first use (create_app calls it, so a
    missing package stops the server at start-up rather than on the first page)."""
    files = {name: _static_file(name, path.read_bytes(), CSS) for name, path in STYLES.items()}
    files |= {name: _static_file(name, path.read_bytes(), JS) for name, path in SCRIPTS.items()}
    return files


@functools.cache
def _template() -> Template:
    return Template((OWN / "graphiql.html").read_text(encoding="utf-8"))


def graphiql_page(nonce: str) -> str:
    """The page, its every <script> carrying this response's nonce and every file its hash."""
    files = graphiql_files()
    styles = "\n".join(
        f'<link rel="stylesheet" href="{files[name].url}" integrity="{files[name].integrity}">'
        for name in STYLES
    )
    scripts = "\n".join(
        f'<script nonce="{nonce}" src="{files[name].url}" '
        f'integrity="{files[name].integrity}"></script>'
        for name in SCRIPTS
    )
    return _template().substitute(styles=styles, scripts=scripts)


def _accepts_gzip(request: Request) -> bool:
    codings = request.headers.get("accept-encoding", "").lower().split(",")
    return any(coding.split(";")[0].strip() == "gzip" for coding in codings)


async def graphiql_static(request: Request) -> Response:
    file = graphiql_files().get(request.path_params["name"])
    if file is None:
        raise HTTPException(404, "No such file.")
    headers = {"Cache-Control": LONG_CACHE, "Vary": "Accept-Encoding"}
    if _accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        return Response(file.gzipped, media_type=file.media_type, headers=headers)
    return Response(file.body, media_type=file.media_type, headers=headers)


ROUTES = [Route(STATIC_PATH + "/{name}", graphiql_static, methods=["GET"])]
