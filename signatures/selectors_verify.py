"""Reads of the public verification page: the record of an issued PDF by its code or by number, issuer and date."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from campaign_portal.search import ranked_search
from campaign_portal.text import fold
from organizations.models import Unit

from .models import SignedFile

MAX_LOOKUP_RESULTS = 10


def _signed_files() -> QuerySet[SignedFile]:
    return SignedFile.objects.select_related("issuer_unit", "superseded_by")


def signed_file_by_code(code: str) -> SignedFile | None:
    return _signed_files().filter(verification_code=code.strip().upper()).first()


def _number_key(number_symbol: str) -> str:
    """'12/KH-LĐLĐ', '12 / kh - ldld' and '12/KH-LDLĐ' are the same number typed three ways."""
    return "".join(fold(number_symbol).split())


def signed_files_matching(*, number_symbol: str, issuer: str, issued_on: dt.date) -> list[SignedFile]:
    """Files issued on that date by a unit whose name matches `issuer` (accent-insensitive, word starts), whose
    number is the one typed (case, spaces and diacritics aside). One query; the candidates are one date's."""
    issuers = ranked_search(Unit.objects.all(), issuer, order=("sort_key",)).values("pk")
    candidates = _signed_files().filter(issued_on=issued_on, issuer_unit__in=issuers).order_by("-signed_at")
    wanted = _number_key(number_symbol)
    return [f for f in candidates[:200] if _number_key(f.number_symbol) == wanted][:MAX_LOOKUP_RESULTS]
