"""Waiting for something to become true (a worker's write, a webhook, a page), never for a fixed time."""
import time
from typing import Callable


def wait_until(check: Callable, seconds: float = 10, between: Callable | None = None, what: str | None = None):
    """`check()` until it returns something true, which is returned; `between()` runs before each new look (a
    rollback, so the next read sees other processes' commits). Fails after `seconds`, saying what it waited for."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"still not true after {seconds} s: {what or check.__doc__ or check}"
        if between is not None:
            between()
        time.sleep(0.05)
