"""Explicit registration (campaign_portal/registry.py): each app's AppConfig.ready() registers the
callables it contributes, in INSTALLED_APPS order; nothing is found by module name."""

import pytest

import contest.demo
import directives.reminders
import notifications.navigation
import public.navigation
import reporting.scale
from campaign_portal import registry
from notifications.enums import IMMEDIATE_KINDS

APPS = ["directives", "reporting", "contest", "notifications", "public"]
NAV_APPS = ["organizations", *APPS]  # the unit tree's app adds "Trang của tôi", "Đơn vị" and "Quản trị"


def _apps(callables) -> list[str]:
    return [c.__module__.split(".")[0] for c in callables]


def test_each_app_registers_its_navigation_in_installed_apps_order():
    assert _apps(registry.NAV_LINKS) == NAV_APPS
    assert _apps(registry.HOME_PANELS) == APPS
    assert list(registry.NAV_LINKS)[4] is notifications.navigation.nav_links
    assert list(registry.HOME_PANELS)[4] is public.navigation.home_panels


def test_reminder_providers_demo_loaders_and_scale_generators_are_the_apps_own_callables():
    providers = list(registry.REMINDER_PROVIDERS)
    assert [p.name for p in providers] == ["directives.reminders", "reporting.reminders", "contest.reminders"]
    assert (providers[0].due_reminders, providers[0].kinds) == (
        directives.reminders.due_reminders,
        directives.reminders.KINDS,
    )
    loaders = list(registry.DEMO_LOADERS)
    # The demo's certificates come first: every document the other loaders issue is signed with them.
    assert [loader.name for loader in loaders] == ["signatures.demo", *(f"{app}.demo" for app in APPS)]
    assert [loader.load_history is not None for loader in loaders] == [True, True, True, True, False, True]
    assert loaders[3].accounts_help == contest.demo.DEMO_ACCOUNTS_HELP
    assert _apps(registry.SCALE_GENERATORS) == ["directives", "reporting", "contest", "public"]
    assert list(registry.SCALE_GENERATORS)[1] is reporting.scale.generate


def test_every_immediate_kind_has_one_registered_builder():
    assert sorted(registry.IMMEDIATE_MAIL.keys()) == sorted(IMMEDIATE_KINDS)


def test_registering_twice_is_refused():
    with pytest.raises(ValueError) as error:
        registry.NAV_LINKS.register(notifications.navigation.nav_links)
    assert str(error.value).startswith("NAV_LINKS: <function nav_links at ")
    assert len(registry.NAV_LINKS) == 6
    with pytest.raises(ValueError):
        registry.IMMEDIATE_MAIL.register(next(iter(IMMEDIATE_KINDS)), print)


def test_a_misspelt_extra_provider_fails_at_startup(settings):
    from django.apps import apps

    settings.NOTIFICATIONS_EXTRA_PROVIDERS = ["tests.notifications.fake_reminders.due_reminder"]
    with pytest.raises(ImportError):
        apps.get_app_config("notifications").ready()
    assert [p.name for p in registry.REMINDER_PROVIDERS] == [
        "directives.reminders",
        "reporting.reminders",
        "contest.reminders",
    ]
