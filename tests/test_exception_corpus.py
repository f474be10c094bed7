"""Exception fingerprints across languages, on a synthetic corpus (invented code, no real data).

For every language (Python, Java, JavaScript/Node, Go, Ruby, .NET, PHP) the corpus has:
the same error at other line numbers; with other values in the message; reached through
another call path into the same failing frame; plus what only a build changes (lambda and
closure numbers, proxies, addresses); different errors in the same function (another type,
the same type with another constant message); and traces cut off mid-frame.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from log_gardener.group.signature import KIND_TRACE, Signer, trace_signature
from log_gardener.parse.stacktrace import MAX_FRAMES, StackTrace, looks_like_stack, parse_stack

from factory import GUNICORN, entry, py_traceback

# --- builders: one per language, in the format its runtime prints ---------------------

Frames = list[tuple[str, str, int]]  # (file, function, line), innermost first


def python(exc: str, frames: Frames, shift: int = 0) -> str:
    """Python prints the innermost frame last."""
    return py_traceback(exc, [*GUNICORN, *((f, n + shift, fn) for f, fn, n in reversed(frames))])


JAVA_LIB = [
    ("org.springframework.web.servlet.FrameworkServlet.processRequest", "FrameworkServlet.java", 1014),
    ("jakarta.servlet.http.HttpServlet.service", "HttpServlet.java", 764),
    ("java.base/java.lang.Thread.run", "Thread.java", 833),
]


def java_frames(frames: list[tuple[str, str, int]], shift: int) -> list[str]:
    out = []
    for func, file, n in frames:
        loc = file if file in ("Native Method", "Unknown Source", "<generated>") else f"{file}:{n + shift}"
        out.append(f"\tat {func}({loc})")
    return out


def java(exc: str, frames: list[tuple[str, str, int]], cause: tuple[str, list] | None = None, shift: int = 0,
         prefix: str = "") -> str:
    """``printStackTrace()``: innermost first, then ``Caused by:`` with ``... N more``."""
    lines = [prefix + exc, *java_frames(frames + JAVA_LIB, shift)]
    if cause is not None:
        cause_exc, cause_frames = cause
        lines += [f"Caused by: {cause_exc}", *java_frames(cause_frames, shift), f"\t... {len(JAVA_LIB)} more"]
    return "\n".join(lines)


NODE_LIB = [
    ("/app/node_modules/express/lib/router/layer.js", "Layer.handle [as handle_request]", 95),
    ("node:internal/process/task_queues", "process.processTicksAndRejections", 95),
]


def node(exc: str, frames: Frames, shift: int = 0) -> str:
    """V8 ``error.stack``: the error line, then "    at fn (file:line:col)"."""
    lines = [exc]
    for file, func, n in [*frames, *NODE_LIB]:
        if func == "":
            lines.append(f"    at {file}:{n + shift}:{7 + shift % 5}")
        else:
            lines.append(f"    at {func} ({file}:{n + shift}:{7 + shift % 5})")
    return "\n".join(lines)


GO_LIB = [
    ("/usr/local/go/src/net/http/server.go", "net/http.HandlerFunc.ServeHTTP(0x0?, {0x7f1b2c?, 0xc0002a0000?}, 0x0?)",
     2136),
    ("/usr/local/go/src/net/http/server.go", "net/http.(*conn).serve(0xc0000c8000, {0x7f2c40, 0xc000098180})", 2039),
]


def go(head: str, frames: Frames, shift: int = 0, goroutine: int = 37, addr: int = 0x1D4) -> str:
    """A Go panic: "panic: msg", "goroutine N [running]:", function and "\\tfile:line +0xNN" pairs."""
    lines = [head, "", f"goroutine {goroutine} [running]:"]
    lines += ["panic({0x6d5e20?, 0xc000012345?})", f"\t/usr/local/go/src/runtime/panic.go:770 +0x{addr + 3:x}"]
    for file, func, n in [*frames, *GO_LIB]:
        lines += [func, f"\t{file}:{n + shift} +0x{addr:x}"]
        addr += 0x31
    lines += ["created by net/http.(*Server).Serve in goroutine 1",
              f"\t/usr/local/go/src/net/http/server.go:{3285 + shift} +0x4b4", "exit status 2"]
    return "\n".join(lines)


RUBY_LIB = [
    ("/usr/local/bundle/gems/actionpack-7.1.3/lib/action_controller/metal/basic_implicit_render.rb", "send_action", 6),
    ("/usr/local/lib/ruby/3.3.0/benchmark.rb", "measure", 311),
]


def ruby(message: str, error: str, frames: Frames, shift: int = 0, quote: str = "`") -> str:
    """``full_message``: "file:line:in `meth': msg (Class)" then "\\tfrom file:line:in `meth'"."""
    (file, func, n), *rest = frames
    lines = [f"{file}:{n + shift}:in {quote}{func}': {message} ({error})"]
    lines += [f"\tfrom {f}:{m + shift}:in {quote}{fn}'" for f, fn, m in [*rest, *RUBY_LIB]]
    return "\n".join(lines)


DOTNET_LIB = [
    "Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute("
    "ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, "
    "Object[] arguments)",
    "Microsoft.AspNetCore.Routing.EndpointMiddleware.<Invoke>g__AwaitRequestTask|6_0(Endpoint endpoint, "
    "Task requestTask, ILogger logger)",
]


def dotnet_frames(frames: Frames, shift: int) -> list[str]:
    return [f"   at {func} in {file}:line {n + shift}" if file else f"   at {func}" for file, func, n in frames]


def dotnet(exc: str, frames: Frames, inner: tuple[str, Frames] | None = None, shift: int = 0) -> str:
    """``Exception.ToString()``: " ---> " inner exceptions, "--- End of inner exception stack trace ---"."""
    lines = [exc]
    if inner is not None:
        inner_exc, inner_frames = inner
        lines += [f" ---> {inner_exc}", *dotnet_frames(inner_frames, shift),
                  "   --- End of inner exception stack trace ---"]
    lines += dotnet_frames(frames, shift)
    lines += ["--- End of stack trace from previous location ---", *(f"   at {f}" for f in DOTNET_LIB)]
    return "\n".join(lines)


def php(exc: str, value: str, where: tuple[str, int], calls: Frames, shift: int = 0) -> str:
    """An uncaught exception in the PHP error log: "#k file(line): callee()" lines."""
    file, n = where
    lines = [f"[01-Mar-2026 12:00:00 UTC] PHP Fatal error:  Uncaught {exc}: {value} in {file}:{n + shift}",
             "Stack trace:"]
    for k, (f, call, m) in enumerate(calls):
        lines.append(f"#{k} {f}({m + shift}): {call}")
    lines += [f"#{len(calls)} {{main}}", f"  thrown in {file} on line {n + shift}"]
    return "\n".join(lines)


def cut(text: str, marker: str) -> str:
    """The text cut off in the middle of the line holding ``marker``."""
    at = text.index(marker)
    return text[: at + len(marker) // 2]


# --- the corpus --------------------------------------------------------------------------

# Python: /app/shop/orders/store.py:load fails; routes call it.
PY_STORE = ("/app/shop/orders/store.py", "load", 88)
PY_BASE = python("LookupError: order ord_4821 not found", [PY_STORE, ("/app/shop/api/routes.py", "get_order", 40)])

# Java: a Spring controller; the repository throws inside a lambda behind a CGLIB proxy.
JAVA_REPO = [
    ("com.shop.orders.OrderRepository.lambda$findById$0", "OrderRepository.java", 57),
    ("java.base/java.util.Optional.orElseThrow", "Optional.java", 403),
    ("com.shop.orders.OrderRepository.findById", "OrderRepository.java", 57),
    ("com.shop.orders.OrderService$$EnhancerBySpringCGLIB$$5f3a2b1c.find", "<generated>", 0),
]
JAVA_CTRL = [("com.shop.web.OrderController.get", "OrderController.java", 41)]
JAVA_WRAP = "org.springframework.web.util.NestedServletException: Request processing failed"


def java_case(cause: str, repo=JAVA_REPO, ctrl=JAVA_CTRL, shift: int = 0) -> str:
    return java(JAVA_WRAP, ctrl, cause=(cause, repo + ctrl), shift=shift,
                prefix="2026-03-01 12:00:00.123 ERROR 1 --- [nio-8080-exec-4] o.s.web.servlet.DispatcherServlet : ")


JAVA_BASE = java_case("com.shop.orders.OrderNotFoundException: Order 4821 not found")

# Node: computeTotal reads a property of undefined.
NODE_TOTAL = [("/app/src/cart/total.js", "computeTotal", 14), ("<anonymous>", "Array.map", 0)]
NODE_CHECKOUT = [("/app/src/routes/checkout.js", "async checkout", 31)]


def node_case(exc: str, callers: Frames = NODE_CHECKOUT, shift: int = 0, total: Frames = NODE_TOTAL) -> str:
    text = node(exc, total + callers, shift=shift)
    return text.replace("(<anonymous>:0:7)", "(<anonymous>)").replace(f"(<anonymous>:{shift}:{7 + shift % 5})",
                                                                       "(<anonymous>)")


NODE_BASE = node_case("TypeError: Cannot read properties of undefined (reading 'total')")

# Go: a method on *Store panics.
GO_LOAD = ("/app/orders/store.go", "github.com/acme/shop/orders.(*Store).Load(0xc0001a2000, {0xc00001c0a8, 0x8})", 88)
GO_GET = ("/app/api/orders.go", "github.com/acme/shop/api.(*Server).getOrder(0xc000130000, {0x7f1b2c, 0xc0002a0000})",
          41)
GO_BASE = go("panic: order 4821 not found", [GO_LOAD, GO_GET])

# Ruby: a service object raises; a controller calls it.
RB_FIND = ("/app/app/services/order_lookup.rb", "find!", 12)
RB_SHOW = ("/app/app/controllers/orders_controller.rb", "show", 8)
RB_BASE = ruby("Order 4821 not found", "Shop::OrderNotFound", [RB_FIND, RB_SHOW])

# .NET: a cache lookup fails inside the store; the store wraps it.
NET_STORE = [("/src/Shop/Orders/OrderStore.cs", "Shop.Orders.OrderStore.Load(Int32 id)", 88),
             ("/src/Shop.Api/Controllers/OrdersController.cs",
              "Shop.Api.Controllers.OrdersController.<Get>d__4.MoveNext()", 41)]
NET_CACHE = [("", "System.Collections.Generic.Dictionary`2.get_Item(TKey key)", 0),
             ("/src/Shop/Orders/OrderCache.cs", "Shop.Orders.OrderCache.Get(Int32 id)", 30)]
NET_BASE = dotnet("Shop.Orders.OrderLoadException: Could not load order 4821", NET_STORE,
                  inner=("System.Collections.Generic.KeyNotFoundException: The given key '4821' was not present "
                         "in the dictionary.", NET_CACHE))

# PHP: OrderStore::load throws; a controller calls it through Slim.
PHP_WHERE = ("/var/www/html/src/Orders/OrderStore.php", 88)
PHP_CALLS = [
    ("/var/www/html/src/Http/OrderController.php", "App\\Orders\\OrderStore->load(4821)", 41),
    ("/var/www/html/vendor/slim/slim/Slim/Handlers/Strategies/RequestResponse.php",
     "App\\Http\\OrderController->show(Object(Slim\\Psr7\\Request), Object(Slim\\Psr7\\Response), Array)", 38),
    ("/var/www/html/public/index.php", "Slim\\App->run()", 12),
]
PHP_BASE = php("App\\Exceptions\\OrderNotFound", "Order 4821 not found", PHP_WHERE, PHP_CALLS)

# Each language: (same-error pairs, different-error pairs, cut-off traces); a pair is (label, a, b).
Pair = tuple[str, str, str]
CORPUS: dict[str, tuple[list[Pair], list[Pair], list[str]]] = {
    "python": (
        [
            ("line numbers", PY_BASE, python("LookupError: order ord_4821 not found",
                                             [PY_STORE, ("/app/shop/api/routes.py", "get_order", 40)], shift=23)),
            ("values", PY_BASE, python("LookupError: order ord_99172 not found",
                                       [PY_STORE, ("/app/shop/api/routes.py", "get_order", 40)])),
            ("call path", PY_BASE, python("LookupError: order ord_4821 not found",
                                          [PY_STORE, ("/app/shop/admin/views.py", "inspect_order", 17),
                                           ("/app/shop/admin/views.py", "dispatch", 5)])),
            ("deployment root", PY_BASE, python("LookupError: order ord_4821 not found",
                                                [("/srv/release-42/shop/orders/store.py", "load", 90),
                                                 ("/srv/release-42/shop/api/routes.py", "get_order", 40)])),
        ],
        [
            ("type", PY_BASE, python("KeyError: order ord_4821 not found",
                                     [PY_STORE, ("/app/shop/api/routes.py", "get_order", 40)])),
            ("message", PY_BASE, python("LookupError: order archive unavailable",
                                        [PY_STORE, ("/app/shop/api/routes.py", "get_order", 40)])),
            ("function", PY_BASE, python("LookupError: order ord_4821 not found",
                                         [("/app/shop/orders/store.py", "save", 120),
                                          ("/app/shop/api/routes.py", "get_order", 40)])),
        ],
        [cut(PY_BASE, 'File "/app/shop/orders/store.py"'), cut(PY_BASE, "LookupError: order")],
    ),
    "java": (
        [
            ("line numbers", JAVA_BASE, java_case("com.shop.orders.OrderNotFoundException: Order 4821 not found",
                                                  shift=31)),
            ("values", JAVA_BASE, java_case("com.shop.orders.OrderNotFoundException: Order 99172 not found")),
            ("call path", JAVA_BASE, java_case("com.shop.orders.OrderNotFoundException: Order 4821 not found",
                                               ctrl=[("com.shop.admin.AdminController.show", "AdminController.java",
                                                      77),
                                                     ("com.shop.admin.AuditFilter.doFilter", "AuditFilter.java", 19)])),
            ("lambda and proxy numbers", JAVA_BASE, java_case(
                "com.shop.orders.OrderNotFoundException: Order 4821 not found",
                repo=[("com.shop.orders.OrderRepository.lambda$findById$3", "OrderRepository.java", 61),
                      ("com.shop.orders.OrderRepository$$Lambda$1234/0x0000000800c4b840.get", "Unknown Source", 0),
                      ("java.base/java.util.Optional.orElseThrow", "Optional.java", 403),
                      ("com.shop.orders.OrderRepository.findById", "OrderRepository.java", 61),
                      ("com.shop.orders.OrderService$$EnhancerBySpringCGLIB$$9e8d7c6b.find", "<generated>", 0)])),
            ("anonymous class number", java("java.lang.IllegalStateException: queue 7 closed",
                                            [("com.shop.jobs.Scheduler$1.run", "Scheduler.java", 40)]),
             java("java.lang.IllegalStateException: queue 12 closed",
                  [("com.shop.jobs.Scheduler$2.run", "Scheduler.java", 52)])),
            ("object hash in the message", java("java.lang.IllegalStateException: closed com.shop.Pool@1b6d3586",
                                                [("com.shop.Pool.take", "Pool.java", 9)]),
             java("java.lang.IllegalStateException: closed com.shop.Pool@4554617c",
                  [("com.shop.Pool.take", "Pool.java", 9)])),
        ],
        [
            ("type", JAVA_BASE, java_case("com.shop.orders.OrderLockedException: Order 4821 not found")),
            ("message", JAVA_BASE, java_case("com.shop.orders.OrderNotFoundException: Order 4821 was archived")),
            ("function", JAVA_BASE, java_case("com.shop.orders.OrderNotFoundException: Order 4821 not found",
                                              repo=[("com.shop.orders.OrderRepository.findByRef",
                                                     "OrderRepository.java", 70)])),
            ("wrapper only", JAVA_BASE, java(JAVA_WRAP, JAVA_CTRL)),
        ],
        [cut(JAVA_BASE, "at com.shop.orders.OrderRepository.findById"), cut(JAVA_BASE, "at jakarta.servlet"),
         cut(JAVA_BASE, "Caused by: com.shop")],
    ),
    "javascript": (
        [
            ("line numbers", NODE_BASE, node_case("TypeError: Cannot read properties of undefined (reading 'total')",
                                                  shift=12)),
            ("values", node_case("Error: cart 4821 has 3 items over the limit of 2"),
             node_case("Error: cart 77 has 12 items over the limit of 10")),
            ("call path", NODE_BASE, node_case("TypeError: Cannot read properties of undefined (reading 'total')",
                                               callers=[("/app/src/jobs/reprice.js", "", 8),
                                                        ("/app/src/jobs/runner.js", "new Runner", 3)])),
            ("anonymous function", node("Error: cart 5 locked", [("/app/src/cart/lock.js", "", 20),
                                                                  ("/app/src/cart/index.js", "Object.<anonymous>", 2)]),
             node("Error: cart 6 locked", [("/app/src/cart/lock.js", "", 27),
                                           ("/app/src/server.js", "async Server.start", 9)])),
            ("bundle hash", node("Error: cart 5 locked", [("/app/dist/main.3f2a9c1b.js", "lock", 1)]),
             node("Error: cart 5 locked", [("/app/dist/main.9e8d7c6b.js", "lock", 1)])),
        ],
        [
            ("type", NODE_BASE, node_case("RangeError: Cannot read properties of undefined (reading 'total')")),
            ("message", NODE_BASE, node_case("TypeError: cart.items.map is not a function")),
            ("function", NODE_BASE, node_case("TypeError: Cannot read properties of undefined (reading 'total')",
                                              total=[("/app/src/cart/total.js", "computeTax", 30)])),
        ],
        [cut(NODE_BASE, "at async checkout (/app/src/routes"), cut(NODE_BASE, "at computeTotal (/app/src/cart")],
    ),
    "go": (
        [
            ("line numbers and offsets", GO_BASE, go("panic: order 4821 not found", [GO_LOAD, GO_GET], shift=9,
                                                     addr=0x2F0)),
            ("values and goroutine", GO_BASE, go("panic: order 99172 not found", [GO_LOAD, GO_GET], goroutine=8812)),
            ("call path", GO_BASE, go("panic: order 4821 not found",
                                      [GO_LOAD, ("/app/api/admin.go",
                                                 "github.com/acme/shop/api.(*Server).adminOrder(0xc000130000)", 70),
                                       ("/app/api/auth.go", "github.com/acme/shop/api.requireAdmin.func1(0x7f1b2c)",
                                        12)])),
            ("closure number", go("panic: runtime error: index out of range [5] with length 3",
                                  [("/app/orders/batch.go", "github.com/acme/shop/orders.Split.func1(...)", 20),
                                   ("/app/orders/batch.go", "github.com/acme/shop/orders.Split(0xc0001a2000)", 18)]),
             go("panic: runtime error: index out of range [9] with length 7",
                [("/app/orders/batch.go", "github.com/acme/shop/orders.Split.func2(...)", 26),
                 ("/app/orders/batch.go", "github.com/acme/shop/orders.Split(0xc0001a2000)", 18)])),
            ("signal line", go("panic: runtime error: invalid memory address or nil pointer dereference\n"
                               "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a0b5c]",
                               [GO_LOAD, GO_GET]),
             go("panic: runtime error: invalid memory address or nil pointer dereference\n"
                "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4b1e77]", [GO_LOAD, GO_GET])),
        ],
        [
            ("type", GO_BASE, go("panic: runtime error: invalid memory address or nil pointer dereference",
                                 [GO_LOAD, GO_GET])),
            ("fatal error", GO_BASE, go("fatal error: concurrent map writes", [GO_LOAD, GO_GET])),
            ("message", GO_BASE, go("panic: order 4821 is locked", [GO_LOAD, GO_GET])),
            ("function", GO_BASE, go("panic: order 4821 not found",
                                     [("/app/orders/store.go",
                                       "github.com/acme/shop/orders.(*Store).Save(0xc0001a2000)", 120), GO_GET])),
        ],
        [cut(GO_BASE, "\t/app/api/orders.go:"), cut(GO_BASE, "github.com/acme/shop/api.(*Server).getOrder(0xc0001")],
    ),
    "ruby": (
        [
            ("line numbers", RB_BASE, ruby("Order 4821 not found", "Shop::OrderNotFound", [RB_FIND, RB_SHOW],
                                           shift=14)),
            ("values", RB_BASE, ruby("Order 99172 not found", "Shop::OrderNotFound", [RB_FIND, RB_SHOW])),
            ("call path", RB_BASE, ruby("Order 4821 not found", "Shop::OrderNotFound",
                                        [RB_FIND, ("/app/app/jobs/reconcile_job.rb", "block (2 levels) in perform", 22),
                                         ("/app/app/jobs/reconcile_job.rb", "perform", 20)])),
            ("quote style", RB_BASE, ruby("Order 4821 not found", "Shop::OrderNotFound", [RB_FIND, RB_SHOW],
                                          quote="'")),
            ("block nesting", ruby("Couldn't find User with 'id'=5", "ActiveRecord::RecordNotFound",
                                   [("/app/app/models/user.rb", "block (2 levels) in load", 3)]),
             ruby("Couldn't find User with 'id'=912", "ActiveRecord::RecordNotFound",
                  [("/app/app/models/user.rb", "block (3 levels) in load", 4)])),
        ],
        [
            ("type", RB_BASE, ruby("Order 4821 not found", "ArgumentError", [RB_FIND, RB_SHOW])),
            ("message", RB_BASE, ruby("Order 4821 was archived", "Shop::OrderNotFound", [RB_FIND, RB_SHOW])),
            ("function", RB_BASE, ruby("Order 4821 not found", "Shop::OrderNotFound",
                                       [("/app/app/services/order_lookup.rb", "find_by_ref!", 30), RB_SHOW])),
        ],
        [cut(RB_BASE, "from /app/app/controllers/orders_controller.rb"), cut(RB_BASE, "from /usr/local/bundle")],
    ),
    "dotnet": (
        [
            ("line numbers and state machine numbers", NET_BASE, dotnet(
                "Shop.Orders.OrderLoadException: Could not load order 4821",
                [NET_STORE[0], ("/src/Shop.Api/Controllers/OrdersController.cs",
                                "Shop.Api.Controllers.OrdersController.<Get>d__7.MoveNext()", 41)],
                inner=("System.Collections.Generic.KeyNotFoundException: The given key '4821' was not present "
                       "in the dictionary.", NET_CACHE), shift=5)),
            ("values", NET_BASE, dotnet("Shop.Orders.OrderLoadException: Could not load order 99172", NET_STORE,
                                        inner=("System.Collections.Generic.KeyNotFoundException: The given key "
                                               "'99172' was not present in the dictionary.", NET_CACHE))),
            ("call path", NET_BASE, dotnet("Shop.Orders.OrderLoadException: Could not load order 4821",
                                           [NET_STORE[0], ("/src/Shop.Api/Jobs/Reconcile.cs",
                                                           "Shop.Api.Jobs.Reconcile.Run(CancellationToken token)", 12)],
                                           inner=("System.Collections.Generic.KeyNotFoundException: The given key "
                                                  "'4821' was not present in the dictionary.", NET_CACHE))),
            ("lambda numbers", dotnet("System.InvalidOperationException: Sequence contains no elements",
                                      [("", "System.Linq.ThrowHelper.ThrowNoElementsException()", 0),
                                       ("/src/Shop/Cart.cs", "Shop.Cart.<>c__DisplayClass5_0.<Total>b__0(Item i)",
                                        20)]),
             dotnet("System.InvalidOperationException: Sequence contains no elements",
                    [("", "System.Linq.ThrowHelper.ThrowNoElementsException()", 0),
                     ("/src/Shop/Cart.cs", "Shop.Cart.<>c__DisplayClass6_0.<Total>b__1(Item i)", 24)])),
        ],
        [
            ("type", NET_BASE, dotnet("Shop.Orders.OrderLoadException: Could not load order 4821", NET_STORE,
                                      inner=("System.ArgumentException: The given key '4821' was not present "
                                             "in the dictionary.", NET_CACHE))),
            ("message", NET_BASE, dotnet("Shop.Orders.OrderLoadException: Could not load order 4821", NET_STORE,
                                         inner=("System.Collections.Generic.KeyNotFoundException: The cache is "
                                                "closed.", NET_CACHE))),
            ("outer only", NET_BASE, dotnet("Shop.Orders.OrderLoadException: Could not load order 4821", NET_STORE)),
        ],
        [cut(NET_BASE, "at Shop.Orders.OrderStore.Load(Int32 id) in /src/Shop/Orders"),
         cut(NET_BASE, "at Shop.Orders.OrderCache.Get(Int32 id) in /src/Shop")],
    ),
    "php": (
        [
            ("line numbers", PHP_BASE, php("App\\Exceptions\\OrderNotFound", "Order 4821 not found", PHP_WHERE,
                                           PHP_CALLS, shift=8)),
            ("values", PHP_BASE, php("App\\Exceptions\\OrderNotFound", "Order 99172 not found", PHP_WHERE,
                                     PHP_CALLS)),
            ("call path", PHP_BASE, php("App\\Exceptions\\OrderNotFound", "Order 4821 not found", PHP_WHERE,
                                        [("/var/www/html/src/Jobs/Reconcile.php",
                                          "App\\Orders\\OrderStore->load(4821)", 33),
                                         ("/var/www/html/bin/console.php", "App\\Jobs\\Reconcile->run()", 9)])),
            ("closure name", php("RuntimeException", "queue 5 closed", ("/var/www/html/src/Queue.php", 14),
                                 [("/var/www/html/src/Worker.php",
                                   "{closure:/var/www/html/src/Worker.php:12}(Object(Job))", 15)]),
             php("RuntimeException", "queue 6 closed", ("/var/www/html/src/Queue.php", 19),
                 [("/var/www/html/src/Worker.php", "{closure:/var/www/html/src/Worker.php:17}(Object(Job))", 20)])),
            ("warnings", "PHP Warning:  Undefined array key \"total\" in /var/www/html/src/Cart.php on line 33",
             "[01-Mar-2026 12:00:00 UTC] PHP Warning:  Undefined array key \"total\" in /srv/app/src/Cart.php on "
             "line 35"),
        ],
        [
            ("type", PHP_BASE, php("InvalidArgumentException", "Order 4821 not found", PHP_WHERE, PHP_CALLS)),
            ("message", PHP_BASE, php("App\\Exceptions\\OrderNotFound", "Order 4821 was archived", PHP_WHERE,
                                      PHP_CALLS)),
            ("function", PHP_BASE, php("App\\Exceptions\\OrderNotFound", "Order 4821 not found", PHP_WHERE,
                                       [("/var/www/html/src/Http/OrderController.php",
                                         "App\\Orders\\OrderStore->loadByRef('A-17')", 41), *PHP_CALLS[1:]])),
            ("warning message", "PHP Warning:  Undefined array key \"total\" in /var/www/html/src/Cart.php on line 33",
             "PHP Warning:  Undefined variable $total in /var/www/html/src/Cart.php on line 33"),
            ("warning level", "PHP Warning:  Undefined array key \"total\" in /var/www/html/src/Cart.php on line 33",
             "PHP Notice:  Undefined array key \"total\" in /var/www/html/src/Cart.php on line 33"),
        ],
        [cut(PHP_BASE, "#1 /var/www/html/vendor/slim"), cut(PHP_BASE, "#0 /var/www/html/src/Http/OrderController")],
    ),
}
LANGUAGES = list(CORPUS)

# The data an error quotes is a variable: a quoted literal, an id, a path, a host. Per language, the
# same error (same type, same wording, same frame) with other data; then errors that differ in
# wording around the same data, in the same function, which stay apart.
UUID_A, UUID_B = "3f2a9c1b-4d5e-4f70-8192-a3b4c5d6e7f8", "9e8d7c6b-0a1b-4c2d-9e3f-405162738495"
PY_AT = [PY_STORE, ("/app/shop/api/routes.py", "get_order", 40)]
PHP_AT = (PHP_WHERE, PHP_CALLS)


def _py(exc: str) -> str:
    return python(exc, PY_AT)


def _java(exc: str) -> str:
    return java_case(exc)


def _go(head: str) -> str:
    return go(head, [GO_LOAD, GO_GET])


def _rb(message: str, error: str) -> str:
    return ruby(message, error, [RB_FIND, RB_SHOW])


def _net(exc: str) -> str:
    return dotnet(exc, NET_STORE)


def _php(exc: str, value: str) -> str:
    return php(exc, value, *PHP_AT)


DATA_VARIANTS: dict[str, tuple[list[Pair], list[Pair]]] = {
    "python": (
        [
            ("quoted literal", _py("ValueError: invalid literal for int() with base 10: 'abc'"),
             _py("ValueError: invalid literal for int() with base 10: '12x'")),
            ("empty literal", _py("ValueError: invalid literal for int() with base 10: 'abc'"),
             _py("ValueError: invalid literal for int() with base 10: ''")),
            ("None literal", _py("ValueError: invalid literal for int() with base 10: 'abc'"),
             _py("ValueError: invalid literal for int() with base 10: 'None'")),
            ("id", _py(f"LookupError: session {UUID_A} expired"), _py(f"LookupError: session {UUID_B} expired")),
            ("path", _py("FileNotFoundError: [Errno 2] No such file or directory: '/data/in/2026-03-01.csv'"),
             _py("FileNotFoundError: [Errno 2] No such file or directory: '/srv/import/latest.csv'")),
            ("host", _py("ConnectionError: HTTPSConnectionPool(host='api.example.com', port=443): Max retries "
                         "exceeded with url: /v1/charge"),
             _py("ConnectionError: HTTPSConnectionPool(host='db-2.payments.internal', port=8443): Max retries "
                 "exceeded with url: /v1/charge")),
        ],
        [
            ("wording around a literal", _py("ValueError: invalid literal for int() with base 10: 'abc'"),
             _py("ValueError: could not convert string to float: 'abc'")),
            ("wording around a path", _py("FileNotFoundError: [Errno 2] No such file or directory: '/data/a.csv'"),
             _py("FileNotFoundError: [Errno 13] Permission denied: '/data/a.csv'")),
        ],
    ),
    "java": (
        [
            ("quoted literal", _java('java.lang.NumberFormatException: For input string: "abc"'),
             _java('java.lang.NumberFormatException: For input string: "12x"')),
            ("id", _java(f"com.shop.orders.OrderNotFoundException: Order {UUID_A} not found"),
             _java(f"com.shop.orders.OrderNotFoundException: Order {UUID_B} not found")),
            ("path", _java("java.nio.file.NoSuchFileException: /data/in/2026-03-01.csv"),
             _java("java.nio.file.NoSuchFileException: /srv/import/latest.csv")),
            ("host", _java("java.net.UnknownHostException: db-1.prod.internal"),
             _java("java.net.UnknownHostException: orders.example.com")),
            ("host and port", _java("java.net.ConnectException: Connection refused: api.example.com/10.0.0.5:443"),
             _java("java.net.ConnectException: Connection refused: cache-3.internal/10.0.8.17:6379")),
        ],
        [
            ("wording around a literal", _java('java.lang.NumberFormatException: For input string: "abc"'),
             _java('java.lang.NumberFormatException: For input string: "abc" under radix 16')),
            ("wording around a host", _java("java.net.ConnectException: Connection refused: db-1.prod.internal"),
             _java("java.net.ConnectException: Connection timed out: db-1.prod.internal")),
        ],
    ),
    "javascript": (
        [
            ("quoted literal", node_case("SyntaxError: Unexpected token 'o', \"oops\" is not valid JSON"),
             node_case("SyntaxError: Unexpected token '<', \"<html><body>502</body></html>\" is not valid JSON")),
            ("quoted property", NODE_BASE, node_case("TypeError: Cannot read properties of undefined (reading 'tax')")),
            ("id", node_case(f"Error: cart {UUID_A} not found"), node_case(f"Error: cart {UUID_B} not found")),
            ("path", node_case("Error: ENOENT: no such file or directory, open '/app/uploads/a1.png'"),
             node_case("Error: ENOENT: no such file or directory, open '/app/uploads/cat.png'")),
            ("host", node_case("Error: getaddrinfo ENOTFOUND api.example.com"),
             node_case("Error: getaddrinfo ENOTFOUND payments-2.internal")),
            ("address", node_case("Error: connect ECONNREFUSED 10.0.0.5:5432"),
             node_case("Error: connect ECONNREFUSED 127.0.0.1:6379")),
        ],
        [
            ("wording around a path", node_case("Error: ENOENT: no such file or directory, open '/app/a.png'"),
             node_case("Error: EACCES: permission denied, open '/app/a.png'")),
            ("wording around a host", node_case("Error: getaddrinfo ENOTFOUND api.example.com"),
             node_case("Error: getaddrinfo EAI_AGAIN api.example.com")),
        ],
    ),
    "go": (
        [
            ("quoted literal", _go('panic: strconv.Atoi: parsing "abc": invalid syntax'),
             _go('panic: strconv.Atoi: parsing "12x": invalid syntax')),
            ("id", _go(f"panic: order {UUID_A} not found"), _go(f"panic: order {UUID_B} not found")),
            ("path", _go("panic: open /data/in/2026-03-01.csv: no such file or directory"),
             _go("panic: open /srv/import/latest.csv: no such file or directory")),
            ("host", _go("panic: dial tcp: lookup db-1.prod.internal: no such host"),
             _go("panic: dial tcp: lookup orders.example.com: no such host")),
        ],
        [
            ("wording around a literal", _go('panic: strconv.Atoi: parsing "abc": invalid syntax'),
             _go('panic: strconv.Atoi: parsing "abc": value out of range')),
            ("wording around a path", _go("panic: open /data/a.csv: no such file or directory"),
             _go("panic: open /data/a.csv: permission denied")),
        ],
    ),
    "ruby": (
        [
            ("quoted literal", _rb('invalid value for Integer(): "abc"', "ArgumentError"),
             _rb('invalid value for Integer(): "12x"', "ArgumentError")),
            ("id", _rb(f"Order {UUID_A} not found", "Shop::OrderNotFound"),
             _rb(f"Order {UUID_B} not found", "Shop::OrderNotFound")),
            ("path", _rb("No such file or directory @ rb_sysopen - /data/in/2026-03-01.csv", "Errno::ENOENT"),
             _rb("No such file or directory @ rb_sysopen - /srv/import/latest.csv", "Errno::ENOENT")),
            ("host", _rb("Failed to open TCP connection to api.example.com:443 (getaddrinfo: Name or service not "
                         "known)", "SocketError"),
             _rb("Failed to open TCP connection to db-2.internal:5432 (getaddrinfo: Name or service not known)",
                 "SocketError")),
        ],
        [
            ("wording around a literal", _rb('invalid value for Integer(): "abc"', "ArgumentError"),
             _rb('invalid value for Float(): "abc"', "ArgumentError")),
            ("wording around a host", _rb("Failed to open TCP connection to api.example.com:443 (getaddrinfo: Name "
                                          "or service not known)", "SocketError"),
             _rb("Failed to open TCP connection to api.example.com:443 (Connection refused)", "SocketError")),
        ],
    ),
    "dotnet": (
        [
            ("quoted literal", _net("System.FormatException: The input string 'abc' was not in a correct format."),
             _net("System.FormatException: The input string '12x' was not in a correct format.")),
            ("id", _net(f"Shop.Orders.OrderLoadException: Could not load order {UUID_A}"),
             _net(f"Shop.Orders.OrderLoadException: Could not load order {UUID_B}")),
            ("path", _net("System.IO.FileNotFoundException: Could not find file '/data/in/2026-03-01.csv'."),
             _net("System.IO.FileNotFoundException: Could not find file 'C:\\import\\latest.csv'.")),
            ("host", _net("System.Net.Http.HttpRequestException: No such host is known. (api.example.com:443)"),
             _net("System.Net.Http.HttpRequestException: No such host is known. (db-2.internal:5432)")),
        ],
        [
            ("wording around a path", _net("System.IO.FileNotFoundException: Could not find file '/data/a.csv'."),
             _net("System.IO.FileNotFoundException: Could not load file or assembly '/data/a.csv'.")),
            ("wording around a host", _net("System.Net.Http.HttpRequestException: No such host is known. "
                                           "(api.example.com:443)"),
             _net("System.Net.Http.HttpRequestException: Connection refused (api.example.com:443)")),
        ],
    ),
    "php": (
        [
            ("quoted literal", _php("InvalidArgumentException", "Invalid quantity 'abc'"),
             _php("InvalidArgumentException", "Invalid quantity '12x'")),
            ("quoted key", "PHP Warning:  Undefined array key \"total\" in /var/www/html/src/Cart.php on line 33",
             "PHP Warning:  Undefined array key \"tax\" in /var/www/html/src/Cart.php on line 33"),
            ("id", _php("App\\Exceptions\\OrderNotFound", f"Order {UUID_A} not found"),
             _php("App\\Exceptions\\OrderNotFound", f"Order {UUID_B} not found")),
            ("path", _php("RuntimeException", "Unable to open /var/data/in-2026-03-01.csv"),
             _php("RuntimeException", "Unable to open /srv/import/latest.csv")),
            ("host", _php("PDOException", "SQLSTATE[HY000] [2002] php_network_getaddresses: getaddrinfo for "
                                          "db-1.prod.internal failed: Name or service not known"),
             _php("PDOException", "SQLSTATE[HY000] [2002] php_network_getaddresses: getaddrinfo for "
                                  "mysql.example.com failed: Name or service not known")),
        ],
        [
            ("wording around a literal", _php("InvalidArgumentException", "Invalid quantity 'abc'"),
             _php("InvalidArgumentException", "Invalid currency 'abc'")),
            ("wording around a host", _php("PDOException", "SQLSTATE[HY000] [2002] Connection refused"),
             _php("PDOException", "SQLSTATE[HY000] [2002] Connection timed out")),
        ],
    ),
}


def sig(text: str):
    trace = parse_stack(text)
    assert trace is not None, f"not parsed:\n{text}"
    return trace_signature(trace)


def test_corpus_covers_every_language_and_case():
    assert set(LANGUAGES) == {"python", "java", "javascript", "go", "ruby", "dotnet", "php"}
    for same, different, cuts in CORPUS.values():
        labels = [label for label, _, _ in same]
        for kind in ("line numbers", "values", "call path"):
            assert any(label.startswith(kind) for label in labels)
        assert {"type", "message"} <= {label for label, _, _ in different}
        assert cuts


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_parses_as_its_language(language):
    same, different, _ = CORPUS[language]
    for _, a, b in same + different:
        for text in (a, b):
            assert looks_like_stack(text)
            trace = parse_stack(text)
            assert trace is not None and trace.language == language, text
            assert trace.root.type and not trace.truncated, text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_error_has_one_fingerprint(language):
    for label, a, b in CORPUS[language][0]:
        sa, sb = sig(a), sig(b)
        assert sa.id == sb.id, f"{language} {label}: {sa.key!r} != {sb.key!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_different_errors_have_different_fingerprints(language):
    for label, a, b in CORPUS[language][1]:
        sa, sb = sig(a), sig(b)
        assert sa.id != sb.id, f"{language} {label}: both {sa.key!r}"


def test_data_variants_cover_every_language_and_kind():
    assert set(DATA_VARIANTS) == set(LANGUAGES)
    for same, different in DATA_VARIANTS.values():
        labels = " ".join(label for label, _, _ in same)
        for kind in ("quoted", "id", "path", "host"):
            assert kind in labels
        assert different


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_error_with_other_data_has_one_fingerprint(language):
    for label, a, b in DATA_VARIANTS[language][0]:
        ta, tb = parse_stack(a), parse_stack(b)
        assert ta is not None and tb is not None and ta.language == tb.language == language, label
        sa, sb = trace_signature(ta), trace_signature(tb)
        assert sa.id == sb.id, f"{language} {label}: {sa.key!r} != {sb.key!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_other_wording_around_the_same_data_stays_apart(language):
    for label, a, b in DATA_VARIANTS[language][1]:
        sa, sb = sig(a), sig(b)
        assert sa.id != sb.id, f"{language} {label}: both {sa.key!r}"
    # and every different pair of the main corpus stays apart too
    for label, a, b in CORPUS[language][1]:
        assert sig(a).id != sig(b).id, label


@pytest.mark.parametrize("language", LANGUAGES)
def test_cut_off_traces_parse_and_are_kept(language):
    signer = Signer()
    for text in CORPUS[language][2]:
        assert looks_like_stack(text)
        trace = parse_stack(text)
        assert trace is not None, text
        assert trace.truncated or (trace.root.type and any(e.frames for e in trace.exceptions)), text
        assert trace.language == language
        trace_signature(trace)
        assert signer.sign(entry(text, 0)).kind == KIND_TRACE


def test_every_cut_of_every_trace_parses_without_raising():
    texts = [t for same, different, cuts in CORPUS.values() for _, a, b in same + different for t in (a, b)]
    for text in texts:
        for end in range(0, len(text), 5):
            trace = parse_stack(text[:end])
            if trace is not None:
                assert looks_like_stack(text[:end])
                trace_signature(trace)


# --- what each parser finds -------------------------------------------------------------


def test_roots_are_the_original_causes():
    assert sig(JAVA_BASE).exc_type == "com.shop.orders.OrderNotFoundException"
    assert sig(NET_BASE).exc_type == "System.Collections.Generic.KeyNotFoundException"
    assert parse_stack(PY_BASE).root.type == "LookupError"
    php_chain = PHP_BASE.replace("  thrown in", "Next App\\Exceptions\\HttpError: Not Found in "
                                 "/var/www/html/src/Http/OrderController.php:44\nStack trace:\n#0 {main}\n  thrown in")
    assert parse_stack(php_chain).root.type == "App\\Exceptions\\OrderNotFound"
    node_cause = NODE_BASE + " {\n  [cause]: Error: socket hang up\n      at connect (/app/src/db.js:3:9)\n}"
    assert sig(node_cause).exc_type == "Error" and sig(node_cause).frame == "src/db.js:connect"


def test_identity_frames_are_the_innermost_in_app_frames():
    assert sig(JAVA_BASE).frame == "com.shop.orders.OrderRepository.lambda$findById"
    assert sig(NODE_BASE).frame == "cart/total.js:computeTotal"
    assert sig(GO_BASE).frame == "github.com/acme/shop/orders.(*Store).Load"
    assert sig(RB_BASE).frame == "services/order_lookup.rb:find!"
    assert sig(NET_BASE).frame == "Shop.Orders.OrderCache.Get"
    assert sig(PHP_BASE).frame == "Orders/OrderStore.php:App\\Orders\\OrderStore->load"
    assert sig(PY_BASE).frame == "orders/store.py:load"


def test_library_frames_are_not_in_app():
    def lib(text: str) -> set[str]:
        trace = parse_stack(text)
        return {f.function for e in trace.exceptions for f in e.frames if not f.in_app}

    assert {"java.lang.Thread.run", "jakarta.servlet.http.HttpServlet.service",
            "org.springframework.web.servlet.FrameworkServlet.processRequest"} <= lib(JAVA_BASE)
    assert {"Layer.handle [as handle_request]", "process.processTicksAndRejections", "Array.map"} <= lib(NODE_BASE)
    assert {"panic", "net/http.HandlerFunc.ServeHTTP", "net/http.(*Server).Serve"} <= lib(GO_BASE)
    assert {"send_action", "measure"} <= lib(RB_BASE)
    assert {"System.Collections.Generic.Dictionary`2.get_Item"} <= lib(NET_BASE)
    assert any(f.startswith("Microsoft.AspNetCore") for f in lib(NET_BASE))
    assert "Slim\\App->run" in lib(PHP_BASE)  # the frame at vendor/slim/...(38) runs Slim\App->run
    assert all(f.in_app for f in parse_stack(GO_BASE).root.frames if f.file.startswith("/app/"))


def test_frames_are_stored_outermost_first():
    innermost = {
        JAVA_BASE: "com.shop.orders.OrderRepository.lambda$findById$0",
        NODE_BASE: "computeTotal",
        GO_BASE: "panic",
        RB_BASE: "find!",
        NET_BASE: "System.Collections.Generic.Dictionary`2.get_Item",
        PHP_BASE: "App\\Orders\\OrderStore->load",
        PY_BASE: "load",
    }
    for text, function in innermost.items():
        assert parse_stack(text).root.frames[-1].function == function
    assert parse_stack(JAVA_BASE).exceptions[0].frames[0].function == "java.lang.Thread.run"
    assert parse_stack(GO_BASE).root.frames[0].function == "net/http.(*Server).Serve"


def test_java_formats():
    oom = 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space'
    trace = parse_stack(oom)
    assert (trace.language, trace.root.type, trace.root.value) == ("java", "java.lang.OutOfMemoryError",
                                                                   "Java heap space")
    suppressed = java("java.io.IOException: flush failed", [("com.shop.io.Sink.flush", "Sink.java", 10)])
    suppressed += ("\n\tSuppressed: java.lang.IllegalStateException: close failed\n"
                   "\t\tat com.shop.io.Sink.close(Sink.java:20)\n\t\t... 4 more")
    trace = parse_stack(suppressed)
    assert [e.type for e in trace.exceptions] == ["java.io.IOException"]
    logback = java("com.shop.DbDown: primary unreachable", [("com.shop.Db.connect", "Db.java", 5)])
    logback = logback.replace("(Db.java:5)", "(Db.java:5) ~[shop.jar:1.4.2]")
    assert parse_stack(logback).root.frames[-1].function == "com.shop.Db.connect"
    kotlin = "kotlin.UninitializedPropertyAccessException: lateinit property repo has not been initialized\n" \
             "\tat com.shop.Svc.getRepo(Svc.kt:12)\n\tat com.shop.Svc.run(Svc.kt:30)"
    assert sig(kotlin).frame == "com.shop.Svc.getRepo"


def test_go_formats():
    stack_only = "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x25"
    trace = parse_stack(stack_only)
    assert trace.language == "go" and trace.root.type is None and trace.root.frames[-1].function == "main.main"
    repanic = GO_BASE.replace("panic: order 4821 not found",
                              "panic: order 4821 not found [recovered]\n\tpanic: order 4821 not found")
    trace = parse_stack(repanic)
    assert trace.root.type == "panic" and trace.root.value == "order 4821 not found"
    assert sig(repanic).frame == sig(GO_BASE).frame
    method = parse_stack(GO_BASE).root.frames[-2]  # the innermost is the runtime's panic()
    assert method.function == "github.com/acme/shop/orders.(*Store).Load" and method.line == 88


def test_javascript_formats():
    uncaught = ("/app/server.js:10\n    throw new Error('boom');\n    ^\n\nError: boom\n"
                "    at Object.<anonymous> (/app/server.js:10:11)\n"
                "    at Module._compile (node:internal/modules/cjs/loader:1256:14)\n\nNode.js v20.11.0")
    trace = parse_stack(uncaught)
    assert (trace.root.type, trace.root.value) == ("Error", "boom")
    assert trace.header.startswith("/app/server.js:10")
    assert sig(uncaught).frame == "app/server.js:Object.<anonymous>"
    coded = "Error [ERR_HTTP_HEADERS_SENT]: Cannot set headers after they are sent to the client\n" \
            "    at new NodeError (node:internal/errors:405:5)\n    at send (/app/src/reply.js:4:9)"
    assert parse_stack(coded).root.type == "Error [ERR_HTTP_HEADERS_SENT]"
    assert sig(coded).frame == "src/reply.js:send"
    constructed = "Error: no config\n    at new Config (/app/src/config.js:7:11)\n    at /app/src/index.js:3:1"
    assert sig(constructed).frame == "src/config.js:new Config"


def test_ruby_formats():
    rails = "ActiveRecord::RecordNotFound (Couldn't find Order with 'id'=4821):\n\n" \
            "app/controllers/orders_controller.rb:8:in `show'\n" \
            "/usr/local/bundle/gems/actionpack-7.1.3/lib/abstract_controller/base.rb:224:in `process_action'"
    trace = parse_stack(rails)
    assert (trace.language, trace.root.type) == ("ruby", "ActiveRecord::RecordNotFound")
    assert sig(rails).frame == "controllers/orders_controller.rb:show"
    ruby34 = "/app/lib/calc.rb:3:in 'Integer#/': divided by 0 (ZeroDivisionError)\n" \
             "\tfrom /app/lib/calc.rb:3:in 'Calc#ratio'\n\tfrom /app/bin/run.rb:1:in '<main>'"
    trace = parse_stack(ruby34)
    assert trace.root.type == "ZeroDivisionError" and trace.root.frames[-1].function == "Integer#/"
    caused = RB_BASE + "\n/app/app/services/db.rb:4:in `query': timeout (Shop::DbTimeout)\n" \
                       "\tfrom /app/app/services/order_lookup.rb:11:in `find!'"
    assert parse_stack(caused).root.type == "Shop::DbTimeout"  # Ruby prints the cause after the error
    internal = "/app/x.rb:4:in `block in run': boom (RuntimeError)\n\tfrom <internal:kernel>:187:in `loop'\n" \
               "\tfrom /app/x.rb:3:in `run'"
    frames = parse_stack(internal).root.frames
    assert [(f.function, f.in_app) for f in frames] == [("run", True), ("loop", False), ("block in run", True)]


def test_dotnet_formats():
    old_style = "System.Exception: outer failure ---> System.ArgumentNullException: Value cannot be null. " \
                "(Parameter 'key')\n   at Shop.Keys.Check(String key) in C:\\src\\Shop\\Keys.cs:line 9\n" \
                "   --- End of inner exception stack trace ---\n   at Shop.Api.Run() in C:\\src\\Shop\\Api.cs:line 3"
    trace = parse_stack(old_style)
    assert [e.type for e in trace.exceptions] == ["System.Exception", "System.ArgumentNullException"]
    assert trace.root.frames[-1].function == "Shop.Keys.Check"
    assert trace.exceptions[0].frames[-1].function == "Shop.Api.Run"
    unhandled = "Unhandled exception. System.IO.FileNotFoundException: Could not find file '/data/x.json'.\n" \
                "   at System.IO.FileStream.ValidateFileHandle(SafeFileHandle fileHandle)\n" \
                "   at Shop.Config.Load() in /src/Shop/Config.cs:line 14"
    assert sig(unhandled).exc_type == "System.IO.FileNotFoundException"
    assert sig(unhandled).frame == "Shop.Config.Load"
    all_library = NET_BASE.split("\n   --- End of inner")[0].replace(NET_CACHE[1][1], "System.Cache.Get(Int32 id)")
    assert parse_stack(all_library).root.frames  # no in-app frame: falls back to the innermost
    assert sig(all_library).frame == "System.Collections.Generic.Dictionary`2.get_Item"


def test_php_formats():
    fatal = "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) " \
            "in /var/www/html/src/Report.php on line 51"
    trace = parse_stack(fatal)
    assert (trace.root.type, trace.root.frames[-1].file) == ("Fatal error", "/var/www/html/src/Report.php")
    assert "memory size" in trace.root.value
    old = "PHP Fatal error:  Uncaught exception 'PDOException' with message 'SQLSTATE[HY000] [2002] Connection " \
          "refused' in /var/www/html/src/Db.php:7\nStack trace:\n#0 /var/www/html/src/Db.php(7): " \
          "PDO->__construct('mysql:host=db', 'app', 'x')\n#1 {main}\n  thrown in /var/www/html/src/Db.php on line 7"
    trace = parse_stack(old)
    assert trace.root.type == "PDOException" and trace.root.frames[-1].function == "PDO->__construct"
    display = "Fatal error: Uncaught Error: Call to undefined function foo() in /app/x.php:3\nStack trace:\n#0 {main}"
    assert parse_stack(display).root.type == "Error"
    assert parse_stack("Warning: disk almost full") is None


# --- Signer: traces in the text or in a payload field -----------------------------------


@pytest.mark.parametrize("text", [JAVA_BASE, GO_BASE, NODE_BASE], ids=["java", "go", "node"])
def test_signer_signs_traces_in_the_text_and_in_the_stack_field(text):
    signer = Signer()
    in_text = entry(text, 0)
    assert signer.sign(in_text).kind == KIND_TRACE
    in_stack = dataclasses.replace(entry("request failed", 1), stack=text)
    assert signer.sign(in_stack).kind == KIND_TRACE
    assert signer.sign(in_stack).id == signer.sign(in_text).id


def test_a_lone_frame_line_is_not_a_trace():
    # a trace split into one entry per line: each frame line alone says nothing about an error
    for text in ("\tat com.shop.orders.OrderRepository.findById(OrderRepository.java:57)",
                 "    at computeTotal (/app/src/cart/total.js:14:22)",
                 "   at Shop.Orders.OrderStore.Load(Int32 id) in /src/Shop/Orders/OrderStore.cs:line 88",
                 "\tfrom /app/app/controllers/orders_controller.rb:8:in `show'"):
        assert parse_stack(text) is None, text
    assert parse_stack("\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)").root.type is None  # a frames-only stack


def test_plain_messages_do_not_look_like_traces():
    for text in ("user 4821 logged in", "Error: connection refused", "Retrying at 10:00", "panic: nothing",
                 "Warning: disk 93% full", "look at this", "", "Order 5 at /app/x.js:10:5",
                 "  at least once per hour"):
        trace = parse_stack(text) if looks_like_stack(text) else None
        assert trace is None, text


# --- bad input ----------------------------------------------------------------------------


BUILDERS: dict[str, Callable[[int], str]] = {
    "python": lambda n: python("RecursionError: maximum recursion depth exceeded",
                               [("/app/shop/tree.py", f"walk_{k % 3}", k) for k in range(n)]),
    "java": lambda n: java("java.lang.StackOverflowError", [("com.shop.Tree.walk" + str(k % 3), "Tree.java", k)
                                                              for k in range(n)]),
    "javascript": lambda n: node("RangeError: Maximum call stack size exceeded",
                                 [("/app/src/tree.js", f"walk{k % 3}", k) for k in range(n)]),
    "go": lambda n: go("runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow",
                       [("/app/tree.go", f"main.walk{k % 3}(0xc0000)", k) for k in range(n)]),
    "ruby": lambda n: ruby("stack level too deep", "SystemStackError",
                           [("/app/lib/tree.rb", f"walk{k % 3}", k) for k in range(n)]),
    "dotnet": lambda n: dotnet("System.InvalidOperationException: deep", [("/src/Tree.cs", f"Shop.Tree.Walk{k % 3}()",
                                                                            k) for k in range(n)]),
    "php": lambda n: php("Error", "Maximum function nesting level reached", ("/app/Tree.php", 1),
                         [("/app/Tree.php", f"Tree->walk{k % 3}()", k) for k in range(n)]),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_enormous_traces_keep_the_innermost_frames_and_say_how_many_were_left(language):
    text = BUILDERS[language](20_000)
    started = time.perf_counter()
    trace = parse_stack(text)
    assert time.perf_counter() - started < 5
    assert trace is not None and trace.language == language
    holder = max(trace.exceptions, key=lambda e: len(e.frames))
    assert len(holder.frames) == MAX_FRAMES
    assert holder.omitted_frames >= 20_000 - MAX_FRAMES
    assert "walk0" in trace_signature(trace).frame.lower().replace("_", "")  # the innermost frames are kept
    # the fingerprint of a deep trace does not depend on its depth
    assert trace_signature(trace).id == sig(BUILDERS[language](5_000)).id


def test_recursion_is_collapsed():
    one = java("java.lang.StackOverflowError", [("com.shop.Tree.walk", "Tree.java", 12)] * 900)
    other = java("java.lang.StackOverflowError", [("com.shop.Tree.walk", "Tree.java", 12)] * 300)
    trace = parse_stack(one)
    assert [f.function for f in trace.root.frames].count("com.shop.Tree.walk") == 1
    assert trace.root.omitted_frames == 899
    assert sig(one).id == sig(other).id


@pytest.mark.parametrize("text", [
    "", " ", "\n\n\n", "\x00\x01\x02", "Traceback", "\tat ", "\tat (", "at x(", "goroutine 1 [",
    "goroutine 1 [running]:",
    "goroutine 1 [running]:\n", "goroutine 1 [running]:\n(", "PHP Warning:", "PHP Fatal error:  Uncaught",
    "Stack trace:\n#0", "a.rb:1:in `", "a.rb:1:in `x': (", "Exception in thread \"", "Caused by: \n\tat",
    " ---> \n   at x.Y()", "   --- End of inner exception stack trace ---\n   at A.B()",
    "Error: x\n    at ", "Error: x\n    at (", "x\r\n\tat com.a.B.c(B.java:1)\r\n", "\ud800\tat a.B.c(B.java:1)",
    "\u2028\tat com.a.B.c(B.java:1)\x0b\x0c\x1c", "Error: \x1b[31mred\x1b[0m\n    at f (/a.js:1:1)",
    "\tat " + "a." * 50_000 + "b(B.java:1)", "Error: x\n    at " + "f (" * 30_000 + "/a.js:1:1)",
    "panic: x\n\ngoroutine 1 [running]:\n" + "main.f(" * 20_000,
    "PHP Fatal error:  Uncaught E: " + " in " * 30_000,
    "#0 " + "(" * 10_000, "x.rb:1:in `" + "'" * 10_000,
])
def test_bad_input_never_raises(text):
    started = time.perf_counter()
    looks_like_stack(text)
    trace = parse_stack(text)
    if trace is not None:
        assert isinstance(trace, StackTrace)
        trace_signature(trace)
    Signer().sign(entry(text, 0))
    assert time.perf_counter() - started < 2


def test_control_characters_inside_a_trace_keep_the_fingerprint():
    dirty = JAVA_BASE.replace("Order 4821", "Order\x00 4821").replace("\n", "\r\n")
    assert parse_stack(dirty).root.type == "com.shop.orders.OrderNotFoundException"
    assert sig(dirty).frame == sig(JAVA_BASE).frame


_PIECES = ["\n", "\t", "    ", "at ", "Caused by: ", "Suppressed: ", "... 3 more", "java.lang.X", "Error", ": ",
           "(", ")", "Foo.java:12", ".js:1:2", "/app/", "node_modules/", "goroutine 1 [running]:", "panic: ",
           "main.f", "+0x1d", ":in `", "'", ".rb:3", "from ", " ---> ", "--- End of inner exception stack trace ---",
           " in ", ":line 9", "PHP Fatal error:  Uncaught ", "Stack trace:", "#0 ", "{main}", "[cause]: ", " {",
           "Traceback (most recent call last):", '  File "a.py", line 1, in f', "\x00", "\r", "é", "\ud800", "0x7f"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_trace_shaped_text_never_raises(pieces):
    text = "".join(pieces)
    trace = parse_stack(text)
    if trace is not None:
        assert looks_like_stack(text)  # the pre-check never hides a trace the parsers would find
        assert trace.exceptions
        assert all(len(e.frames) <= MAX_FRAMES for e in trace.exceptions)
        trace_signature(trace)
