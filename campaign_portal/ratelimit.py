"""The portal's rate limits: every policy declared once here, one fixed-window counter in the Django cache
(Redis in production), no third party. Views ask `rate_limit_hit(policy=…, key=…)` and never hold a limit."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

HOUR = 60 * 60


@dataclass(frozen=True)
class RatePolicy:
    scope: str
    limit: int  # attempts allowed per window and key
    window_seconds: int


# Feedback records one address may create per hour.
FEEDBACK_SUBMIT = RatePolicy(scope="feedback", limit=5, window_seconds=HOUR)
# Any feedback POST, failed ones included (a bot guessing the challenge).
FEEDBACK_ATTEMPT = RatePolicy(scope="feedback-post", limit=30, window_seconds=HOUR)
# Tracking look-ups: the codes are not guessable, this only slows a sweep.
FEEDBACK_TRACK = RatePolicy(scope="tracking", limit=30, window_seconds=HOUR)
# The contest's public look-up of an entry by code + e-mail or phone: slows a sweep of codes.
CONTEST_ENTRY_LOOKUP = RatePolicy(scope="entry-lookup", limit=20, window_seconds=HOUR)
# The contest's "send the verification e-mail again" button (the outbox also sends at most one per entrant
# per ten minutes).
CONTEST_VERIFY_RESEND = RatePolicy(scope="verify-resend", limit=5, window_seconds=HOUR)
# The public "Kiểm tra văn bản" page: each checked upload costs CPU (hashing, signature checks); look-ups by
# code or by number are cheap but should not let a script sweep the register.
DOCUMENT_VERIFY_UPLOAD = RatePolicy(scope="document-verify-upload", limit=30, window_seconds=HOUR)
DOCUMENT_VERIFY_LOOKUP = RatePolicy(scope="document-verify-lookup", limit=120, window_seconds=HOUR)


def client_ip(request) -> str:
    # REMOTE_ADDR only, like axes: the proxy in front must set it (no spoofable headers).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ip_hash(ip: str) -> str:
    """The address as stored and counted: never in clear."""
    return hashlib.sha256(f"public-feedback:{ip}".encode()).hexdigest()


def _cache_key(policy: RatePolicy, key: str) -> str:
    return f"rl:{policy.scope}:{ip_hash(key)}"


def rate_limit_hit(*, policy: RatePolicy, key: str) -> bool:
    """Counts this attempt; True when `key` went over the policy's limit within its window."""
    cache_key = _cache_key(policy, key)
    if cache.add(cache_key, 1, policy.window_seconds):
        return 1 > policy.limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, policy.window_seconds)
        count = 1
    return count > policy.limit


def rate_limit_reached(*, policy: RatePolicy, key: str) -> bool:
    """True when `key` has used up the policy's limit; counts nothing."""
    return (cache.get(_cache_key(policy, key)) or 0) >= policy.limit


def feedback_submit_refused(*, key: str) -> bool:
    """Counts this feedback POST; refused over the attempts limit or once the hour's records are used up
    (records are counted by `rate_limit_hit(policy=FEEDBACK_SUBMIT, …)` when one is created)."""
    attempts_over = rate_limit_hit(policy=FEEDBACK_ATTEMPT, key=key)
    return attempts_over or rate_limit_reached(policy=FEEDBACK_SUBMIT, key=key)
