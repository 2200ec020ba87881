"""The `assistant` command: parses options, calls the Python API, prints. No real work here.

Imports of the heavy stack stay inside the commands so that `assistant --help` is instant.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
from pathlib import Path

from .cli_feeds import FEED_COMMANDS, add_commands


def _global_options(p: argparse.ArgumentParser, default=None) -> None:
    p.add_argument("--data-dir", default=default,
                   help="index folder (default: $ASSISTANT_DATA_DIR or ~/.local/share/news-assistant)")
    p.add_argument("--config", default=default,
                   help="TOML config file (default: $ASSISTANT_CONFIG or ./assistant.toml)")
    p.add_argument("-v", "--verbose", action="store_true", default=default or False, help="log what happens")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assistant", description="Cited answers to questions about a folder of news articles."
    )
    _global_options(p)
    # The same options after the command too (`assistant ask "..." --data-dir D`); SUPPRESS keeps a
    # value given before the command when none is given after it.
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, default=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = functools.partial(sub.add_parser, parents=[common])

    ing = add("ingest", help="add a file or folder of articles (txt, md, html, jsonl) to the index")
    ing.add_argument("path")
    ing.add_argument("--prune", action="store_true", help="remove articles whose files are gone from PATH")
    ing.add_argument("--rebuild", action="store_true", help="drop the index and embed everything again")

    ask = add("ask", help="answer one question (or one per line of --batch FILE)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--batch", metavar="FILE", help="read one question per line ('-' for stdin)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    _answer_options(ask)

    chat = add("chat", help="ask questions interactively")
    _answer_options(chat)

    status = add("status", help="what is indexed, where, and the effective settings")
    status.add_argument("--json", action="store_true")

    srv = add("llm-server", help="serve the bundled local model (for --mode local) until Ctrl-C")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, help="default: a free port")
    add_commands(sub)
    return p


def _answer_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=["extractive", "local", "openai"],
                   help="extractive quotes, the bundled local model, or the configured OpenAI-compatible endpoint "
                        "(default: from config; openai when an endpoint is set, else extractive)")
    p.add_argument("--top-k", type=int, help="passages to retrieve")
    p.add_argument("--source", help="only articles from this source")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="only articles dated on or after")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="only articles dated on or before")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                   help='"today" for questions about the latest news, this week or last year (default: today)')


def _filters(args) -> dict:
    return {"mode": args.mode, "top_k": args.top_k, "source": args.source, "date_from": args.date_from,
            "date_to": args.date_to, "as_of": args.as_of}


BOLD, PLAIN = "\033[1m", "\033[0m"


def format_answer(answer, bold: bool = False) -> str:
    """The answer as a person reads it in a terminal: the short answer (when there is one), the text,
    then each source with its quote; ``bold`` sets the short answer in bold (a terminal)."""
    lines = []
    if answer.standalone_question and answer.standalone_question != answer.question:
        lines.append(f"(searched for: {answer.standalone_question})")
    short = (getattr(answer, "short_answer", "") or "").strip()
    if short:
        lines.append(f"{BOLD}{short}{PLAIN}" if bold else short)
    lines += [answer.text, format_sources(answer)]
    return "\n".join(lines)


def format_sources(answer) -> str:
    """Everything of :func:`format_answer` after the answer's text: sources, mode, notes."""
    lines = [""]
    for c in answer.citations:
        where = f"characters {c.start}-{c.end} of {c.article_id}"
        meta = ", ".join(x for x in (c.date, c.source, c.url) if x)
        lines.append(f"[{c.n}] {c.title or c.article_id}" + (f" ({meta})" if meta else ""))
        lines.append(f"    \"{c.quote}\"")
        lines.append(f"    {where}")
    lines.append(f"(answered by: {answer.mode}{' ' + answer.model if answer.model else ''}"
                 f"; {answer.timings.get('total_ms', 0):.0f} ms)")
    if answer.note:
        lines.append(f"note: {answer.note}")
    removed = sum(not check.supported for check in answer.verification)
    if removed:
        lines.append(f"verifier: removed {removed} of {len(answer.verification)} sentences no passage supports "
                     "(see --json)")
    return "\n".join(lines)


def _cmd_ingest(bot, args) -> int:
    report = bot.ingest(args.path, prune=args.prune, rebuild=args.rebuild)
    for problem in report.failed:
        print(f"skipped {problem}", file=sys.stderr)
    print(report.summary())
    return 0


def _cmd_ask(bot, args) -> int:
    from .errors import BadInputError

    if args.batch:
        stream = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")
        with stream:
            questions = [line.strip() for line in stream if line.strip()]
    elif args.question:
        questions = [args.question]
    else:
        raise BadInputError("give a question, or --batch FILE with one question per line")
    live = not args.json and sys.stdout.isatty()
    for q in questions:
        if live:
            answer = _stream_answer(bot.ask_stream(q, **_filters(args)))
        else:
            answer = bot.ask(q, **_filters(args))
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        elif not live:
            print(format_answer(answer) + ("\n" if len(questions) > 1 else ""), flush=True)
        else:
            print("\n" + format_sources(answer) + ("\n" if len(questions) > 1 else ""), flush=True)
    return 0


def _stream_answer(stream):
    """Print the answer's verified pieces as they come (a terminal), and return the final Answer.
    Should the final text differ from what streamed (an LLM mode fell back), it is printed whole."""
    from .types import Answer

    shown = ""
    for item in stream:
        if isinstance(item, Answer):
            answer = item
            break
        shown += item
        print(item, end="", flush=True)
    short = (getattr(answer, "short_answer", "") or "").strip()
    if shown.strip() != answer.text.strip():
        print(("\n\n" if shown else "") + answer.text, end="")
    if short:
        print(f"\n{BOLD}{short}{PLAIN}", end="")
    return answer


def _cmd_chat(bot, args) -> int:
    from .errors import AssistantError

    print("Ask about the articles (empty line or Ctrl-D to quit). Loading models...", flush=True)
    bot.warm(getattr(args, "mode", None))
    options = _filters(args)
    session = bot.conversation(**options)  # follow-ups ("and when?") are read with the earlier turns
    while True:
        try:
            q = input("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not q:
            return 0
        try:
            print(format_answer(session.ask(q)))
        except AssistantError as exc:
            print(f"error: {exc}")


def _cmd_status(bot, args) -> int:
    info = bot.status()
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"data folder:   {info['data_dir']}")
    print(f"articles:      {info['articles']}")
    print(f"chunks:        {info['chunks']}")
    print(f"vector store:  {info['vector_store']}")
    print(f"embedder:      {info['embedder']}")
    print(f"answer mode:   {info['answer_mode']}")
    print("settings:")
    for key, value in info["settings"].items():
        print(f"  {key} = {value}")
    return 0


def _cmd_llm_server(settings, args) -> int:
    from .llm_server import serve

    return serve(settings, args.host, args.port,
                 ready=lambda url: print(f"local model server at {url} (Ctrl-C to stop)", flush=True))


COMMANDS = {"ingest": _cmd_ingest, "ask": _cmd_ask, "chat": _cmd_chat, "status": _cmd_status}
COMMANDS.update(FEED_COMMANDS)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["eval"]:  # the eval suite is the harness, not part of the product
        print("the evaluation is run with `python -m eval` (see `python -m eval --help`)", file=sys.stderr)
        return 2
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from .api import Assistant
    from .errors import AssistantError, error_exit

    try:
        overrides = {"data_dir": Path(args.data_dir)} if args.data_dir else {}
        if args.command == "llm-server":
            from .config import load_settings

            return _cmd_llm_server(load_settings(args.config, **overrides), args)
        rebuild = args.command == "ingest" and args.rebuild
        bot = Assistant.from_config(args.config, reset_incompatible=rebuild, **overrides)
        try:
            return COMMANDS[args.command](bot, args)
        finally:
            bot.close()  # stops a local model server started for this command
    except (AssistantError, KeyboardInterrupt) as exc:
        return error_exit(exc)


if __name__ == "__main__":
    sys.exit(main())
