"""The `qa` command, end to end in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ARTICLE, ROOT

pytestmark = pytest.mark.slow

QA = [sys.executable, "-m", "qa.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*QA, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_console_script_is_installed():
    assert shutil.which("qa", path=str(Path(sys.executable).parent))


def test_ask_prints_the_readable_answer():
    result = run("ask", "What did Stoltenberg say about dialogue?")
    assert result.returncode == 0, result.stderr
    assert "a sincere and fundamental dialogue" in result.stdout
    assert "\n— Jens Stoltenberg, NATO Secretary General\nparagraph 3\n" in result.stdout
    assert result.stderr == ""


def test_ask_json_prints_the_answer_dict():
    result = run("ask", "Where will the EU ministers meet?", "--json", "-k", "3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["found"] is True
    quote = data["quotes"][0]
    assert "Brest" in quote["text"]
    assert ARTICLE.read_text(encoding="utf-8")[quote["start"] : quote["end"]] == quote["text"]


def test_ask_declines_what_the_article_does_not_say():
    result = run("ask", "What is the capital of Australia?", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["found"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "   "), "qa: error: question is empty"),
        (("ask", "y" * 1200), "qa: error: question is 1200 characters long; the limit is 1000"),
        (("ask", "Who?", "--index", "/nonexistent/index"), "qa: error: cannot use the index in /nonexistent/index"),
        (("index", "/nonexistent/article.txt", "--out", "/tmp/never"), "qa: error: article file not found"),
    ],
)
def test_errors_are_one_line_without_traceback(args, message):
    result = run(*args)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_labelled_set_that_is_no_text_is_one_line(tmp_path: Path):
    path = tmp_path / "set.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = run("eval", str(path))
    assert result.returncode == 1
    assert result.stderr == f"qa: error: {path}: not a labelled set: it is not UTF-8 text\n"


def test_unloadable_model_is_one_line_and_leaves_the_index_alone(tmp_path: Path):
    shutil.copytree(ROOT / "index", tmp_path / "index")
    shutil.copytree(ROOT / "articles", tmp_path / "articles")
    before = {p.name: p.read_bytes() for p in (tmp_path / "index").iterdir()}
    result = run("ask", "Who?", "--index", str(tmp_path / "index"), "--model", str(tmp_path / "no-model"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("qa: error: cannot load embedding model")
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / "index").iterdir()} == before


def test_operating_system_errors_are_one_line(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("index", str(ARTICLE), "--out", str(blocker / "index"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("qa: error: Not a directory")
    assert "Traceback" not in result.stderr
    # Said before anything is embedded: the one line is all there is.
    result = run("index", str(ARTICLE), "--out", str(blocker))
    assert result.returncode == 1
    assert result.stderr == f"qa: error: cannot write an index to {blocker}: it is a file, not a folder\n"

    with open("/dev/full", "w") as full:
        result = subprocess.run([*QA, "ask", "Where will the EU ministers meet?"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr == "qa: error: No space left on device\n"


def test_a_closed_pipe_ends_quietly():
    reader = subprocess.Popen([*QA, "ask", "Where will the EU ministers meet?", "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.close()  # the reader leaves before the answer is written
    stderr = reader.stderr.read().decode()
    assert reader.wait(timeout=300) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [(("ask", "Who?", "-k", "0"), "argument -k: expected a number from 1 to 50, got 0"),
     (("ask", "Who?", "-k", "51"), "argument -k: expected a number from 1 to 50, got 51"),
     (("serve", "--port", "99999"), "argument --port: expected a number from 1 to 65535, got 99999")],
)
def test_usage_errors_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_serve_on_a_port_in_use_says_so_in_one_line():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr == f"qa: error: port {port} on 127.0.0.1 is in use: choose another with --port\n"


def test_index_then_ask_another_article(tmp_path: Path):
    article = tmp_path / "harbour.txt"
    article.write_text(
        "Harbour Reopens After Storm\n\n"
        "The harbour of Port Ellis reopened on Tuesday after a week of repairs. "
        "“The boats are back and so is the town,” said Harbour Master Lena Ortiz.\n\n"
        "Repairs cost about 2 million euros, paid by the regional government.\n",
        encoding="utf-8",
    )
    out = tmp_path / "harbour-index"
    built = run("index", str(article), "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "indexed 1 article(s)" in built.stdout
    assert "Batches" in built.stderr  # the progress bar
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["articles"][0]["doc"] == "harbour"

    asked = run("ask", "How much did the repairs cost?", "--index", str(out), "--json")
    assert asked.returncode == 0, asked.stderr
    quote = json.loads(asked.stdout)["quotes"][0]
    assert "2 million euros" in quote["text"] and quote["doc"] == "harbour"

    who = run("ask", "What did the harbour master say?", "--index", str(out), "--json")
    top = json.loads(who.stdout)["quotes"][0]
    assert (top["speaker"], top["speaker_role"]) == ("Lena Ortiz", "Harbour Master")


def test_indexing_fewer_articles_into_an_index_refuses_to_drop_the_others_unless_told(tmp_path: Path):
    harbour, storm = tmp_path / "harbour.txt", tmp_path / "storm.txt"
    harbour.write_text("Harbour reopens\n\nThe harbour of Port Ellis reopened on Tuesday.\n", encoding="utf-8")
    storm.write_text("Storm closes roads\n\nA storm closed the coast road on Monday.\n", encoding="utf-8")
    out = tmp_path / "both"
    assert run("index", str(harbour), str(storm), "--out", str(out)).returncode == 0
    manifest = (out / "manifest.json").read_bytes()
    refused = run("index", str(storm), "--out", str(out))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"qa: error: {out} holds an index of 2 article(s) that would lose harbour.txt: "
        "list them too to keep them, or pass --replace\n"
    )
    assert (out / "manifest.json").read_bytes() == manifest  # untouched
    assert run("index", str(storm), "--out", str(out), "--replace").returncode == 0
    assert [a["doc"] for a in json.loads((out / "manifest.json").read_text())["articles"]] == ["storm"]


def test_a_host_that_is_no_address_is_named(tmp_path: Path):
    result = run("serve", "--host", "999.1.1.1", "--port", "7871")
    assert result.returncode == 1
    assert result.stderr.startswith("qa: error: cannot listen on 999.1.1.1:7871: ")


def test_index_without_arguments_builds_the_shipped_article(tmp_path: Path):
    out = tmp_path / "index"
    result = subprocess.run(
        [*QA, "index"], capture_output=True, text=True, timeout=300,
        env={**os.environ, "QA_INDEX_DIR": str(out)},
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["sentences"] == 31
    assert (out / manifest["articles"][0]["path"]).resolve() == ARTICLE.resolve()


def test_several_articles_text_and_html_in_one_index_each_quote_naming_its_own(tmp_path: Path):
    import qa
    from qa.extract import article_text

    page = ROOT / "tests" / "data" / "news-page.html"
    out = tmp_path / "both"
    built = run("index", str(ARTICLE), str(page), "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "indexed 2 article(s)" in built.stdout

    asked = run("ask", "How much will the tram line cost?", "--index", str(out), "--json")
    assert asked.returncode == 0, asked.stderr
    quote = json.loads(asked.stdout)["quotes"][0]
    assert quote["doc"] == "news-page" and "410 million euros" in quote["text"]
    assert article_text(page.read_bytes(), page.name)[quote["start"] : quote["end"]] == quote["text"]
    assert "· news-page" in run("ask", "How much will the tram line cost?", "--index", str(out)).stdout

    answer = qa.load(out).ask("What did Stoltenberg say about dialogue?")
    assert answer.quotes[0].doc == "nato-russia-real-risk-of-conflict"
    assert "sincere and fundamental dialogue" in answer.quotes[0].text
