"""Model installs are verified, bounded and leave nothing behind (issue #12).

The network cases run against real HTTP servers on 127.0.0.1 that behave badly on purpose: one
that accepts connections and never answers, one that lies about sizes, one that streams forever.
Every one of them is bounded in time by TOLMACH_NET_TIMEOUT and the size caps.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tolmach import models
from tolmach.devtools.tinymodel import build_tiny_argosmodel
from tolmach.errors import TolmachError

from helpers import assert_one_line_error, tolmach_process


@pytest.fixture
def env(tmp_path, monkeypatch):
    values = {
        "TOLMACH_MODELS_DIR": str(tmp_path / "data" / "models"),
        "TOLMACH_CACHE_DIR": str(tmp_path / "cache"),
        "TOLMACH_PACKAGE_INDEX": "http://127.0.0.1:9/",  # nothing listens there
        "TOLMACH_NET_TIMEOUT": "5",  # a loaded CI machine still answers from 127.0.0.1 in time
    }
    for key, value in values.items():  # for the in-process library calls
        monkeypatch.setenv(key, value)
    return values


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Site:
    """A package index on 127.0.0.1. ``routes`` maps a path to bytes or to a behaviour name."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.hits: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits.append(self.path)
                what = site.routes.get(self.path)
                if what is None:
                    self.send_error(404)
                elif what == "forever":  # no Content-Length, an endless body
                    self.send_response(200)
                    self.end_headers()
                    block = b"\0" * 65536
                    try:
                        while True:
                            self.wfile.write(block)
                    except OSError:
                        pass
                elif isinstance(what, tuple) and what[0] == "content-length":  # a lying header
                    self.send_response(200)
                    self.send_header("Content-Length", str(what[1]))
                    self.end_headers()
                    try:
                        self.wfile.write(what[2])
                    except OSError:
                        pass
                elif what in ("trickle", "trickle-headers"):  # a byte every 0.1 s, for ever
                    try:
                        if what == "trickle":
                            self.send_response(200)
                            self.send_header("Content-Length", "100000")
                            self.end_headers()
                        else:
                            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                        while True:
                            self.wfile.write(b"x")
                            self.wfile.flush()
                            time.sleep(0.1)
                    except OSError:
                        pass
                elif what == "redirect-loop":  # to itself, for ever
                    self.send_response(302)
                    self.send_header("Location", self.path)
                    self.end_headers()
                elif isinstance(what, tuple) and what[0] == "stall":  # headers, then nothing
                    self.send_response(200)
                    self.send_header("Content-Length", str(what[1]))
                    self.end_headers()
                    self.wfile.flush()
                    time.sleep(5)
                else:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(what)))
                    self.end_headers()
                    self.wfile.write(what)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def index(self, **entry):
        item = {
            "package_version": "1.0", "argos_version": "1.9", "type": "translate",
            "from_code": "en", "from_name": "English", "to_code": "ru", "to_name": "Russian",
            "links": [self.base + "pkg.argosmodel"],
        }
        item.update(entry)
        self.routes["/index.json"] = json.dumps([item]).encode()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(env):
    s = Site()
    env["TOLMACH_PACKAGE_INDEX"] = s.base
    os.environ["TOLMACH_PACKAGE_INDEX"] = s.base
    yield s
    s.close()


def _installed(env) -> list[str]:
    root = Path(env["TOLMACH_MODELS_DIR"])
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


# --- integrity -------------------------------------------------------------------------------------


def test_install_from_the_index_checks_size_and_checksum_and_records_them(env, site, tiny_package):
    data = Path(tiny_package["en_ru"]).read_bytes()
    site.routes["/pkg.argosmodel"] = data
    site.index(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    proc = tolmach_process("models", "install", "en", "ru", env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert hashlib.sha256(data).hexdigest() in proc.stdout
    listing = tolmach_process("models", "list", env=env).stdout
    assert f"sha256:{hashlib.sha256(data).hexdigest()[:16]}" in listing
    rows = json.loads(tolmach_process("models", "list", "--format", "json", env=env).stdout)
    assert rows[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert rows[0]["source"] == site.base + "pkg.argosmodel"
    # the download is not kept once installed
    assert list((Path(env["TOLMACH_CACHE_DIR"]) / "downloads").iterdir()) == []


def test_a_tampered_package_is_refused(env, site, tiny_package):
    data = Path(tiny_package["en_ru"]).read_bytes()
    tampered = data[:-200] + bytes(b ^ 1 for b in data[-200:])
    site.routes["/pkg.argosmodel"] = tampered
    site.index(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    proc = tolmach_process("models", "install", "en", "ru", env=env, timeout=60)
    assert_one_line_error(proc, "checksum mismatch", "pkg.argosmodel")
    assert _installed(env) == []
    assert list((Path(env["TOLMACH_CACHE_DIR"]) / "downloads").iterdir()) == []


def test_a_package_of_another_size_than_the_index_says_is_refused(env, site, tiny_package):
    data = Path(tiny_package["en_ru"]).read_bytes()
    site.routes["/pkg.argosmodel"] = data
    site.index(size=len(data) - 10)
    proc = tolmach_process("models", "install", "en", "ru", env=env, timeout=60)
    assert_one_line_error(proc, f"{len(data):,} bytes, the index says {len(data) - 10:,}")
    assert _installed(env) == []


def test_a_file_left_in_the_download_cache_is_never_trusted(env, site, tiny_package, tmp_path):
    data = Path(tiny_package["en_ru"]).read_bytes()
    site.routes["/pkg.argosmodel"] = data
    downloads = Path(env["TOLMACH_CACHE_DIR"]) / "downloads"
    downloads.mkdir(parents=True)
    # a different (valid!) package planted where the download would go
    planted = build_tiny_argosmodel(tmp_path / "planted.argosmodel", dictionary={"war": "мир"})
    for entry in ({}, {"sha256": hashlib.sha256(data).hexdigest()}):
        shutil.copy(planted, downloads / "translate-en_ru-1.0.argosmodel")
        site.index(**entry)
        site.hits.clear()
        proc = tolmach_process("models", "install", "en", "ru", "--force", env=env, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert "/pkg.argosmodel" in site.hits  # downloaded afresh
        assert models.installed_models()[0].sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("entry, needle", [
    ({}, "the package is ru->en 1.0, the index says en->ru 1.0"),
    ({"from_code": "ru", "to_code": "en", "package_version": "1.1"}, "the package is ru->en 1.0, the index says ru->en 1.1"),
])
def test_a_package_of_another_pair_or_version_than_the_index_says_is_refused(env, site, tiny_package, entry, needle):
    """`models install en ru` installed whatever the archive held (a ru->en package, exit 0); a
    newer archive got that way would have replaced the installed ru->en model."""
    data = Path(tiny_package["ru_en"]).read_bytes()
    site.routes["/pkg.argosmodel"] = data
    site.index(sha256=hashlib.sha256(data).hexdigest(), **entry)
    pair = (entry.get("from_code", "en"), entry.get("to_code", "ru"))
    proc = tolmach_process("models", "install", *pair, env=env, timeout=60)
    assert_one_line_error(proc, site.base + "pkg.argosmodel", needle)
    assert _installed(env) == []
    assert list((Path(env["TOLMACH_CACHE_DIR"]) / "downloads").iterdir()) == []


# --- replacement -----------------------------------------------------------------------------------


def test_same_version_and_downgrade_need_force_and_replacement_is_reported(env, tiny_package, tmp_path):
    good = tiny_package["en_ru"]
    assert tolmach_process("models", "install", "--file", good, env=env).returncode == 0
    before = _sha(Path(env["TOLMACH_MODELS_DIR"]) / "translate-en_ru-1_0" / "model" / "model.bin")
    proc = tolmach_process("models", "install", "--file", good, env=env)
    assert_one_line_error(proc, "translate-en_ru-1_0 1.0 is already installed", "--force")
    older = build_tiny_argosmodel(tmp_path / "old.argosmodel", package_version="0.9", name="translate-en_ru-1_0",
                                  dictionary={"war": "мир"})
    proc = tolmach_process("models", "install", "--file", older, env=env)
    assert_one_line_error(proc, "0.9 would downgrade the installed translate-en_ru-1_0 1.0", "--force")
    # same pair, another folder name: still a downgrade
    other = build_tiny_argosmodel(tmp_path / "other.argosmodel", package_version="0.5")
    assert_one_line_error(tolmach_process("models", "install", "--file", other, env=env), "downgrade")
    assert _installed(env) == ["translate-en_ru-1_0"]
    assert _sha(Path(env["TOLMACH_MODELS_DIR"]) / "translate-en_ru-1_0" / "model" / "model.bin") == before
    proc = tolmach_process("models", "install", "--file", older, "--force", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "replaced translate-en_ru-1_0 1.0" in proc.stdout
    assert models.installed_models()[0].version == "0.9"
    newer = build_tiny_argosmodel(tmp_path / "new.argosmodel", package_version="1.1", name="translate-en_ru-1_0")
    proc = tolmach_process("models", "install", "--file", newer, env=env)
    assert proc.returncode == 0 and "replaced translate-en_ru-1_0 0.9" in proc.stdout


def test_several_files_are_installed_all_or_none(env, tiny_package, tmp_path):
    """`install --file GOOD --file BAD` installed GOOD, then failed on BAD with exit 2."""
    junk = tmp_path / "junk.argosmodel"
    junk.write_text("junk\n")
    src = Path(tiny_package["ru_en_dir"])
    tokenizer = tmp_path / "tokenizer.argosmodel"  # found bad only once unpacked
    with zipfile.ZipFile(tokenizer, "w") as zf:
        for f in sorted(f for f in src.rglob("*") if f.is_file()):
            data = b"\x08\x01garbage" * 100 if f.name == "sentencepiece.model" else f.read_bytes()
            zf.writestr(f"{src.name}/{f.relative_to(src)}", data)
    newer = build_tiny_argosmodel(tmp_path / "new.argosmodel", package_version="1.1")
    for bad, needle in ((junk, "not an Argos model"), (tokenizer, "corrupt sentencepiece.model"),
                        (newer, "is a en->ru package too")):
        proc = tolmach_process("models", "install", "--file", tiny_package["en_ru"], "--file", bad, env=env)
        assert_one_line_error(proc, bad.name, needle)
        assert _installed(env) == []
        parent = Path(env["TOLMACH_MODELS_DIR"]).parent
        assert not parent.exists() or not any(p.name.startswith(".tolmach") for p in parent.iterdir())
    proc = tolmach_process("models", "install", "--file", tiny_package["en_ru"], "--file", tiny_package["ru_en"],
                           env=env)
    assert proc.returncode == 0, proc.stderr
    assert _installed(env) == ["translate-en_ru-1_0", "translate-ru_en-1_0"]


def test_a_package_that_is_a_link_is_removed_as_a_link(env, tiny_package, tmp_path):
    """`models remove` of a linked package failed with "Cannot call rmtree on a symbolic link"
    (no path) and removed nothing."""
    shared = Path(tiny_package["ru_en_dir"])
    root = Path(env["TOLMACH_MODELS_DIR"])
    root.mkdir(parents=True)
    before = sorted(p.relative_to(shared) for p in shared.rglob("*"))
    for args in (("ru", "en"), ("shared-ru_en",)):
        (root / "shared-ru_en").symlink_to(shared)
        assert "shared-ru_en" in tolmach_process("models", "list", env=env).stdout
        proc = tolmach_process("models", "remove", *args, env=env)
        assert proc.returncode == 0, proc.stderr
        assert f"removed the link shared-ru_en from {root} (its target {shared} is kept)" in proc.stdout
        assert _installed(env) == []
        assert sorted(p.relative_to(shared) for p in shared.rglob("*")) == before
    assert not any(p.name.startswith(".tolmach") for p in root.parent.iterdir())


def test_an_upgrade_replaces_the_older_package_of_the_pair(env, site, tiny_package, tmp_path):
    """Argos names package folders by version: installing 1.1 left translate-en_ru-1_0 beside
    translate-en_ru-1_1, though the README says an installed package is replaced by a newer one."""
    assert tolmach_process("models", "install", "--file", tiny_package["en_ru"], env=env).returncode == 0
    assert tolmach_process("models", "install", "--file", tiny_package["ru_en"], env=env).returncode == 0
    newer = build_tiny_argosmodel(tmp_path / "new.argosmodel", package_version="1.1")
    proc = tolmach_process("models", "install", "--file", newer, env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"replaced translate-en_ru-1_0 1.0 (sha256:{_sha(tiny_package['en_ru'])[:16]}) by translate-en_ru-1_1 1.1" \
        in proc.stdout
    assert _installed(env) == ["translate-en_ru-1_1", "translate-ru_en-1_0"]
    # an older one is refused, and with --force it replaces the newer
    assert_one_line_error(tolmach_process("models", "install", "--file", tiny_package["en_ru"], env=env),
                          "1.0 would downgrade the installed translate-en_ru-1_1 1.1")
    assert _installed(env) == ["translate-en_ru-1_1", "translate-ru_en-1_0"]
    proc = tolmach_process("models", "install", "--force", "--file", tiny_package["en_ru"], env=env)
    assert "replaced translate-en_ru-1_1 1.1" in proc.stdout and "by translate-en_ru-1_0 1.0" in proc.stdout
    assert _installed(env) == ["translate-en_ru-1_0", "translate-ru_en-1_0"]
    # the same from the index
    data = newer.read_bytes()
    site.routes["/pkg.argosmodel"] = data
    site.index(package_version="1.1", sha256=hashlib.sha256(data).hexdigest())
    proc = tolmach_process("models", "install", "en", "ru", env=env, timeout=60)
    assert "replaced translate-en_ru-1_0 1.0" in proc.stdout and "by translate-en_ru-1_1 1.1" in proc.stdout
    assert _installed(env) == ["translate-en_ru-1_1", "translate-ru_en-1_0"]
    root = Path(env["TOLMACH_MODELS_DIR"])
    assert not any(p.name.startswith(".tolmach") for p in [*root.iterdir(), *root.parent.iterdir()])


def test_of_two_packages_of_a_pair_the_newest_is_used(env, tiny_package, tmp_path):
    """Two versions installed otherwise (by argostranslate, by hand): translate takes the newest."""
    root = Path(env["TOLMACH_MODELS_DIR"])
    for version in ("1.10", "1.9"):
        archive = build_tiny_argosmodel(tmp_path / f"{version}.argosmodel", package_version=version)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(root)
    assert models.find_model("en", "ru") == root / "translate-en_ru-1_10"


def test_index_offering_nothing_newer_downloads_nothing(env, site, tiny_package):
    assert tolmach_process("models", "install", "--file", tiny_package["en_ru"], env=env).returncode == 0
    site.routes["/pkg.argosmodel"] = Path(tiny_package["en_ru"]).read_bytes()
    site.index()
    proc = tolmach_process("models", "install", "en", "ru", env=env, timeout=60)
    assert_one_line_error(proc, "already installed", "--force")
    assert "/pkg.argosmodel" not in site.hits


# --- limits ------------------------------------------------------------------------------------------


def _package_with(tmp_path: Path, tiny_package, name: str, data: bytes, compress=zipfile.ZIP_DEFLATED) -> Path:
    src = Path(tiny_package["en_ru_dir"])
    out = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(out, "w", compression=compress) as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                zf.write(f, f"{src.name}/{f.relative_to(src)}")
        zf.writestr(f"{src.name}/{name}", data)
    return out


def test_a_zip_bomb_is_refused_before_anything_is_written(env, tmp_path, tiny_package):
    bomb = _package_with(tmp_path, tiny_package, "stanza/zeros.bin", b"\0" * (64 * 2**20))
    assert bomb.stat().st_size < 2**20
    started = time.monotonic()
    proc = tolmach_process("models", "install", "--file", bomb, env=env)
    assert_one_line_error(proc, "bomb.argosmodel", "zeros.bin", "fold")
    assert time.monotonic() - started < 30
    assert _installed(env) == []
    parent = Path(env["TOLMACH_MODELS_DIR"]).parent
    assert not parent.exists() or not any(p.name.startswith(".tolmach") for p in parent.iterdir())


def test_total_and_per_entry_limits(env, tmp_path, tiny_package):
    stored = _package_with(tmp_path, tiny_package, "extra.bin", os.urandom(3_000_000), zipfile.ZIP_STORED)
    with pytest.raises(TolmachError, match="extra.bin.*expands to 3,000,000 bytes"):
        models.install_file(stored, limits=models.ExtractLimits(per_entry=2_000_000))
    with pytest.raises(TolmachError, match="archive expands to more than 3,000,000 bytes"):
        models.install_file(stored, limits=models.ExtractLimits(total=3_000_000))
    assert _installed(env) == []


def _stalling_listener():
    """Accepts TCP connections (the kernel does, from the backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock


def test_an_index_server_that_never_answers_times_out(env):
    sock = _stalling_listener()
    try:
        env = dict(env, TOLMACH_PACKAGE_INDEX=f"http://127.0.0.1:{sock.getsockname()[1]}/", TOLMACH_NET_TIMEOUT="1")
        started = time.monotonic()
        proc = tolmach_process("models", "install", "en", "ru", env=env, timeout=60)
        assert_one_line_error(proc, "no answer within 1 s", "models install --file")
        assert time.monotonic() - started < 20
    finally:
        sock.close()


@pytest.mark.parametrize("behaviour", ["forever", "stall-body", "too-long"])
def test_downloads_are_bounded(env, site, tiny_package, behaviour):
    data = Path(tiny_package["en_ru"]).read_bytes()
    site.routes["/pkg.argosmodel"] = {
        "forever": "forever",
        "stall-body": ("stall", len(data)),
        "too-long": ("content-length", 50 * 2**30, b"x"),
    }[behaviour]
    site.index(size=len(data))
    started = time.monotonic()
    proc = tolmach_process("models", "install", "en", "ru", env=dict(env, TOLMACH_NET_TIMEOUT="1"), timeout=60)
    needle = {"forever": "download stopped", "stall-body": "no answer within 1 s",
              "too-long": "more than the"}[behaviour]
    assert_one_line_error(proc, needle)
    assert time.monotonic() - started < 20
    assert _installed(env) == []
    assert list((Path(env["TOLMACH_CACHE_DIR"]) / "downloads").iterdir()) == []


@pytest.mark.parametrize("behaviour", ["trickle", "trickle-headers"])
def test_a_server_sending_a_byte_at_a_time_is_stopped_at_the_deadline(env, site, tiny_package, behaviour):
    """The socket timeout restarts on every read: a server sending a byte every 0.1 s kept
    `models list --available` and `models install` running for days, TOLMACH_NET_TIMEOUT or not."""
    env = dict(env, TOLMACH_NET_TIMEOUT="1", TOLMACH_NET_DEADLINE="2")
    site.routes["/index.json"] = behaviour
    started = time.monotonic()
    proc = tolmach_process("models", "list", "--available", env=env, timeout=60)
    assert_one_line_error(proc, "index.json", "package index: not complete within 2 s (TOLMACH_NET_DEADLINE)")
    assert time.monotonic() - started < 20
    site.index()
    site.routes["/pkg.argosmodel"] = behaviour
    started = time.monotonic()
    proc = tolmach_process("models", "install", "en", "ru", env=env, timeout=60)
    assert_one_line_error(proc, "pkg.argosmodel", "package: not complete within 2 s")
    assert time.monotonic() - started < 20
    assert _installed(env) == []
    assert list((Path(env["TOLMACH_CACHE_DIR"]) / "downloads").iterdir()) == []


def test_an_endless_index_is_cut_off(env, site):
    site.routes["/index.json"] = "forever"
    proc = tolmach_process("models", "list", "--available", env=env, timeout=60)
    assert_one_line_error(proc, "package index exceeds")


@pytest.mark.parametrize("body, needle", [
    (b"{}", "expected a JSON list of packages, got dict"),
    (b"[1,2,3]", "entry 0 is a int"),
    (b"[{\"from_code\": 1}]", "entry 0 needs"),
    (b"\xff\xfe", "not JSON"),
    (b"[{\"from_code\": \"en\", \"to_code\": \"ru\", \"sha256\": \"abc\"}]", "is not a SHA-256"),
])
def test_a_malformed_index_is_one_error_line(env, site, body, needle):
    site.routes["/index.json"] = body
    for args in (("models", "install", "en", "ru"), ("models", "list", "--available")):
        assert_one_line_error(tolmach_process(*args, env=env, timeout=60), "malformed package index", needle)


def test_offline_install_says_how_to_install_from_a_file(env):
    proc = tolmach_process("models", "install", "en", "ru", env=env)
    assert_one_line_error(proc, "cannot download the package index", "tolmach models install --file")


# --- corrupt tokenizer -----------------------------------------------------------------------------


def test_a_corrupt_sentencepiece_model_is_refused_at_install_and_reported_at_translate(env, tmp_path, tiny_package):
    src = Path(tiny_package["en_ru_dir"])
    broken = tmp_path / "pkgdir" / src.name
    shutil.copytree(src, broken)
    (broken / "sentencepiece.model").write_bytes(b"\x08\x01garbage" * 100)
    archive = tmp_path / "broken.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(broken.rglob("*")):
            zf.write(f, f"{src.name}/{f.relative_to(broken)}")
    assert_one_line_error(tolmach_process("models", "install", "--file", archive, env=env),
                          "broken.argosmodel", "corrupt sentencepiece.model")
    assert _installed(env) == []
    # a package damaged after installing (or never installed): one line at translate time
    article = tmp_path / "a.txt"
    article.write_text("The war is over.\n", encoding="utf-8")
    proc = tolmach_process("translate-article", article, "--to", "ru", "--no-glossary", "--model", broken,
                           cwd=tmp_path, env=env)
    assert_one_line_error(proc, "corrupt sentencepiece.model")


# --- litter --------------------------------------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stages_of_killed_installs_are_removed_and_argostranslate_still_reads_the_folder(env, tiny_package):
    from tolmach import fsutil

    root = Path(env["TOLMACH_MODELS_DIR"])
    root.mkdir(parents=True)
    host = fsutil.owner_tag().split("@", 1)[1]
    old = time.time() - 3600
    dead = root.parent / f".tolmach-installing-{_dead_pid()}@{host}-abcd1234"
    alive = root.parent / f".tolmach-installing-{os.getpid()}@{host}-efgh5678"
    legacy = root / ".installing-q1w2e3r4"  # what Tolmach 0.1 left inside the packages folder
    for folder in (dead, alive, legacy):
        (folder / "translate-en_ru-1_0").mkdir(parents=True)
        os.utime(folder, (old, old))
    part = Path(env["TOLMACH_CACHE_DIR"]) / "downloads" / f".x.argosmodel.part-{_dead_pid()}@{host}-zzzz0000"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"half")
    os.utime(part, (old, old))
    assert tolmach_process("models", "install", "--file", tiny_package["en_ru"], env=env).returncode == 0
    assert not dead.exists() and not legacy.exists()
    assert alive.exists()  # its writer (this process) runs
    # argostranslate takes every folder in the packages folder for a package: nothing else is there
    assert [p.name for p in root.iterdir()] == ["translate-en_ru-1_0"]
    package = pytest.importorskip("argostranslate.package", reason="argostranslate (the [argos] extra) is not installed")
    assert [p.from_code for p in package.get_installed_packages([root])] == ["en"]


def test_a_killed_install_leaves_nothing_in_the_packages_folder(env, tmp_path, tiny_package):
    """Kill -9 while the archive is being unpacked: the packages folder holds no half package."""
    big = _package_with(tmp_path, tiny_package, "stanza/big.bin", os.urandom(48 * 2**20), zipfile.ZIP_STORED)
    root = Path(env["TOLMACH_MODELS_DIR"])
    proc = subprocess.Popen([sys.executable, "-m", "tolmach", "models", "install", "--file", str(big)],
                            env=dict(os.environ, **env))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        stages = list(root.parent.glob(".tolmach-installing-*/*/stanza/big.bin"))
        if stages and stages[0].stat().st_size > 0:
            break
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    assert not root.exists() or [p.name for p in root.iterdir()] in ([], ["translate-en_ru-1_0"])
    package = pytest.importorskip("argostranslate.package", reason="argostranslate (the [argos] extra) is not installed")
    if root.exists():
        package.get_installed_packages([root])  # raised FileNotFoundError on a left stage


def _package_with_metadata(tmp_path: Path, tiny_package, name: str, change) -> Path:
    """The tiny package with its metadata.json rewritten by ``change`` (bytes -> bytes)."""
    src = Path(tiny_package["en_ru_dir"])
    out = tmp_path / f"{name}.argosmodel"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                data = f.read_bytes()
                zf.writestr(f"{src.name}/{f.relative_to(src)}", change(data) if f.name == "metadata.json" else data)
    return out


def _meta(**changes):
    def change(data: bytes) -> bytes:
        meta = json.loads(data)
        meta.update(changes)
        return json.dumps(meta).encode()

    return change


@pytest.mark.parametrize(
    "name,change,needle",
    [
        ("bom", lambda data: b"\xef\xbb\xbf" + data, "corrupt metadata.json"),
        ("sbd", _meta(type="sbd"), "not a translation model"),
        ("same", _meta(to_code="en"), "both 'en'"),
        ("path", _meta(from_code="../x"), "not a language code"),
        ("version", _meta(package_version="not a version"), "not a version number"),
    ],
)
def test_metadata_nobody_could_read_back_is_refused_and_the_installed_model_stays(env, tmp_path, tiny_package, name,
                                                                                   change, needle):
    """A metadata.json with a byte order mark, or of another type than "translate", replaced the
    installed package and then crashed (StopIteration): the new folder was one that `models list`,
    `remove` and `translate` could not see, so the working model was gone. Nonsense codes and
    versions were installed as they were ("en->en", "../x->ru  not a version")."""
    good = tiny_package["en_ru"]
    assert tolmach_process("models", "install", "--file", good, env=env).returncode == 0
    before = _sha(Path(env["TOLMACH_MODELS_DIR"]) / "translate-en_ru-1_0" / "model" / "model.bin")
    bad = _package_with_metadata(tmp_path, tiny_package, name, change)
    proc = tolmach_process("models", "install", "--force", "--file", bad, env=env)
    assert_one_line_error(proc, f"{name}.argosmodel", needle)
    assert [m.name for m in models.installed_models()] == ["translate-en_ru-1_0"]
    assert _sha(Path(env["TOLMACH_MODELS_DIR"]) / "translate-en_ru-1_0" / "model" / "model.bin") == before


def test_a_redirect_loop_is_one_error_line(env, site):
    """urllib's reason for a redirect loop spans three lines, and went into the error as it was."""
    site.routes["/index.json"] = "redirect-loop"
    proc = tolmach_process("models", "list", "--available", env=env, timeout=60)
    assert_one_line_error(proc, "index.json", "redirect", "install a model from a file")
