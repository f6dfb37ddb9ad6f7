"""How the project composes its apps without them importing each other: explicit registration.

Each campaign app's `AppConfig.ready()` registers the real callables it contributes, so "go to
definition" works and a misspelt name fails at startup. Apps are ready in INSTALLED_APPS order,
which is the order pages, the demo and the scale generator see them in.

- NAV_LINKS: nav_links(user) -> list[NavLink]: each link names the permission it needs; the header shows it
  only to a user who has it (campaign_portal.navigation)
- HOME_PANELS: home_panels(user) -> list[dict(template=..., context=...)]
- REMINDER_PROVIDERS: ReminderProvider(due_reminders(*, now) -> Iterable[ReminderSpec], kinds, watches, changes_at):
  `watches` names every model its answer reads and `changes_at(*, now)` the next moment the clock alone may change it
  (besides midnight in Hanoi), so that the sweep can skip a tick where nothing changed (notifications.sweep_stamp)
- DEMO_LOADERS: DemoLoader(load_present(*, stdout), load_history(*, stdout) or None, accounts_help)
- SCALE_GENERATORS: generate(*, stdout, years), run after the unit tree is built (years of reports asked for;
  generators that ignore it take **_kwargs); then generate_scale rebuilds every SUMMARIES
- IMMEDIATE_MAIL: {notification kind: builder(notification, *, to, language, headers, connection)}
- UNIT_PICKER_SCOPES: {scope name: scope(*, user, anchor) -> QuerySet[Unit]}, the units a unit picker offers
  (organizations.pickers); anchor is the unit named by the form (?unit=<code>) or None
- CATCH_UPS: catch_up(*, now) -> int: queues again the work an app hands to a worker on commit whose task was lost
  (the broker down, a worker killed); the notifications sweep runs each on every tick
- PUBLIC_HOME_SECTIONS: PublicHomeSection(sections() -> list[dict(template=..., context=...)], stamp() -> str)
- SUMMARIES: Summary(name, differences(*, stdout) -> int, rebuild(*, stdout) -> int, table, source): the live rows an app
  keeps beside its raw rows (updated in the same transaction as the change), checked and rebuilt from the raw rows
  by `manage.py portal_summaries`; after `migrate`, an unbuilt one is built (campaign_portal.apps)
- EXPORTS: {kind: Export(allowed, build)}: a file too large to build in a web request (a 10,000-row XLSX), built by a
  Celery job (organizations.exports) that the requester follows on a progress page and then downloads
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered list of contributions; registering the same one twice is a mistake, not a no-op."""

    def __init__(self, name: str):
        self.name = name
        self._items: list[T] = []

    def register(self, item: T) -> T:
        if item in self._items:
            raise ValueError(f"{self.name}: {item!r} is already registered")
        self._items.append(item)
        return item

    def unregister(self, item: T) -> None:
        self._items.remove(item)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


class KeyedRegistry(Generic[T]):
    """Contributions by key: a second registration under a key is refused."""

    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if key in self._items:
            raise ValueError(f"{self.name}: {key!r} is already registered ({self._items[key]!r})")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        del self._items[key]

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def keys(self) -> list[str]:
        return list(self._items)


@dataclass(frozen=True, slots=True)
class NavLink:
    """A header link and the django-rules permission (asked without an object) a user needs to open its page."""

    url: str
    label: str
    permission: str | None  # None: anyone, signed in or not
    badge: int = 0
    more: bool = False  # rarely used: under the header's "Thêm" menu, so that the header stays one line


@dataclass(frozen=True, slots=True)
class ReminderProvider:
    due_reminders: Callable  # due_reminders(*, now) -> Iterable[notifications.specs.ReminderSpec]
    kinds: tuple[str, ...] = ()  # the kinds it manages: pending ones no longer due are withdrawn
    # Every model (app_label.ModelName) due_reminders reads; none: the sweep never skips it.
    watches: tuple[str, ...] = ()
    # changes_at(*, now) -> datetime | None: the next moment its answer may change with no table changing
    # (a deadline passing at a given minute); None: only at midnight in Hanoi (its windows are dates).
    changes_at: Callable | None = None

    @property
    def name(self) -> str:
        return self.due_reminders.__module__


@dataclass(frozen=True, slots=True)
class DemoLoader:
    load_present: Callable  # load_present(*, stdout): today's work on today's tree
    load_history: Callable | None = None  # load_history(*, stdout): 2019–2024 on the tree of the time
    accounts_help: Sequence[str] = ()  # lines the demo command prints under the demo accounts

    @property
    def name(self) -> str:
        return self.load_present.__module__

    def load(self, *, stdout=None) -> None:
        """History then present, without the reorganisation between them (tests, the URL catalogue)."""
        if self.load_history is not None:
            self.load_history(stdout=stdout)
        self.load_present(stdout=stdout)


@dataclass(frozen=True, slots=True)
class PublicHomeSection:
    """What an app adds to the public home page, and a cheap stamp that changes when that content does
    (the page answers 304 to anonymous visitors while every stamp is unchanged)."""

    sections: Callable  # sections() -> list[dict(template=..., context=...)]
    stamp: Callable  # stamp() -> str

    @property
    def name(self) -> str:
        return self.sections.__module__


@dataclass(frozen=True, slots=True)
class Summary:
    """Summary rows an app keeps for its heavy aggregates. `differences` recomputes every row from the raw rows and
    returns (and writes to stdout) how many stored rows differ, are missing or are extra; `rebuild` rewrites them
    from the raw rows and returns how many it changed."""

    name: str
    differences: Callable  # differences(*, stdout) -> int
    rebuild: Callable  # rebuild(*, stdout) -> int
    table: type  # the summary model
    source: type  # the raw model it summarises

    def unbuilt(self) -> bool:
        """No summary row while raw rows exist: a database migrated to the summaries (campaign_portal.apps builds it)."""
        return not self.table.objects.exists() and self.source.objects.exists()


@dataclass(frozen=True, slots=True)
class Export:
    """A background export. `allowed(user, params)` is asked when the job starts and again when its file is served
    (the requester may have lost access meanwhile); `build(*, user, params, progress)` returns (bytes, filename) and
    passes its rows through `progress(rows, total=n)` so that the job's page shows how far it is."""

    allowed: Callable  # allowed(user, params: dict) -> bool
    build: Callable  # build(*, user, params: dict, progress) -> tuple[bytes, str]


NAV_LINKS: Registry[Callable] = Registry("NAV_LINKS")
HOME_PANELS: Registry[Callable] = Registry("HOME_PANELS")
REMINDER_PROVIDERS: Registry[ReminderProvider] = Registry("REMINDER_PROVIDERS")
DEMO_LOADERS: Registry[DemoLoader] = Registry("DEMO_LOADERS")
SCALE_GENERATORS: Registry[Callable] = Registry("SCALE_GENERATORS")
IMMEDIATE_MAIL: KeyedRegistry[Callable] = KeyedRegistry("IMMEDIATE_MAIL")
UNIT_PICKER_SCOPES: KeyedRegistry[Callable] = KeyedRegistry("UNIT_PICKER_SCOPES")
PUBLIC_HOME_SECTIONS: Registry[PublicHomeSection] = Registry("PUBLIC_HOME_SECTIONS")
CATCH_UPS: Registry[Callable] = Registry("CATCH_UPS")
SUMMARIES: Registry[Summary] = Registry("SUMMARIES")
EXPORTS: KeyedRegistry[Export] = KeyedRegistry("EXPORTS")
