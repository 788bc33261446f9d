"""A job for the scale-out demo's workers: it takes a moment and says which process ran it."""

import os
import time


def sleep_and_tell(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()
