"""The home page's news lines follow the rules: "Tin chờ tôi duyệt" only for who approves news somewhere,
"Viết tin mới" only for who may write it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TO_APPROVE = "Tin chờ tôi duyệt"
WRITE = "Viết tin mới"


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_grassroots_officer_is_not_offered_news_approval(client, tree):
    home = _home(client, tree.gl1_officer)
    assert TO_APPROVE not in home
    assert home.count(WRITE) == 1  # officers write their unit's news (public.rules.NEWS_WRITER_ROLES)


def test_head_is_offered_news_approval_and_writing(client, tree):
    home = _home(client, tree.gialam_head)
    assert (home.count(TO_APPROVE), home.count(WRITE)) == (1, 1)
