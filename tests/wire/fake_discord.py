"""A tiny Discord on loopback that speaks the real REST and gateway protocol.

SimCord replaces discord.py's HTTP and websocket layers inside the process, so it
cannot show what ``genre-warden run`` does when Discord itself says no. This
server answers the few routes a start-up touches and the gateway handshake, so a
real ``genre-warden run`` process can be told "bad token" (HTTP 401), "intent not
enabled" (close code 4014) or be let through to READY and then stopped.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

APPLICATION_ID = 900000000000000001
BOT_USER = {"id": str(APPLICATION_ID), "username": "Genre Warden", "discriminator": "0", "avatar": None, "bot": True}
MESSAGE_CONTENT_INTENT = 1 << 15


def json_response(data: object, status: int = 200) -> web.Response:
    # discord.py decodes a body as JSON only when the content type is exactly this, without a charset.
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


@dataclass
class FakeDiscord:
    valid_token: str
    message_content_enabled: bool = True
    identified: threading.Event = field(default_factory=threading.Event)
    ready_sent: threading.Event = field(default_factory=threading.Event)
    synced_commands: list[dict] = field(default_factory=list)
    seen_tokens: list[str] = field(default_factory=list)
    # (status, body) to refuse every command sync with, e.g. 403 for a bot invited without applications.commands.
    sync_refusal: tuple[int, dict] | None = None
    base_url: str = ""

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    # -- lifecycle --------------------------------------------------------------

    def start(self) -> FakeDiscord:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/v10/users/@me", self._me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self._application)
        app.router.add_put("/api/v10/applications/{app_id}/commands", self._sync_commands)
        app.router.add_put("/api/v10/applications/{app_id}/guilds/{guild_id}/commands", self._sync_commands)
        app.router.add_get("/gateway", self._gateway)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    # -- REST ----------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        token = request.headers.get("Authorization", "").removeprefix("Bot ")
        self.seen_tokens.append(token)
        return token == self.valid_token

    async def _me(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        return json_response(BOT_USER)

    async def _application(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "id": str(APPLICATION_ID),
                "name": "Genre Warden",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": {**BOT_USER, "id": "900000000000000002", "username": "owner", "bot": False},
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
            }
        )

    async def _sync_commands(self, request: web.Request) -> web.Response:
        if self.sync_refusal is not None:
            status, body = self.sync_refusal
            return json_response(body, status=status)
        payloads = await request.json()
        self.synced_commands = payloads
        # Discord answers with each command as stored: context menus get an empty description.
        echoed = [
            {"description": "", **payload, "id": str(910000000000000000 + index),
             "application_id": str(APPLICATION_ID), "version": "1"}
            for index, payload in enumerate(payloads)
        ]
        return json_response(echoed)

    # -- gateway -------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45_000}, "s": None, "t": None}))
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                break
            payload = json.loads(message.data)
            if payload["op"] == 1:
                await socket.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif payload["op"] == 2:
                self.identified.set()
                intents = int(payload["d"].get("intents", 0))
                if intents & MESSAGE_CONTENT_INTENT and not self.message_content_enabled:
                    await socket.close(code=4014, message=b"Disallowed intent(s).")
                    break
                await socket.send_str(json.dumps({"op": 0, "s": 1, "t": "READY", "d": self._ready()}))
                self.ready_sent.set()
        return socket

    def _ready(self) -> dict:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [],
            "session_id": "fake-session",
            "resume_gateway_url": self.base_url.replace("http", "ws") + "/gateway",
            "application": {"id": str(APPLICATION_ID), "flags": 0},
        }
