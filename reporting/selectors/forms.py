"""A form version's indicators and rules, read once per process while the version is frozen, and grouped by section."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..models import FormVersion, Indicator, Section, ValidationRule


@dataclass(frozen=True)
class FormParts:
    indicators: tuple[Indicator, ...]  # in the form's order, each with its section
    rules: tuple[ValidationRule, ...]  # each with its two indicators


def form_parts(version: FormVersion) -> FormParts:
    """The parts every filing form, submission, report page and import reads. A frozen version never changes
    (cycles._check_not_frozen, the admin's read-only inlines), so its parts are read once per process. A version
    still being drafted is read each time. The instances are shared between requests: read them, never set on them."""
    if version.frozen_at is None:
        return _read_parts(version.pk)
    return _frozen_parts(version.pk)


@lru_cache(maxsize=32)
def _frozen_parts(version_id: int) -> FormParts:
    return _read_parts(version_id)


def form_parts_forget() -> None:
    """Drops this process's copies: for the tests, whose rolled-back database may give the next test's version an id
    read before."""
    _frozen_parts.cache_clear()


def _read_parts(version_id: int) -> FormParts:
    return FormParts(
        indicators=tuple(Indicator.objects.filter(version_id=version_id).select_related("section")),
        rules=tuple(ValidationRule.objects.filter(version_id=version_id).select_related("left", "right")),
    )


def grouped_by_section(indicators, row: Callable[[Indicator], tuple]) -> list[tuple[Section, list[tuple]]]:
    """[(section, [row(indicator) for each of its indicators])], the sections in the form's order: what the filing
    form, the report page and the printed report show."""
    grouped: dict = {}
    for indicator in indicators:
        grouped.setdefault(indicator.section_id, (indicator.section, []))[1].append(row(indicator))
    return sorted(grouped.values(), key=lambda s: (s[0].order, s[0].pk))
