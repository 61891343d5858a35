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


@pytest.fixture(scope="module")
def server_url():
    port = _free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"app.py exited with {process.returncode}: {process.stdout.read()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"app.py did not listen on port {port} within {START_TIMEOUT} s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


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
