"""How the project composes its apps without them importing each other.

Each campaign app may have a `navigation` module with
  nav_links(user) -> list[dict(url=..., label=...)]
  home_panels(user) -> list[dict(template=..., context=...)]
and a `demo` module with load_demo(*, stdout) and a `scale` module with
generate(*, grassroots_units, stdout) used by the management commands."""

from importlib import import_module

CAMPAIGN_APPS = ("directives", "reporting", "contest", "notifications", "public")


def app_modules(submodule: str):
    for app in CAMPAIGN_APPS:
        try:
            yield import_module(f"{app}.{submodule}")
        except ModuleNotFoundError as error:
            if error.name not in (app, f"{app}.{submodule}"):
                raise
