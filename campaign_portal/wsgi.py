import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
application = get_wsgi_application()

# Before the first request, not during it (see campaign_portal.warmup).
from campaign_portal.warmup import process_warm_up  # noqa: E402

process_warm_up()
