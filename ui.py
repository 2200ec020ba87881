"""Start the chat UI: `python ui.py [--port N] [--host H] [--data-dir DIR] [--ingest DIR]`, then open
http://127.0.0.1:7860.

Uses the same data folder as the CLI and ingests corpus/ on the first start (``--ingest DIR``: that
folder, and on later starts brought up to date in the background while the page comes up). Set
ASSISTANT_UI_PASSWORD (and optionally ASSISTANT_UI_USER, default "admin") to require a login.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

CORPUS = Path(__file__).resolve().parent / "corpus"
log = logging.getLogger("ui")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="The news assistant's chat UI.")
    p.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT") or 7860))
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: localhost only)")
    p.add_argument("--data-dir", help="index folder (default: $ASSISTANT_DATA_DIR or ~/.local/share/news-assistant)")
    p.add_argument("--config", help="TOML config file (default: $ASSISTANT_CONFIG or ./assistant.toml)")
    p.add_argument("--ingest", metavar="DIR", help="articles to ingest before the first start and to bring up to date "
                                                   "in the background on later ones (default: corpus/ when the index "
                                                   "is empty)")
    return p.parse_args(argv)


def _refresh(assistant, folder: Path) -> None:
    """Later starts: bring the index up to date with ``folder`` and load the models, behind the page."""
    from assistant import AssistantError

    try:
        report = assistant.ingest(folder, progress=False)
        if report.new or report.updated or report.failed:
            log.info("%s: %s", folder, report.summary())
    except AssistantError as exc:
        log.warning("could not bring the index up to date with %s: %s", folder, exc)
    assistant.warm()


def auth_from_env() -> tuple[str, str] | None:
    password = os.environ.get("ASSISTANT_UI_PASSWORD")
    return (os.environ.get("ASSISTANT_UI_USER") or "admin", password) if password else None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("ui", "assistant"):
        logging.getLogger(name).setLevel(logging.INFO)
    from assistant import Assistant, AssistantError

    try:
        overrides = {"data_dir": Path(args.data_dir)} if args.data_dir else {}
        assistant = Assistant.from_config(args.config, **overrides)
        folder = Path(args.ingest) if args.ingest else CORPUS
        if assistant.status()["articles"] == 0 and folder.is_dir():
            log.info("the index in %s is empty: ingesting %s", assistant.settings.data_dir, folder)
            log.info("%s", assistant.ingest(folder, progress=False).summary())
            later = assistant.warm
        elif args.ingest:  # later starts: catch up with the folder and load the models once the page is up
            later = lambda: _refresh(assistant, folder)  # noqa: E731
        else:
            later = assistant.warm  # load the models now, not on the first question
    except AssistantError as exc:
        log.error("%s", exc)
        return 2
    from assistant.ui_app import build_app, launch_options  # imports gradio (~3 s)
    from assistant.ui_feeds import feeds_tab

    app = build_app(assistant, extra_tabs=[feeds_tab])
    app.queue(default_concurrency_limit=1)
    # The page first: on 2 cores, loading the models beside gradio's import would slow both.
    app.launch(server_name=args.host, server_port=args.port, auth=auth_from_env(), share=False,
               max_file_size=f"{assistant.settings.max_file_mb:g}mb", footer_links=[], prevent_thread_lock=True,
               **launch_options())
    threading.Thread(target=later, name="warm", daemon=True).start()
    app.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
