from log_gardener.group.signature import trace_signature
from log_gardener.parse.stacktrace import parse_stack

from factory import GUNICORN, py_traceback


def test_python_frames_type_value_and_library_frames():
    text = py_traceback("KeyError: 'order_id'", [*GUNICORN, ("/app/shop/handlers/orders.py", 51, "get_order")])
    trace = parse_stack(text)
    assert trace is not None and trace.language == "python"
    root = trace.root
    assert (root.type, root.value) == ("KeyError", "'order_id'")
    assert [f.in_app for f in root.frames] == [False, False, True]
    assert root.innermost_app_frame.function == "get_order"
    assert root.innermost_app_frame.line == 51


def test_chained_exceptions_in_one_text_root_is_the_first():
    first = py_traceback("ValueError: bad amount", [("/app/shop/pay.py", 10, "charge")])
    second = py_traceback("RuntimeError: payment failed", [("/app/shop/api.py", 20, "pay")])
    text = first + "\n\nDuring handling of the above exception, another exception occurred:\n\n" + second
    trace = parse_stack(text)
    assert [e.type for e in trace.exceptions] == ["ValueError", "RuntimeError"]
    assert trace.root.type == "ValueError"
    assert trace.outer.type == "RuntimeError"


def test_cut_off_trace_is_marked_truncated_and_guesses_the_raise():
    text = py_traceback("R", [("/app/shop/core/setup.py", 99, "install")], code="raise RuntimeError(f'x {e}')")
    trace = parse_stack(text)
    assert trace.truncated
    assert trace.root.type is None
    assert "RuntimeError" in trace.root.value


def test_header_before_traceback_is_kept():
    text = "Exception in ASGI application\n" + py_traceback("ZeroDivisionError: division by zero",
                                                          [("/app/a.py", 1, "f")])
    trace = parse_stack(text)
    assert trace.header == "Exception in ASGI application"
    assert trace.root.type == "ZeroDivisionError"


def test_fingerprint_ignores_line_numbers_and_values_with_digits():
    a = py_traceback("KeyError: 'user_1234'", [("/app/shop/h.py", 10, "get")])
    b = py_traceback("KeyError: 'user_9876'", [("/srv/other-root/shop/h.py", 77, "get")])
    c = py_traceback("KeyError: 'user_1234'", [("/app/shop/h.py", 10, "put")])
    sa, sb, sc = (trace_signature(parse_stack(t)) for t in (a, b, c))
    assert sa.id == sb.id
    assert sa.id != sc.id


def test_no_traceback_is_none():
    assert parse_stack("just a message") is None
    assert parse_stack("") is None


RUST_NEW = """thread 'main' panicked at src/config.rs:{line}:10:
{msg}
stack backtrace:
   0: rust_begin_unwind
             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/panicking.rs:645:5
   1: core::panicking::panic_fmt
             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/panicking.rs:72:14
   2: tiles::config::load::h0123456789abcdef
             at ./src/config.rs:{line}:10
   3: tiles::main
             at ./src/main.rs:12:5
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace."""


def test_rust_panic_new_format_with_backtrace():
    trace = parse_stack(RUST_NEW.format(line=27, msg="TILE_BUCKET must be set: NotPresent"))
    assert trace is not None and trace.language == "rust"
    root = trace.root
    assert (root.type, root.value) == ("panic", "TILE_BUCKET must be set: NotPresent")
    assert [f.function for f in root.frames if f.in_app][:2] == ["tiles::main", "tiles::config::load"]
    assert not any(f.in_app for f in root.frames if f.file.startswith("/rustc/"))
    assert root.frames[-1].where == "src/config.rs:27"  # the panic's own location is the innermost


def test_rust_panic_identity_ignores_line_and_thread_but_not_the_message():
    def sig(text: str) -> str:
        trace = parse_stack(text)
        assert trace is not None
        return trace_signature(trace).id

    a = sig(RUST_NEW.format(line=27, msg="TILE_BUCKET must be set: NotPresent"))
    assert a == sig(RUST_NEW.format(line=31, msg="TILE_BUCKET must be set: NotPresent"))
    assert a != sig(RUST_NEW.format(line=27, msg="called `Option::unwrap()` on a `None` value"))
    short = "thread 'tokio-runtime-worker' panicked at src/style.rs:88:41:\ncalled `Option::unwrap()` on a `None` value"
    other = "thread 'main' panicked at src/style.rs:90:7:\ncalled `Option::unwrap()` on a `None` value"
    assert sig(short) == sig(other)
    old = parse_stack("thread 'main' panicked at 'index out of bounds: the len is 3', src/grid.rs:4:37")
    assert old is not None and old.root.value == "index out of bounds: the len is 3"
    assert old.root.frames[-1].where == "src/grid.rs:4"
