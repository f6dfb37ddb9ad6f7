"""The portal's one search over folded columns (units, communes, contest entries).

Terms match at the start of a word of the folded column ("anh" finds "Đông Anh", never "Thanh Xuân"),
and every term must match. Results rank: the code typed exactly, then the whole phrase as whole words,
then the phrase at a word start ("gia l" → "Gia Lâm"), then all terms at word starts; within a rank,
the caller's order (the Vietnamese sort key).

Works the same on SQLite and PostgreSQL: the column is padded with a space and matched with
LIKE '% term%' (Django's `contains`, which escapes % and _). A leading wildcard uses no B-tree index;
the search stays bounded because every caller paginates or lists one unit's subtree. A table searched on
every keystroke (the 10,000 units) stores the padded words (`padded_words`) in a column of their own, named by
`padded_column`: padding in SQL costs eight REPLACEs per row and per term, half the time of a search.
"""

import re

from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Replace

from .text import fold

# Characters that separate words in names and codes ("HN-LDLD-GIALAM", "Văn Miếu - Quốc Tử Giám").
SEPARATORS = "-()/,.;:"
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_SEPARATORS_AS_SPACES = str.maketrans(SEPARATORS, " " * len(SEPARATORS))
MAX_TERMS = 8  # a pasted paragraph is not a search: the first words are enough


def search_terms(query: str | None) -> list[str]:
    """'Đông-Anh (HN)' → ['dong', 'anh', 'hn']."""
    return _NOT_WORD.sub(" ", fold(query)).split()[:MAX_TERMS]


def padded_words(folded: str) -> str:
    """What `_padded` computes in SQL, for a column that stores it: separators as spaces, a space each side."""
    return f" {folded.translate(_SEPARATORS_AS_SPACES)} "


def _padded(column: str):
    expression = F(column)
    for separator in SEPARATORS:
        expression = Replace(expression, Value(separator), Value(" "), output_field=TextField())
    return Concat(Value(" "), expression, Value(" "), output_field=TextField())


def ranked_search(
    queryset: QuerySet,
    query: str | None,
    *,
    order: tuple[str, ...],
    column: str = "search_text",
    padded_column: str | None = None,
    code_field: str | None = "code",
    also: Q | None = None,
) -> QuerySet:
    """Rows of `queryset` matching `query`, best first (annotated `search_rank`, 0 best).

    `also` widens the match with another condition (ranked last), e.g. an entrant's name; `padded_column` names a
    column storing `padded_words(column)`, read instead of padding `column` on the fly."""
    terms = search_terms(query)
    if not terms:  # nothing to look for (spaces, punctuation): nothing found
        return queryset.none()
    phrase = " ".join(terms)
    queryset = queryset.annotate(search_padded=F(padded_column) if padded_column else _padded(column))
    match = Q()
    for term in terms:
        match &= Q(search_padded__contains=f" {term}")
    ranks = []
    typed = (query or "").strip().upper()
    if code_field:
        exact_code = Q(**{code_field: typed})
        match |= exact_code
        ranks.append(When(exact_code, then=Value(0)))
    ranks += [
        When(search_padded__contains=f" {phrase} ", then=Value(1)),
        When(search_padded__contains=f" {phrase}", then=Value(2)),
        When(match, then=Value(3)),
    ]
    if also is not None:
        match |= also
    rank = Case(*ranks, default=Value(4), output_field=IntegerField())
    return queryset.filter(match).annotate(search_rank=rank).order_by("search_rank", *order)
