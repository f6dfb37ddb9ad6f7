from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def summaries_build_unbuilt(sender, *, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """After `migrate`: a summary table the migration just made is empty while its raw rows exist (an existing
    database); its pages would count nothing until built, so it is built now rather than left to an operator."""
    from . import registry

    if using != DEFAULT_DB_ALIAS:
        return
    for summary in registry.SUMMARIES:
        if summary.unbuilt():
            summary.rebuild(stdout=None)


class CampaignPortalConfig(AppConfig):
    name = "campaign_portal"

    def ready(self):
        from . import model_text

        model_text.connect()
        # No sender: `migrate` sends post_migrate only for apps with a models module, which this one lacks
        # (the check is cheap and a built summary is left alone, so each app's signal may run it).
        post_migrate.connect(summaries_build_unbuilt, dispatch_uid="campaign_portal.summaries")
