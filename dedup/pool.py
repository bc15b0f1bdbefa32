"""Worker processes for per-article work (analysis, garble checks), shared by `report` and `gate`."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

MAX_DEFAULT_JOBS = 8


def resolve_jobs(jobs: int) -> int:
    """`jobs` as given, or for 0 one per CPU (at most MAX_DEFAULT_JOBS)."""
    return jobs or min(MAX_DEFAULT_JOBS, os.cpu_count() or 1)


@contextmanager
def process_pool(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `jobs` processes, None for one (the caller then works in this process). Fork where
    the platform has it: the workers start with everything already imported."""
    if jobs <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        yield pool
