from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Cổng công khai")

    def ready(self):
        from campaign_portal import registry

        from . import demo, navigation, scale, selectors

        registry.NAV_LINKS.register(navigation.nav_links)
        # The news form's unit picker offers the units she may write for (the form's own choices).
        registry.UNIT_PICKER_SCOPES.register("news_units", lambda *, user, anchor: selectors.news_writer_units(user))
        registry.HOME_PANELS.register(navigation.home_panels)
        registry.DEMO_LOADERS.register(
            registry.DemoLoader(
                load_history=demo.load_history, load_present=demo.load_present, accounts_help=demo.DEMO_ACCOUNTS_HELP
            )
        )
        registry.SCALE_GENERATORS.register(scale.generate)
