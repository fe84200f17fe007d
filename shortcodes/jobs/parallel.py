"""Converting many posts in order, on one process or several, with the same output."""
from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Iterable, Iterator

from ..exports.post import Post
from .converter import Converter
from .options import ConvertOptions
from .results import PostResult

__all__ = ["convert_posts"]


_WORKER: "Converter | None" = None


def _init_worker(converter: Converter) -> None:
    global _WORKER
    _WORKER = converter


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
    import multiprocessing  # only when processes are asked for

    try:
        context: Any = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        context = multiprocessing.get_context()
    pending: deque[tuple[list[Post], "Future[list[PostResult | None]]"]] = deque()
    opts = converter.options
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(converter,)) as pool:
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
