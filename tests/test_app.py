"""The chat app as a real Gradio server, asked through a real HTTP client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

START_TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module", params=["app.py", "qa serve"])
def server_url(request, tmp_path_factory):
    """The app started as the README starts it (`python app.py`) and as `qa serve`, on a free port."""
    port = _free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    command = {
        "app.py": [sys.executable, "app.py"],
        "qa serve": [sys.executable, "-m", "qa.cli", "serve", "--port", str(port)],
    }[request.param]
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = open(log_path, "w")  # a file, not a pipe: nobody reads the server's output while it runs
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"{request.param} exited with {process.returncode}: {log_path.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"{request.param} did not listen on port {port} within {START_TIMEOUT} s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_chat_answers_with_a_quote(server_url):
    from gradio_client import Client

    client = Client(server_url, verbose=False)
    reply = client.predict("What did Stoltenberg say about dialogue?", api_name="/chat")
    assert "a sincere and fundamental dialogue" in reply
    assert "Jens Stoltenberg" in reply


def test_chat_declines_and_reports_bad_input_in_one_line(server_url):
    from gradio_client import Client

    client = Client(server_url, verbose=False)
    assert client.predict("What is the capital of Australia?", api_name="/chat").startswith(
        "The article doesn't say."
    )
    reply = client.predict("z" * 1500, api_name="/chat")
    assert reply == "Sorry, I can't answer that: question is 1500 characters long; the limit is 1000"
