"""A fixed-window rate limit in the Django cache (Redis in production): no third party."""

import hashlib

from django.core.cache import cache


def client_ip(request) -> str:
    # REMOTE_ADDR only, like axes: the proxy in front must set it (no spoofable headers).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ip_hash(ip: str) -> str:
    return hashlib.sha256(f"public-feedback:{ip}".encode()).hexdigest()


def rate_limited(*, scope: str, ip: str, limit: int, window_seconds: int) -> bool:
    """Counts this attempt; True when the address went over `limit` within the window."""
    key = f"public:rl:{scope}:{ip_hash(ip)}"
    if cache.add(key, 1, window_seconds):
        return 1 > limit
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit


def rate_limit_peek(*, scope: str, ip: str, limit: int) -> bool:
    return (cache.get(f"public:rl:{scope}:{ip_hash(ip)}") or 0) >= limit
