"""shortcodes.php.serialize against PHP 8.2 itself: what ``unserialize()`` and WordPress's ``maybe_unserialize()`` give.

Values are generated here, serialized by PHP (or broken on purpose), and PHP's
answer is compared with the port's, in one ``php`` process per test.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes.common.errors import UnserializeError
from shortcodes.php.serialize import PhpObject, is_serialized, maybe_unserialize, serialize, unserialize

PHP = os.environ.get("WP_ORACLE_PHP") or shutil.which("php")
WPINC = Path(os.environ.get("WP_ORACLE_WPINC", "/var/cache/wp-oracle/root/usr/share/wordpress/wp-includes"))
needs_php = pytest.mark.skipif(PHP is None, reason="php is not installed: run ../shared/oracle/setup.sh as root")

# PHP side: each case is base64 text; the answer is a tagged JSON tree (bytes as base64,
# floats as their repr, objects with class names, references as the path they share).
_PHP_SCRIPT = r"""
<?php
$wpinc = getenv('WPINC');
if ($wpinc && is_file("$wpinc/functions.php")) {
    // WordPress's own is_serialized()/maybe_unserialize(), read from functions.php.
    $src = file_get_contents("$wpinc/functions.php");
    foreach (['is_serialized', 'maybe_unserialize'] as $fn) {
        preg_match('/^function ' . $fn . '\(.*?^}/ms', $src, $m);
        eval($m[0]);
    }
}
function tag($v, &$seen, $depth = 0) {
    if ($depth > 60) return ['deep'];
    if (is_null($v)) return ['N'];
    if (is_bool($v)) return ['b', $v];
    if (is_int($v)) return ['i', (string)$v];
    if (is_float($v)) return ['d', is_nan($v) ? 'nan' : (is_infinite($v) ? ($v > 0 ? 'inf' : '-inf') : sprintf('%.17g', $v))];
    if (is_string($v)) return ['s', base64_encode($v)];
    if (is_array($v)) {
        $out = [];
        foreach ($v as $k => $x) $out[] = [is_int($k) ? ['i', (string)$k] : ['s', base64_encode($k)], tag($x, $seen, $depth + 1)];
        return ['a', $out];
    }
    if (is_object($v)) {
        $id = spl_object_id($v);
        if (isset($seen[$id])) return ['ref'];
        $seen[$id] = true;
        $props = [];
        foreach ((array)$v as $k => $x) {
            if ($k === '__PHP_Incomplete_Class_Name') continue;
            $props[] = [['s', base64_encode((string)$k)], tag($x, $seen, $depth + 1)];
        }
        $name = $v instanceof __PHP_Incomplete_Class ? (array)$v : null;
        $cls = $name ? $name['__PHP_Incomplete_Class_Name'] : get_class($v);
        return ['O', base64_encode($cls), $props];
    }
    return ['?'];
}
$in = json_decode(stream_get_contents(STDIN), true);
$out = [];
foreach ($in['unserialize'] as $b64) {
    $seen = [];
    $r = @unserialize(base64_decode($b64));
    $out[] = ($r === false && base64_decode($b64) !== 'b:0;') ? null : tag($r, $seen);
}
$maybe = [];
foreach ($in['maybe'] as $b64) {
    $s = base64_decode($b64);
    $seen = [];
    $maybe[] = [is_serialized($s), tag(maybe_unserialize($s), $seen)];
}
$ser = [];
foreach ($in['serialize'] as $json) {
    $ser[] = base64_encode(serialize(json_decode($json, true)));
}
echo json_encode(['unserialize' => $out, 'maybe' => $maybe, 'serialize' => $ser]);
"""


def php(unser: list[bytes] = (), maybe: list[bytes] = (), ser: list[Any] = ()) -> dict:
    import base64

    payload = {"unserialize": [base64.b64encode(b).decode() for b in unser],
               "maybe": [base64.b64encode(b).decode() for b in maybe],
               "serialize": [json.dumps(v) for v in ser]}
    proc = subprocess.run([PHP, "-d", "memory_limit=-1", "-r", _PHP_SCRIPT.split("<?php", 1)[1]],
                          input=json.dumps(payload).encode(), capture_output=True, env={**os.environ, "WPINC": str(WPINC)},
                          timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    out = json.loads(proc.stdout)
    out["serialize"] = [base64.b64decode(s) for s in out["serialize"]]
    return out


def tag(v: Any, seen: "set[int] | None" = None, depth: int = 0) -> Any:
    """The Python value in the PHP side's tagged form."""
    import base64

    seen = set() if seen is None else seen
    if depth > 60:
        return ["deep"]
    if v is None:
        return ["N"]
    if isinstance(v, bool):
        return ["b", v]
    if isinstance(v, int):
        return ["i", str(v)]
    if isinstance(v, float):
        if math.isnan(v):
            return ["d", "nan"]
        if math.isinf(v):
            return ["d", "inf" if v > 0 else "-inf"]
        return ["d", f"{v:.17g}"]
    if isinstance(v, str):
        return ["s", base64.b64encode(v.encode("utf-8", "surrogateescape")).decode()]
    if isinstance(v, dict):
        return ["a", [[["i", str(k)] if isinstance(k, int) else tag(k), tag(x, seen, depth + 1)] for k, x in v.items()]]
    if isinstance(v, PhpObject):
        if id(v) in seen:
            return ["ref"]
        seen.add(id(v))
        return ["O", base64.b64encode(v.class_name.encode()).decode(),
                [[tag(str(k)), tag(x, seen, depth + 1)] for k, x in v.properties.items()]]
    raise AssertionError(type(v))


def norm(tree: Any) -> Any:
    """PHP's answer with its floats in Python's spelling (``1.0e-5`` → ``1.0000000000000001e-05``)."""
    if isinstance(tree, list):
        if len(tree) == 2 and tree[0] == "d" and tree[1] not in ("nan", "inf", "-inf"):
            return ["d", f"{float(tree[1]):.17g}"]
        return [norm(x) for x in tree]
    return tree


def port(data: bytes) -> Any:
    try:
        return tag(unserialize(data))
    except UnserializeError:
        return None if data != b"b:0;" else tag(False)


# -- generated values, serialized by PHP --------------------------------------------------

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", "é", "برج القاهرة", "2021/10/photo-300x225.jpg", 'a";s:1:"b', "}", "\0*\0x", "日本語"])
scalars = (st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
           | st.floats(allow_nan=False, allow_infinity=False) | texts
           | st.sampled_from([750.0, 1e15, 1e16, 1e17, 0.0001, 1e-05, -0.0, 1 / 3, 1e25, 123456789012345678.0]))
keys = st.integers(-(2**63), 2**63 - 1) | texts | st.sampled_from(["5", "05", "-0", "-7", "9223372036854775808"])
values = st.recursive(scalars, lambda inner: st.dictionaries(keys, inner, max_size=5) | st.lists(inner, max_size=5),
                      max_leaves=25)




@needs_php
@settings(max_examples=12, suppress_health_check=list(HealthCheck))
@given(st.lists(values, min_size=40, max_size=60))
def test_php_serialized_values_unserialize_as_php_reads_them(batch: list[Any]) -> None:
    """PHP serializes batches of generated values (nested arrays, UTF-8 and Arabic strings, 64-bit
    ints, floats, numeric-string keys); each one, intact and with every string byte count
    broken by ±1, is read by PHP's unserialize() and by the port: the same value or the
    same failure."""
    serialized = php(ser=batch)["serialize"]
    # serialize() is PHP's, byte for byte (the values as PHP's json_decode() made them)
    ours = [serialize(json.loads(json.dumps(v))).encode("utf-8", "surrogateescape") for v in batch]
    assert ours == serialized
    cases: list[bytes] = []
    for s in serialized:
        cases.append(s)
        # Break the first string length by one byte either way, and truncate.
        i = s.find(b"s:")
        if i >= 0:
            j = s.index(b":", i + 2)
            n = int(s[i + 2:j])
            cases.append(s[:i + 2] + str(n + 1).encode() + s[j:])
            if n:
                cases.append(s[:i + 2] + str(n - 1).encode() + s[j:])
        cases.append(s[: len(s) // 2])
    answers = norm(php(unser=cases)["unserialize"])
    mismatches = [(c, a, port(c)) for c, a in zip(cases, answers) if a != port(c)]
    broken = len(cases) - 2 * len(serialized)
    print(f"php unserialize: {len(cases)} cases compared ({broken} with a broken byte count), "
          f"{len(mismatches)} disagreements")
    assert not mismatches[:5]


# -- hand-picked shapes WordPress meta has: objects, references, escapes, limits --------

SHAPES = [
    b'a:1:{i:0;R:1;}', b'a:2:{i:0;s:1:"x";i:1;R:2;}', b'a:2:{i:0;s:1:"x";i:1;r:2;}',
    b'a:3:{i:0;s:1:"x";i:1;R:2;i:2;R:3;}', b'a:2:{i:0;O:8:"stdClass":0:{}i:1;r:2;}',
    b'a:2:{i:0;O:8:"stdClass":0:{}i:1;R:3;}', b'O:8:"stdClass":1:{s:1:"a";r:1;}',
    b'O:8:"stdClass":2:{s:1:"a";i:1;s:4:"\0*\0b";s:1:"c";}', b'O:7:"WP_Post":1:{s:2:"ID";i:5;}',
    b'O:8:"stdClass":1:{i:0;i:1;}', b'C:3:"Foo":3:{abc}', b'E:3:"X:Y";',
    b'S:3:"\\61bc";', b'S:1:"\\4A";', b'a:1:{S:1:"\\78";i:1;}', b'S:1:"\\x";',
    b'i:99999999999999999999;', b'i:-99999999999999999999;', b'i:+5;', b'i:00;', b'i: 1;', b'i:1',
    b'd:1e5;', b'd:.5;', b'd:5.;', b'd:NAN;', b'd:-INF;', b'd:INF;', b'd:+INF;', b'd:1E+5;', b'd:1e;', b'd:-0;',
    b'b:2;', b'b:01;', b'b:1;junk', b'b:0;', b'N;', b'N;x', b'N', b's:3:"abc";junk', b's:01:"a";', b's:+1:"a";',
    b'a:1:{s:1:"5";i:1;}', b'a:1:{s:2:"05";i:1;}', b'a:2:{i:0;i:1;i:0;i:2;}', b'a:1:{d:1.5;i:1;}', b'a:1:{N;i:1;}',
    b'a:1:{b:1;i:1;}', b'a:0:{}', b'a:0:{};', b'a:-1:{}', b'a:1:{i:0;i:1;', b'a:1:{i:1;i:1;}}', b'a:1:{s:1:"a"i:1;}',
    b'a:99999999:{}', b'a:1:{i:0;R:5;}', b'R:1;', b'r:1;', b'a:1:{i:0;r:1;}', b'',
    b'a:1:{s:3:"a\xc3\xa9";i:1;}', b's:2:"\xc3\xa9";', b's:1:"\xc3\xa9";', b's:3:"\xc3\xa9";',
    b'a:1:{i:9223372036854775808;i:1;}', b'a:1:{s:19:"9223372036854775808";i:1;}',
    b"a:1:{i:0;" * 4096 + b"i:1;" + b"}" * 4096,
    b"a:1:{i:0;" * 4097 + b"i:1;" + b"}" * 4097,
    b"a:1:{i:0;" * 4096 + b'O:8:"stdClass":0:{}' + b"}" * 4096,
]


@needs_php
def test_hand_picked_shapes_unserialize_as_php() -> None:
    """References (R:/r:, to scalars, objects and the array itself), objects and ``C:``,
    ``S:`` escapes, integer saturation, float forms, bad tokens, trailing data, UTF-8
    byte counts and the 4096 depth limit: port and PHP agree on each."""
    answers = norm(php(unser=SHAPES)["unserialize"])
    for case, answer in zip(SHAPES, answers):
        assert port(case) == answer, case[:80]
    print(f"php unserialize: {len(SHAPES)} hand-picked shapes compared")


@needs_php
@pytest.mark.skipif(not (WPINC / "functions.php").is_file(), reason=f"WordPress not set up at {WPINC}")
def test_maybe_unserialize_is_wordpress() -> None:
    """WordPress's own is_serialized()/maybe_unserialize() (read from functions.php) on
    serialized, broken, padded and plain values; a broken byte count gives False."""
    cases = [s for s in SHAPES if len(s) < 200] + [
        b"plain", b" i:5; ", b"\ni:5;\n", b"i:5", b"b:1;", b"i:1.5;", b"d:1.5", b"s:3:\"ab\";x", b"a:1:{}x",
        b'a:1:{s:4:"file";s:9:"x.jpg";}', b'a:1:{s:4:"file";s:5:"x.jpg";}', b"O:8:\"stdClass\":0:{}",
        b"x:1;", b"abc", b"N; ", b"i:-1;", b"d:1E+5;", b"i:1e3;", b"E:1:\"a\";"]
    answers = norm(php(maybe=cases)["maybe"])
    for case, (serialized, value) in zip(cases, answers):
        text = case.decode("utf-8", "surrogateescape")
        assert is_serialized(text) == serialized, case
        assert tag(maybe_unserialize(text)) == value, case
    print(f"maybe_unserialize: {len(cases)} cases compared")


@given(st.binary(max_size=60) | st.text(max_size=60).map(lambda s: s.encode("utf-8", "surrogateescape")))
def test_never_raises_anything_but_unserialize_error(data: bytes) -> None:
    try:
        unserialize(data)
    except UnserializeError as exc:
        assert 0 <= exc.offset <= len(data)


@needs_php
@pytest.mark.skipif(not (WPINC / "functions.php").is_file(), reason=f"WordPress not set up at {WPINC}")
def test_every_serialized_meta_value_in_the_corpus(corpus_dir: Path) -> None:
    """Every post meta value of every corpus export (``_wp_attachment_metadata`` with its sizes,
    serialized comment/term/post meta, plain values) through WordPress's maybe_unserialize()."""
    from shortcodes.exports.wxr import read_wxr

    values: list[str] = []
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        try:
            for post in read_wxr(path, recover=True, on_warning=lambda w: None):
                values.extend(m.value for m in post.meta)
        except Exception:  # noqa: BLE001 - exports the strict reader refuses are tested elsewhere
            continue
    values = sorted(set(values))
    cases = [v.encode("utf-8", "surrogateescape") for v in values]
    answers = norm(php(maybe=cases)["maybe"])
    bad = [v for v, (ser, ans) in zip(values, answers) if (is_serialized(v), tag(maybe_unserialize(v))) != (ser, ans)]
    serialized = sum(1 for _, (ser, _) in zip(values, answers) if ser)
    print(f"maybe_unserialize: {len(values)} corpus meta values compared ({serialized} serialized), {len(bad)} disagreements")
    assert serialized >= 20 and not bad[:5]


_fast_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**64), 2**64) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.dictionaries(st.integers(-5, 5) | st.text(max_size=4) | st.sampled_from(["0", "-1", "01", "9" * 20]),
                                  inner, max_size=4),
    max_leaves=12)


@given(_fast_values, st.data())
def test_the_fast_path_reads_what_the_full_parser_reads(value: Any, data: st.DataObject) -> None:
    """``unserialize()``'s one-loop path for plain arrays gives the full parser's value, and leaves
    every input it cannot read (broken on purpose here) to it."""
    from shortcodes.php.serialize import _NOT_FAST, _fast_unserialize, _Unserializer

    good = serialize(value).encode("utf-8", "surrogateescape")
    cut = data.draw(st.integers(0, len(good)))
    junk = data.draw(st.binary(max_size=3))
    for case in (good, good[:cut] + junk + good[cut:], good[:cut], good.replace(b":", b":1", 1)):
        fast = _fast_unserialize(case)
        try:
            slow: Any = tag(_Unserializer(case).run())
        except Exception:  # noqa: BLE001 - the full parser's failure: the fast path must not succeed
            slow = "fails"
        if fast is not _NOT_FAST:
            assert tag(fast) == slow, case
    assert _fast_unserialize(good) is not _NOT_FAST  # what serialize() writes of plain values is the fast shape


@given(_fast_values | st.text(max_size=12), st.booleans())
def test_a_serialized_array_is_what_maybe_unserialize_gives(value: Any, broken: bool) -> None:
    """:class:`SerializedArray` reads as the ``dict`` ``maybe_unserialize`` gives (empty for anything else,
    as ``wp_get_attachment_metadata()`` reads it), parses once, on first use, and pickles as its text."""
    import pickle

    from shortcodes.php.serialize import SerializedArray

    raw = serialize(value)
    if broken:
        raw = raw.replace(":", ":9", 1)
    lazy = SerializedArray(raw)
    assert lazy._value is None  # nothing parsed yet
    expected = maybe_unserialize(raw)
    expected = expected if isinstance(expected, dict) else {}
    assert lazy == expected and dict(lazy) == expected and len(lazy) == len(expected) and bool(lazy) == bool(expected)
    assert repr(lazy) == repr(expected) and list(lazy) == list(expected)
    assert lazy.value is lazy.value  # parsed once
    again = pickle.loads(pickle.dumps(lazy))
    assert again.raw == raw and again._value is None and again == lazy
