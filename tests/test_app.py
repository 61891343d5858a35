"""The app as a real Gradio server on a free port, asked through real clients: gradio_client, MCP, HTTP."""

from __future__ import annotations

import ast
import asyncio
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from conftest import ARTICLE, ROOT, running_server

pytestmark = pytest.mark.slow

ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["app.py", "qa serve"])
def server_url(request, tmp_path_factory):
    """The app as the README starts it (`python app.py`, also what a Space runs) and as `qa serve`."""
    with running_server(request.param, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="module")
def client(server_url):
    from gradio_client import Client

    return Client(server_url, verbose=False)


def _assert_verbatim(quote: dict) -> None:
    assert ARTICLE_TEXT[quote["start"] : quote["end"]] == quote["text"]


@pytest.mark.parametrize(
    ("question", "quoted", "speaker"),
    [
        ("What did Stoltenberg say about dialogue?", "a sincere and fundamental dialogue", "Jens Stoltenberg"),
        ("Where will the EU ministers meet?", "in Brest, western France", None),
        ("What did Baerbock say?", "dialogue must take place on the basis", "Annalena Baerbock"),
    ],
)
def test_ask_endpoint_returns_the_answer_as_json(client, question, quoted, speaker):
    answer = client.predict(question, api_name="/ask")
    assert answer["question"] == question and answer["found"] is True
    top = answer["quotes"][0]
    assert quoted in top["text"]
    assert top["speaker"] == speaker
    _assert_verbatim(top)
    assert json.loads(json.dumps(answer)) == answer


def test_ask_endpoint_takes_history(client):
    history = [
        {"role": "user", "content": "What did Stoltenberg say about dialogue?"},
        {"role": "assistant", "content": "“NATO will take part in …”"},
    ]
    answer = client.predict("Where will the EU ministers meet?", history, api_name="/ask")
    assert "Brest" in answer["quotes"][0]["text"]


def test_chat_endpoint_returns_the_quote_as_markdown(client):
    reply = client.predict("What did Stoltenberg say about dialogue?", api_name="/chat")
    assert reply.startswith("> NATO will take part in “a sincere and fundamental dialogue”")
    assert "— Jens Stoltenberg, NATO Secretary General" in reply
    assert "*paragraph 3*" in reply


def test_questions_about_the_whole_article_are_answered_over_http(client):
    about = client.predict("What is this article about?", api_name="/ask")
    assert about["found"] and about["lead"] and {quote["paragraph"] for quote in about["quotes"]} == {1}
    for quote in about["quotes"]:
        _assert_verbatim(quote)
    quoted = client.predict("Who is quoted in the article?", api_name="/chat")
    # The list under its bold first line, then each speaker's first words as block quotes.
    assert re.match(r"\*\*\d+ speakers, in the order they first speak:\*\*\n", quoted)
    assert "\n\\- Jens Stoltenberg, NATO Secretary General: " in quoted
    assert "\n\n> " in quoted


def test_declined_question_is_declined_on_both_endpoints(client):
    answer = client.predict("What is the capital of Australia?", api_name="/ask")
    assert answer["found"] is False and answer["quotes"] == []
    assert client.predict("What is the capital of Australia?", api_name="/chat").startswith(
        "⊘ **Not in the article.**"
    )


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("   ", "question is empty"),
        ("z" * 1500, "question is 1500 characters long; the limit is 1000"),
        ("z" * 100_000, "question is 100000 characters long; the limit is 1000"),
    ],
)
@pytest.mark.parametrize("endpoint", ["/ask", "/chat"])
def test_bad_questions_get_one_clear_error_from_the_server(client, endpoint, question, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=message):
        client.predict(question, api_name=endpoint)


def test_bad_history_gets_a_clear_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="history turn 0 must be a dict with 'role' and 'content'"):
        client.predict("What did Baerbock say?", ["not a turn"], api_name="/ask")


def test_only_the_two_endpoints_are_offered(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask", "/chat"}


@pytest.mark.parametrize(
    "path",
    [ROOT / "app.py", ROOT / "index" / "manifest.json", ROOT / "index" / "chunks.faiss", ARTICLE],
    ids=["app.py", "manifest", "faiss", "article"],
)
def test_file_route_refuses_repository_files(server_url, path):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server_url}gradio_api/file={path.resolve()}", timeout=10)
    assert refused.value.code in (403, 404)


def _ask_as_an_agent(server_url: str, question: str) -> tuple[dict, str]:
    """The MCP server's tools by name, and the text the `ask` tool gives an agent for `question`."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def ask() -> tuple[dict, str]:
        async with streamable_http_client(f"{server_url}gradio_api/mcp/") as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = {tool.name: tool for tool in (await session.list_tools()).tools}
                result = await session.call_tool("ask", {"question": question})
                return tools, result.content[0].text

    return asyncio.run(ask())


def test_mcp_tool_answers_an_agent(server_url):
    tools, text = _ask_as_an_agent(server_url, "What did Stoltenberg say about dialogue?")
    # Gradio hands a tool's dict to the agent as a Python literal, not as JSON.
    answer = ast.literal_eval(text)
    assert "verbatim quotes" in tools["ask"].description
    assert tools["ask"].inputSchema["required"] == ["question"]
    assert answer["found"] is True
    assert "a sincere and fundamental dialogue" in answer["quotes"][0]["text"]
    _assert_verbatim(answer["quotes"][0])


def test_mcp_ask_tool_describes_its_result_as_the_agent_gets_it(server_url):
    tools, text = _ask_as_an_agent(server_url, "What is the capital of Australia?")
    description = tools["ask"].description
    assert "the answer as JSON" not in description and "Python literal" in description
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert ast.literal_eval(text)["found"] is False


def test_readme_client_example_prints_what_the_readme_says(server_url):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(
        r"```python\n(from gradio_client import Client\n.*?)```\s*prints\s*```\n(.*?)```", readme, re.DOTALL
    )
    assert example, "README.md has no gradio_client example followed by its output"
    code, shown = example.groups()
    assert "http://127.0.0.1:7860/" in code
    run = subprocess.run(
        [sys.executable, "-c", code.replace("http://127.0.0.1:7860/", server_url)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == shown
