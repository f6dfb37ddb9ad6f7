"""pyHanko's signing and validation are coroutines; its synchronous wrappers call asyncio.run(), which fails on a
thread that already runs an event loop (Playwright's sync API in the browser tests, an ASGI worker). The portal
runs them here instead: on this thread when it has no loop, else on a short-lived thread of its own. The
coroutines touch no database, so the other thread needs no connection."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def run_pyhanko(coroutine: Coroutine) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(asyncio.run, coroutine).result()
