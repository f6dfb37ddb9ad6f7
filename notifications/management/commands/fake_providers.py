"""Runs the loopback ZNS / Zalo OAuth / SMS server (notifications/channels/loopback.py) for a local try of
the demo: prints the settings to export, then every message it takes, until Ctrl-C."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from notifications.channels.loopback import LoopbackProviders
from notifications.demo import DEMO_NO_ZALO_EMAIL


class Command(BaseCommand):
    help = "Chạy máy chủ giả lập Zalo ZNS và cổng SMS trên 127.0.0.1 để thử bản demo."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args, port: int, **options):
        server = LoopbackProviders(port=port)
        phone = get_user_model().objects.filter(email=DEMO_NO_ZALO_EMAIL).values_list("phone", flat=True).first()
        if phone:
            server.state.no_zalo.add(phone.removeprefix("+"))
        server.start()
        self.stdout.write("Export these before starting the worker and the web server:")
        for name, value in server.settings().items():
            self.stdout.write(f"export {name}={value}")
        seen = (0, 0)
        try:
            while True:
                time.sleep(1)
                for z in server.state.zns[seen[0] :]:
                    self.stdout.write(f"ZNS → {z['phone']}: {z['template_data']}")
                for s in server.state.sms[seen[1] :]:
                    self.stdout.write(f"SMS → {s['to']}: {s['text']}")
                seen = (len(server.state.zns), len(server.state.sms))
        except KeyboardInterrupt:
            server.stop()
