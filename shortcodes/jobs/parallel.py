"""Converting many posts in order, on one process or several, with the same output.

Worker processes never outlive the process that started them: on Linux each
asks the kernel to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG)``,
so even a SIGKILL of the parent takes them along); elsewhere a watchdog
thread in each worker ends it once its parent is gone.  Workers ignore
Ctrl-C (the parent stops them), and when the parent stops early (an error,
Ctrl-C, SIGTERM turned into an exception by the command line, a consumer
that stops reading) the pending work is cancelled and the workers are ended
at once rather than waited for.
"""
from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterable, Iterator, TypeVar

from ..exports.post import Post
from .converter import Converter
from .options import ConvertOptions
from .results import PostResult

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["convert_posts", "worker_converter", "in_worker", "process_pool", "in_order", "window_of"]

T = TypeVar("T")
R = TypeVar("R")


_WORKER: "Converter | None" = None


def _init_worker(converter: Converter, parent: int) -> None:
    global _WORKER
    _WORKER = converter
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C reaches the whole group: the parent stops the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited through fork
    die_with_parent(parent)


def worker_converter() -> Converter:
    """The converter of this worker process (set up when the pool started it)."""
    if _WORKER is None:
        raise RuntimeError("not a worker process of a conversion pool")
    return _WORKER


def in_worker() -> bool:
    """Whether this is a worker process of a conversion pool (:func:`worker_converter` has its converter)."""
    return _WORKER is not None


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, *, poll: float = 1.0) -> str:
    """Make this process end when ``parent`` (its parent process) does; returns how (``"pdeathsig"`` or ``"watchdog"``).

    Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``.  Elsewhere, or when that
    fails: a daemon thread that checks every ``poll`` seconds whether the
    parent is still the parent and ends the process when it is not.
    """
    if sys.platform.startswith("linux"):
        import ctypes  # reason: only in a worker process
        import ctypes.util  # reason: only in a worker process

        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the request was made
                    os._exit(1)
                return "pdeathsig"
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent, poll), name="parent-watchdog", daemon=True).start()
    return "watchdog"


def _watch_parent(parent: int, poll: float) -> None:
    while os.getppid() == parent:
        time.sleep(poll)
    os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool now: cancel what has not started, end the workers (they hold no files)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # private, so read defensively
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.terminate()
        except (OSError, AttributeError):
            pass
    deadline = time.monotonic() + 2.0
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()


def process_pool(jobs: int, converter: "Converter | None" = None) -> "ProcessPoolExecutor":
    """``jobs`` worker processes, started by ``fork`` where the platform has it; with ``converter``, each
    worker keeps its own copy (:func:`worker_converter`) and stops when this process dies."""
    import multiprocessing  # reason: only when processes are asked for
    from concurrent.futures import ProcessPoolExecutor  # reason: multiprocessing, only for processes

    try:
        context: Any = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        context = multiprocessing.get_context()
    if converter is None:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    if context.get_start_method() == "fork":
        # what this process holds now (the converter, its site models, the modules) is left out of the
        # garbage collector's passes from here on, here and in the workers forked at the first submit:
        # a pass writes to every object it visits, which would give each worker its own copy of the pages
        gc.freeze()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                               initargs=(converter, os.getpid()))


def window_of(workers: int) -> int:
    """How many tasks are kept in flight for ``workers`` processes: each has one running, one queued, and
    two more wait, so no process idles while this one takes a result (and memory stays bounded)."""
    return 2 * max(1, workers) + 2


def in_order(submit: "Callable[[T], Future[R]]", tasks: Iterable[T], workers: int, *,
             when_busy: "Callable[[], None] | None" = None) -> Generator[R, None, None]:
    """``submit(task).result()`` for each of ``tasks``, in order, with :func:`window_of` ``workers`` tasks
    submitted ahead of the one waited for.

    ``tasks`` is read as the window moves (it may be planned while the first ones run).  ``when_busy``:
    called once, when the window first fills, or after the last task is submitted if it never does (this
    process's own work, while it would wait).  The tasks still pending are cancelled when the iteration
    stops early (an error, or the consumer closing it).

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as pool:
    ...     list(in_order(lambda n: pool.submit(pow, n, 2), range(10), 2))
    [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]
    """
    window = window_of(workers)
    pending: "deque[Future[R]]" = deque()
    try:
        for task in tasks:
            pending.append(submit(task))
            if when_busy is not None and len(pending) == window:
                when_busy()
                when_busy = None
            while len(pending) > window:
                yield pending.popleft().result()
        if when_busy is not None:
            when_busy()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _work(chunk: list["Post | None"]) -> list["PostResult | None"]:
    assert _WORKER is not None
    return [None if p is None else _WORKER.convert_post(p) for p in chunk]


def convert_posts(posts: Iterable[Post], converter: "Converter | ConvertOptions | None" = None, *,
                  jobs: int = 1, chunk_size: int = 8) -> Iterator[tuple[Post, PostResult]]:
    """Convert ``posts`` in order: yield ``(post, result)`` for each.

    With ``jobs > 1`` the posts go in chunks of ``chunk_size`` to a pool of
    ``jobs`` processes; results come back in input order and are the same
    as with ``jobs=1``.  At most ``4 * jobs`` chunks are in flight, so
    memory stays flat on a stream of any length.  (The converter reaches the
    workers by ``fork``; on platforms that spawn processes it must pickle.)

    >>> from shortcodes.exports import Post
    >>> [r.content for _, r in convert_posts([Post(content='[x a=”1”]')], ConvertOptions(mode="normalize", tags=("x",)))]
    ['[x a="1"]']
    """
    if not isinstance(converter, Converter):
        converter = Converter(converter)
    if jobs <= 1:
        for post in posts:
            yield post, converter.convert_post(post)
        return
    pending: deque[tuple[list[Post], "Future[list[PostResult | None]]"]] = deque()
    opts = converter.options
    pool = process_pool(jobs, converter)
    try:
        it = iter(posts)
        exhausted = False
        while True:
            while not exhausted and len(pending) < 4 * jobs:
                chunk: list[Post] = []
                for post in it:
                    chunk.append(post)
                    if len(chunk) >= chunk_size:
                        break
                if not chunk:
                    exhausted = True
                    break
                # Filtered-out posts are not sent to the workers.
                payload = [p if opts.accepts(p) else None for p in chunk]
                if any(p is not None for p in payload):
                    pending.append((chunk, pool.submit(_work, payload)))
                else:
                    done: "Future[list[PostResult | None]]" = Future()
                    done.set_result([None] * len(chunk))
                    pending.append((chunk, done))
            if not pending:
                break
            chunk, future = pending.popleft()
            for post, result in zip(chunk, future.result()):
                yield post, (result if result is not None
                             else PostResult(content=post.content, excerpt=post.excerpt, skipped=True))
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
