"""What the server must never do: open a share link, phone home, run on an old Gradio; and the
repository must hold no secrets. (test_app.py checks the file route and the server-side length limit.)"""

from __future__ import annotations

import re
import subprocess
import textwrap
from importlib.metadata import version

import httpx
import pytest

from qa.ui import LAUNCH_OPTIONS

from conftest import ROOT, started_server

# Gradio releases before this one let the file route serve files outside the app's folders.
MIN_GRADIO = (6, 16)
LOOPBACK = re.compile(r"^(?:127\.\d+\.\d+\.\d+|::1|localhost|0\.0\.0\.0|::)$")

# Loaded into the server through PYTHONPATH: records, through Python's audit hooks, every host the
# process looks up or connects to, so that a call home shows whichever library makes it.
RECORD_CONNECTIONS = textwrap.dedent(
    """
    import os, sys

    _LOG = os.environ["QA_TEST_CONNECTIONS"]

    def _record(event, args):
        if event == "socket.connect" and isinstance(args[1], tuple):
            host = args[1][0]
        elif event in ("socket.getaddrinfo", "socket.gethostbyname"):
            host = args[0]
        else:
            return
        host = host.decode() if isinstance(host, bytes) else str(host)
        with open(_LOG, "a") as log:
            log.write(f"{event} {host}\\n")

    sys.addaudithook(_record)
    """
)


@pytest.fixture(scope="module")
def watched_server(tmp_path_factory):
    """`python app.py` with every host it looks up or connects to written to a file, asked a question."""
    folder = tmp_path_factory.mktemp("watched")
    (folder / "sitecustomize.py").write_text(RECORD_CONNECTIONS)
    connections = folder / "connections.log"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", str(folder))
        patch.setenv("QA_TEST_CONNECTIONS", str(connections))
        patch.delenv("GRADIO_ANALYTICS_ENABLED", raising=False)  # as a fresh shell starts it
        with started_server("app.py", folder) as server:
            posted = httpx.post(f"{server.url}gradio_api/call/ask", json={"data": ["Where will the EU ministers meet?", None]})
            result = httpx.get(f"{server.url}gradio_api/call/ask/{posted.json()['event_id']}", timeout=60).text
            assert "event: complete" in result and "Brest" in result
            yield server, connections


@pytest.mark.slow
def test_the_server_opens_no_share_link(watched_server):
    server, _ = watched_server
    assert LAUNCH_OPTIONS["share"] is False
    log = server.log.read_text()
    assert "Running on local URL:  http://127.0.0.1:" in log  # the log is the server's, and complete
    assert "gradio.live" not in log and "public URL" not in log


@pytest.mark.slow
def test_the_server_connects_to_no_other_host(watched_server):
    """No telemetry, update check or model download: every lookup and connection stays on this machine."""
    _, connections = watched_server
    seen = connections.read_text().split("\n") if connections.exists() else []
    hosts = {line.split(" ", 1)[1] for line in seen if line}
    assert hosts, "the hook recorded nothing, not even the server's own loopback connections"
    assert {host for host in hosts if not LOOPBACK.match(host)} == set()


def test_gradio_is_pinned_to_a_release_with_the_file_route_fixes():
    pins = re.findall(r"^gradio(?:\[[\w,]+\])?==(\d+)\.(\d+)\.(\d+)\s*$", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert len(pins) == 1, "requirements.txt must pin gradio to exactly one release with =="
    assert tuple(map(int, pins[0][:2])) >= MIN_GRADIO
    assert version("gradio") == ".".join(pins[0]), "the tests run another Gradio than the one pinned"


SECRETS = {
    "Hugging Face token": r"\bhf_[A-Za-z0-9]{30,}",
    "AWS access key": r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
    "private key": r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    "GitHub token": r"\bgh[pousr]_[A-Za-z0-9]{36,}",
    "OpenAI-style key": r"\bsk-[A-Za-z0-9_-]{20,}",
    "Slack token": r"\bxox[abprs]-[A-Za-z0-9-]{10,}",
    "key or password with a value": r"(?i:\b(?:api[_-]?key|secret|password|access[_-]?token)\b)\s*[=:]\s*['\"][^'\"\s]{8,}['\"]",
}
SECRET = re.compile("|".join(f"(?P<g{n}>{pattern})" for n, pattern in enumerate(SECRETS.values())))


def _repository_files() -> list[str]:
    """Every file that is or would be committed: tracked, or new and not ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@pytest.mark.parametrize(
    "sample",
    ["hf_" + "aB3" * 12, "AKIA" + "ABCDEFGHIJ234567", "-----BEGIN RSA " + "PRIVATE KEY-----", "ghp_" + "x1" * 18,
     "sk-" + "proj_" * 5, "xoxb-" + "1234-5678-abcd", 'api_key = "' + "s3cr3t-v4lue" + '"', "PASSWORD: '" + "hunter2hunter2'"],
)
def test_the_secret_patterns_catch_secrets(sample):
    assert SECRET.search(sample)


def test_the_repository_holds_no_secrets():
    files = _repository_files()
    assert "README.md" in files and "src/qa/index.py" in files
    found = []
    for name in files:
        text = (ROOT / name).read_bytes().decode("utf-8", errors="replace")
        found += [f"{name}: {match.group()[:12]}…" for match in SECRET.finditer(text)]
    assert found == []
    assert not [name for name in files if re.search(r"(?:^|/)(?:\.env|.*\.pem|id_rsa|.*\.key)$", name)]
