"""Signals for other apps (notifications). Sent after the transaction commits.

feedback_received(sender=Feedback, feedback=<Feedback>): a new feedback reached a unit.
feedback_answered(sender=Feedback, feedback=<Feedback>): a unit answered it.
news_submitted(sender=NewsItem, news=<NewsItem>): a news item waits for approval.
"""

from django.dispatch import Signal

feedback_received = Signal()
feedback_answered = Signal()
news_submitted = Signal()
