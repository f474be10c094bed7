"""Held-out synthetic log-message corpus for measuring template mining.

Twelve kinds of software (a Proxifier-style proxy client, nginx error log, Kubernetes kubelet/events,
PostgreSQL, systemd/journald/sshd, Spring Boot/Hikari/Tomcat, a HealthApp-like step counter, Hadoop
MapReduce/YARN, OpenStack nova, the macOS system log, Thunderbird-style supercomputer syslog and a Go/Node
microservice writing logfmt and JSON). The templates were written from each software's typical,
documented output, independently of the miner and its rules, so that grouping accuracy and the stability
of templates across windows can be measured on styles the shared datasets do not have.

Only the message text is produced (no timestamp, level or host prefix). Every line carries a ground-truth
event label (``proxy:E3``) and its template in the Loghub convention, with ``<*>`` for every variable part.
The corpus deliberately contains the hard cases: plain-word variables with 1-4 distinct values, Zipf-like
event counts (some events only 1-3 times), variables in the first position, multi-word variables, pairs
of events that differ in a single plain word, and variables glued to punctuation.

Generation is deterministic: the same kind, line count and seed always give the same lines (a seeded
``random.Random``, standard library only, no network).

    python bench/heldout_templates.py --summary
    python bench/heldout_templates.py --lines 2000 --out /tmp/heldout   # one CSV per kind
    python bench/heldout_templates.py --check                           # self-test
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import string
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random

DEFAULT_LINES = 2000
_REF_LINES = 2000  # fixed counts of rare events are given per this many lines


@dataclass(frozen=True)
class Ev:
    """One event type. ``template`` uses ``{slot}`` placeholders (a trailing number makes a second,
    independent value of the same slot: ``{ip2}``; a repeated placeholder repeats the same value).
    ``w`` is a relative share of the ordinary lines; ``n`` instead fixes the count per 2,000 lines;
    events of one ``group`` occur together, in declaration order, as episodes (start-up, restart)."""

    template: str
    w: float = 0.0
    n: int = 0
    group: str = ""


class Ctx:
    """Per-stream state handed to slot generators: the random source, the values of the current line,
    a memory for values that stay the same for a while, and a clock."""

    def __init__(self, rng: Random, clock_ms: float = 1_700_000_000_000.0, step_ms: float = 1500.0) -> None:
        self.r = rng
        self.line: dict[str, str] = {}
        self.last = ""
        self.mem: dict[str, str] = {}
        self.pools: dict[str, list[str]] = {}
        self.clock_ms = clock_ms
        self.step_ms = step_ms

    def tick(self) -> None:
        self.clock_ms += self.r.expovariate(1.0 / self.step_ms)

    def pick(self, seq: Sequence[str], weights: Sequence[float] | None = None) -> str:
        return self.r.choices(seq, weights)[0]

    def skew(self, seq: Sequence[str], s: float = 1.2) -> str:
        return self.r.choices(seq, [1.0 / (i + 1) ** s for i in range(len(seq))])[0]

    def sticky(self, key: str, make: Callable[[], str], keep: float = 0.7) -> str:
        """The value remembered under ``key`` with probability ``keep``, else a new one."""
        if key not in self.mem or self.r.random() >= keep:
            self.mem[key] = make()
        return self.mem[key]

    def active(self, key: str, make: Callable[[], str], size: int = 12, churn: float = 0.03) -> str:
        """One of a slowly changing set of live objects (instances, pods, sessions)."""
        pool = self.pools.setdefault(key, [])
        if not pool or (len(pool) < size and self.r.random() < 0.3):
            pool.append(make())
        elif self.r.random() < churn:
            pool[self.r.randrange(len(pool))] = make()
        return self.r.choice(pool)

    def counter(self, key: str, start: int, lo: int = 1, hi: int = 1) -> int:
        value = int(self.mem.get(key, str(start))) + self.r.randint(lo, hi)
        self.mem[key] = str(value)
        return value

    def num(self, lo: int, hi: int) -> str:
        return str(self.r.randint(lo, hi))

    def flt(self, lo: float, hi: float, nd: int = 3) -> str:
        return f"{self.r.uniform(lo, hi):.{nd}f}"

    def heavy(self, lo: int, alpha: float = 1.2, cap: int = 10**9) -> int:
        """A heavy-tailed integer >= lo."""
        return min(cap, int(lo * self.r.paretovariate(alpha)))

    def hexs(self, n: int, upper: bool = False) -> str:
        s = "".join(self.r.choice("0123456789abcdef") for _ in range(n))
        return s.upper() if upper else s

    def word(self, n: int, alphabet: str = string.ascii_lowercase + string.digits) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def uuid(self) -> str:
        h = self.hexs(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.r.choice('89ab')}{h[17:20]}-{h[20:]}"

    def mac(self) -> str:
        return ":".join(self.hexs(2) for _ in range(6))

    def ip(self, prefix: str) -> str:
        parts = prefix.split(".")
        while len(parts) < 3:
            parts.append(str(self.r.randint(0, 255)))
        return ".".join([*parts, str(self.r.randint(2, 254))])

    def pub_ip(self) -> str:
        first = self.r.choice((23, 31, 45, 61, 77, 89, 103, 112, 141, 159, 178, 185, 193, 203, 212, 218))
        return f"{first}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"

    def eport(self) -> str:
        return str(self.r.randint(1024, 65535))


Slot = Callable[[Ctx], str]


@dataclass(frozen=True)
class Kind:
    name: str
    events: tuple[Ev, ...]
    slots: dict[str, Slot]
    step_ms: float = 1500.0


_SLOT = re.compile(r"\{([a-z][a-z_]*)(\d*)\}")


def loghub_template(template: str) -> str:
    """The Loghub-style template of an event: every placeholder becomes ``<*>``."""
    return _SLOT.sub("<*>", template)


def _render(template: str, kind: Kind, c: Ctx) -> str:
    c.line = {}

    def fill(m: re.Match[str]) -> str:
        key = m.group(1) + m.group(2)
        if key not in c.line:
            value = kind.slots[m.group(1)](c)
            if not value or "\n" in value:
                raise ValueError(f"{kind.name}: slot {key} gave {value!r}")
            c.line[key] = value
        c.last = c.line[key]
        return c.last

    return _SLOT.sub(fill, template)


# ---------------------------------------------------------------- shared value helpers


def _dur_s(c: Ctx) -> str:
    return f"{c.r.uniform(0.4, 40.0):.3f}s"


def _after(c: Ctx) -> str:
    """A number a little larger than the previous slot's value (same number of decimals)."""
    prev = c.last.rstrip("s")
    nd = len(prev.split(".")[1]) if "." in prev else 0
    return f"{float(prev) + c.r.uniform(0.01, 3.0):.{nd}f}"


def _b64(c: Ctx, n: int = 43) -> str:
    return c.word(n, string.ascii_letters + string.digits + "+/")


# ---------------------------------------------------------------- 1. Proxifier-style proxy client

_PX_PROGS = (
    "chrome.exe",
    "Dropbox.exe",
    "QQ.exe *64",
    "svchost.exe",
    "git-remote-https.exe",
    "WeChat.exe *64",
    "OneDrive.exe",
    "Teams.exe",
    "firefox.exe",
    "Spotify.exe",
)
_PX_HOSTS: dict[str, tuple[str, ...]] = {
    "chrome.exe": (
        "www.google.com",
        "clients4.google.com",
        "ssl.gstatic.com",
        "www.youtube.com",
        "fonts.googleapis.com",
        "github.com",
        "stackoverflow.com",
        "cdn.jsdelivr.net",
        "en.wikipedia.org",
        "accounts.google.com",
    ),
    "Dropbox.exe": ("client-cf.dropbox.com", "d.dropbox.com", "bolt.dropbox.com", "block.dropbox.com"),
    "QQ.exe *64": ("183.60.49.182", "pinghot.qq.com", "qqmail.qq.com", "113.96.208.206", "tajs.qq.com"),
    "svchost.exe": ("ctldl.windowsupdate.com", "settings-win.data.microsoft.com", "login.live.com"),
    "git-remote-https.exe": ("github.com", "gitlab.example.org"),
    "WeChat.exe *64": ("short.weixin.qq.com", "szextshort.weixin.qq.com", "183.3.224.139"),
    "OneDrive.exe": ("skyapi.live.net", "onedrive.live.com"),
    "Teams.exe": ("teams.microsoft.com", "presence.teams.microsoft.com"),
    "firefox.exe": ("detectportal.firefox.com", "push.services.mozilla.com", "www.mozilla.org"),
    "Spotify.exe": ("apresolve.spotify.com", "spclient.wg.spotify.com"),
}


def _px_host(c: Ctx) -> str:
    prog = c.line.get("prog", "chrome.exe")
    return c.sticky(f"host:{prog}", lambda: c.skew(_PX_HOSTS[prog], 0.9), keep=0.5)


def _px_port(c: Ctx) -> str:
    if c.line.get("prog", "").startswith(("QQ", "WeChat")):
        return c.pick(("443", "80", "8080", "14000"), (5, 3, 1, 1))
    return c.pick(("443", "80"), (0.85, 0.15))


def _px_life(c: Ctx) -> str:
    x = c.r.random()
    if x < 0.35:
        return "<1 sec"
    secs = c.heavy(1, 0.8, 7200)
    if secs >= 3600:
        return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"
    return f"{secs // 60:02d}:{secs % 60:02d}"


def _proxy() -> Kind:
    head = "{prog} - {host}:{port} "
    via = "{proxy}:{pport}"
    ev = (
        Ev(head + "open through proxy " + via + " HTTPS", w=30),
        Ev(head + "close, {b} bytes sent, {b2} bytes received, lifetime {life}", w=11),
        Ev(head + "close, {b} bytes sent, {kbytes} bytes ({kb} KB) received, lifetime {life}", w=10),
        Ev(head + "close, {kbytes} bytes ({kb} KB) sent, {kbytes2} bytes ({kb2} KB) received, lifetime {life}", w=8),
        Ev(head + "close, {kbytes} bytes ({kb} KB) sent, {mbytes} bytes ({mb} MB) received, lifetime {life}", w=2),
        Ev(head + "close, {b} bytes sent, {mbytes} bytes ({mb} MB) received, lifetime {life}", w=0.6),
        Ev(
            head
            + "error : Could not connect through proxy "
            + via
            + " - Proxy server cannot establish a connection with the target, status code 502",
            w=3,
        ),
        Ev(
            head + "error : Could not connect through proxy " + via + " - Proxy closed the connection unexpectedly.",
            w=1.2,
        ),
        Ev(head + "error : Could not connect to proxy " + via + " - connection attempt failed with error 10061", n=3),
        Ev(head + "error : A connection request was canceled before the completion.", w=0.6),
        Ev(head + "open directly", w=1.5),
        Ev("{prog} - Could not resolve {host} through proxy " + via + " - DNS lookup failed", n=2),
    )
    slots: dict[str, Slot] = {
        "prog": lambda c: c.sticky("prog", lambda: c.skew(_PX_PROGS, 1.1), keep=0.45),
        "host": _px_host,
        "port": _px_port,
        "proxy": lambda c: c.pick(("proxy.lab.example.edu", "192.168.10.2"), (0.97, 0.03)),
        "pport": lambda c: "5070" if c.line.get("proxy", "").startswith("proxy") else "1080",
        "b": lambda c: str(c.heavy(40, 1.0) % 1024),
        "kbytes": lambda c: str(c.r.randint(1024, 1024 * 1023) if c.r.random() < 0.1 else c.heavy(1024, 1.3, 1048575)),
        "kb": lambda c: f"{int(c.last) / 1024:.2f}",
        "mbytes": lambda c: str(c.heavy(1048576, 1.5, 900_000_000)),
        "mb": lambda c: f"{int(c.last) / 1048576:.2f}",
        "life": _px_life,
    }
    return Kind("proxy", ev, slots)


# ---------------------------------------------------------------- 2. nginx error log

_NG_MISSING = (
    "/favicon.ico",
    "/wp-login.php",
    "/.env",
    "/robots.txt",
    "/apple-touch-icon.png",
    "/xmlrpc.php",
    "/.git/config",
    "/static/img/logo@2x.png",
    "/ads.txt",
    "/sitemap.xml",
)
_NG_ROOTS = ("/usr/share/nginx/html", "/var/www/shop/public")


def _ng_fpath(c: Ctx) -> str:
    uri = c.skew(_NG_MISSING, 1.0)
    if c.r.random() < 0.15:
        uri = f"/static/js/main.{c.hexs(8)}.js"
    c.line["_uri"] = uri
    return c.pick(_NG_ROOTS, (0.7, 0.3)) + uri


def _ng_uri(c: Ctx) -> str:
    if "_uri" in c.line:
        return c.line["_uri"]
    forms = (
        lambda: f"/api/v1/orders/{c.r.randint(1000, 99999)}",
        lambda: "/api/v1/cart",
        lambda: f"/api/v1/users/{c.r.randint(1, 5000)}/profile",
        lambda: "/login",
        lambda: "/graphql",
        lambda: f"/api/v1/search?q={c.word(c.r.randint(3, 9), string.ascii_lowercase)}&page={c.r.randint(1, 9)}",
    )
    uri = c.r.choices(forms, (6, 4, 3, 2, 2, 2))[0]()
    c.line["_uri"] = uri
    return uri


def _ng_dir(c: Ctx) -> str:
    sub = c.pick(("/static/", "/uploads/", "/assets/fonts/", "/backup/"))
    c.line["_diruri"] = sub
    return "/var/www/shop/public" + sub


def _ng_client(c: Ctx) -> str:
    return c.active("client", c.pub_ip, size=40, churn=0.05)


def _nginx() -> Kind:
    req = ', client: {cip}, server: {server}, request: "{method} {uri} HTTP/1.1"'
    host = ', host: "{server}"'
    up = ', upstream: "{upstream}"'
    ev = (
        Ev('*{conn} open() "{fpath}" failed (2: No such file or directory)' + req + host, w=30),
        Ev(
            "*{conn} upstream timed out (110: Connection timed out) while reading response header from upstream"
            + req
            + up
            + host,
            w=10,
        ),
        Ev("*{conn} connect() failed (111: Connection refused) while connecting to upstream" + req + up + host, w=8),
        Ev('*{conn} limiting requests, excess: {excess} by zone "{zone}"' + req + host, w=14),
        Ev(
            "*{conn} upstream prematurely closed connection while reading response header from upstream"
            + req
            + up
            + host,
            w=3,
        ),
        Ev(
            '*{conn} directory index of "{dir}" is forbidden, client: {cip}, server: {server}, '
            'request: "GET {diruri} HTTP/1.1"' + host,
            w=1.5,
        ),
        Ev("*{conn} access forbidden by rule" + req + host, w=2.5),
        Ev(
            "*{conn} client intended to send too large body: {bodysize} bytes, client: {cip}, server: {server}, "
            'request: "POST {uri} HTTP/1.1"' + host,
            w=1,
        ),
        Ev(
            "*{conn} SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) "
            "while SSL handshaking, client: {cip}, server: 0.0.0.0:443",
            w=4,
        ),
        Ev(
            "*{conn} recv() failed (104: Connection reset by peer) while reading response header from upstream"
            + req
            + up
            + host,
            w=1.2,
        ),
        Ev('*{conn} open() "{fpath}" failed (13: Permission denied)' + req + host, n=3),
        Ev("*{conn} no live upstreams while connecting to upstream" + req + ', upstream: "{upnamed}"' + host, n=4),
        Ev(
            "*{conn} a client request body is buffered to a temporary file /var/cache/nginx/client_temp/{tmpn}"
            + req
            + host,
            w=2,
        ),
        Ev(
            "*{conn} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{tmpdir}/{tmpn} "
            "while reading upstream" + req + up + host,
            w=0.8,
        ),
        Ev('using the "epoll" event method', n=2, group="start"),
        Ev("nginx/{ngver}", n=2, group="start"),
        Ev("built by gcc {gccver}", n=2, group="start"),
        Ev("OS: Linux {kver}", n=2, group="start"),
        Ev("getrlimit(RLIMIT_NOFILE): {nofile}:{nofile2}", n=2, group="start"),
        Ev("start worker processes", n=2, group="start"),
        Ev("start worker process {pid}", n=8, group="start"),
        Ev("signal 1 (SIGHUP) received from {pid}, reconfiguring", n=3, group="reload"),
        Ev("reconfiguring", n=3, group="reload"),
        Ev("gracefully shutting down", n=3, group="reload"),
        Ev("worker process {pid} exited with code 0", n=3, group="reload"),
    )
    slots: dict[str, Slot] = {
        "conn": lambda c: str(c.counter("conn", 18000, 1, 60)),
        "fpath": _ng_fpath,
        "uri": _ng_uri,
        "cip": _ng_client,
        "server": lambda c: c.pick(("shop.example.com", "api.example.com"), (0.6, 0.4)),
        "method": lambda c: c.pick(("GET", "POST", "HEAD", "PUT"), (80, 14, 4, 2)),
        "upstream": lambda c: (
            f"http://{c.pick(('10.0.3.21', '10.0.3.22', '127.0.0.1'))}:"
            f"{c.pick(('8080', '3000'))}{c.line.get('_uri', '/')}"
        ),
        "upnamed": lambda c: f"http://{c.pick(('backend', 'api_pool'))}{c.line.get('_uri', '/')}",
        "excess": lambda c: c.flt(0.001, 30.0, 3),
        "zone": lambda c: c.pick(("api", "login"), (0.9, 0.1)),
        "dir": _ng_dir,
        "diruri": lambda c: c.line.get("_diruri", "/"),
        "bodysize": lambda c: str(c.heavy(1_048_577, 1.1, 2_000_000_000)),
        "tmpn": lambda c: f"{c.r.randint(1, 99_999_999):010d}",
        "tmpdir": lambda c: f"{c.r.randint(0, 9)}/{c.r.randint(0, 99):02d}",
        "ngver": lambda c: c.pick(("1.24.0", "1.25.4")),
        "gccver": lambda c: "11.4.0 (Ubuntu 11.4.0-1ubuntu1~22.04)",
        "kver": lambda c: c.pick(("5.15.0-105-generic", "6.5.0-28-generic")),
        "nofile": lambda c: c.pick(("1024", "65535")),
        "pid": lambda c: c.num(900, 4_000_000),
    }
    return Kind("nginx", ev, slots)


# ---------------------------------------------------------------- 3. Kubernetes kubelet / events

_K8S_APPS = ("checkout", "cart-api", "worker", "coredns")
_K8S_NS = {"checkout": "payments", "cart-api": "default", "worker": "default", "coredns": "kube-system"}
_K8S_IMAGES = (
    "registry.example.com/shop/checkout:1.14.2",
    "nginx:1.25.3",
    "redis:7.2-alpine",
    "busybox:1.36",
    "registry.example.com/shop/cart-api:2.3.0",
    "registry.k8s.io/coredns/coredns:v1.11.1",
)
_K8S_BAD = ("registry.example.com/shop/checkout:1.14.3-rc1", "ngnix:latest")
_K8S_NODES = ("gke-prod-pool-1-7f3a9c2e-x1k2", "gke-prod-pool-1-7f3a9c2e-q8zt", "gke-prod-pool-2-1bd04e77-m3vd")
_K8S_SUFFIX = "bcdfghjklmnpqrstvwxz2456789"


def _k8s_app(c: Ctx) -> str:
    if "_app" not in c.line:
        c.line["_app"] = c.pick(_K8S_APPS, (5, 4, 3, 0.4))
    return c.line["_app"]


def _k8s_rs(c: Ctx) -> str:
    app = _k8s_app(c)
    return c.sticky(f"rs:{app}", lambda: f"{app}-{c.word(10, _K8S_SUFFIX)}", keep=0.995)


def _k8s_pod(c: Ctx) -> str:
    app = _k8s_app(c)
    rs = _k8s_rs(c)
    return c.active(f"pod:{app}", lambda: f"{rs}-{c.word(5, _K8S_SUFFIX)}", size=4, churn=0.05)


def _k8s_poduid(c: Ctx) -> str:
    pod = c.line.get("pod", "")
    return c.sticky(f"uid:{pod}", c.uuid, keep=1.0)


def _k8s_fq(c: Ctx) -> str:
    image = c.line.get("badimage", "nginx:latest")
    first = image.split("/")[0]
    if "." in first and "/" in image:
        return image
    return "docker.io/library/" + image


def _k8s_nodes_free(c: Ctx) -> str:
    return str(c.r.randint(1, int(c.line.get("nodes", "3"))))


def _k8s() -> Kind:
    ev = (
        Ev("Successfully assigned {ns}/{pod} to {node}", w=4),
        Ev('Pulling image "{image}"', w=5),
        Ev('Successfully pulled image "{image}" in {pulldur} ({waitdur} including waiting)', w=3),
        Ev('Container image "{image}" already present on machine', w=8),
        Ev("Created container {cname}", w=10),
        Ev("Started container {cname}", w=10),
        Ev(
            'Failed to pull image "{badimage}": rpc error: code = NotFound desc = failed to pull and unpack image '
            '"{fq}": failed to resolve reference "{fq}": {fq}: not found',
            w=1.2,
        ),
        Ev("Error: ErrImagePull", w=1.2),
        Ev('Back-off pulling image "{badimage}"', w=3),
        Ev("Error: ImagePullBackOff", w=3),
        Ev("Back-off restarting failed container {cname} in pod {pod}_{ns}({poduid})", w=12),
        Ev("Liveness probe failed: HTTP probe failed with statuscode: {code}", w=6),
        Ev("Readiness probe failed: HTTP probe failed with statuscode: {code}", w=5),
        Ev(
            'Readiness probe failed: Get "http://{podip}:{pport}/healthz": dial tcp {podip}:{pport}: '
            "connect: connection refused",
            w=9,
        ),
        Ev("Killing container with id docker://{cname}:Need to kill Pod", w=2),
        Ev("Stopping container {cname}", w=3),
        Ev("Container {cname} failed liveness probe, will be restarted", w=4),
        Ev('MountVolume.SetUp failed for volume "{vol}" : secret "{secret}" not found', n=3),
        Ev(
            "0/{nodes} nodes are available: {free} Insufficient cpu. preemption: 0/{nodes} nodes are available: "
            "{nodes} No preemption victims found for incoming pod.",
            n=4,
        ),
        Ev("Scaled up replica set {rs} to {upto}", w=0.6),
        Ev("Scaled down replica set {rs} to {downto}", w=0.5),
        Ev("Created pod: {pod}", w=1.5),
        Ev("Deleted pod: {pod}", w=0.8),
        Ev("Pod sandbox changed, it will be killed and re-created.", n=2),
        Ev("Node {node} status is now: NodeNotReady", n=1),
    )
    slots: dict[str, Slot] = {
        "ns": lambda c: _K8S_NS[_k8s_app(c)],
        "pod": _k8s_pod,
        "rs": _k8s_rs,
        "node": lambda c: c.skew(_K8S_NODES, 0.6),
        "image": lambda c: c.skew(_K8S_IMAGES, 1.0),
        "badimage": lambda c: c.pick(_K8S_BAD, (0.8, 0.2)),
        "fq": _k8s_fq,
        "pulldur": lambda c: f"{c.r.uniform(0.3, 25):.3f}s" if c.r.random() < 0.9 else f"1m{c.r.uniform(0, 59):.1f}s",
        "waitdur": lambda c: c.last if "m" in c.last else _after(c) + "s",
        "cname": lambda c: c.pick(("app", "nginx", "sidecar"), (0.7, 0.2, 0.1)),
        "poduid": _k8s_poduid,
        "code": lambda c: c.pick(("500", "503", "404"), (0.6, 0.35, 0.05)),
        "podip": lambda c: c.active("podip", lambda: c.ip("10.52"), size=10),
        "pport": lambda c: c.pick(("8080", "9090")),
        "vol": lambda c: c.pick(("tls-certs", "db-credentials")),
        "secret": lambda c: c.pick(("checkout-tls", "db-credentials")),
        "nodes": lambda c: c.pick(("3", "5")),
        "free": _k8s_nodes_free,
        "upto": lambda c: c.num(1, 6),
        "downto": lambda c: c.num(0, 5),
    }
    return Kind("k8s", ev, slots)


# ---------------------------------------------------------------- 4. PostgreSQL

_PG_TABLES = ("orders", "order_items", "customers", "sessions")
_PG_SQL = (
    "SELECT * FROM orders WHERE customer_id = {a} ORDER BY created_at DESC LIMIT 20",
    "UPDATE sessions SET last_seen = now() WHERE id = '{h}'",
    "INSERT INTO order_items (order_id, sku, qty) VALUES ({a}, 'SKU-{b}', {c})",
    "SELECT count(*) FROM customers WHERE email LIKE '%@{w}.com'",
    "DELETE FROM sessions WHERE last_seen < now() - interval '{c} days'",
)


def _pg_sql(c: Ctx) -> str:
    sql = c.skew(_PG_SQL, 1.0)
    return sql.format(
        a=c.r.randint(1, 99999),
        b=c.r.randint(100, 9999),
        c=c.r.randint(1, 30),
        h=c.hexs(16),
        w=c.word(c.r.randint(4, 8), string.ascii_lowercase),
    )


def _pg_keyval(c: Ctx) -> str:
    col = c.line.get("keycol", "id")
    if col == "email":
        return f"{c.word(c.r.randint(3, 9), string.ascii_lowercase)}@{c.pick(('gmail.com', 'example.org'))}"
    if col == "sku":
        return f"SKU-{c.r.randint(100, 9999)}"
    return c.num(1, 999_999)


def _pg_sesstime(c: Ctx) -> str:
    secs = c.heavy(1, 0.7, 86_000) + c.r.random()
    return f"{int(secs // 3600)}:{int(secs % 3600 // 60):02d}:{secs % 60:06.3f}"


def _postgres() -> Kind:
    ev = (
        Ev("connection received: host={cip} port={port}", w=20),
        Ev("connection authorized: user={user} database={db} application_name={pgapp}", w=19),
        Ev("disconnection: session time: {sesstime} user={user} database={db} host={cip} port={port}", w=18),
        Ev('duplicate key value violates unique constraint "{constraint}"', w=6),
        Ev("Key ({keycol})=({keyval}) already exists.", w=6),
        Ev('relation "{relname}" does not exist at character {charpos}', w=2),
        Ev("checkpoint starting: {ckreason}", w=3),
        Ev(
            "checkpoint complete: wrote {buffers} buffers ({bufpct}%); {walc} WAL file(s) added, {walc2} removed, "
            "{walc3} recycled; write={sec} s, sync={sec2} s, total={sec3} s; sync files={sfiles}, "
            "longest={sec4} s, average={sec5} s; distance={kbdist} kB, estimate={kbdist2} kB",
            w=3,
        ),
        Ev('automatic vacuum of table "{db}.{schema}.{table}": index scans: {iscans}', w=2.5),
        Ev('automatic analyze of table "{db}.{schema}.{table}"', w=2),
        Ev("could not receive data from client: Connection reset by peer", w=3),
        Ev('password authentication failed for user "{baduser}"', w=1.5),
        Ev('Connection matched file "/etc/postgresql/16/main/pg_hba.conf" line {hbaline}: "{hbarule}"', w=1.5),
        Ev("canceling statement due to statement timeout", w=1.2),
        Ev("deadlock detected", n=3, group="deadlock"),
        Ev("Process {pid} waits for ShareLock on transaction {xid}; blocked by process {pid2}.", n=3, group="deadlock"),
        Ev("duration: {ms} ms  statement: {sql}", w=12),
        Ev('null value in column "{col}" of relation "{table}" violates not-null constraint', n=4),
        Ev("received fast shutdown request", n=2, group="restart"),
        Ev("aborting any active transactions", n=2, group="restart"),
        Ev("terminating connection due to administrator command", n=6, group="restart"),
        Ev(
            "starting PostgreSQL {pgver} on x86_64-pc-linux-gnu, compiled by gcc {gccver}, 64-bit", n=2, group="restart"
        ),
        Ev('listening on IPv4 address "{listen}", port 5432', n=2, group="restart"),
        Ev("database system was shut down at {pgts}", n=2, group="restart"),
        Ev("database system is ready to accept connections", n=2, group="restart"),
    )
    slots: dict[str, Slot] = {
        "cip": lambda c: c.active("pgclient", lambda: c.ip("10.0.4"), size=6),
        "port": lambda c: c.eport(),
        "user": lambda c: c.pick(("app", "postgres", "readonly"), (0.8, 0.15, 0.05)),
        "db": lambda c: c.pick(("shop", "postgres"), (0.9, 0.1)),
        "pgapp": lambda c: c.pick(("PostgreSQL JDBC Driver", "psql", "pgAdmin 4 - DB:shop"), (0.9, 0.07, 0.03)),
        "sesstime": _pg_sesstime,
        "constraint": lambda c: c.pick(("customers_email_key", "orders_pkey", "order_items_order_id_sku_key")),
        "keycol": lambda c: c.pick(("email", "id", "sku"), (0.6, 0.3, 0.1)),
        "keyval": _pg_keyval,
        "relname": lambda c: c.pick(("order_item", "public.invoices_v2")),
        "charpos": lambda c: c.num(15, 240),
        "ckreason": lambda c: c.pick(("time", "wal"), (0.95, 0.05)),
        "buffers": lambda c: str(c.heavy(20, 1.0, 16384)),
        "bufpct": lambda c: f"{int(c.last) / 16384 * 100:.1f}",
        "walc": lambda c: c.pick(("0", "0", "0", "1", "2")),
        "sec": lambda c: f"{c.heavy(1, 1.5, 300_000) / 1000:.3f}",
        "sfiles": lambda c: c.num(1, 60),
        "kbdist": lambda c: str(c.heavy(64, 0.9, 2_000_000)),
        "schema": lambda c: "public",
        "table": lambda c: c.pick(_PG_TABLES, (4, 3, 2, 6)),
        "iscans": lambda c: c.pick(("0", "1"), (0.7, 0.3)),
        "baduser": lambda c: c.pick(("postgres", "admin", "app"), (0.5, 0.4, 0.1)),
        "hbaline": lambda c: c.pick(("118", "121")),
        "hbarule": lambda c: (
            "host all all 0.0.0.0/0 scram-sha-256" if c.last == "118" else "host shop app 10.0.0.0/8 md5"
        ),
        "pid": lambda c: c.num(1000, 400_000),
        "xid": lambda c: c.num(500_000, 9_000_000),
        "ms": lambda c: f"{c.heavy(100, 1.1, 9_000_000) / 1000:.3f}",
        "sql": _pg_sql,
        "col": lambda c: c.pick(("customer_id", "created_at")),
        "pgver": lambda c: "16.2 (Ubuntu 16.2-1.pgdg22.04+1)",
        "gccver": lambda c: "(Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0",
        "listen": lambda c: "0.0.0.0",
        "pgts": lambda c: (
            f"2024-03-{c.r.randint(1, 28):02d} {c.r.randint(0, 23):02d}:{c.r.randint(0, 59):02d}:"
            f"{c.r.randint(0, 59):02d} UTC"
        ),
    }
    return Kind("postgres", ev, slots)


# ---------------------------------------------------------------- 5. systemd / journald / sshd

_SD_UNITS = (
    ("apt-daily", "Daily apt download activities"),
    ("systemd-tmpfiles-clean", "Cleanup of Temporary Directories"),
    ("NetworkManager-dispatcher", "Network Manager Script Dispatcher Service"),
    ("logrotate", "Rotate log files"),
    ("man-db", "Daily man-db regeneration"),
    ("fwupd-refresh", "Refresh fwupd metadata and update motd"),
    ("nginx", "A high performance web server and a reverse proxy server"),
    ("certbot", "Certbot"),
)
_SD_UID = {"root": "0", "deploy": "1000", "git": "1001"}
_SD_BADUSERS = (
    "admin",
    "test",
    "oracle",
    "ubuntu",
    "postgres",
    "user",
    "guest",
    "ftpuser",
    "support",
    "pi",
    "hadoop",
    "git",
    "deployer",
    "minecraft",
    "es",
    "jenkins",
    "test1",
    "dev",
    "steam",
    "ansible",
)
_SD_EXIT = (("1", "FAILURE"), ("203", "EXEC"), ("2", "INVALIDARGUMENT"))


def _sd_unit(c: Ctx) -> tuple[str, str]:
    """(unit, description), kept for a few lines so that Starting/Started/Stopped of one unit follow."""
    unit, desc = c.sticky(
        "unit", lambda: "|".join(c.r.choices(_SD_UNITS, (6, 3, 5, 2, 2, 1, 1, 1))[0]), keep=0.6
    ).split("|")
    return unit, desc


def _systemd() -> Kind:
    ev = (
        Ev("Started Session {sess} of user {user}.", w=10),
        Ev("New session {sess} of user {user}.", w=10),
        Ev("Removed session {sess}.", w=9),
        Ev("Starting {desc}...", w=7),
        Ev("Started {desc}.", w=7),
        Ev("Stopped {desc}.", w=2),
        Ev("{funit}.service: Main process exited, code=exited, status={exitcode}/{exitname}", w=1.5),
        Ev("{funit}.service: Failed with result 'exit-code'.", w=1.5),
        Ev("{funit}.service: Scheduled restart job, restart counter is at {restarts}.", w=1.2),
        Ev("Accepted publickey for {user} from {uip} port {port} ssh2: RSA SHA256:{fp}", w=6),
        Ev("Failed password for invalid user {baduser} from {aip} port {port} ssh2", w=14),
        Ev("Failed password for {user} from {aip} port {port} ssh2", w=4),
        Ev("pam_unix(sshd:session): session opened for user {user}(uid={uid}) by (uid=0)", w=6),
        Ev("pam_unix(sshd:session): session closed for user {user}", w=5),
        Ev("Invalid user {baduser} from {aip} port {port}", w=14),
        Ev("Received disconnect from {aip} port {port}:11: Bye Bye [preauth]", w=8),
        Ev("Disconnected from user {user} {uip} port {port}", w=5),
        Ev("Connection closed by authenticating user {user} {aip} port {port} [preauth]", w=3),
        Ev("({user}) CMD ({cmd})", w=4),
        Ev("Reached target {target}.", n=3),
        Ev("{sunit}.service: Deactivated successfully.", w=5),
        Ev("{sunit}.service: Consumed {cpu} CPU time.", w=3),
        Ev("Startup finished in {bootdur} (kernel) + {bootdur2} (userspace) = {bootdur3}.", n=1),
        Ev("error: kex_exchange_identification: Connection closed by remote host", w=2),
        Ev("Connection reset by {aip} port {port} [preauth]", w=2),
    )
    slots: dict[str, Slot] = {
        "sess": lambda c: c.sticky("sess", lambda: str(c.counter("sessno", 1200, 1, 3)), keep=0.6),
        "user": lambda c: c.sticky("user", lambda: c.pick(("root", "deploy", "git"), (0.5, 0.35, 0.15)), keep=0.5),
        "uid": lambda c: _SD_UID[c.last],
        "desc": lambda c: _sd_unit(c)[1],
        "sunit": lambda c: _sd_unit(c)[0],
        "funit": lambda c: c.sticky("funit", lambda: c.pick(("myapp", "backup-sync"), (0.8, 0.2)), keep=0.8),
        "exitcode": lambda c: c.r.choices(_SD_EXIT, (0.8, 0.15, 0.05))[0][0],
        "exitname": lambda c: dict(_SD_EXIT)[c.last],
        "restarts": lambda c: str(c.counter("restarts", 0, 1, 1)),
        "uip": lambda c: c.pick(("10.8.0.6", "10.8.0.14", "192.168.1.23"), (0.6, 0.3, 0.1)),
        "aip": lambda c: c.active("attacker", c.pub_ip, size=25, churn=0.08),
        "port": lambda c: c.eport(),
        "fp": lambda c: c.sticky(f"fp:{c.line.get('user')}", lambda: _b64(c), keep=1.0),
        "baduser": lambda c: c.skew(_SD_BADUSERS, 0.9),
        "cmd": lambda c: c.pick(
            (
                "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
                "cd / && run-parts --report /etc/cron.hourly",
                "/usr/local/bin/backup.sh --incremental",
            ),
            (0.7, 0.2, 0.1),
        ),
        "target": lambda c: c.pick(("Timers", "Network is Online", "Multi-User System")),
        "cpu": lambda c: (
            f"{c.r.uniform(0.01, 9):.3f}s"
            if c.r.random() < 0.85
            else f"{c.r.randint(1, 9)}min {c.r.uniform(0, 59):.3f}s"
        ),
        "bootdur": lambda c: f"{c.r.uniform(1, 9):.3f}s",
    }
    return Kind("systemd", ev, slots)


# ---------------------------------------------------------------- 6. Spring Boot / Hikari / Tomcat


def _sp_pgconn(c: Ctx) -> str:
    return c.active("pgconn", lambda: f"org.postgresql.jdbc.PgConnection@{c.hexs(8)}", size=10, churn=0.1)


def _sp_delta(c: Ctx) -> str:
    return f"{c.r.randint(1, 9)}m{c.r.randint(0, 59)}s{c.r.randint(0, 999)}ms"


def _spring() -> Kind:
    hk = "HikariPool-{poolno} - "
    ev = (
        Ev(
            "Starting {app} v{appver} using Java {javaver} with PID {pid} ({jar} started by {osuser} in {workdir})",
            n=2,
            group="boot",
        ),
        Ev('The following 1 profile is active: "{profile}"', n=2, group="boot"),
        Ev("Tomcat initialized with port {port} (http)", n=2, group="boot"),
        Ev("Starting service [Tomcat]", n=2, group="boot"),
        Ev("Starting Servlet engine: [Apache Tomcat/{tomcatver}]", n=2, group="boot"),
        Ev("Initializing Spring embedded WebApplicationContext", n=2, group="boot"),
        Ev("Root WebApplicationContext: initialization completed in {ms} ms", n=2, group="boot"),
        Ev(hk + "Starting...", n=2, group="boot"),
        Ev(hk + "Added connection {pgconn}", n=2, group="boot"),
        Ev(hk + "Start completed.", n=2, group="boot"),
        Ev("Tomcat started on port {port} (http) with context path '{ctxpath}'", n=2, group="boot"),
        Ev("Started {app} in {secs} seconds (process running for {secs2})", n=2, group="boot"),
        Ev("Initializing Servlet 'dispatcherServlet'", n=2, group="firstreq"),
        Ev("Completed initialization in {ms} ms", n=2, group="firstreq"),
        Ev("Commencing graceful shutdown. Waiting for active requests to complete", n=1, group="stop"),
        Ev("Graceful shutdown complete", n=1, group="stop"),
        Ev(hk + "Shutdown initiated...", n=1, group="stop"),
        Ev(hk + "Shutdown completed.", n=1, group="stop"),
        Ev(hk + "Connection is not available, request timed out after {timeoutms}ms.", w=6),
        Ev(
            "Resolved [org.springframework.web.HttpRequestMethodNotSupportedException: Request method '{httpm}' "
            "is not supported]",
            w=12,
        ),
        Ev(
            "Resolved [org.springframework.web.bind.MissingServletRequestParameterException: Required request "
            "parameter '{param}' for method parameter type {ptype} is not present]",
            w=8,
        ),
        Ev(
            "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request "
            'processing failed: java.lang.NullPointerException: Cannot invoke "{npecall}" because "{npevar}" is '
            "null] with root cause",
            w=4,
        ),
        Ev(
            hk + "Failed to validate connection {pgconn} (This connection has been closed.). Possibly consider "
            "using a shorter maxLifetime value.",
            w=3,
        ),
        Ev(hk + "Thread starvation or clock leap detected (housekeeper delta={delta}).", n=3),
        Ev(
            "Resolved [org.springframework.http.converter.HttpMessageNotReadableException: JSON parse error: "
            "Unexpected character ('{jchar}' (code {jcode})): was expecting double-quote to start field name]",
            w=1,
        ),
    )
    slots: dict[str, Slot] = {
        "app": lambda c: "OrderServiceApplication",
        "appver": lambda c: c.pick(("2.4.1", "2.4.2")),
        "javaver": lambda c: "17.0.9",
        "pid": lambda c: c.num(1, 99),
        "jar": lambda c: "/app/app.jar",
        "osuser": lambda c: "root",
        "workdir": lambda c: "/app",
        "profile": lambda c: c.pick(("prod", "staging"), (0.8, 0.2)),
        "port": lambda c: "8080",
        "tomcatver": lambda c: "10.1.19",
        "ms": lambda c: str(c.heavy(2, 1.0, 4000)),
        "poolno": lambda c: c.pick(("1", "2"), (0.9, 0.1)),
        "pgconn": _sp_pgconn,
        "ctxpath": lambda c: "/api",
        "secs": lambda c: _after(c) if "secs" in c.line else c.flt(4.0, 19.0, 3),
        "timeoutms": lambda c: str(30000 + c.heavy(1, 2.0, 80)),
        "httpm": lambda c: c.pick(("POST", "PUT", "DELETE", "GET"), (6, 2, 1, 1)),
        "param": lambda c: c.pick(("customerId", "page")),
        "ptype": lambda c: "Long" if c.last == "customerId" else "int",
        "npecall": lambda c: c.pick(
            (
                "com.example.orders.domain.Customer.getEmail()",
                "com.example.orders.domain.Order.getLines()",
                "java.util.Map.get(Object)",
            ),
            (0.6, 0.3, 0.1),
        ),
        "npevar": lambda c: c.pick(("customer", "order", "this.cache"), (0.6, 0.3, 0.1)),
        "delta": _sp_delta,
        "jchar": lambda c: c.pick(("'", "a", "/")),
        "jcode": lambda c: str(ord(c.last)),
    }
    return Kind("spring", ev, slots, step_ms=4000.0)


# ---------------------------------------------------------------- 7. HealthApp-like step counter

_HA_ACTIONS = (
    "android.intent.action.TIME_TICK",
    "android.intent.action.SCREEN_ON",
    "android.intent.action.SCREEN_OFF",
    "android.intent.action.USER_PRESENT",
)


def _ha_steps(c: Ctx) -> str:
    day = int(c.clock_ms // 86_400_000)
    if c.mem.get("day") != str(day):
        c.mem["day"] = str(day)
        c.mem["steps"] = str(c.r.randint(0, 40))
    return str(c.counter("steps", 0, 0, 6))


def _healthapp() -> Kind:
    detail = "{daystart}##{steps}##{tot}##{tot2}##{tot3}##{tot4}"
    ev = (
        Ev("onStandStepChanged {steps}", w=30),
        Ev("onExtend:{tsms} {exta} {extb} {extc}", w=12),
        Ev("REPORT : {steps} {rep} {rep2} {rep3}", w=10),
        Ev("getTodayTotalDetailSteps = " + detail, w=6),
        Ev("setTodayTotalDetailSteps=" + detail, w=2),
        Ev("calculateCaloriesWithCache totalCalories={cal}", w=9),
        Ev("calculateAltitudeWithCache totalAltitude={alt}", w=9),
        Ev("processHandleBroadcastAction action:{action}", w=5),
        Ev("flush sensor data", w=4),
        Ev("screen status unknown,think screen on", w=2),
        Ev("onReceive action: {action}", w=5),
        Ev("setGoalNotifiShow isShow={bool}", n=3),
        Ev(
            "insertHiHealthData() bulkSaveDetailHiHealthData fail errorCode = {errcode},errorMessage = ERR_DATA_INSERT",
            n=2,
        ),
        Ev("upLoadOneMinuteDataToEngine time={tsms},step={minsteps}", w=3),
        Ev("uploadStaticsToDB() onResult() result={result}", w=1),
        Ev("getStepCounterStatus status={bool}", n=1),
    )
    slots: dict[str, Slot] = {
        "steps": _ha_steps,
        "tsms": lambda c: str(int(c.clock_ms) - int(c.clock_ms) % 60_000),
        "daystart": lambda c: str(int(c.clock_ms) - int(c.clock_ms) % 86_400_000),
        "exta": lambda c: c.num(0, 20),
        "extb": lambda c: c.pick(("0", "1"), (0.9, 0.1)),
        "extc": lambda c: c.num(0, 9),
        "rep": lambda c: c.num(1000, 200_000),
        "tot": lambda c: c.num(100, 30_000_000),
        "cal": lambda c: str(int(c.mem.get("steps", "0")) * 18 + c.r.randint(0, 17)),
        "alt": lambda c: c.num(150, 320),
        "action": lambda c: c.pick(_HA_ACTIONS, (0.7, 0.12, 0.12, 0.06)),
        "bool": lambda c: c.pick(("true", "false")),
        "errcode": lambda c: c.pick(("4", "7")),
        "minsteps": lambda c: c.num(0, 120),
        "result": lambda c: c.pick(("0", "1"), (0.95, 0.05)),
    }
    return Kind("healthapp", ev, slots, step_ms=20_000.0)


# ---------------------------------------------------------------- 8. Hadoop MapReduce / YARN

_HD_CLUSTER = "1716189325411"
_HD_HOSTS = {
    "worker-07.hadoop.lab.example.com": "10.190.173.170",
    "msra-sa-41": "10.86.169.121",
    "MININT-7DQP2V.corp.example.com": "10.86.165.66",
}
_HD_TA_STATES = (
    ("NEW", "UNASSIGNED"),
    ("UNASSIGNED", "ASSIGNED"),
    ("ASSIGNED", "RUNNING"),
    ("RUNNING", "SUCCESS_CONTAINER_CLEANUP"),
    ("SUCCESS_CONTAINER_CLEANUP", "SUCCEEDED"),
)
_HD_T_STATES = (("NEW", "SCHEDULED"), ("SCHEDULED", "RUNNING"), ("RUNNING", "SUCCEEDED"))


def _hd_job(c: Ctx) -> str:
    if "job" not in c.mem or c.r.random() < 0.002:
        c.mem["job"] = str(int(c.mem.get("job", "17")) + 1)
    return f"{_HD_CLUSTER}_{int(c.mem['job']):04d}"


def _hd_task(c: Ctx, kind: str = "") -> tuple[str, int]:
    kind = kind or c.pick(("m", "r"), (0.9, 0.1))
    return kind, c.r.randint(0, 12 if kind == "m" else 1)


def _hd_attempt(c: Ctx) -> str:
    def make() -> str:
        kind, num = _hd_task(c)
        return f"attempt_{_hd_job(c)}_{kind}_{num:06d}_{c.pick(('0', '1'), (0.9, 0.1))}"

    return c.active("attempt", make, size=10, churn=0.08)


def _hd_states(pairs: tuple[tuple[str, str], ...]) -> Slot:
    return lambda c: c.r.choice(pairs)[0]


def _hadoop() -> Kind:
    sched = (
        "PendingReds:{sc} ScheduledMaps:{sc2} ScheduledReds:{sc3} AssignedMaps:{sc4} AssignedReds:{sc5} "
        "CompletedMaps:{sc6} CompletedReds:{sc7} ContAlloc:{sc8} ContRel:{sc9} HostLocal:{sc10} "
        "RackLocal:{sc11}"
    )
    ev = (
        Ev("Progress of TaskAttempt {attempt} is : {progress}", w=30),
        Ev(
            "Retrying connect to server: {rhost}:{rport}. Already tried {tries} time(s); retry policy is "
            "RetryUpToMaximumCountWithFixedSleep(maxRetries=10, sleepTime=1000 MILLISECONDS)",
            w=8,
        ),
        Ev("Address change detected. Old: {rhost}/{rip}:{rport} New: {rhost}:{rport}", n=3),
        Ev("TaskAttempt: [{attempt}] using containerId: [{container}] on NM: [{nmhost}:{nmport}]", w=2),
        Ev("{attempt} TaskAttempt Transitioned from {tastate} to {tanext}", w=8),
        Ev("{task} Task Transitioned from {tstate} to {tnext}", w=3),
        Ev("Num completed Tasks: {ncompleted}", w=2),
        Ev("Done acknowledgement from {attempt}", w=2),
        Ev("Task succeeded with attempt {attempt}", w=2),
        Ev("ERROR IN CONTACTING RM.", n=2),
        Ev(
            "Failed to renew lease for [DFSClient_NONMAPREDUCE_{dfsid}_{dfsthread}] for {leasesecs} seconds.  "
            "Will retry shortly ...",
            w=1.5,
        ),
        Ev("Assigned container {container} to {attempt}", w=2),
        Ev("Received completed container {container}", w=2),
        Ev(
            "getResources() for {appid}: ask={sc} release= {sc2} newContainers={sc3} finishedContainers={sc4} "
            "resourcelimit=<memory:{mem}, vCores:{vcores}> knownNMs={nms}",
            w=3,
        ),
        Ev("Before Scheduling: " + sched, w=2),
        Ev("After Scheduling: " + sched, w=2),
        Ev("Diagnostics report from {attempt}: Container killed by the ApplicationMaster.", w=0.6),
        Ev("Reduce slow start threshold not met. completedMapsForReduceSlowstart {slowstart}", w=1),
        Ev("Recalculating schedule, headroom=<memory:{mem}, vCores:{vcores}>", w=3),
        Ev("JVM with ID : {jvm} asked for a task", w=1),
        Ev("JVM with ID: {jvm} given task: {attempt}", w=1),
        Ev(
            "Communication exception: java.net.ConnectException: Call From {host}/{hip} to {rhost}:{rport} failed on "
            "connection exception: java.net.ConnectException: Connection refused; For more details see:  "
            "http://wiki.apache.org/hadoop/ConnectionRefused",
            n=2,
        ),
    )
    hosts = tuple(_HD_HOSTS)
    slots: dict[str, Slot] = {
        "attempt": _hd_attempt,
        "progress": lambda c: f"{c.r.random():.7f}".rstrip("0").rstrip(".") or "0",
        "rhost": lambda c: c.pick(("msra-sa-41", "MININT-7DQP2V.corp.example.com"), (0.85, 0.15)),
        "rport": lambda c: "9000" if c.line.get("rhost") == "msra-sa-41" else "8030",
        "rip": lambda c: _HD_HOSTS[c.line.get("rhost", "msra-sa-41")],
        "tries": lambda c: c.num(0, 9),
        "container": lambda c: f"container_{_hd_job(c)}_01_{c.r.randint(1, 40):06d}",
        "nmhost": lambda c: c.pick(hosts),
        "nmport": lambda c: c.pick(("52368", "60405", "64484")),
        "tastate": _hd_states(_HD_TA_STATES),
        "tanext": lambda c: dict(_HD_TA_STATES)[c.last],
        "task": lambda c: f"task_{_hd_job(c)}_{'_'.join(f'{x:06d}' if isinstance(x, int) else x for x in _hd_task(c))}",
        "tstate": _hd_states(_HD_T_STATES),
        "tnext": lambda c: dict(_HD_T_STATES)[c.last],
        "ncompleted": lambda c: c.num(1, 13),
        "dfsid": lambda c: c.sticky("dfsid", lambda: str(c.r.randint(-2_000_000_000, 2_000_000_000)), keep=0.98),
        "dfsthread": lambda c: "1",
        "leasesecs": lambda c: str(c.counter("lease", 40, 1, 12)),
        "appid": lambda c: f"application_{_hd_job(c)}",
        "sc": lambda c: str(c.pick(("0", "0", "1", "10", "13")) if c.r.random() < 0.6 else c.r.randint(0, 13)),
        "mem": lambda c: str(c.r.randint(0, 24) * 1024),
        "vcores": lambda c: c.num(-12, 12),
        "nms": lambda c: c.pick(("3", "4")),
        "slowstart": lambda c: c.pick(("1", "2")),
        "jvm": lambda c: f"jvm_{_hd_job(c)}_m_{c.r.randint(2, 40):06d}",
        "host": lambda c: c.pick(hosts),
        "hip": lambda c: _HD_HOSTS[c.line.get("host", hosts[0])],
    }
    return Kind("hadoop", ev, slots)


# ---------------------------------------------------------------- 9. OpenStack nova

_OS_HOSTS = ("compute-01.cloud.example.org", "compute-02.cloud.example.org")


def _os_inst(c: Ctx) -> str:
    return c.active("inst", c.uuid, size=15, churn=0.03)


def _os_aud(c: Ctx) -> str:
    hour = c.r.randint(0, 22)
    c.line["_audhour"] = str(hour)
    return f"2024-05-14 {hour:02d}:00:00"


def _openstack() -> Kind:
    inst = "[instance: {inst}] "
    api = '{apiip} "{req} HTTP/1.1" status: {status} len: {rlen} time: {rtime}'
    ev = (
        Ev(api.replace("{req}", "GET /v2/{tenant}/servers/detail").replace("{status}", "200"), w=40),
        Ev(api.replace("{req}", "POST /v2/{tenant}/os-server-external-events").replace("{status}", "200"), w=4),
        Ev(
            api.replace("{req}", "GET /v2/{tenant}/servers/{inst}").replace("{status}", "404").replace("{rlen}", "296"),
            w=1,
        ),
        Ev(inst + "VM Started (Lifecycle Event)", w=5),
        Ev(inst + "VM Paused (Lifecycle Event)", w=3),
        Ev(inst + "VM Resumed (Lifecycle Event)", w=3),
        Ev(inst + "VM Stopped (Lifecycle Event)", w=2),
        Ev(inst + "Took {took} seconds to spawn the instance on the hypervisor.", w=3),
        Ev(inst + "Took {took} seconds to build instance.", w=3),
        Ev(inst + "Took {took} seconds to deallocate network for instance.", w=2),
        Ev(inst + "Terminating instance", w=2),
        Ev(inst + "Deleting instance files /var/lib/nova/instances/{inst}_del", w=2),
        Ev(inst + "Deletion of /var/lib/nova/instances/{inst}_del complete", w=2),
        Ev(inst + "Instance destroyed successfully.", w=2),
        Ev(inst + "Attempting claim: memory {memmb} MB, disk {diskgb} GB, vcpus {vcpus} CPU", w=2.5),
        Ev(inst + "Claim successful", w=2.5),
        Ev(inst + "Total memory: {totmem} MB, used: {usedmem} MB", w=2.5),
        Ev("Running instance usage audit for host {chost} from {audfrom} to {audto}. {ninst} instances.", n=2),
        Ev("image {imguuid} at (/var/lib/nova/instances/_base/{basehash}): checking", w=1),
        Ev("Active base files: /var/lib/nova/instances/_base/{basehash}", w=1),
        Ev(
            "Final resource view: name={chost} phys_ram={totmem}MB used_ram={usedmem}MB phys_disk={physdisk}GB "
            "used_disk={useddisk}GB total_vcpus={tvcpu} used_vcpus={uvcpu} pci_stats=[]",
            w=3,
        ),
        Ev("Compute_service record updated for {chost}:{chost}", w=3),
        Ev(inst + "During sync_power_state the instance has a pending task ({ptask}). Skip.", w=1),
        Ev("The instance sync for host '{chost}' did not match. Re-created its InstanceList.", n=2),
    )
    slots: dict[str, Slot] = {
        "apiip": lambda c: c.pick(("10.11.10.1", "10.11.21.137"), (0.9, 0.1)),
        "tenant": lambda c: "e9746973ac574c6b8a9e8857f56a7608",
        "rlen": lambda c: str(c.r.randint(1500, 2000) if c.r.random() < 0.8 else c.r.randint(200, 600)),
        "rtime": lambda c: f"{c.heavy(1, 1.6, 3000) * 0.13 + c.r.random() * 0.1:.7f}",
        "inst": _os_inst,
        "took": lambda c: f"{c.r.uniform(0.2, 25.0):.2f}",
        "memmb": lambda c: c.pick(("2048", "512", "4096")),
        "diskgb": lambda c: c.pick(("20", "1", "40")),
        "vcpus": lambda c: c.pick(("1", "2")),
        "totmem": lambda c: "64172",
        "usedmem": lambda c: str(512 + 512 * c.r.randint(0, 12)),
        "chost": lambda c: c.pick(_OS_HOSTS, (0.7, 0.3)),
        "audfrom": _os_aud,
        "audto": lambda c: f"2024-05-14 {int(c.line.get('_audhour', '0')) + 1:02d}:00:00",
        "ninst": lambda c: c.num(0, 15),
        "imguuid": lambda c: c.pick(("0673dd71-34c5-4fbb-86c4-40623fbe45b4", "7a1b9e0e-2c4d-4f8a-9b6e-33f0c1d2e5a7")),
        "basehash": lambda c: c.pick(
            ("a489c868f0c37da93b76227c91bb03908ac0e742", "3e1d0f2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e"), (0.8, 0.2)
        ),
        "physdisk": lambda c: "15",
        "useddisk": lambda c: c.num(0, 15),
        "tvcpu": lambda c: "16",
        "uvcpu": lambda c: c.num(0, 16),
        "ptask": lambda c: c.pick(("spawning", "deleting"), (0.85, 0.15)),
    }
    return Kind("openstack", ev, slots)


# ---------------------------------------------------------------- 10. macOS system log

_MAC_SVC = (
    "com.apple.mdworker.bundles",
    "com.apple.imfoundation.IMRemoteURLConnectionAgent",
    "com.apple.photolibraryd",
)
_MAC_SANDBOX = ("mdworker_shared", "Dropbox", "Google Chrome Helper")
_MAC_WAKE = ("EC.LidOpen (User)", "RTC (Alarm)", "ARPT (Network)", "XHC1 (User)")


def _mac_uptime(c: Ctx) -> str:
    return f"{(c.clock_ms - 1_699_380_000_000) / 1000:.6f}"


def _mac_v6(c: Ctx) -> str:
    return f"2607:f8b0:{c.hexs(4)}:{c.hexs(3)}::{c.hexs(3)}.{c.pick(('443', '5228'))}"


def _macos() -> Kind:
    arpt = "ARPT: {uptime}: "
    ev = (
        Ev(arpt + "AirPort_Brcm43xx::syncPowerState: WWEN[enabled]", w=10),
        Ev(arpt + "AirPort_Brcm43xx::platformWoWEnable: WWEN[disable]", w=8),
        Ev(arpt + "wl0: MDNS: IPV4 Addr: {lanip}", w=3),
        Ev(arpt + "wl0: wl_update_tcpkeep_seq: Original Seq: {seq}, Ack: {seq2}, Win size: {win}", w=3),
        Ev("Wake reason: {wakereason}", w=4),
        Ev("AppleCamIn::systemWakeCall - messageType = {msgtype}", w=4),
        Ev("AppleThunderboltNHIType2::prePCIWake - power up complete - took {us} us", w=2),
        Ev("en0: BSSID changed to {bssid}", w=2),
        Ev("en0: 802.11d country code set to '{cc}'.", w=2),
        Ev("({svc}[{pid}]) Service exited with abnormal code: {abcode}", w=5),
        Ev("({svc}) Service only ran for {ran} seconds. Pushing respawn out by {respawn} seconds.", w=3),
        Ev("Sandbox: {sbproc}({pid}) deny(1) {sbop} {sbpath}", w=4),
        Ev(
            "tcp_connection_destination_perform_socket_connect {tcpid} connectx to {vsix}@0 failed: [50] "
            "Network is down",
            w=2,
        ),
        Ev("AirPort: Link Down on en0. Reason 8 (Disassociated because station leaving).", w=1),
        Ev("AirPort: Link Up on en0", w=1),
        Ev(
            "IO80211AWDLPeerManager::setAwdlOperatingMode Setting the AWDL operation mode from {awdl} to {awdlnext}",
            w=1,
        ),
        Ev("PM response took {pmms} ms ({pmpid}, {pmproc})", n=3),
        Ev("Setting BTCoex Config: enable_2G:1, profile_2g:0, enable_5G:1, profile_5G:0", n=2),
        Ev("hibernate image path: /var/vm/sleepimage", n=1),
    )
    slots: dict[str, Slot] = {
        "uptime": _mac_uptime,
        "lanip": lambda c: c.pick(("192.168.1.17", "10.0.0.42")),
        "seq": lambda c: c.num(100_000_000, 4_000_000_000),
        "win": lambda c: c.pick(("4096", "131072", "262144")),
        "wakereason": lambda c: c.pick(_MAC_WAKE, (0.5, 0.25, 0.2, 0.05)),
        "msgtype": lambda c: c.pick(("0xe0000340", "0xe0000280")),
        "us": lambda c: c.num(20_000, 60_000),
        "bssid": lambda c: c.pick(("dc:a6:32:11:4e:90", "f0:9f:c2:7a:03:1c")),
        "cc": lambda c: c.pick(("US", "X3"), (0.9, 0.1)),
        "svc": lambda c: c.pick(_MAC_SVC, (0.6, 0.3, 0.1)),
        "pid": lambda c: c.num(100, 99_999),
        "abcode": lambda c: c.pick(("1", "78", "255"), (0.6, 0.3, 0.1)),
        "ran": lambda c: c.num(0, 9),
        "respawn": lambda c: str(10 - int(c.last)),
        "sbproc": lambda c: c.pick(_MAC_SANDBOX, (0.5, 0.3, 0.2)),
        "sbop": lambda c: c.pick(("file-read-data", "mach-lookup"), (0.7, 0.3)),
        "sbpath": lambda c: (
            f"/Users/alice/Library/Containers/{c.pick(('com.apple.mail', 'com.apple.Notes'))}/Data"
            if c.line.get("sbop") == "file-read-data"
            else c.pick(("com.apple.coreservices.launchservicesd", "com.apple.windowserver.active"))
        ),
        "tcpid": lambda c: c.num(1000, 40_000),
        "vsix": _mac_v6,
        "awdl": lambda c: c.pick(("AUTO", "SUSPENDED")),
        "awdlnext": lambda c: "SUSPENDED" if c.last == "AUTO" else "AUTO",
        "pmms": lambda c: c.num(1000, 5000),
        "pmpid": lambda c: c.num(50, 400),
        "pmproc": lambda c: c.pick(("powerd", "WindowServer")),
    }
    return Kind("macos", ev, slots, step_ms=30_000.0)


# ---------------------------------------------------------------- 11. Thunderbird-style supercomputer syslog


def _tb_dhcp_ip(c: Ctx) -> str:
    return c.sticky("dip", lambda: c.ip(f"10.100.{c.r.randint(0, 7)}"), keep=0.55)


def _tb_dhcp_mac(c: Ctx) -> str:
    ip = c.line.get("dip") or c.mem.get("dip", "")
    return c.sticky(f"mac:{ip}", lambda: "00:11:43:" + ":".join(c.hexs(2) for _ in range(3)), keep=1.0)


def _thunderbird() -> Kind:
    ib = "ib_sm.x[{ibpid}]: "
    ev = (
        Ev("dhcpd: DHCPREQUEST for {dip} from {dmac} via eth{ethn}", w=20),
        Ev("dhcpd: DHCPACK on {dip} to {dmac} via eth{ethn}", w=20),
        Ev("dhcpd: DHCPDISCOVER from {dmac} via eth{ethn}", w=2),
        Ev("dhcpd: DHCPOFFER on {dip} to {dmac} via eth{ethn}", w=2),
        Ev("session opened for user {user} by (uid={uid})", w=12),
        Ev("session closed for user {user}", w=12),
        Ev(ib + "[ib_sm_sweep.c:{srcline}]: No topology change", w=15),
        Ev(ib + "[ib_sm_sweep.c:{srcline}]: Topology change detected", w=0.5),
        Ev(ib + "[ib_sm_bringup.c:{bringline}]: Configuration caused by discovering new ports", n=3),
        Ev("kernel: e1000: eth{ethn}: e1000_watchdog: NIC Link is Up 1000 Mbps Full Duplex", n=3),
        Ev("kernel: e1000: eth{ethn}: e1000_watchdog: NIC Link is Down", n=3),
        Ev("kernel: EXT3-fs error (device {dev}): ext3_find_entry: reading directory #{dirino} offset {off}", n=4),
        Ev("kernel: mptscsih: ioc0: attempting task abort! (sc={schex})", n=2),
        Ev("crond[{pid}]: ({user}) CMD ({cmd})", w=5),
        Ev("sshd[{pid}]: Accepted publickey for {user} from {ip} port {port} ssh2", w=3),
        Ev("ntpd[{pid}]: synchronized to {ntpip}, stratum {stratum}", w=1),
        Ev("ntpd[{pid}]: kernel time sync enabled {ntpflags}", n=2),
        Ev("xinetd[{pid}]: START: {xsvc} pid={pid2} from={ip}", w=2),
        Ev("xinetd[{pid}]: EXIT: {xsvc} status={xst} pid={pid2} duration={xdur}(sec)", w=2),
        Ev("pbs_mom: Bad file descriptor (9) in tm_request, job {pbsjob} not running", w=2),
        Ev("postfix/postdrop[{pid}]: warning: unable to look up public/pickup: No such file or directory", w=1),
    )
    slots: dict[str, Slot] = {
        "dip": _tb_dhcp_ip,
        "dmac": _tb_dhcp_mac,
        "ethn": lambda c: c.pick(("1", "0"), (0.95, 0.05)),
        "user": lambda c: c.pick(("root", "nagios"), (0.93, 0.07)),
        "uid": lambda c: "0" if c.last == "root" else "502",
        "ibpid": lambda c: c.sticky("ibpid", lambda: c.num(2000, 32000), keep=0.999),
        "srcline": lambda c: c.pick(("1455", "1482")),
        "bringline": lambda c: "1863",
        "dev": lambda c: c.pick(("sda5", "sdb1")),
        "dirino": lambda c: c.num(100_000, 9_999_999),
        "off": lambda c: c.pick(("0", "4096")),
        "schex": lambda c: "ffff8101" + c.hexs(8),
        "pid": lambda c: c.num(1000, 32000),
        "cmd": lambda c: c.pick(
            ("run-parts /etc/cron.hourly", "/usr/lib/sa/sa1 1 1", "/usr/sbin/ganglia_check"), (0.5, 0.4, 0.1)
        ),
        "ip": lambda c: c.ip("10.100.16"),
        "port": lambda c: c.eport(),
        "ntpip": lambda c: c.pick(("10.100.16.250", "10.100.18.250")),
        "stratum": lambda c: c.pick(("3", "4"), (0.8, 0.2)),
        "ntpflags": lambda c: "0001",
        "xsvc": lambda c: c.pick(("auth", "rsync"), (0.9, 0.1)),
        "xst": lambda c: "0",
        "xdur": lambda c: c.num(0, 30),
        "pbsjob": lambda c: f"{c.r.randint(1000, 9999)}.tbird-admin1",
    }
    return Kind("thunderbird", ev, slots)


# ---------------------------------------------------------------- 12. Go/Node microservice: logfmt and JSON

_LF_ERRS = (
    "dial tcp 10.0.7.12:6379: connect: connection refused",
    "context deadline exceeded",
    "read tcp 10.0.3.5:41822->10.0.7.40:443: read: connection reset by peer",
)


def _lf_path(c: Ctx) -> str:
    forms = (
        lambda: f"/api/v1/users/{c.r.randint(1, 90_000)}",
        lambda: f"/api/v1/orders/{c.uuid()}",
        lambda: "/api/v1/cart",
        lambda: "/healthz",
    )
    return c.r.choices(forms, (5, 3, 2, 1))[0]()


def _logfmt() -> Kind:
    ev = (
        Ev('msg="request completed" method={httpm} path={apipath} status={okst} duration={dms}ms', w=30),
        Ev('msg="request failed" method={httpm} path={apipath} status={errst} duration={dms}ms', w=6),
        Ev('msg="cache miss" key={ckey}', w=8),
        Ev('msg="cache hit" key={ckey}', w=12),
        Ev('msg="connected to database" host={dbhost} db={dbname}', n=3),
        Ev('msg="retrying request" attempt={attempt} max_attempts=5 backoff={backoff}ms err="{gerr}"', w=3),
        Ev('msg="circuit breaker state changed" name={cbname} from={cbfrom} to={cbto}', n=4),
        Ev('{"msg":"payment processed","order_id":"{oid}","amount":{amount},"currency":"{cur}"}', w=5),
        Ev('{"msg":"user login","user_id":{uid},"ip":"{ip}","success":true}', w=5),
        Ev('{"msg":"user login failed","user_id":{uid},"ip":"{ip}","reason":"{lreason}"}', w=1.5),
        Ev('msg="shutting down" signal={sig}', n=2),
        Ev('msg="server listening" addr=:{lport}', n=2),
        Ev('msg="slow query" duration={qms}ms query="{sql}"', w=2),
        Ev('msg="rate limit exceeded" client_ip={ip} limit={rl} window=1m', w=3),
        Ev('msg="job started" job={job}', w=1),
        Ev('msg="job finished" job={job} processed={processed} failed={jfailed} elapsed={elapsed}', w=1),
        Ev('msg="token expired" user_id={uid} exp={expts}', w=2),
        Ev('{"msg":"kafka consumer lag","topic":"{topic}","partition":{partition},"lag":{lag}}', w=2),
        Ev('msg="health check" status=ok uptime={elapsed}', w=4),
        Ev("Listening on port {lport}", n=1),
        Ev("{httpm} {mpath} {mstatus} {mms} ms - {msize}", w=6),
    )
    slots: dict[str, Slot] = {
        "httpm": lambda c: c.pick(("GET", "POST", "PUT", "DELETE"), (70, 20, 7, 3)),
        "apipath": _lf_path,
        "okst": lambda c: c.pick(("200", "201", "204", "304"), (80, 10, 5, 5)),
        "errst": lambda c: c.pick(("500", "502", "503", "504"), (60, 15, 15, 10)),
        "dms": lambda c: str(c.heavy(2, 1.2, 30_000)),
        "ckey": lambda c: f"{c.pick(('user', 'product', 'cart'), (5, 3, 1))}:{c.r.randint(1, 90_000)}",
        "dbhost": lambda c: "postgres.internal:5432",
        "dbname": lambda c: "orders",
        "attempt": lambda c: c.num(1, 4),
        "backoff": lambda c: str(100 * 2 ** c.r.randint(0, 4)),
        "gerr": lambda c: c.pick(_LF_ERRS, (0.6, 0.3, 0.1)),
        "cbname": lambda c: c.pick(("payments", "inventory")),
        "cbfrom": lambda c: c.pick(("closed", "open", "half-open")),
        "cbto": lambda c: {"closed": "open", "open": "half-open", "half-open": "closed"}[c.last],
        "oid": lambda c: f"ord_{c.word(14)}",
        "amount": lambda c: f"{c.heavy(5, 1.3, 5000) + c.r.randint(0, 99) / 100:.2f}",
        "cur": lambda c: c.pick(("EUR", "USD"), (0.7, 0.3)),
        "uid": lambda c: c.num(1, 90_000),
        "ip": lambda c: c.active("lfip", c.pub_ip, size=30, churn=0.1),
        "lreason": lambda c: c.pick(("invalid password", "account locked"), (0.9, 0.1)),
        "sig": lambda c: c.pick(("terminated", "interrupt"), (0.8, 0.2)),
        "lport": lambda c: "8080",
        "qms": lambda c: str(c.heavy(500, 1.5, 60_000)),
        "sql": lambda c: c.pick(
            (
                "SELECT id, status FROM orders WHERE user_id = $1 ORDER BY created_at DESC",
                "UPDATE inventory SET reserved = reserved + $1 WHERE sku = $2",
            )
        ),
        "rl": lambda c: c.pick(("100", "20"), (0.8, 0.2)),
        "job": lambda c: c.pick(("reindex", "cleanup"), (0.6, 0.4)),
        "processed": lambda c: c.num(0, 50_000),
        "jfailed": lambda c: c.pick(("0", "0", "0", str(c.r.randint(1, 40)))),
        "elapsed": lambda c: (
            f"{c.r.randint(0, 59)}m{c.r.uniform(0, 59):.3f}s"
            if c.r.random() < 0.7
            else f"{c.r.randint(1, 200)}h{c.r.randint(0, 59)}m{c.r.randint(0, 59)}s"
        ),
        "expts": lambda c: (
            f"2024-05-{c.r.randint(1, 28):02d}T{c.r.randint(0, 23):02d}:{c.r.randint(0, 59):02d}:"
            f"{c.r.randint(0, 59):02d}Z"
        ),
        "topic": lambda c: c.pick(("orders.created", "inventory.reserved"), (0.7, 0.3)),
        "partition": lambda c: c.num(0, 11),
        "lag": lambda c: str(c.heavy(1, 0.9, 2_000_000)),
        "mpath": _lf_path,
        "mstatus": lambda c: c.pick(("200", "304", "404", "500"), (80, 10, 7, 3)),
        "mms": lambda c: f"{c.heavy(1, 1.3, 20_000) * 0.7 + c.r.random():.3f}",
        "msize": lambda c: c.pick(("2", "-", str(c.r.randint(20, 9000))), (0.3, 0.1, 0.6)),
    }
    return Kind("logfmt", ev, slots)


# ---------------------------------------------------------------- generation

_BUILDERS: dict[str, Callable[[], Kind]] = {
    "proxy": _proxy,
    "nginx": _nginx,
    "k8s": _k8s,
    "postgres": _postgres,
    "systemd": _systemd,
    "spring": _spring,
    "healthapp": _healthapp,
    "hadoop": _hadoop,
    "openstack": _openstack,
    "macos": _macos,
    "thunderbird": _thunderbird,
    "logfmt": _logfmt,
}
KINDS: tuple[str, ...] = tuple(_BUILDERS)


def _largest_remainder(weights: Sequence[float], total: int, minimum: int) -> list[int]:
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    counts = [max(minimum, math.floor(x)) for x in raw]
    diff = total - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - math.floor(raw[i]), raw[i]), reverse=True)
    i = 0
    while diff > 0:
        counts[order[i % len(order)]] += 1
        diff -= 1
        i += 1
    biggest = sorted(range(len(counts)), key=lambda j: counts[j], reverse=True)
    i = 0
    while diff < 0:
        j = biggest[i % len(biggest)]
        if counts[j] > minimum:
            counts[j] -= 1
            diff += 1
        i += 1
    return counts


def _allocate(events: Sequence[Ev], n_lines: int, rng: Random) -> list[int]:
    """Lines per event: fixed (rare) events get their count scaled to ``n_lines`` (at least one), the others
    share the rest in proportion to their weights (at least one each). Too few lines for that: sampled."""
    fixed_share = sum(e.n for e in events) / _REF_LINES
    wsum = sum(e.w for e in events)
    if n_lines < 4 * len(events):
        shares = [e.n / _REF_LINES if e.n else (1 - fixed_share) * e.w / wsum for e in events]
        tally = Counter(rng.choices(range(len(events)), shares, k=n_lines))
        return [tally[i] for i in range(len(events))]
    scale = n_lines / _REF_LINES
    counts = [max(1, round(e.n * scale)) if e.n else 0 for e in events]
    common = [i for i, e in enumerate(events) if not e.n]
    shares = _largest_remainder([events[i].w for i in common], n_lines - sum(counts), 1)
    for i, k in zip(common, shares, strict=True):
        counts[i] = k
    return counts


def _schedule(events: Sequence[Ev], counts: Sequence[int], rng: Random) -> list[int]:
    """Event indices in stream order. Ordinary events are spread over segments of the stream with a random,
    per-event intensity (bursts); grouped events form episodes in which they follow each other in order."""
    total = sum(counts)
    segments = max(1, min(20, total // 100))
    keyed: list[tuple[float, int]] = []
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        if e.group:
            groups.setdefault(e.group, []).append(i)
            continue
        intensity = [rng.lognormvariate(0.0, 1.0) for _ in range(segments)]
        for _ in range(counts[i]):
            seg = rng.choices(range(segments), intensity)[0]
            keyed.append(((seg + rng.random()) / segments, i))
    for members in groups.values():
        episodes = max(counts[i] for i in members)
        starts = sorted(rng.uniform(0.0, 0.995) for _ in range(episodes))
        for rank, i in enumerate(members):
            for occ in range(counts[i]):
                keyed.append((starts[occ % episodes] + rank * 1e-7 + (occ // episodes) * 1e-9, i))
    keyed.sort()
    return [i for _, i in keyed]


def generate(kind: str, n_lines: int = DEFAULT_LINES, seed: int = 0) -> list[tuple[str, str, str]]:
    """``n_lines`` messages of one kind as (message, event label, Loghub template), in stream order."""
    if kind not in _BUILDERS:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    spec = _BUILDERS[kind]()
    rng = Random(f"heldout-templates:{kind}:{seed}")
    templates = [loghub_template(e.template) for e in spec.events]
    counts = _allocate(spec.events, n_lines, rng)
    c = Ctx(rng, step_ms=spec.step_ms)
    out: list[tuple[str, str, str]] = []
    for i in _schedule(spec.events, counts, rng):
        c.tick()
        out.append((_render(spec.events[i].template, spec, c), f"{kind}:E{i + 1}", templates[i]))
    return out


def event_templates(kind: str) -> dict[str, str]:
    """Every event label of a kind and its Loghub template."""
    spec = _BUILDERS[kind]()
    return {f"{kind}:E{i + 1}": loghub_template(e.template) for i, e in enumerate(spec.events)}


def template_regex(template: str) -> re.Pattern[str]:
    """The template as a regular expression, ``<*>`` read as ``.+?``."""
    return re.compile(".+?".join(re.escape(part) for part in template.split("<*>")), re.DOTALL)


def check(n_lines: int = DEFAULT_LINES, seed: int = 0) -> int:
    """Self-test: every message matches its template, labels and templates are one-to-one, the event counts
    are in range, every event occurs, and generation is deterministic. Returns the number of lines checked."""
    checked = 0
    for kind in KINDS:
        events = event_templates(kind)
        assert 10 <= len(events) <= 25, f"{kind}: {len(events)} events"
        assert len(set(events.values())) == len(events), f"{kind}: two events share a template"
        rows = generate(kind, n_lines, seed)
        assert len(rows) == n_lines, f"{kind}: {len(rows)} lines, wanted {n_lines}"
        assert rows == generate(kind, n_lines, seed), f"{kind}: not deterministic"
        regexes = {label: template_regex(t) for label, t in events.items()}
        for message, label, template in rows:
            assert events[label] == template, f"{kind}: {label} has template {template!r}"
            assert regexes[label].fullmatch(message), f"{kind}: {message!r} does not match {template!r}"
            assert "\n" not in message and message == message.strip(), f"{kind}: bad message {message!r}"
        if n_lines >= 4 * len(events):
            missing = set(events) - {label for _, label, _ in rows}
            assert not missing, f"{kind}: events never generated: {sorted(missing)}"
        checked += len(rows)
    return checked


def summary(n_lines: int = DEFAULT_LINES, seed: int = 0) -> list[tuple[str, int, int, int]]:
    """Per kind: lines, events, events seen fewer than 5 times."""
    out = []
    for kind in KINDS:
        tally = Counter(label for _, label, _ in generate(kind, n_lines, seed))
        out.append((kind, sum(tally.values()), len(event_templates(kind)), sum(1 for v in tally.values() if v < 5)))
    return out


def write_csvs(out_dir: Path, n_lines: int = DEFAULT_LINES, seed: int = 0) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = out_dir / f"{kind}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(("Content", "EventId", "EventTemplate"))
            writer.writerows(generate(kind, n_lines, seed))
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES, help="lines per kind (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write one CSV per kind (Content,EventId,EventTemplate) here")
    parser.add_argument("--summary", action="store_true", help="print lines, events and rare events per kind")
    parser.add_argument("--check", action="store_true", help="assert every message matches its template")
    args = parser.parse_args(argv)
    if args.lines < 1:
        parser.error("--lines must be positive")
    if args.out:
        for path in write_csvs(args.out, args.lines, args.seed):
            print(path)
    if args.summary or not (args.out or args.check):
        print(f"{'kind':<12} {'lines':>6} {'events':>6} {'<5 times':>8}")
        for kind, lines, n_events, rare in summary(args.lines, args.seed):
            print(f"{kind:<12} {lines:>6} {n_events:>6} {rare:>8}")
    if args.check:
        checked = check(args.lines, args.seed)
        print(f"check ok: {len(KINDS)} kinds, {checked} lines, every message matches its template")
    return 0


if __name__ == "__main__":
    sys.exit(main())
