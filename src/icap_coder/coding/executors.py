"""Run one function over many jobs, in this process or in a pool of workers; results in job order.

Workers get their state once, through an initializer, and send back small
plain results, never spaCy Docs: pickling Docs made two processes five times
slower than one on this kind of machine. Where the platform can fork, the
parent prepares the state (and whatever `warm_up` builds, e.g. a matcher) before
the pool starts, so every worker inherits it instead of building it again.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def in_order(function: Callable[[Job], Result], jobs: Sequence[Job], workers: int,
             initializer: Callable[..., None], initargs: tuple[Any, ...],
             warm_up: Callable[[], object] | None = None, fresh: bool = False) -> Iterator[Result]:
    """Yield function(job) for each job, in the order of `jobs`, as soon as each is ready.

    `fresh` starts workers as new processes instead of forking this one: needed when the work uses a library
    with its own thread pool (the embedding model's OpenMP), which a forked child may find locked forever."""
    if workers <= 1 or len(jobs) <= 1:
        initializer(*initargs)
        for job in jobs:
            yield function(job)
        return
    fork = "fork" in multiprocessing.get_all_start_methods() and not fresh
    if fork:
        initializer(*initargs)
        if warm_up is not None:
            warm_up()
        pool = multiprocessing.get_context("fork").Pool(workers)
    else:  # spawn: each worker builds its own state
        spawned = multiprocessing.get_context("spawn" if fresh else None)
        pool = spawned.Pool(workers, initializer=initializer, initargs=initargs)
    with pool:
        yield from pool.imap(function, jobs, chunksize=1)
