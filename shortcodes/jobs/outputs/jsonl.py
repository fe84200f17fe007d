"""``--to jsonl``: one JSON object per converted post, in input order."""
from __future__ import annotations

import json
from typing import Any

from ...common.fileio import atomic_writer, refuse_overwrite
from ...exports.post import Post
from ..results import PostResult
from ..units import UnitBatch
from ..writing import writing
from . import OVERWRITE_HINT, Run

__all__ = ["write", "record", "record_line"]


def write(run: Run) -> None:
    """Write ``run.output`` (a file, or ``-`` for standard output)."""
    out = run.output
    assert out is not None
    refuse_overwrite(out, run.originals, hint=OVERWRITE_HINT)
    with writing(out), atomic_writer(out) as stream:
        for item in run.convert_batches(record_line):
            if isinstance(item, UnitBatch):  # a unit's lines, joined in the worker
                run.step_batch(item)
                stream.write(item.data)
                run.report.posts_written += item.written
                continue
            post, result, line = item
            run.step(post, result)
            if line is None:
                continue
            stream.write(line)
            run.report.posts_written += 1
        run.finish()
    run.report.outputs.append(str(out))


def record_line(post: Post, result: PostResult) -> "bytes | None":
    """The line written for ``post`` (UTF-8, with its newline); ``None`` for a post the filters skip."""
    if result.skipped:
        return None
    return (_ENCODER.encode(record(post, result)) + "\n").encode("utf-8")


#: ``json.dumps(..., ensure_ascii=False)``'s encoder, made once (a record holds no cycle to look for)
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def record(post: Post, result: PostResult) -> dict[str, Any]:
    """The JSON object written for ``post``."""
    return {
        "id": post.id, "type": post.type, "status": post.status, "title": post.title, "slug": post.slug,
        "date": post.date, "date_gmt": post.date_gmt, "link": post.link, "author": post.author,
        "source": post.source_file, "line": post.source_line, "content_field": post.content_field,
        "content": result.content, "excerpt": result.excerpt, "changed": result.changed,
        "failed": result.failed,
        "counts": {t: {k: n for k, n in c.items() if n} for t, c in sorted(result.counts.items())},
        "diagnostics": [p.to_dict() for p in (*result.problems, *result.notes)],
    }
