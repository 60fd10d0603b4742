"""A real local SMTP server (aiosmtpd) that keeps the messages it accepted.

A message counts as accepted only when the server could answer the end of DATA: if the client
disappears while the sink holds the answer back (``hold_seconds``), the message is dropped, as
the sending side never learnt it was accepted.
"""

import asyncio
import email
import socket
import threading

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SinkHandler:
    def __init__(self):
        self.messages = []
        self.receiving = threading.Event()
        self.hold_seconds = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        self.receiving.set()
        if self.hold_seconds:
            await asyncio.sleep(self.hold_seconds)
            if server.transport is None or server.transport.is_closing():
                return "421 Client gone"
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def received(self):
        with self._lock:
            return list(self.messages)


class SmtpSink:
    def __init__(self):
        self.handler = SinkHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc_info):
        self.controller.stop()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"
