import pytest
from django.core.management import call_command
from .test_journeys import _login
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_dbg(live_server, phone_page):
    call_command("load_demo_campaign", stdout=open("/dev/null", "w"))
    _login(phone_page, live_server.url, "cdcs.trauquy@demo.cchc.vn")
    print(phone_page.locator("main").inner_html())
    phone_page.goto(live_server.url + "/reporting/")
    print(phone_page.locator("main").inner_html())
