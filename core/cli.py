"""The `timetabler` command: serve, worker, migrate, create-admin, purge-expired, plugins, new-plugin,
extract. Every command that touches data takes --data-dir and reads the same TIMETABLER_* environment
as serve, and says which database it used (so an admin is never made in a database no server reads)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from core.errors import DomainError
from core.jobs.reclaim import Reclaimer
from core.jobs.supervisor import supervise
from core.links import EVERY_INTERFACE, public_root
from core.observability.logs import configure_logging
from core.settings import get_settings

# The other imports of ours sit in the command that needs them (docs/architecture.md): the database
# engine and the broker read the settings when first imported, so they load after the flags are in
# the environment, and `extract` loads neither the web app nor the database.

DATA_DIR_HELP = "the data folder the server uses (default: TIMETABLER_DATA_DIR, else ./var)"


def _apply_data_dir(data_dir: str | None) -> None:
    # Settings are read from the environment once per process; flags go there before anything loads.
    if data_dir:
        os.environ["TIMETABLER_DATA_DIR"] = str(Path(data_dir).resolve())


def _where(database_url: str | None, sqlite_path: Path) -> str:
    if database_url:
        parts = urlsplit(database_url)
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
        who = f"{parts.username}@" if parts.username else ""  # never the password
        return f"postgresql://{who}{host}{port}{parts.path} (PostgreSQL)"
    return f"{sqlite_path.resolve()} (SQLite)"


def _using_database(database_url: str | None = None) -> bool:
    """Say which database this command uses; True when it is a SQLite file not made yet (this
    command is about to create an empty database: likely not the one a server is using)."""
    settings = get_settings()
    url = database_url or settings.database_url
    print(f"Using the database at {_where(url, settings.sqlite_path)}", file=sys.stderr, flush=True)
    return not url and not settings.sqlite_path.exists()


def _new_database_warning(command: str) -> None:
    print(
        f"Note: there was no database there, so a new, empty one was made. If your server runs with "
        f"--data-dir or TIMETABLER_DATA_DIR / TIMETABLER_DATABASE_URL, run `timetabler {command}` "
        "again with the same.",
        file=sys.stderr,
    )


def _logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def cmd_migrate(args: argparse.Namespace) -> int:
    _apply_data_dir(args.data_dir)
    app_url = os.environ.get("TIMETABLER_DATABASE_URL")
    owner_url = os.environ.get("TIMETABLER_MIGRATION_DATABASE_URL")
    if owner_url:  # migrate as the tables' owner, then grant the app's role what it needs
        os.environ["TIMETABLER_DATABASE_URL"] = owner_url
    _using_database(owner_url)
    from core.db.engine import grant_app_role, migrate  # reads the settings: after the flags

    async def run() -> None:
        await migrate()
        if owner_url and app_url and app_url != owner_url:
            await grant_app_role(app_url)

    asyncio.run(run())
    print("Database is up to date.", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _apply_data_dir(args.data_dir)
    # Where it listens is where links point unless TIMETABLER_PUBLIC_URL says otherwise (core/links.py).
    os.environ["TIMETABLER_HOST"], os.environ["TIMETABLER_PORT"] = args.host, str(args.port)
    import msgspec
    import uvicorn

    from core.db.engine import migrate  # reads the settings: after the flags

    settings = get_settings()
    _using_database()
    configure_logging("api", settings.log_format, settings.log_level)  # TIMETABLER_LOG_FORMAT=json|text
    if settings.migration_database_url:
        print("Migrations are run by `timetabler migrate` as the tables' owner; not here.", flush=True)
    else:
        asyncio.run(migrate())
    from core.app import create_app  # the whole web app: only `serve` pays for it

    # The in-process worker reads in processes of its own: the API answers while a photo is read.
    app = create_app(reading_processes=settings.worker_threads if settings.in_process_worker else 0)
    worker = "a Redis broker (start `timetabler worker`)" if settings.redis_url else "an in-process worker"
    listening = public_root(msgspec.structs.replace(settings, public_url=None))
    if args.host in EVERY_INTERFACE:  # 0.0.0.0 is no address to open: name the ones that are
        where = f"http://127.0.0.1:{args.port}/ (from other machines {listening}/)"
    else:
        where = f"{listening}/"
    print(f"Timetabler is running at {where} (API docs: /schema)", flush=True)
    print(f"Jobs run on {worker}.", flush=True)
    links = "TIMETABLER_PUBLIC_URL" if settings.public_url else "set TIMETABLER_PUBLIC_URL to change"
    if args.host in EVERY_INTERFACE and not settings.public_url:
        links += "; an invite or calendar link shown in a browser uses the address that browser opened"
    print(f"Links in invites and emails start with {public_root(settings)}/ ({links}).", flush=True)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        timeout_graceful_shutdown=15,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default; the app decides instead,
        # from TIMETABLER_TRUSTED_PROXIES (core/ratelimit/address.py).
        proxy_headers=False,
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _apply_data_dir(args.data_dir)
    if not get_settings().redis_url:
        print(
            "timetabler worker needs a Redis broker: set TIMETABLER_REDIS_URL. "
            "(`timetabler serve` alone runs an in-process worker.)",
            file=sys.stderr,
        )
        return 2
    # Idle consumers poll Redis at most this far apart (default 1 s): a stage hand-off stays quick.
    os.environ.setdefault("dramatiq_worker_timeout", "100")
    settings = get_settings()
    _using_database()
    if not settings.public_url:  # a worker cannot know where the app servers listen
        print(
            f"TIMETABLER_PUBLIC_URL is not set: links in notifications start with {public_root(settings)}/. "
            "Set it to the address people open.",
            file=sys.stderr,
            flush=True,
        )
    # prometheus_client, loaded by worker_http's metrics, reads PROMETHEUS_MULTIPROC_DIR when imported.
    from core.observability.worker_http import prepare_multiprocess_dir, start_worker_metrics

    configure_logging("worker", settings.log_format, settings.log_level)
    # Before any worker process starts: each writes its metrics to files this process adds up.
    prepare_multiprocess_dir()
    start_worker_metrics(settings)
    # Each process is a dramatiq worker; a recycled or crashed one is replaced (core/jobs/supervisor.py)
    # and what it held goes back to the queues at once (core/jobs/reclaim.py).
    reclaimer = Reclaimer(settings.redis_url)
    return supervise(
        args.processes, args.threads, args.queues, reclaimer, settings.worker_heartbeat_timeout_ms
    )


def cmd_create_admin(args: argparse.Namespace) -> int:
    """The first platform admin: the one who then creates districts and schools."""
    _apply_data_dir(args.data_dir)
    import getpass

    # The database and the accounts it holds: after the flags, and not for `extract`.
    from core.db.engine import migrate
    from core.schools.roles import PLATFORM_ADMIN
    from core.staff.service import create_staff

    fresh = _using_database()
    password = os.environ.get("TIMETABLER_ADMIN_PASSWORD") or getpass.getpass("Password for the new admin: ")

    async def create() -> None:
        await migrate()
        await create_staff(
            args.email,
            args.name,
            password,
            role=PLATFORM_ADMIN,
            district_id=None,
        )

    try:
        asyncio.run(create())
    except DomainError as exc:
        print(f"timetabler create-admin: {exc.detail}", file=sys.stderr)
        return 1
    print(f"Platform admin {args.email} created.", file=sys.stderr)
    if fresh:
        _new_database_warning("create-admin")
    return 0


def cmd_purge_expired(args: argparse.Namespace) -> int:
    _apply_data_dir(args.data_dir)
    # The database and storage: after the flags.
    from core.privacy.retention import purge_expired_documents
    from core.runtime import get_runtime

    _using_database()

    removed = asyncio.run(purge_expired_documents(get_runtime().storage))
    print(f"Removed {removed} documents past their school's retention.", file=sys.stderr)
    return 0


def cmd_plugins(args: argparse.Namespace) -> int:
    from core.plugins import EngineRegistry, list_plugins, make_plugin_manager  # numpy and the engines

    pm = make_plugin_manager()
    infos = list_plugins(pm, EngineRegistry.from_plugins(pm))
    # Non-zero when something installed does not work (a broken plugin, an engine refused), so a
    # deploy script or CI stops; --strict also counts warnings (hooks not marked, deprecated hooks).
    failing = [info for info in infos if info.error or info.refused]
    warned = [info for info in infos if info.warnings]
    code = 1 if failing or (args.strict and warned) else 0
    if args.format == "json":
        print(json.dumps([info.__dict__ for info in infos], indent=2))
    else:
        for info in infos:
            state = f"BROKEN: {info.error}" if info.error else ", ".join(info.hooks)
            print(f"{info.name:<20} {info.version or '-':<10} {state}")
            for problem in info.refused:  # an author's engine left out, and why
                print(f"{'':<20} {'':<10} engine refused: {problem}")
            for warning in info.warnings:
                print(f"{'':<20} {'':<10} WARNING: {warning}")
        for name, reason in sorted(pm.skipped.items()):
            print(f"{name:<20} {'-':<10} SKIPPED: {reason}")
    if code:
        names = ", ".join(info.name for info in (failing or warned))
        what = "failed to load or had engines refused" if failing else "loaded with warnings (--strict)"
        print(f"timetabler plugins: {names} {what}; see above.", file=sys.stderr)
    return code


def cmd_new_plugin(args: argparse.Namespace) -> int:
    from core.plugin_kit.template import TemplateError, new_plugin  # numpy, through the engine types

    try:
        folder = new_plugin(args.name, args.kind, Path(args.dir))
    except TemplateError as exc:
        print(f"timetabler new-plugin: {exc}", file=sys.stderr)
        return 2
    print(
        f"Wrote {folder}. Next: cd {folder} && uv run pytest && uv run timetabler plugins "
        "(see docs/plugins.md)."
    )
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    _logging("WARNING")
    # The reading kernel (numpy, PDFium, the engines): only `extract` and `serve` need it.
    from core.batch import ResultCache, default_cache_dir, extract_many
    from core.extract import format_table

    cache = (
        None
        if args.no_cache
        else ResultCache(Path(args.cache_dir) if args.cache_dir else default_cache_dir())
    )
    failed = 0
    outcomes = extract_many(
        args.files,
        workers=max(1, args.workers),
        ocr_engine=args.ocr_engine,
        cache=cache,
        profile=args.profile,
    )
    for outcome in outcomes:
        if outcome.profile is not None:
            from core.profiling import report

            print(report(outcome.path, outcome.profile), file=sys.stderr, flush=True)
        if outcome.result is None:
            print(f"timetabler extract: {outcome.path}: {outcome.error}", file=sys.stderr)
            failed += 1
            continue
        text = (
            json.dumps(outcome.result, ensure_ascii=False)
            if args.format == "json"
            else format_table(outcome.result)
        )
        print(text, flush=True)
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timetabler", description="School timetables from photos and files."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the app on its embedded defaults (or as configured)")
    serve.add_argument("--host", default=os.environ.get("TIMETABLER_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("TIMETABLER_PORT", "8000")))
    serve.add_argument("--data-dir", help=DATA_DIR_HELP)
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="process jobs from the Redis broker")
    worker.add_argument("--processes", type=int, default=1)
    worker.add_argument("--threads", type=int, default=2)
    worker.add_argument(
        "--queues",
        nargs="*",
        help="queues to consume, for worker groups (default: all): classify, ocr, llm, pipeline, notify",
    )
    worker.add_argument("--data-dir", help=DATA_DIR_HELP)
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("--data-dir", help=DATA_DIR_HELP)
    migrate.set_defaults(func=cmd_migrate)

    admin = sub.add_parser(
        "create-admin", help="create a platform admin (password from TIMETABLER_ADMIN_PASSWORD or a prompt)"
    )
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Platform admin")
    admin.add_argument("--data-dir", help=DATA_DIR_HELP)
    admin.set_defaults(func=cmd_create_admin)

    purge = sub.add_parser("purge-expired", help="delete documents older than their school's retention days")
    purge.add_argument("--data-dir", help=DATA_DIR_HELP)
    purge.set_defaults(func=cmd_purge_expired)

    plugins = sub.add_parser(
        "plugins",
        help="list installed plugins, their versions and hooks; exits 1 when one is broken or refused",
    )
    plugins.add_argument("--format", choices=["table", "json"], default="table")
    plugins.add_argument(
        "--strict", action="store_true", help="exit non-zero on warnings too, not only on broken plugins"
    )
    plugins.set_defaults(func=cmd_plugins)

    new = sub.add_parser("new-plugin", help="write a plugin package: skeleton, entry point and tests")
    new.add_argument("name", help="the engine's name, e.g. ocr_acme")
    new.add_argument("--kind", required=True, choices=["ocr", "llm", "preprocess", "notify", "reader"])
    new.add_argument("--dir", default=".", help="where to write the package folder (default: here)")
    new.set_defaults(func=cmd_new_plugin)

    extract = sub.add_parser("extract", help="read timetables from files, in-process, without a server")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument("--format", choices=["json", "table"], default="table")
    extract.add_argument("--ocr-engine", default="tesseract")
    extract.add_argument("--workers", type=int, default=1, help="files read in parallel (processes)")
    extract.add_argument("--no-cache", action="store_true", help="read every file again, ignoring the cache")
    extract.add_argument("--cache-dir", help="where results are cached by file content (~/.cache/timetabler)")
    extract.add_argument(
        "--profile", action="store_true", help="print the seconds each stage of reading took (to stderr)"
    )
    extract.set_defaults(func=cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
