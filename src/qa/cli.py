"""The `qa` command: a thin shell over the library. Errors are one line and a non-zero exit status."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Sequence

from .errors import QAError

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def _whole_number(low: int, high: int):  # type: ignore[no-untyped-def]
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a number from {low} to {high}, got {value}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from .answer import MAX_K

    parser = argparse.ArgumentParser(
        prog="qa", description="Ask a news article questions; get verbatim, attributed quotes from it."
    )
    parser.add_argument("--version", action="version", version=f"qa {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question with quotes from the article")
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("-k", type=_whole_number(1, MAX_K), default=5,
                     help="passages to retrieve per ranking (default 5)")
    ask.add_argument("--index", type=Path, metavar="DIR", help="index folder (default: the shipped index)")
    ask.add_argument("--model", help="sentence-transformers model (default: $QA_MODEL or all-MiniLM-L6-v2)")

    index = commands.add_parser("index", help="build an index from article files")
    index.add_argument("articles", nargs="*", type=Path, metavar="ARTICLE",
                       help="UTF-8 article files: plain text, Markdown (.md) or a saved news page (.html), "
                            "whose story is kept and the rest dropped (default: the shipped article)")
    index.add_argument("--out", type=Path, metavar="DIR", help="index folder (default: the shipped index)")
    index.add_argument("--replace", action="store_true",
                       help="replace an index in DIR even if it holds articles not given here (they are dropped)")
    index.add_argument("--model", help="sentence-transformers model (default: $QA_MODEL or all-MiniLM-L6-v2)")

    evaluate = commands.add_parser(
        "eval", help="score the answers on labelled sets: JSONL questions, or a SQuAD-format JSON file"
    )
    evaluate.add_argument("files", type=Path, nargs="+", metavar="FILE",
                          help='JSONL of {"question", "expect": [substrings] or null, "history"?}, scored '
                               "together, each asked of the article of the same name beside it (x.txt for "
                               "x.jsonl) if there is one; or one SQuAD JSON (each article indexed on its own)")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument("-k", type=_whole_number(1, MAX_K), default=3,
                          help="ranked sentences in which recall@k looks for the answer (default 3)")
    evaluate.add_argument("--index", type=Path, metavar="DIR",
                          help="index folder for JSONL without an article beside it (default: the shipped index)")
    evaluate.add_argument("--model", help="sentence-transformers model (default: $QA_MODEL or all-MiniLM-L6-v2)")

    serve = commands.add_parser("serve", help="run the chat app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_whole_number(1, 65535), default=7860)
    return parser


def _ask(args: argparse.Namespace) -> None:
    from .api import QA, default_qa

    engine = QA(args.index, model=args.model) if args.index else default_qa(model=args.model)
    answer = engine.ask(args.question, k=args.k)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer.text)


def _index(args: argparse.Namespace) -> None:
    from .api import DEFAULT_ARTICLE, build_index, default_index_dir
    from .index import manifest_sources

    out = args.out or default_index_dir()
    articles = args.articles or [DEFAULT_ARTICLE]
    # "qa index new.txt --out several" reads as adding one article, but builds an index of that one alone.
    held = manifest_sources(Path(out)) if (Path(out) / "manifest.json").is_file() else None
    given = {Path(article).resolve() for article in articles}
    dropped = [source.name for source in held or () if source not in given]
    if dropped and not args.replace:
        raise QAError(
            f"{out} holds an index of {len(held or ())} article(s) that would lose {', '.join(dropped)}: "
            "list them too to keep them, or pass --replace"
        )
    build_index(articles, out, model=args.model, progress=True)
    print(f"indexed {len(articles)} article(s) into {out}")


def _evaluate(args: argparse.Namespace) -> None:
    from .evaluate import evaluate_sets, evaluate_squad

    squad = [path for path in args.files if path.suffix == ".json"]
    if squad and len(args.files) > 1:
        raise QAError(f"a SQuAD file is scored alone: {squad[0]} was given with {len(args.files) - 1} other file(s)")
    if squad:
        report = evaluate_squad(squad[0], model=args.model, k=args.k, progress=not args.json)
    else:
        report = evaluate_sets(args.files, index_dir=args.index, model=args.model, k=args.k)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print("\n".join(report.lines()))


def _check_port_free(host: str, port: int) -> None:
    """Refuse a port another program listens on now, before the model takes seconds to load for nothing.
    Other failures to bind (a host that is not this machine's) are left to the server to report."""
    import errno
    import socket

    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise QAError(f"cannot listen on {host}:{port}: {(error.strerror or str(error)).lower()}") from None
    with socket.socket(family, kind, protocol) as probe:
        # As the server binds: a port whose last connections are closing is free to it.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise QAError(f"port {port} on {host} is in use: choose another with --port") from None
            raise


def _serve(args: argparse.Namespace) -> None:
    from .ui import LAUNCH_OPTIONS, build_demo

    _check_port_free(args.host, args.port)
    build_demo().launch(server_name=args.host, server_port=args.port, **LAUNCH_OPTIONS)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="qa: %(message)s")
    try:
        {"ask": _ask, "index": _index, "eval": _evaluate, "serve": _serve}[args.command](args)
    except QAError as error:
        print(f"qa: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`qa ask … | head`): nothing more to say, and nobody to say it to.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except OSError as error:
        # Disks, folders and ports fail in ways the library cannot foresee; one line still says which.
        where = f": {error.filename}" if error.filename else ""
        print(f"qa: error: {error.strerror or error}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
