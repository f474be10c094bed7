"""A local Cloud Storage for tests: gcp-storage-emulator, made to honour preconditions as GCS does.

gcp-storage-emulator serves the JSON API the real ``google-cloud-storage`` client speaks (through
``STORAGE_EMULATOR_HOST``), but it ignores ``ifGenerationMatch``: an upload on a stale generation
succeeds there (``test_the_bare_emulator_ignores_the_precondition`` shows it), so a test of
log-gardener's conditional upload against it would pass while proving nothing. ``FakeGCS`` runs the
emulator's storage and request handler in-process on 127.0.0.1 (a free port) and adds, in front of it:

- preconditions as GCS documents them: a request carrying ``ifGenerationMatch`` (uploads: media,
  multipart, and resumable at its start and at each chunk; object reads and downloads) is answered
  ``412 conditionNotMet`` unless it equals the object's live generation; ``0`` means "only if no live
  object". The check and the write it guards happen under one lock, so two uploads with the same
  precondition cannot both pass;
- one thread per request (the emulator's own server takes one at a time, so a held request would stall
  every other);
- ``hold(method, path_regex)``: the next matching request waits (as on a slow network) until
  ``release()``, or is dropped unapplied (``drop()``); ``arrived`` is set when it is there. A run can so
  be stopped between its download and its upload, without any hook in the code under test;
- ``deny(bucket)``: 403 for every request on that bucket, worded as GCS words it;
- ``requests``: (method, path, query, status) of every request, for assertions.

The emulator bumps an object's generation on every write (it is ``time.time_ns()`` of the write);
``test_generations_change_on_every_upload`` checks it rather than assuming it.

The ``gcs_fake`` fixture (``pytest_plugins = ["gcs_fake"]``) yields a started server with a bucket
``states`` and sets ``STORAGE_EMULATOR_HOST`` (child processes inherit it).
"""

from __future__ import annotations

import io
import json
import re
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from gcp_storage_emulator.exceptions import NotFound
from gcp_storage_emulator.handlers import buckets as bucket_handlers
from gcp_storage_emulator.server import Request as EmulatorRequest
from gcp_storage_emulator.server import RequestHandler, Router
from gcp_storage_emulator.storage import Storage

PRECONDITION_FAILED = "At least one of the pre-conditions you specified did not hold."
_UPLOAD = re.compile(r"^/upload/storage/v1/b/(?P<bucket>[^/]+)/o$")
_OBJECT = re.compile(r"^/(?:download/)?storage/v1/b/(?P<bucket>[^/]+)/o/(?P<name>.+)$")
_BUCKET = re.compile(r"^/(?:upload/|download/)?storage/v1/b/(?P<bucket>[^/]+)")
HOLD_LIMIT_S = 60.0  # a held request goes on by itself after this (a test never hangs)


@dataclass
class Hold:
    method: str
    path: re.Pattern[str]
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    dropped: bool = False

    def release(self) -> None:
        self.released.set()

    def drop(self) -> None:
        """Let the held request go unanswered and unapplied, as if it had never arrived (its sender was
        killed before it sent it)."""
        self.dropped = True
        self.released.set()


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    status: int = 0


class FakeGCS:
    def __init__(self, buckets: tuple[str, ...] = ("states",)) -> None:
        self.storage = Storage(use_memory_fs=True)
        for name in buckets:
            bucket_handlers.create_bucket(name, self.storage)
        self.requests: list[Seen] = []
        self.denied: set[str] = set()
        self._holds: list[Hold] = []
        self._lock = threading.Lock()  # one request at a time past the hold: a check and its write are atomic
        self._httpd: ThreadingHTTPServer | None = None

    # --- control ---------------------------------------------------------------
    def start(self) -> FakeGCS:
        fake = self

        class Handler(RequestHandler):
            def do_GET(self) -> None:
                fake._serve(self, "GET")

            def do_POST(self) -> None:
                fake._serve(self, "POST")

            def do_PUT(self) -> None:
                fake._serve(self, "PUT")

            def do_DELETE(self) -> None:
                fake._serve(self, "DELETE")

            def do_PATCH(self) -> None:
                fake._serve(self, "PATCH")

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, self.storage))
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for hold in self._holds:
            hold.release()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    @property
    def endpoint(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def hold(self, method: str, path: str) -> Hold:
        hold = Hold(method, re.compile(path))
        self._holds.append(hold)
        return hold

    def deny(self, bucket: str) -> None:
        self.denied.add(bucket)

    def generation(self, bucket: str, name: str) -> int:
        """The object's live generation; 0 when there is none."""
        try:
            return int(self.storage.get_file_obj(bucket, name)["generation"])
        except NotFound:
            return 0

    def uploads(self) -> list[Seen]:
        return [r for r in self.requests if r.path.startswith("/upload/")]

    # --- serving -----------------------------------------------------------------
    def _serve(self, h: RequestHandler, method: str) -> None:
        body = _buffer_body(h)
        url = urlparse(h.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        seen = Seen(method, url.path, query)
        hold = next((x for x in self._holds if not x.arrived.is_set() and x.method == method
                     and x.path.search(url.path)), None)
        if hold is not None:
            hold.arrived.set()
            hold.released.wait(HOLD_LIMIT_S)
            if hold.dropped:
                h.close_connection = True
                return
        with self._lock:
            self.requests.append(seen)
            refusal = self._refusal(h, method, url.path, query, body)
            if refusal is not None:
                seen.status = refusal[0]
                _send_json(h, *refusal)
                return
            h.rfile = io.BytesIO(body)
            status = _Status(h)
            Router(h).handle(method)
            seen.status = status.code

    def _refusal(self, h: RequestHandler, method: str, path: str, query: dict[str, str],
                 body: bytes) -> tuple[int, dict[str, Any]] | None:
        bucket = _BUCKET.match(path)
        if bucket and bucket.group("bucket") in self.denied:
            message = ("tester@fake-project.iam.gserviceaccount.com does not have storage.objects.get access to "
                       "the Google Cloud Storage bucket. Permission 'storage.objects.get' denied on resource (or "
                       "it may not exist).")
            return 403, _error(403, message, "forbidden")
        if "ifGenerationMatch" not in query:
            return None
        target = self._target(h, method, path, query, body)
        if target is None:
            return None
        if int(query["ifGenerationMatch"]) != self.generation(*target):
            return 412, _error(412, PRECONDITION_FAILED, "conditionNotMet")
        return None

    def _target(self, h: RequestHandler, method: str, path: str, query: dict[str, str],
                body: bytes) -> tuple[str, str] | None:
        """The (bucket, object) a request with a precondition is about."""
        m = _UPLOAD.match(path)
        if m is None:
            o = _OBJECT.match(path)
            return (o.group("bucket"), unquote(o.group("name"))) if o else None
        if method == "PUT" or "upload_id" in query:  # a resumable upload's chunk: the name given at its start
            try:
                return m.group("bucket"), self.storage.get_resumable_file_obj(query["upload_id"])["name"]
            except (NotFound, KeyError):
                return None
        if "name" in query:
            return m.group("bucket"), query["name"]
        if query.get("uploadType") == "multipart":
            h.rfile = io.BytesIO(body)
            data = EmulatorRequest(h, method).data
            return m.group("bucket"), data["meta"]["name"]
        if query.get("uploadType") == "resumable" and body:
            return m.group("bucket"), json.loads(body)["name"]
        return None


class _Status:
    """The status the emulator's router sends, read off ``send_response``."""

    def __init__(self, h: RequestHandler) -> None:
        self.code = 0
        real = h.send_response

        def send_response(code: int, message: str | None = None) -> None:
            self.code = code
            real(code, message)

        h.send_response = send_response  # type: ignore[method-assign]


def _buffer_body(h: RequestHandler) -> bytes:
    """Read the body once, so that it can be looked at here and read again by the emulator's router."""
    if h.headers.get("Transfer-Encoding", "").lower() == "chunked":
        data = b""
        while (size := int(h.rfile.readline().strip() or b"0", 16)) > 0:
            data += h.rfile.read(size)
            h.rfile.readline()
        h.rfile.readline()
        del h.headers["Transfer-Encoding"]
        h.headers["Content-Length"] = str(len(data))
        return data
    length = int(h.headers.get("Content-Length") or 0)
    return h.rfile.read(length) if length else b""


def _error(code: int, message: str, reason: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message,
                      "errors": [{"message": message, "domain": "global", "reason": reason}]}}


def _send_json(h: RequestHandler, code: int, payload: dict[str, Any]) -> None:
    data = json.dumps(payload).encode()
    h.send_response(code)
    h.send_header("Content-Type", "application/json; charset=UTF-8")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


@pytest.fixture
def gcs_fake(monkeypatch):
    fake = FakeGCS().start()
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", fake.endpoint)
    yield fake
    fake.stop()
