"""A state database kept in Cloud Storage: ``--state gs://BUCKET/OBJECT``.

A command downloads the object into a temporary directory, remembering its generation (a missing
object is a new state, generation 0), and works on that file exactly as on a local state. A run that
wrote uploads it back on condition that the object is still at that generation (``ifGenerationMatch``;
0 means "only if absent"), so two overlapping runs (two Cloud Run job executions, a scheduled and a
manual run) can never silently overwrite each other's history: the second to save gets 412 and the
command stops with one line, leaving the object as the first run saved it.

Why fail rather than retry and merge: what the losing run wrote to the tracker stands and the
winner's state does not know it, but a plain re-run reconciles (GitHub: its issues are found by their
hidden markers and the evidence their summaries carry; the local tracker: its issues lived only in the
discarded copy, so the re-run files them, once). Merging two SQLite histories would be new code that
can be wrong; re-running is the path a crashed run takes anyway. See docs/gcs-state.md.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from .tracker import TrackerError

if TYPE_CHECKING:
    from google.cloud.storage import Blob, Client

SCHEME = "gs://"
RETRY_S = 60.0  # how long transient failures (network, 429, 5xx) are retried before a command gives up
TIMEOUT_S = 60.0  # one request
CONTENT_TYPE = "application/vnd.sqlite3"
LOCAL_NAME = "state.db"  # the copy's name in its temporary directory (messages show the gs:// URL instead)
_BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")


def is_remote(state: object) -> bool:
    return isinstance(state, str) and state.startswith(SCHEME)


def split_url(url: str) -> tuple[str, str]:
    """``gs://BUCKET/OBJECT`` as (bucket, object name)."""
    bucket, _, name = url[len(SCHEME):].partition("/")
    if not _BUCKET_RE.fullmatch(bucket) or not name or name.endswith("/"):
        raise RemoteStateError(f"--state {url}: not gs://BUCKET/OBJECT (for example "
                               "gs://acme-ops/log-gardener/shop-api.db)")
    return bucket, name


class RemoteStateError(TrackerError):
    """A state in Cloud Storage that cannot be read or saved, said in one line."""


class StateConflict(RemoteStateError):
    """Another run saved the state after this one downloaded it."""


def _first_line(text: object, limit: int = 300) -> str:
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _client() -> Client:
    """Application Default Credentials, as the library finds them (``STORAGE_EMULATOR_HOST``: an emulator,
    anonymously). No project: reading and writing an object needs none."""
    from google.api_core.client_info import ClientInfo
    from google.cloud import storage

    return storage.Client(project=None, client_info=ClientInfo(user_agent=f"log-gardener/{__version__}"))


class RemoteState:
    """The local copy of ``gs://BUCKET/OBJECT`` for one command: ``path`` (absent for a new state), the
    ``generation`` it was downloaded at, ``save()`` to upload it back on that condition."""

    def __init__(self, url: str, client: Client, workdir: Path, retry_s: float | None = None) -> None:
        from google.cloud.storage.retry import DEFAULT_RETRY

        self.url = url
        self.bucket_name, self.name = split_url(url)
        self.workdir = workdir
        # the copy goes when this object does (or at exit), whichever way the command ended
        self._removal = weakref.finalize(self, shutil.rmtree, str(workdir), True)
        self.path = workdir / LOCAL_NAME
        self.generation = 0
        self.retry_s = RETRY_S if retry_s is None else retry_s
        self._client = client
        self._bucket = client.bucket(self.bucket_name)
        # every request is safe to retry: reads, and uploads made conditional by the generation
        self._retry = DEFAULT_RETRY.with_timeout(self.retry_s)

    @classmethod
    def fetch(cls, url: str, client: Client | None = None, retry_s: float | None = None) -> RemoteState:
        """Download the object into a new temporary directory (``discard()`` removes it)."""
        split_url(url)
        workdir = Path(tempfile.mkdtemp(prefix="log-gardener-state-"))
        try:
            with _translated(url, "read", retry_s):
                state = cls(url, client or _client(), workdir, retry_s)
            state._download()
            return state
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise

    # --- reading ---------------------------------------------------------------------
    def _download(self) -> None:
        from google.api_core.exceptions import NotFound, PreconditionFailed

        for _ in range(3):
            blob = self._bucket.blob(self.name)
            with self._failures("read"):
                try:
                    blob.reload(retry=self._retry, timeout=TIMEOUT_S)
                except NotFound:
                    self._require_bucket()
                    self.generation = 0  # a new state: the first save creates the object, only if still absent
                    return
                generation = int(blob.generation)
                try:
                    # the bytes of the generation just read, not of one saved in between
                    blob.download_to_filename(str(self.path), if_generation_match=generation,
                                              retry=self._retry, timeout=TIMEOUT_S)
                except (NotFound, PreconditionFailed):
                    self.path.unlink(missing_ok=True)
                    continue  # replaced or deleted between the two requests: read it again
            self.generation = generation
            return
        raise RemoteStateError(f"{self.url}: the object changed each time it was read (other runs saving it): "
                               "try again")

    def _require_bucket(self) -> None:
        """A missing object is a new state, a missing bucket an error (said now, not after the run's work)."""
        from google.api_core.exceptions import Forbidden, NotFound

        try:
            self._bucket.reload(retry=self._retry, timeout=TIMEOUT_S)
        except NotFound:
            raise RemoteStateError(f"{self.url}: no bucket gs://{self.bucket_name} (404): create it or fix the "
                                   "name") from None
        except Forbidden:
            pass  # allowed to use objects, not to read the bucket's metadata (roles/storage.objectUser): fine

    def current_generation(self) -> int:
        """The object's generation in the bucket now (0: absent)."""
        from google.api_core.exceptions import NotFound

        blob = self._bucket.blob(self.name)
        with self._failures("check"):
            try:
                blob.reload(retry=self._retry, timeout=TIMEOUT_S)
            except NotFound:
                return 0
        return int(blob.generation)

    def check(self) -> None:
        """Stop (one line) when another run saved the state since this one read it."""
        now = self.current_generation()
        if now != self.generation:
            raise StateConflict(
                f"{self.url}: another run saved this state after this run read it (generation {self.generation}, "
                f"now {now}): nothing was written to the tracker; run again, from the state it saved")

    def guard(self, tracker: Any) -> GuardedTracker:
        return GuardedTracker(tracker, self)

    # --- saving ----------------------------------------------------------------------
    def save(self) -> int:
        """Upload the copy if the object is still at the generation read; the new generation."""
        from google.api_core.exceptions import PreconditionFailed

        if not self.path.exists():
            return self.generation  # nothing was made (nothing to save)
        self._fold_journal()
        blob = self._bucket.blob(self.name)
        with self._failures("save"):
            try:
                blob.upload_from_filename(str(self.path), content_type=CONTENT_TYPE,
                                          if_generation_match=self.generation, retry=self._retry, timeout=TIMEOUT_S)
            except PreconditionFailed:
                blob = self._ours()
                if blob is None:
                    was = f"generation {self.generation}" if self.generation else "absent"
                    raise StateConflict(
                        f"{self.url}: another run saved this state while this run worked (it was {was} when read): "
                        "this run's changes to the state were not saved, the bucket keeps the other run's; run "
                        "again: it starts from that state and files only what is still missing") from None
        self.generation = int(blob.generation)
        return self.generation

    def _ours(self) -> Blob | None:
        """After a 412: the object as it is, when it is this very file (a retried upload whose first try had
        landed before its answer was lost); else None."""
        from google.api_core.exceptions import NotFound

        blob = self._bucket.blob(self.name)
        try:
            blob.reload(retry=self._retry, timeout=TIMEOUT_S)
        except NotFound:
            return None
        data = self.path.read_bytes()
        if blob.md5_hash:
            same = blob.md5_hash == base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        else:  # a composite object has no MD5
            import google_crc32c

            same = blob.crc32c == base64.b64encode(google_crc32c.Checksum(data).digest()).decode()
        return blob if same else None

    def _fold_journal(self) -> None:
        """The object is one self-contained file: SQLite's write-ahead log folded into it, none left beside."""
        try:
            db = sqlite3.connect(self.path)
            try:
                mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            finally:
                db.close()
        except sqlite3.Error as exc:
            raise RemoteStateError(f"{self.url}: the local copy cannot be read to save it ({exc})") from None
        if mode != "delete":
            raise RemoteStateError(f"{self.url}: the local copy is still in use ({mode}): not saved")

    def discard(self) -> None:
        """Remove the local copy now (else when this object is collected)."""
        self._removal()
        with contextlib.suppress(Exception):
            self._client.close()

    def _failures(self, doing: str) -> contextlib.AbstractContextManager[None]:
        return _translated(self.url, doing, self.retry_s)


@contextlib.contextmanager
def _translated(url: str, doing: str, retry_s: float | None) -> Iterator[None]:
    """The client's exceptions as one line each, saying what to do."""
    import requests
    from google.api_core import exceptions as api
    from google.auth import exceptions as auth
    from google.cloud.storage.exceptions import DataCorruption, InvalidResponse

    bucket = split_url(url)[0]
    try:
        yield
    except RemoteStateError:
        raise
    except api.Forbidden as exc:
        raise RemoteStateError(f"{url}: permission denied to {doing} it (403: {_first_line(exc.message)}); the "
                               f"account needs roles/storage.objectUser on gs://{bucket}") from None
    except api.Unauthorized as exc:
        raise RemoteStateError(f"{url}: Cloud Storage refused the credentials (401: {_first_line(exc.message)}); "
                               "renew them (gcloud auth application-default login)") from None
    except api.NotFound:
        raise RemoteStateError(f"{url}: no bucket gs://{bucket} (404): create it or fix the name") from None
    except api.RetryError as exc:
        raise RemoteStateError(f"{url}: Cloud Storage unreachable to {doing} the state (retried for "
                               f"{RETRY_S if retry_s is None else retry_s:g} s: {_first_line(exc.cause or exc)})"
                               ) from None
    except api.GoogleAPICallError as exc:
        raise RemoteStateError(f"{url}: Cloud Storage answered {exc.code} to {doing} the state: "
                               f"{_first_line(exc.message)}") from None
    except auth.DefaultCredentialsError:
        raise RemoteStateError(f"{url}: no Google Cloud credentials (Application Default Credentials): run "
                               "'gcloud auth application-default login', or run as a service account") from None
    except auth.GoogleAuthError as exc:
        raise RemoteStateError(f"{url}: cannot get Google Cloud credentials ({_first_line(exc)})") from None
    except requests.RequestException as exc:
        raise RemoteStateError(f"{url}: Cloud Storage unreachable to {doing} the state ({_first_line(exc)})"
                               ) from None
    except (InvalidResponse, DataCorruption) as exc:
        raise RemoteStateError(f"{url}: Cloud Storage transfer failed to {doing} the state ({_first_line(exc)})"
                               ) from None
    except OSError as exc:
        raise RemoteStateError(f"{url}: the local copy: {exc.strerror or exc}") from None


class GuardedTracker:
    """A tracker whose writes begin only when the bucket still holds the state this run read: a run that lost
    the race (another run saved meanwhile) stops before it files anything. The upload's precondition stays
    the guarantee; this only makes the common case (the other run finished while this one read its logs)
    cost no tracker writes."""

    def __init__(self, tracker: Any, remote: RemoteState) -> None:
        self._tracker = tracker
        self._remote = remote

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self._remote.check()
        with self._tracker.transaction():
            yield
