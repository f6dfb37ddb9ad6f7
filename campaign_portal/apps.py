from django.apps import AppConfig


class CampaignPortalConfig(AppConfig):
    name = "campaign_portal"

    def ready(self):
        from django.contrib.admin import options

        from . import model_text
        from .forms import CleanModelForm

        model_text.connect()
        # Every admin form (model admins and inlines) that names no form of its own cleans text like
        # the portal's forms: a control character is a field error there, not a 500 on save.
        options.BaseModelAdmin.form = CleanModelForm
