"""The `examdesk` command: serve, worker, migrate, makemigrations, demo, create-admin, issue-pins,
export-schema, register-documents, policy-table, backup."""

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit, urlunsplit

from examdesk.settings import Settings, SettingsError

if TYPE_CHECKING:
    from examdesk.demo_test_sessions import DemoTestSessionEntry

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        sys.exit(f"examdesk: {error}")


async def _open_and(
    settings: Settings, work: Callable[[], Awaitable[T]], *, check_schema: bool = True
) -> T:
    from examdesk.app import resolver_config
    from examdesk.database import close_database, open_database
    from resolvers.core.config import configure

    configure(resolver_config(settings))
    await open_database(settings.database_url, check_schema=check_schema)
    try:
        return await work()
    finally:
        await close_database()


def _with_database(
    settings: Settings, work: Callable[[], Awaitable[T]], *, check_schema: bool = True
) -> T:
    """Run `work` on the database; a database that needs migrating ends the command (status 1)
    with what to do."""
    from examdesk.migrator import MigrationRefused, SchemaOutOfDate

    try:
        return asyncio.run(_open_and(settings, work, check_schema=check_schema))
    except (SchemaOutOfDate, MigrationRefused) as error:
        sys.exit(f"examdesk: {error}")


def _print_demo_sign_ins(results_series: str | None, session: "list[DemoTestSessionEntry]") -> None:
    from examdesk.demo import DEMO_PASSWORD, demo_sign_ins

    print(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for sign_in in demo_sign_ins():
        print(f"  {sign_in.email:<28} {sign_in.organisation:<6} {', '.join(sign_in.roles)}")
    print("  new.teacher@cc303.example    CC303  registered by the board: activate the account")
    from examdesk.demo import DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins

    print(
        "Candidate results website (the page at / or signInCandidate; password for all: "
        f"{DEMO_RESULTS_PASSWORD}):"
    )
    for candidate in demo_candidate_sign_ins():
        print(
            f"  {candidate.username:<28} {candidate.centre:<6} candidate "
            f"{candidate.candidate_number}, {results_series}"
        )
    from examdesk.demo import DEMO_CANDIDATE_PASSWORD
    from examdesk.demo_test_sessions import DEMO_TEST_SESSION

    print(
        f"Test session {DEMO_TEST_SESSION!r} at AA101, for three hours from ten minutes before "
        f"the demo data was created (startTest; password for all: {DEMO_CANDIDATE_PASSWORD}):"
    )
    for entry in session:
        print(f"  {entry.username:<28} entry code {entry.entry_code}  {entry.status}")
    print()


async def _seed_demo() -> "tuple[bool, str | None, list[DemoTestSessionEntry]]":
    """Create the demo data if missing; whether it was created, the series whose results the
    demo candidates can read, and the entries of the demo's test session."""
    from examdesk.demo import demo_results_series, register_demo_documents, seed_demo
    from examdesk.demo_test_sessions import demo_test_session_entries

    created = await seed_demo()
    await register_demo_documents()
    return created, await demo_results_series(), await demo_test_session_entries()


def cmd_demo(args: argparse.Namespace) -> None:
    settings = _settings()
    created, results_series, session = _with_database(settings, _seed_demo)
    print("Demo data created." if created else "Demo data is already there.")
    _print_demo_sign_ins(results_series, session)


def cmd_serve(args: argparse.Namespace) -> None:
    from examdesk.serving import configure_logging_for, serve

    if args.no_worker:
        # In the environment, which every process serving the app reads its settings from.
        os.environ["EXAMDESK_NO_WORKER"] = "1"
    settings = _settings()
    if args.workers < 1:
        sys.exit("examdesk: --workers must be 1 or more")
    if args.workers > 1 and settings.database_url.startswith("sqlite://"):
        sys.exit(
            "examdesk: SQLite takes one process's writes at a time: run one (no --workers) or "
            "use PostgreSQL for several (README, Running in production)"
        )
    configure_logging_for(settings)
    if args.demo:
        _, results_series, session = _with_database(settings, _seed_demo)
        _print_demo_sign_ins(results_series, session)
    else:
        # Refused here, with the command to run, rather than in the lifespan (a traceback).
        _with_database(settings, _nothing)
    url = f"http://{args.host}:{args.port}/graphql"
    print(f"examdesk on {_without_password(settings.database_url)} ({settings.mode.value} mode)")
    if settings.trusted_documents_only:
        print(f"GraphQL: {url}  (registered documents only; GraphiQL is off)")
    elif settings.graphiql_enabled:
        print(f"GraphiQL: {url}  (sign in with the form at the top of the page)")
    else:
        print(f"GraphQL: {url}  (GraphiQL is off in production; EXAMDESK_GRAPHIQL=1 turns it on)")
    if not settings.run_worker:
        print("No jobs or mail here (--no-worker): run `examdesk worker` beside it.")
    elif not settings.smtp_url:
        print(_without_smtp(settings))
    serve(settings, host=args.host, port=args.port, workers=args.workers)


def _without_password(url: str) -> str:
    """The database URL fit for a log: its password, if any, starred out."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def cmd_worker(args: argparse.Namespace) -> None:
    from examdesk.app import resolver_config
    from examdesk.requests import configure_logging
    from examdesk.worker import work_until_stopped

    settings = _settings()
    configure_logging()
    _with_database(settings, _nothing)
    print(f"examdesk worker on {settings.database_url}: jobs and mail; stop it with SIGTERM")
    if not settings.smtp_url:
        print(_without_smtp(settings))
    asyncio.run(work_until_stopped(settings, resolver_config(settings)))


def _without_smtp(settings: Settings) -> str:
    if settings.production:
        return (
            "No EXAMDESK_SMTP_URL: emails wait in the outbox until one is set (production "
            "writes none to its log, where their links and codes could be read)."
        )
    return "No EXAMDESK_SMTP_URL: emails (invitations, codes) are written to this log."


async def _nothing() -> None:
    return None


def cmd_migrate(args: argparse.Namespace) -> None:
    from examdesk.migrator import migrate
    from examdesk.schema_lock import schema_lock

    settings = _settings()

    async def work() -> list[str]:
        async with schema_lock(settings.database_url):
            return await migrate(lambda name: print(f"applied {name}"))

    applied = _with_database(settings, work, check_schema=False)
    print(f"{len(applied)} migration(s) applied; the database is up to date.")


def cmd_makemigrations(args: argparse.Namespace) -> None:
    from examdesk.migration_files import tidy, write_migration

    made = asyncio.run(write_migration(args.name, empty=args.empty))
    tidy(made)
    for path in made:
        print(f"Wrote {path}: read it, and say in it what it does and why.")


def cmd_create_admin(args: argparse.Namespace) -> None:
    from models.organisations import Organisation, OrganisationKind
    from models.users import Membership, User, UserStatus
    from policies import Role
    from resolvers.core import clock
    from resolvers.core.errors import DomainError
    from resolvers.identity.accounts import check_email
    from resolvers.identity.passwords import check_password_policy, hash_password
    from resolvers.people.role_grants import Grantor, regranted

    settings = _settings()
    password = os.environ.get("EXAMDESK_ADMIN_PASSWORD") or getpass.getpass("Password: ")

    async def work() -> str:
        try:
            email = check_email(args.email)
            check_password_policy(password, field="password")
        except DomainError as error:
            sys.exit(f"examdesk: {error}")
        board = await Organisation.filter(kind=OrganisationKind.BOARD).first()
        if board is None:
            board = await Organisation.create(
                kind=OrganisationKind.BOARD, code=args.board_code, name=args.board_name
            )
        user = await User.get_or_none(email=email)
        if user is None:
            user = await User.create(
                email=email,
                first_name=args.first_name,
                last_name=args.last_name,
                password_hash=hash_password(password),
                status=UserStatus.ACTIVE,
                email_verified_at=clock.now(),
            )
        membership, _ = await Membership.get_or_create(
            user=user, organisation=board, defaults={"roles": []}
        )
        # Granted from the command line: no one signed in gave it.
        held = list(membership.roles)
        membership.roles = sorted(set(held) | {Role.BOARD_ADMIN.value})
        membership.role_grants = regranted(
            membership.role_grants, held, membership.roles, Grantor(None, None, clock.now())
        )
        await membership.save()
        return f"{email} is a board admin of {board.name} ({board.code})."

    print(_with_database(settings, work))


def cmd_issue_pins(args: argparse.Namespace) -> None:
    from resolvers.people.accounts import issue_missing_pins

    count = _with_database(_settings(), issue_missing_pins)
    print(f"{count} account(s) without a PIN got one.")


def cmd_export_schema(args: argparse.Namespace) -> None:
    from schema.root import build_schema

    sdl = build_schema().as_str() + "\n"
    if args.output:
        Path(args.output).write_text(sdl, encoding="utf-8")
    else:
        sys.stdout.write(sdl)


def cmd_policy_table(args: argparse.Namespace) -> None:
    from policies.policy_table import render_markdown

    sys.stdout.write(render_markdown())


def cmd_register_documents(args: argparse.Namespace) -> None:
    from examdesk.document_registry import RegistrationError, read_documents, register_documents

    try:
        documents = read_documents([Path(path) for path in args.paths])
        registered = _with_database(_settings(), lambda: register_documents(documents))
    except RegistrationError as error:
        problems = "\n".join(f"  {problem}" for problem in error.problems)
        sys.exit(f"examdesk: nothing registered; fix these first:\n{problems}")
    print(
        f"{registered.added} document(s) registered, {registered.already_there} already were "
        f"({len(documents)} read)."
    )


def _add_background_work(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    serve: argparse.ArgumentParser,
) -> None:
    """`serve --no-worker`, and the `worker` command that does what such a server leaves."""
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="leave queued jobs and mail delivery to `examdesk worker` processes",
    )
    worker = commands.add_parser(
        "worker", help="run queued jobs and deliver mail, without serving HTTP (until SIGTERM)"
    )
    worker.set_defaults(func=cmd_worker)


def _add_reference_commands(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> None:
    """The commands that read the project's own definitions: the policy and the documents."""
    table = commands.add_parser(
        "policy-table",
        help="print who may do what, and where, as a Markdown table made from the policy files",
    )
    table.set_defaults(func=cmd_policy_table)

    register = commands.add_parser(
        "register-documents",
        help="register the GraphQL documents a frontend sends (trusted documents), all or none",
    )
    register.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help='.graphql files, folders of them, or JSON manifests {"<sha256 hex>": "<document>"}',
    )
    register.set_defaults(func=cmd_register_documents)


def cmd_backup(args: argparse.Namespace) -> None:
    from examdesk.backup import BackupRefused, backup_sqlite

    try:
        pages = backup_sqlite(_settings().database_url, Path(args.file))
    except BackupRefused as error:
        sys.exit(f"examdesk: {error}")
    print(f"Backed up {pages} page(s) to {args.file}.")


def _add_backup(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    backup = commands.add_parser(
        "backup", help="copy the SQLite database, while the server runs, to a new file"
    )
    backup.add_argument("file", metavar="FILE", help="the copy to write (must not exist)")
    backup.set_defaults(func=cmd_backup)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="examdesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="create demo data first if missing")
    serve.add_argument("--workers", type=int, default=1, help="app processes (2+: PostgreSQL)")
    serve.set_defaults(func=cmd_serve)
    _add_background_work(commands, serve)

    migrate = commands.add_parser(
        "migrate", help="bring the database to the current schema (apply its migrations)"
    )
    migrate.set_defaults(func=cmd_migrate)

    makemigrations = commands.add_parser(
        "makemigrations",
        help="write a migration for what changed in the models (development)",
    )
    makemigrations.add_argument("--name", help="what the migration does, in a few words")
    makemigrations.add_argument(
        "--empty", action="store_true", help="an empty migration, to write by hand (raw SQL)"
    )
    makemigrations.set_defaults(func=cmd_makemigrations)

    demo = commands.add_parser("demo", help="create the demo data")
    demo.set_defaults(func=cmd_demo)

    admin = commands.add_parser("create-admin", help="create a board admin (and the board)")
    admin.add_argument("--email", required=True)
    admin.add_argument("--first-name", required=True)
    admin.add_argument("--last-name", required=True)
    admin.add_argument("--board-code", default="BOARD")
    admin.add_argument("--board-name", default="Exam Board")
    admin.set_defaults(func=cmd_create_admin)

    pins = commands.add_parser(
        "issue-pins", help="give a PIN to every account opened before all accounts got one"
    )
    pins.set_defaults(func=cmd_issue_pins)

    export = commands.add_parser("export-schema", help="print the GraphQL SDL")
    export.add_argument("--output", help="write to this file instead")
    export.set_defaults(func=cmd_export_schema)

    _add_reference_commands(commands)
    _add_backup(commands)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
