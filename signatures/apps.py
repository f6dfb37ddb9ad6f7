from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Chữ ký số")

    def ready(self):
        from campaign_portal import registry

        from . import demo

        # Before the other apps' loaders (INSTALLED_APPS order): every document they issue is then signed.
        registry.DEMO_LOADERS.register(
            registry.DemoLoader(
                load_history=demo.load_demo, load_present=demo.load_demo, accounts_help=demo.ACCOUNTS_HELP
            )
        )
