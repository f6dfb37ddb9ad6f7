"""The unit tree's events. Unlike the other apps' signals (sent after the commit, to notify), units_placed is
sent inside the transaction of the change: receivers keep rows that depend on where units stand (reporting's
summaries) in step with the tree, in the same transaction, without organizations importing them.

units_placed: sender=Unit, unit_ids=<list of the units whose placement or kind changed>, since=<the date from
which their place changed, or None when it changed for every date (a unit's kind)>."""

from django.dispatch import Signal

units_placed = Signal()
