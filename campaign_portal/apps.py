from django.apps import AppConfig


class CampaignPortalConfig(AppConfig):
    name = "campaign_portal"

    def ready(self):
        from . import model_text

        model_text.connect()
