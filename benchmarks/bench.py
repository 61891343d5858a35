"""How fast `qa` is, each figure beside the floor it is compared with, measured in the same run.

    python benchmarks/bench.py [cold] [warm] [http] [scale]     (all four: `make bench`)

Prints one Markdown table: `import qa`; a first answer from a fresh process (API and CLI) against a bare
`import sentence_transformers`; warm latency of `qa.ask` over 246 questions against a bare
`model.encode` of each question; the HTTP API under 1, 8 and 32 concurrent `gradio_client` clients on a
local server (and, to tell the server's cost from the client's, plain HTTP); index builds; memory; and
scale: one article, the 48 SQuAD v1.1 dev articles, and those 48 ten times over (103,170 sentences), with
exact and HNSW search compared. Takes about ten minutes on two cores. SQuAD is by Rajpurkar et al. 2016, CC BY-SA 4.0, read from ../shared/eval/.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import numpy as np

    from qa.embed import Embedder

ROOT = Path(__file__).resolve().parents[1]
SQUAD = ROOT.parent / "shared" / "eval" / "squad-v1.1-dev.json"
PYTHON = sys.executable
QA_COMMAND = str(Path(PYTHON).with_name("qa"))
QUESTION = "What did Stoltenberg say about dialogue?"
COPIES_FOR_100K = 10
CLIENT_LEVELS = (1, 8, 32)
REQUESTS_PER_LEVEL = 256

rows: list[tuple[str, str, str, str]] = []


def row(measure: str, figure: str, floor: str = "", target: str = "") -> None:
    rows.append((measure, figure, floor, target))
    print(f"  {measure}: {figure}" + (f"  ({floor})" if floor else "") + (f"  [{target}]" if target else ""))
    sys.stdout.flush()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(call: Callable[[Any], object], items: list, warm: int = 20) -> list[float]:
    """The seconds `call(item)` takes for each of `items`, after `warm` calls that are not counted."""
    for item in items[:warm]:
        call(item)
    times = []
    for item in items:
        started = time.perf_counter()
        call(item)
        times.append(time.perf_counter() - started)
    return times


def wall(command: list[str], runs: int) -> float:
    """The median wall time of `command` over `runs` runs, each in a fresh process."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# Code that a child process runs first, to reach this module's helpers.
CHILD_PRELUDE = f"import json, statistics, sys, time; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench\n"


def child(code: str, *args: str) -> Any:
    """Run `code` (after CHILD_PRELUDE) in a fresh Python with `args`; return the JSON it prints last."""
    run = subprocess.run(
        [PYTHON, "-c", CHILD_PRELUDE + code, *args], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def article_questions() -> list[str]:
    return [
        json.loads(line)["question"]
        for name in ("questions.jsonl", "calibration.jsonl")
        for line in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()
    ]


def squad_questions(count: int) -> list[str]:
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    return [q["question"] for article in data for p in article["paragraphs"] for q in p["qas"]][:count]


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def cold_start() -> None:
    print("cold start")
    imports = [child("t = time.perf_counter(); import qa; print(time.perf_counter() - t)") for _ in range(5)]
    floor = wall([PYTHON, "-c", "import sentence_transformers"], 3)
    row("`import qa`", ms(statistics.median(imports)), "", "cheap: loads neither torch nor FAISS")
    api = wall([PYTHON, "-c", f"import qa; qa.ask({QUESTION!r})"], 5)
    cli = wall([QA_COMMAND, "ask", QUESTION], 5)
    floor_text = f"`import sentence_transformers` alone: {floor:.2f} s"
    row("first answer, fresh process, `qa.ask`", f"{api:.2f} s", floor_text, "≤ 2 s")
    row("first answer, fresh process, `qa ask`", f"{cli:.2f} s", floor_text, "≤ 2 s")
    rss = child(f"import qa; qa.ask({QUESTION!r}); print(json.dumps(bench.peak_rss_mb('self')))")
    row("peak memory of a process that answers", f"{rss:.0f} MB")


def warm_latency() -> None:
    print("warm latency")
    from sentence_transformers import SentenceTransformer

    from qa.api import default_qa
    from qa.embed import _load_path

    engine = default_qa()
    engine.warm_up()
    questions = article_questions() + squad_questions(100)
    asked = timed(engine.ask, questions)
    model = SentenceTransformer(_load_path(engine.embedder.model_name), device="cpu")
    bare = timed(lambda question: model.encode([question], normalize_embeddings=True), questions)
    numpy_encode = timed(engine.embedder.encode_query, questions)
    p50, floor = statistics.median(asked), statistics.median(bare)
    row(
        f"warm `qa.ask`, {len(questions)} questions, p50 / p95",
        f"{ms(p50)} / {ms(percentile(asked, 0.95))}",
        f"bare `model.encode` p50 / p95: {ms(floor)} / {ms(percentile(bare, 0.95))}",
        "p50 ≤ 15 ms",
    )
    row("warm `qa.ask` p50 ÷ bare `model.encode` p50", f"{p50 / floor:.2f}×", "", "≤ 1.3×")
    row(
        "of which: the question's vector (numpy) p50; the rest (difference of the p50s)",
        f"{ms(statistics.median(numpy_encode))}; {ms(p50 - statistics.median(numpy_encode))}",
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_mb(pid: int | str) -> float:
    """A process's peak resident memory. (getrusage's figure is no use in a child: Linux carries the
    parent's peak across fork and exec.)"""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")




def _rest_ask(url: str, question: str) -> None:
    """One answer through Gradio's plain HTTP API: post the question, then read the result."""
    request = urllib.request.Request(
        url + "gradio_api/call/ask",
        data=json.dumps({"data": [question, None]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    event = json.loads(urllib.request.urlopen(request, timeout=60).read())["event_id"]
    result = urllib.request.urlopen(f"{url}gradio_api/call/ask/{event}", timeout=60).read()
    if b"event: complete" not in result:
        raise RuntimeError(result[:200])


def _load(
    callers: list[Callable[[str], object]], questions: list[str], each: int
) -> tuple[list[float], int, float, float]:
    """Every caller asks `each` questions at once with the others; returns the latencies, the failures,
    the elapsed time and this process's CPU seconds."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def work(call: Callable[[str], object], offset: int) -> None:
        for number in range(each):
            started = time.perf_counter()
            try:
                call(questions[(offset + number) % len(questions)])
                with lock:
                    latencies.append(time.perf_counter() - started)
            except Exception:
                with lock:
                    failures[0] += 1

    threads = [threading.Thread(target=work, args=(call, n * each)) for n, call in enumerate(callers)]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0], time.perf_counter() - started, time.process_time() - cpu


def http_clients() -> None:
    print("HTTP API")
    from gradio_client import Client

    port = _free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1"}
    server = subprocess.Popen([PYTHON, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(url + "config", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the app did not start") from None
                time.sleep(0.5)
        questions = article_questions() + squad_questions(REQUESTS_PER_LEVEL)
        levels = [("gradio_client", clients) for clients in CLIENT_LEVELS] + [("plain HTTP", CLIENT_LEVELS[-1])]
        for kind, clients in levels:
            each = REQUESTS_PER_LEVEL // clients
            if kind == "gradio_client":
                callers = [
                    (lambda client: lambda q: client.predict(q, api_name="/ask"))(Client(url, verbose=False))
                    for _ in range(clients)
                ]
            else:
                callers = [lambda q: _rest_ask(url, q)] * clients
            server_cpu = _cpu_seconds(server.pid)
            latencies, failures, elapsed, client_cpu = _load(callers, questions, each)
            server_cpu = _cpu_seconds(server.pid) - server_cpu
            done = len(latencies)
            if not done:
                row(f"HTTP `/ask`, {clients} concurrent {kind} clients", f"every one of {failures} requests failed")
                continue
            row(
                f"HTTP `/ask`, {clients} concurrent {kind} client{'s' if clients > 1 else ''}: p50 / p95, failed",
                f"{ms(statistics.median(latencies))} / {ms(percentile(latencies, 0.95))}, {failures} of "
                f"{clients * each}; {done / elapsed:.0f} answers/s",
                f"CPU per answer: server {ms(server_cpu / max(done, 1))}, clients {ms(client_cpu / max(done, 1))}",
                "0 failed, p95 ≤ 500 ms" if clients == 32 else "",
            )
        row("peak memory of the server", f"{peak_rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _write_squad_articles(folder: Path, copies: int) -> list[Path]:
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    folder.mkdir()
    paths = []
    for copy in range(copies):
        for number, article in enumerate(data):
            path = folder / f"squad-{copy:02d}-{number:02d}.txt"
            title = article["title"].replace("_", " ")
            path.write_text(title + "\n\n" + "\n\n".join(p["context"] for p in article["paragraphs"]) + "\n", encoding="utf-8")
            paths.append(path)
    return paths


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir() if path.is_file())


QUERY_CHILD = """
import qa
started = time.perf_counter()
engine = qa.load(sys.argv[1])
engine.warm_up()
loaded = time.perf_counter() - started
times = bench.timed(engine.ask, json.loads(sys.argv[2]))
print(json.dumps({"load": loaded, "p50": statistics.median(times), "rss": bench.peak_rss_mb("self")}))
"""


def scale() -> None:
    print("index build and scale")
    from qa.chunks import ChunkSettings
    from qa.embed import Embedder
    from qa.index import build, known_vectors, save

    embedder = Embedder()
    started = time.perf_counter()
    embedder.warm_up()
    row("sentence-transformers model load (index builds only)", f"{time.perf_counter() - started:.2f} s")
    settings = ChunkSettings()
    questions = squad_questions(200)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        article = ROOT / "articles" / "nato-russia-real-risk-of-conflict.txt"
        cases = [
            ("1 article (this one)", [article], article_questions()[:200]),
            ("48 SQuAD v1.1 dev articles", _write_squad_articles(folder / "squad", 1), questions),
            (f"48 SQuAD articles × {COPIES_FOR_100K}", _write_squad_articles(folder / "squad-x", COPIES_FOR_100K), questions),
        ]
        previous_dir = None
        for label, paths, asked in cases:
            index_dir = folder / f"index-{len(paths)}"
            # The copies reuse the vectors of the 48 articles' index, as adding articles to an index does.
            known = known_vectors(previous_dir, embedder.model_name, settings) if previous_dir else {}
            started = time.perf_counter()
            index = build(paths, embedder, settings, known=known)
            save(index, index_dir)
            built = time.perf_counter() - started
            counts = index.manifest["counts"]
            query = child(QUERY_CHILD, str(index_dir), json.dumps(asked))
            new = {d.article.doc: len(d.article.sentences) for d in index.documents if d.article.sha256 not in known}
            texts = sum(new.values()) + sum(chunk.doc in new for chunk in index.chunks)
            speed = (
                f"{texts / built:.0f} texts embedded/s"
                if new
                else "every article's vectors reused from the previous index: parsing only"
            )
            row(
                f"{label}: {counts['sentences']:,} sentences, {counts['chunks']:,} chunks",
                f"build {built:.1f} s ({speed}), "
                f"{_folder_bytes(index_dir) / 1e6:.1f} MB on disk, load {query['load']:.2f} s, "
                f"`qa.ask` p50 {ms(query['p50'])}, peak memory {query['rss']:.0f} MB",
                "",
                "p50 ≤ 30 ms" if counts["sentences"] >= 100_000 else "",
            )
            previous_dir = index_dir
            if counts["sentences"] >= 10_000:
                exact_versus_hnsw(index.sentence_vectors.reconstruct_n(0, index.sentence_vectors.ntotal), embedder, questions)


def exact_versus_hnsw(vectors: np.ndarray, embedder: Embedder, questions: list[str]) -> None:
    """Search time of exact and HNSW search over the same vectors, and HNSW's recall@10 against exact
    search. Copies of an article hold equal vectors, so a result counts as found when it scores at least
    the exact 10th score: which of several equal vectors comes back does not matter."""
    import faiss
    import numpy as np

    from qa.index import HNSW_SEARCH_BREADTH, vector_index

    queries = np.stack([embedder.encode_query(q) for q in questions])
    exact = vector_index(vectors, exact_limit=len(vectors))
    started = time.perf_counter()
    hnsw = vector_index(vectors, exact_limit=0)
    built = time.perf_counter() - started
    results = {}
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # as `qa` searches: one question on one thread
    try:
        for name, index in (("exact", exact), ("HNSW", hnsw)):
            found: list[np.ndarray] = []
            times = timed(lambda query: found.append(index.search(query[None, :], 10)[0][0]), list(queries), warm=0)
            results[name] = (statistics.median(times), found)
    finally:
        faiss.omp_set_num_threads(threads)
    recall = np.mean([
        np.sum(approximate >= truth[-1] - 1e-5) / 10 for truth, approximate in zip(results["exact"][1], results["HNSW"][1])
    ])
    row(
        f"{len(vectors):,} sentence vectors: exact search p50; HNSW (M 32, efSearch {HNSW_SEARCH_BREADTH}) p50",
        f"{ms(results['exact'][0])}; {ms(results['HNSW'][0])}, recall@10 {recall:.3f}, built in {built:.0f} s",
        "",
        "recall ≥ 0.99",
    )


SECTIONS = {"cold": cold_start, "warm": warm_latency, "http": http_clients, "scale": scale}


def main() -> None:
    # The figures are for the machine's defaults: torch and numpy's BLAS on every core.
    print(f"machine: {machine()}")
    started = time.perf_counter()
    for name in sys.argv[1:] or SECTIONS:
        SECTIONS[name]()
    print(f"\n{machine()}; {time.strftime('%Y-%m-%d')}; {time.perf_counter() - started:.0f} s in all\n")
    print("| measure | qa | floor, or where the time goes | target |\n|---|---|---|---|")
    for measure, figure, floor, target in rows:
        print(f"| {measure} | {figure} | {floor} | {target} |")


if __name__ == "__main__":
    main()
