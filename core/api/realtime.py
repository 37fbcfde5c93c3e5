"""The ``/ws`` endpoint: authenticate by the first message, then subscribe to jobs one may see.

The route is open at the HTTP level (a browser cannot send an Authorization header on a WebSocket),
so the socket itself denies by default: nothing but ``auth`` is accepted until a valid access token
arrives, and a job is subscribed only when its school and the user's role allow it (the same rule
as ``GET /api/v1/jobs/{id}``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from typing import Any

import msgspec
from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin, Subscriber
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect

from core.auth import CurrentUser, NotAuthenticated, decode_token, load_user
from core.db.tables import Job
from core.realtime import events
from core.realtime.publisher import channel_name
from core.schools.roles import SCHOOL_MEMBERS, visible
from core.settings import Settings

log = logging.getLogger(__name__)

CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
MAX_SUBSCRIPTIONS = 50  # per socket: a page watches a handful of jobs, not the whole school
CLIENT_TYPES = ("subscribe:job", "unsubscribe:job", "ping")
AUTH_HELP = 'Send {"type": "auth", "token": "<accessToken>"} as the first message.'


class ClientMessage(msgspec.Struct, rename="camel"):
    type: str
    token: str | None = None
    job_id: str | None = None


def _encode(message: dict[str, Any]) -> str:
    return msgspec.json.encode(message).decode()


def _parse(raw: str | bytes | None) -> ClientMessage | None:
    try:
        return msgspec.json.decode(raw or b"", type=ClientMessage)
    except msgspec.DecodeError:
        return None


async def _refuse(socket: WebSocket, code: int, error: str, text: str) -> None:
    with contextlib.suppress(Exception):  # the client may already be gone
        await socket.send_text(_encode(events.error(error, text)))
        await socket.close(code=code, reason=error)


async def authenticate(socket: WebSocket, settings: Settings) -> tuple[CurrentUser, dict[str, Any]] | None:
    """The user named by the first message's token and the token's claims, or None after closing
    the socket."""
    try:
        raw = await asyncio.wait_for(socket.receive_data("text"), settings.ws_auth_timeout_seconds)
    except TimeoutError:
        await _refuse(socket, CLOSE_UNAUTHORIZED, "unauthorized", f"No sign-in received. {AUTH_HELP}")
        return None
    except WebSocketDisconnect:
        return None
    first = _parse(raw)
    if first is None or first.type != "auth" or not first.token:
        await _refuse(socket, CLOSE_UNAUTHORIZED, "unauthorized", f"Sign in first. {AUTH_HELP}")
        return None
    try:
        claims = decode_token(settings, first.token, expected_type="access")
        user = await load_user(claims)
    except NotAuthenticated as exc:
        await _refuse(socket, CLOSE_UNAUTHORIZED, "unauthorized", str(exc.detail))
        return None
    if user.role not in SCHOOL_MEMBERS or user.tenant_id is None:
        text = "Live job progress is for people of a school; admins of districts use the admin console."
        await _refuse(socket, CLOSE_FORBIDDEN, "forbidden", text)
        return None
    return user, claims


class Session:
    """One signed-in socket: its subscriptions, and one sender so that writes never interleave."""

    def __init__(
        self,
        socket: WebSocket,
        channels: ChannelsPlugin,
        user: CurrentUser,
        claims: dict[str, Any],
        settings: Settings,
    ):
        self.socket, self.channels, self.user, self.settings = socket, channels, user, settings
        self.claims = claims
        self.expires_at = float(claims["exp"])  # the socket lives no longer than its sign-in
        self.outbox: asyncio.Queue[str] = asyncio.Queue()
        self.subscriptions: dict[str, tuple[Subscriber, asyncio.Task[None]]] = {}

    def send(self, message: dict[str, Any]) -> None:
        self.outbox.put_nowait(_encode(message))

    async def run(self) -> None:
        sender = asyncio.create_task(self._send_loop())
        self.send({"type": "ready"})
        try:
            async with asyncio.timeout(max(self.expires_at - time.time(), 0)):
                while True:
                    await self.handle(await self.socket.receive_data("text"))
        except WebSocketDisconnect:
            pass
        except TimeoutError:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
            text = "Your sign-in has expired. Refresh the access token and connect again."
            await _refuse(self.socket, CLOSE_UNAUTHORIZED, "unauthorized", text)
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)  # a send to a gone client may have failed
            for job_id in list(self.subscriptions):  # clean unsubscribe: the channels forget this socket
                await self.unsubscribe(job_id)

    async def _send_loop(self) -> None:
        """Send queued messages; after a quiet spell send a ping, so proxies keep the socket open.

        Once per heartbeat the sign-in is checked again, as each API request checks it: signing out,
        a disabled account or a removed user ends the socket too.
        """
        ping = _encode({"type": "ping"})
        heartbeat = self.settings.ws_heartbeat_seconds
        checked = time.monotonic()
        while True:
            try:
                text = await asyncio.wait_for(self.outbox.get(), heartbeat)
            except TimeoutError:
                text = ping
            if time.monotonic() - checked >= heartbeat:
                checked = time.monotonic()
                try:
                    await load_user(self.claims)
                except NotAuthenticated as exc:
                    await _refuse(self.socket, CLOSE_UNAUTHORIZED, "unauthorized", str(exc.detail))
                    return
            await self.socket.send_text(text)

    async def handle(self, raw: str) -> None:
        message = _parse(raw)
        if message is None:
            self.send(events.error("invalid_message", "Send JSON objects with a 'type' field."))
        elif message.type == "ping":
            self.send({"type": "pong"})
        elif message.type not in CLIENT_TYPES:
            allowed = ", ".join(CLIENT_TYPES)
            self.send(events.error("unknown_type", f"Unknown message type '{message.type}'. Use {allowed}."))
        elif not _is_uuid(message.job_id):
            self.send(events.error("invalid_message", f"'{message.type}' needs 'jobId': a job's id."))
        elif message.type == "subscribe:job":
            await self.subscribe(str(uuid.UUID(message.job_id)))
        else:
            await self.unsubscribe(str(uuid.UUID(message.job_id)))
            self.send(events.message("unsubscribed", jobId=message.job_id))

    async def subscribe(self, job_id: str) -> None:
        job = await self._visible_job(job_id)
        if job is None:  # another school's job, another teacher's, or none at all: the same answer
            self.send(events.error("not_found", f"Job {job_id} was not found. Subscribe to your own jobs."))
            return
        if job_id not in self.subscriptions:
            if len(self.subscriptions) >= MAX_SUBSCRIPTIONS:
                text = f"At most {MAX_SUBSCRIPTIONS} jobs at once; unsubscribe from finished ones first."
                self.send(events.error("too_many_subscriptions", text))
                return
            subscriber = await self.channels.subscribe(channel_name(self.user.tenant_id, job_id))
            self.subscriptions[job_id] = (subscriber, asyncio.create_task(self._forward(subscriber)))
        self.send(events.message("subscribed", jobId=job_id))
        # Where the job stands now, read after subscribing: a client that subscribes late (or
        # reconnects) still sees the end, so progress never freezes.
        self.send(events.job_status(job_id, job.status, job.stage))
        if job.status in events.FINAL_EVENTS:
            final = await events.final_event(self.user.tenant_id, job_id, job.status)
            if final:
                self.send(final)

    async def unsubscribe(self, job_id: str) -> None:
        entry = self.subscriptions.pop(job_id, None)
        if entry is None:
            return
        subscriber, task = entry
        await self.channels.unsubscribe(subscriber, channel_name(self.user.tenant_id, job_id))
        task.cancel()

    async def _forward(self, subscriber: Subscriber) -> None:
        async for data in subscriber.iter_events():
            self.outbox.put_nowait(data.decode())

    async def _visible_job(self, job_id: str) -> Job | None:
        query = visible(self.user.scope.objects(Job), Job, self.user)
        return await query.where(Job.id == uuid.UUID(job_id)).first()


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(value or "")
    except ValueError:
        return False
    return True


@websocket(
    "/ws",
    name="realtime",
    # Open at the HTTP level; the first message authenticates (see authenticate()).
    opt={"exclude_from_auth": True},
)
async def realtime_socket(socket: WebSocket, channels: NamedDependency[ChannelsPlugin]) -> None:
    settings: Settings = socket.app.state.settings
    await socket.accept()
    signed_in = await authenticate(socket, settings)
    if signed_in is not None:
        await Session(socket, channels, *signed_in, settings).run()
