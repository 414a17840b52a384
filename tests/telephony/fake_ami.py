"""A small fake Asterisk Manager Interface server on 127.0.0.1 (asyncio, AMI text protocol).

Each accepted connection gets the banner, answers the Login action, then plays the next
script of events. Every script but the last ends by dropping the connection, so the
client has to reconnect to hear the rest.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

EOL = "\r\n"


def message(headers: dict[str, str]) -> bytes:
    return (EOL.join(f"{key}: {value}" for key, value in headers.items()) + EOL + EOL).encode()


def parse(block: bytes) -> dict[str, str]:
    headers = {}
    for line in block.decode().split(EOL):
        if ": " in line:
            key, value = line.split(": ", 1)
            headers[key.lower()] = value
    return headers


@dataclass
class FakeAmi:
    scripts: list[list[dict[str, str]]]
    username: str = "desk"
    secret: str = "s3cret"
    connections: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    port: int = 0
    _server: asyncio.AbstractServer | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        index = self.connections
        self.connections += 1
        writer.write(b"Asterisk Call Manager/6.0.0" + EOL.encode())
        await writer.drain()
        try:
            login = parse(await reader.readuntil(b"\r\n\r\n"))
            self.actions.append(login.get("action", ""))
            self.logins.append((login.get("username", ""), login.get("secret", "")))
            ok = (login.get("username"), login.get("secret")) == (self.username, self.secret)
            writer.write(
                message(
                    {
                        "Response": "Success" if ok else "Error",
                        "ActionID": login.get("actionid", ""),
                        "Message": "Authentication accepted" if ok else "Authentication failed",
                    }
                )
            )
            await writer.drain()
            if ok:
                writer.write(
                    message(
                        {
                            "Event": "FullyBooted",
                            "Privilege": "system,all",
                            "Status": "Fully Booted",
                        }
                    )
                )
                for event in self.scripts[index] if index < len(self.scripts) else []:
                    writer.write(message(event))
                    await writer.drain()
                    await asyncio.sleep(0.01)
            if index < len(self.scripts) - 1 or not ok:
                return  # drop the connection: the client must reconnect
            while True:  # keep the last connection open, answering pings
                block = await reader.readuntil(b"\r\n\r\n")
                action = parse(block)
                self.actions.append(action.get("action", ""))
                writer.write(
                    message(
                        {
                            "Response": "Success",
                            "ActionID": action.get("actionid", ""),
                            "Ping": "Pong",
                        }
                    )
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
