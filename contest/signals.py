"""Signals for other apps (notifications): sent after the transaction commits.

entry_submitted(sender=Entry, entry=…, first_time=bool)
results_published(sender=Contest, contest=…)
"""

from django.dispatch import Signal

entry_submitted = Signal()
results_published = Signal()
