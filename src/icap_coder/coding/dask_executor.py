"""The run's jobs on a Dask cluster: a scheduler you started, or a local cluster of `jobs` workers.

An optional extra (`pip install 'icap-coder[dask]'`). Each task carries its
document's bytes, so workers need no shared file system, only the same
icap-coder (checked before the first task; a difference is one line and exit 2).
The run's state (codebook, settings) goes to every worker once. Results come
back in document order, through a window of a few tasks per worker, so neither
the client nor the cluster holds the whole corpus.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from icap_coder import __version__
from icap_coder.errors import IcapError

INSTALL = "pip install 'icap-coder[dask]'"
Item = TypeVar("Item")
Result = TypeVar("Result")
WINDOW_PER_WORKER = 3  # tasks in flight per worker: enough to keep it busy, few enough to keep memory flat


@dataclass(frozen=True)
class _State:
    """The worker state a run needs, sent to every worker once; `key` tells a worker whether it has it."""

    key: str
    initializer: Callable[..., None]
    args: tuple[Any, ...]


_ready: dict[str, str] = {}  # on a worker: the key of the state it was initialised with


def _call(function: Callable[[Item], Result], state: _State, item: Item) -> Result:
    if _ready.get("key") != state.key:
        state.initializer(*state.args)
        _ready["key"] = state.key
    return function(item)


def _version() -> str:
    return __version__


def in_order(function: Callable[[Item], Result], items: Iterable[Item], workers: int,
             initializer: Callable[..., None], initargs: tuple[Any, ...],
             scheduler: str | None = None, scheduler_file: Path | None = None) -> Iterator[Result]:
    """Yield function(item) for each item, in order, computed on Dask workers."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise IcapError(f"--executor dask needs the optional extra: {INSTALL}") from None
    for name in ("distributed", "bokeh", "tornado"):  # results on stdout, icap's messages on stderr: no chatter
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    try:
        if scheduler or scheduler_file:
            client = Client(address=scheduler, scheduler_file=str(scheduler_file) if scheduler_file else None,
                            timeout="10s")
        else:
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
    except OSError as exc:
        raise IcapError(f"cannot reach the Dask scheduler {scheduler or scheduler_file}: {exc}") from None
    try:
        versions = client.run(_version)
        other = {worker: version for worker, version in versions.items() if version != __version__}
        if other:
            worker, version = next(iter(other.items()))
            raise IcapError(f"Dask worker {worker} runs icap-coder {version}, this is {__version__}: install the "
                            "same version on every worker")
        if not versions:
            raise IcapError("the Dask scheduler has no workers; start some with `dask worker ADDRESS`")
        state = client.scatter(_State(uuid.uuid4().hex, initializer, initargs), broadcast=True)
        window: deque[Any] = deque()
        limit = WINDOW_PER_WORKER * max(1, len(versions))
        for item in items:
            window.append(client.submit(_call, function, state, item, pure=False))
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
