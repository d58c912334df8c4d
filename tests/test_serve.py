"""What a web page can make ``json-models serve`` do: it answers only requests addressed to it
by a loopback name (DNS rebinding) and serves only the page and model files (never a dotfile or
whatever else sits in the folder). The terminal's side (``info`` escaping what a document says)
is in ``test_cli.py``; the page's own limits (inputs drawn, decompressed size) in
``test_browser.py``.
"""

from __future__ import annotations

import http.client
import json
import threading

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

import json_models as jm
from json_models import serve

#: What a terminal acts on, none of which may reach it from a document.
ESC, RLO = "\x1b", "\u202e"


def _tree(X, y) -> DecisionTreeClassifier:
    return DecisionTreeClassifier(random_state=0).fit(X, y)


def _small_model():
    return _tree(np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]]), [0, 1, 0, 1])


# ---------------------------------------------------------------- the server


#: Files of a project folder that holds models beside other things; only the first two are
#: model files the server may serve.
FOLDER = {
    "model.json": "model",
    "model.json.gz": "model-gz",
    "notes.txt": "private notes",
    "secrets.yaml": "token: s3cret",
    "model.pkl": "pickle bytes",
    ".env": "API_KEY=s3cret",
    ".hidden.json": "{}",
    ".hidden/x.json": "{}",
    ".git/config": "[remote]",
    "sub/nested.json": "{}",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("project")
    for name, content in FOLDER.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        if content == "model":
            jm.dump(_small_model(), path / name)
        elif content == "model-gz":
            jm.dump(_small_model(), path / name, compress="gzip")
        else:
            (path / name).write_text(content)
    # Links that look like models but reach what must not be served.
    (path / "via-link.json").symlink_to(path / ".hidden" / "x.json")
    (path / "yaml-link.json").symlink_to(path / "secrets.yaml")
    return path


@pytest.fixture(scope="module")
def server(folder):
    """``(host, port)`` of a server for ``folder``."""
    httpd, thread = serve.serve_in_thread(folder)
    yield httpd.server_address[:2]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def request(address, path: str, hosts=None) -> tuple[int, bytes]:
    """``GET path`` sent as is, with these ``Host`` headers (None: the address itself)."""
    host, port = address
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    for value in [f"{host}:{port}"] if hosts is None else hosts:
        conn.putheader("Host", value)
    conn.endheaders()
    res = conn.getresponse()
    body = res.read()
    conn.close()
    return res.status, body


def test_only_requests_addressed_to_a_loopback_name_are_answered(server):
    port = server[1]
    for hosts in (
        [f"localhost:{port}"],
        [f"LocalHost:{port}"],
        ["localhost"],
        [f"127.0.0.1:{port}"],
        ["127.0.0.1"],
        [f"[::1]:{port}"],
        [],  # HTTP/1.0 sends none
    ):
        assert request(server, "/models/model.json", hosts)[0] == 200, hosts
    for hosts in (
        ["evil.example"],
        [f"evil.example:{port}"],
        [f"localhost.evil.example:{port}"],
        [f"127.0.0.1.nip.io:{port}"],
        [f"localhost:{port + 1}"],  # another server's name
        [""],
        [f"localhost:{port}", "evil.example"],
    ):
        for path in ("/models/model.json", "/models/index.json", "/demo/", "/", "/nothing"):
            status, body = request(server, path, hosts)
            assert status == 403, (hosts, path)
            assert body.startswith(b"forbidden:") and b"DNS rebinding" in body


def test_a_server_bound_to_another_address_also_answers_to_it(folder):
    httpd = serve.make_server(folder, host="127.0.0.2", quiet=True)
    address = httpd.server_address[:2]
    try:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        assert request(address, "/models/model.json")[0] == 200  # Host: 127.0.0.2:port
        assert request(address, "/models/model.json", ["localhost"])[0] == 200
        assert request(address, "/models/model.json", ["127.0.0.3"])[0] == 403
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_only_the_page_and_model_files_are_served(server, folder):
    status, body = request(server, "/models/index.json")
    assert status == 200
    assert [m["name"] for m in json.loads(body)["models"]] == ["model.json", "model.json.gz"]
    assert request(server, "/models/model.json")[1] == (folder / "model.json").read_bytes()
    assert request(server, "/models/model.json.gz")[1] == (folder / "model.json.gz").read_bytes()
    for path in (
        "/demo/",
        "/demo/app.js",
        "/demo/style.css",
        "/src/index.js",
        "/src/models/tree.js",
    ):
        assert request(server, path)[0] == 200, path

    for path in [
        "/models/notes.txt",
        "/models/secrets.yaml",
        "/models/model.pkl",
        "/models/.env",
        "/models/.hidden.json",
        "/models/.hidden/x.json",
        "/models/%2ehidden/x.json",
        "/models/.git/config",
        "/models/sub/nested.json",  # the listing offers the top of the folder only
        "/models/via-link.json",  # a link into a dot-folder
        "/models/yaml-link.json",  # a link to a file that is no model
        "/src/index.d.ts",  # the runtime's, but the page does not load it
    ]:
        status, body = request(server, path)
        assert status == 404, path
        assert b"s3cret" not in body and b"remote" not in body and b"notes" not in body
