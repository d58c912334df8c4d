"""``json-models serve [DIR]``: the browser demo and a folder of models on 127.0.0.1.

What is served, and nothing else:

- ``/demo/...`` and ``/src/...``: the page and the JavaScript runtime, from ``js_runtime/``
  (the page imports ``../src/index.js`` as is: no build step); only their ``.html``, ``.js``
  and ``.css`` files;
- ``/models/index.json``: a JSON listing of the model files (``*.json``, ``*.json.gz``) at the
  top of ``DIR``, which the page offers to open;
- ``/models/<file>``: exactly the files that listing names; a gzipped model is sent as its
  bytes (``application/gzip``) and the page decompresses it itself.

Anything else is 404, whatever else ``DIR`` holds (notes, secrets, pickles), and so is every
dotfile or file under a dot-folder (``.env``, ``.git/config``). Paths are resolved (symbolic
links followed) and refused unless they stay inside their root.

Only ``GET`` and ``HEAD``; the server listens on 127.0.0.1 and is meant for one person's
browser, not for a network. It answers only requests addressed to it by a loopback name
(``Host: localhost:8000``, ``127.0.0.1``, ``[::1]``): any other ``Host`` gets 403, so a web
page whose own host name is re-pointed at 127.0.0.1 (DNS rebinding) cannot read the models.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import _resources

JS_ROOT = _resources.js_runtime_dir()
#: URL prefix -> folder under ``js_runtime/``.
JS_MOUNTS = {"demo": "demo", "src": "src"}
MODELS = "models"
#: Suffixes of the files the listing offers as models (and the only ones served from ``DIR``).
MODEL_SUFFIXES = (".json", ".json.gz")
#: Suffixes of the page's and the runtime's files that the page loads.
PAGE_SUFFIXES = (".html", ".js", ".css")
LISTING = "index.json"
#: Host names the server answers to, with or without its port (see ``allowed_hosts``).
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")

#: Content types of what can be served: the page's files, models, and the error bodies.
MIME = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".gz": "application/gzip",
    ".txt": "text/plain; charset=utf-8",
}


def model_listing(folder: Path) -> dict:
    """``{"models": [{"name", "url", "size"}, ...]}``: the model files at the top of ``folder``,
    sorted by name; exactly what ``/models/<name>`` serves (so no dotfile, and not
    ``index.json`` itself: its URL serves this listing)."""
    models = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        path = model_file(folder, entry.name)
        if path is None:
            continue
        url = f"/{MODELS}/{urllib.parse.quote(entry.name)}"
        models.append({"name": entry.name, "url": url, "size": path.stat().st_size})
    return {"models": models}


def model_file(folder: Path, name: str) -> Path | None:
    """The model file ``name`` at the top of ``folder``, or None when the server must not
    serve it (see ``resolve_inside``; ``index.json`` is the listing's URL)."""
    if name == LISTING:
        return None
    return resolve_inside(folder, [name], MODEL_SUFFIXES)


def resolve_inside(root: Path, parts: list[str], suffixes: tuple[str, ...]) -> Path | None:
    """The file ``root/parts...``, or None when it does not exist or is not inside ``root``
    (after following links): no ``..``, no absolute part, no escape through a symlink. Hidden
    files (``.env``, ``.git/config``: a name starting with a dot, asked for or reached through
    a link) and names without one of ``suffixes`` are refused too: a folder of models often
    sits in a project that holds secrets."""
    if not _plain_name(parts, suffixes):  # "." and ".." start with a dot too
        return None
    root = root.resolve()
    try:
        path = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    if not _plain_name(path.relative_to(root).parts, suffixes):
        return None
    return path


def _plain_name(parts: list[str] | tuple[str, ...], suffixes: tuple[str, ...]) -> bool:
    """Whether ``parts`` is a relative path of visible names ending in one of ``suffixes``."""
    return (
        bool(parts)
        and parts[-1].endswith(suffixes)
        and not any(
            not part or part.startswith(".") or "\\" in part or "\0" in part or ":" in part
            for part in parts
        )
    )


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values a server bound to ``host:port`` answers: the loopback names,
    and ``host`` itself when it is a specific address, each with or without ``:port``
    (lower case: host names are compared case-insensitively)."""
    names = set(LOOPBACK_HOSTS)
    if host not in ("", "0.0.0.0", "::"):
        names.add(f"[{host}]" if ":" in host else host.lower())
    return frozenset(names | {f"{name}:{port}" for name in names})


class Handler(BaseHTTPRequestHandler):
    """Serves the demo, the runtime and one models folder (set on the server: ``models_dir``)."""

    server_version = "json-models"
    quiet = False

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(body=False)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)

    def _serve(self, body: bool) -> None:
        if not self._addressed_to_us():
            message = (
                "forbidden: this server answers only requests addressed to "
                f"{', '.join(LOOPBACK_HOSTS)} (protection against DNS rebinding)\n"
            )
            self._send(HTTPStatus.FORBIDDEN, MIME[".txt"], message.encode(), body)
            return
        raw_path = urllib.parse.urlsplit(self.path).path
        path = urllib.parse.unquote(raw_path)
        if path in ("/", "/demo"):
            self._redirect("/demo/")
            return
        parts = path.lstrip("/").split("/")
        top, rest = parts[0], parts[1:]
        if top in JS_MOUNTS and rest:
            if rest == [""]:  # "/demo/" -> the page
                rest = ["index.html"]
            self._send_file(resolve_inside(JS_ROOT / JS_MOUNTS[top], rest, PAGE_SUFFIXES), body)
        elif top == MODELS and rest == [LISTING]:
            listing = model_listing(self.server.models_dir)  # type: ignore[attr-defined]
            self._send(HTTPStatus.OK, MIME[".json"], json.dumps(listing).encode(), body)
        elif top == MODELS and len(rest) == 1:
            self._send_file(model_file(self.server.models_dir, rest[0]), body)  # type: ignore[attr-defined]
        else:
            self._not_found(body)

    def _addressed_to_us(self) -> bool:
        """Whether the request names this server by a loopback name (or its own address) in
        ``Host``. A browser sends the name from the URL it loads: a page of ``evil.example``
        whose name now resolves to 127.0.0.1 sends ``Host: evil.example``. No ``Host`` at all
        (HTTP/1.0) comes from no browser; two are refused."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            return False
        return not hosts or hosts[0].strip().lower() in self.server.allowed_hosts  # type: ignore[attr-defined]

    def _send_file(self, path: Path | None, body: bool) -> None:
        if path is None:
            self._not_found(body)
            return
        mime = MIME.get(path.suffix.lower(), "application/octet-stream")
        try:
            data = path.read_bytes()
        except OSError:
            self._not_found(body)
            return
        self._send(HTTPStatus.OK, mime, data, body)

    def _not_found(self, body: bool) -> None:
        self._send(HTTPStatus.NOT_FOUND, MIME[".txt"], b"not found\n", body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, mime: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(data)))
        # Models change on disk between page loads (json-models demo rewrites them).
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)


def make_server(
    models_dir: str | os.PathLike, port: int = 0, host: str = "127.0.0.1", quiet: bool = False
) -> ThreadingHTTPServer:
    """A server (not yet running) for the demo and ``models_dir``; ``port=0`` picks a free
    port, readable afterwards as ``server.server_address[1]``."""
    folder = Path(models_dir).resolve()
    if not folder.is_dir():
        raise NotADirectoryError(f"no such folder: {models_dir}")
    handler = type("QuietHandler" if quiet else "Handler", (Handler,), {"quiet": quiet})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.models_dir = folder  # type: ignore[attr-defined]
    server.allowed_hosts = allowed_hosts(host, server.server_address[1])  # type: ignore[attr-defined]
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    """The page's URL on ``server``."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/demo/"


def serve_in_thread(models_dir, port: int = 0) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start a quiet server in a daemon thread (for tests); stop it with ``server.shutdown()``."""
    server = make_server(models_dir, port, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def cmd_serve(args) -> int:
    if not (JS_ROOT / "demo" / "index.html").is_file():
        print(f"the browser demo is not at {JS_ROOT / 'demo'}", file=sys.stderr)
        return 1
    try:
        server = make_server(args.dir, args.port)
    except NotADirectoryError:
        hint = " (run `json-models demo` first)" if args.dir == DEFAULT_DIR else ""
        print(f"no such folder: {args.dir}{hint}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    folder = server.models_dir  # type: ignore[attr-defined]
    count = len(model_listing(folder)["models"])
    print(f"serving the json-models demo at {url_of(server)}", flush=True)
    print(f"with {count} model file(s) from {folder} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


DEFAULT_DIR = "demo-out"


ABOUT = dict(
    help="serve the browser demo and a folder of models on 127.0.0.1",
    description="Serve the browser demo (js_runtime/demo/, using js_runtime/src/ as is) and "
    "the model files of DIR on 127.0.0.1, and print the page's URL.",
)


def add_arguments(p) -> None:
    p.add_argument(
        "dir",
        nargs="?",
        default=DEFAULT_DIR,
        metavar="DIR",
        help=f"folder of model files (default: ./{DEFAULT_DIR}, where `json-models demo` writes)",
    )
    p.add_argument(
        "--port", type=int, default=8000, metavar="N", help="port (default 8000; 0: any free port)"
    )
    p.set_defaults(run=cmd_serve)
