from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Cổng công khai")

    def ready(self):
        from campaign_portal import registry

        from . import demo, navigation, scale

        registry.NAV_LINKS.register(navigation.nav_links)
        registry.HOME_PANELS.register(navigation.home_panels)
        registry.DEMO_LOADERS.register(
            registry.DemoLoader(
                load_history=demo.load_history, load_present=demo.load_present, accounts_help=demo.DEMO_ACCOUNTS_HELP
            )
        )
        registry.SCALE_GENERATORS.register(scale.generate)
