"""Imports aiosmtpd's Controller despite the project's `public` app, which shadows the
`public` module (package atpublic) that aiosmtpd imports."""

import importlib.metadata
import importlib.util
import sys


def load_controller():
    if "aiosmtpd.controller" in sys.modules:
        return sys.modules["aiosmtpd.controller"].Controller
    path = importlib.metadata.distribution("atpublic").locate_file("public/__init__.py")
    spec = importlib.util.spec_from_file_location("public", path, submodule_search_locations=[str(path.parent)])
    atpublic = importlib.util.module_from_spec(spec)
    saved = {name: mod for name, mod in sys.modules.items() if name == "public" or name.startswith("public.")}
    for name in saved:
        del sys.modules[name]
    sys.modules["public"] = atpublic
    try:
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
    finally:
        for name in [n for n in sys.modules if n == "public" or n.startswith("public.")]:
            del sys.modules[name]
        sys.modules.update(saved)
    return Controller


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SwitchableSMTP:
    """An aiosmtpd handler on the loopback that refuses every message (554 to MAIL FROM, as a
    mail server that blocks us does) until `refusing` is set to False; then it keeps them."""

    def __init__(self):
        import threading

        self.refusing = True
        self.refused = 0
        self.messages: list = []  # email.message.Message, in arrival order
        self._lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refusing:
            with self._lock:
                self.refused += 1
            return "554 5.7.1 Sending refused (test server)"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def start_switchable_server():
    """Returns (controller, handler); stop the controller when done."""
    handler = SwitchableSMTP()
    controller = load_controller()(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, handler
