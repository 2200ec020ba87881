"""The chat event driven without a server, on real indexes: progress states, verified text only,
the too-long question kept, one question at a time per session, and conversations kept as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from assistant import ui_format as fmt
from assistant import ui_history as history
from assistant.ui_chat import BUSY_NOTICE, Sessions, messages_for, respond

from .conftest import CORPUS

SEED_Q = "How many NVIDIA chips has SenseTime bought?"


def _drive(bot, question, turns, mode="extractive", sessions=None, key="s1"):
    """Run the chat event as Gradio would; returns (contents of the last message at each step, final step)."""
    contents, last = [], None
    for last in respond(bot, sessions or Sessions(), key, question, [], turns, mode, 5, "", "", ""):
        contents.append(last[0][-1]["content"] if last[0] else "")
    return contents, last


def test_chat_event_streams_then_shows_the_cited_answer(seed_bot):
    contents, (messages, sources, session, box, notice) = _drive(seed_bot, SEED_Q, [])
    partials = [c for c in contents if "na-streaming" in c and "SenseTime" in c]
    assert partials and "40,000" not in partials[0], "the answer was not streamed in pieces"
    assert messages[0] == {"role": "user", "content": SEED_Q}
    assert "40,000" in messages[-1]["content"] and 'href="#src-1-1"' in messages[-1]["content"]
    assert 'id="src-1-1"' in sources and [t["turn"] for t in session] == [1]
    _, (_, sources2, session2, _, _) = _drive(seed_bot, "When does SenseTime aim to turn profitable?", session)
    assert [t["turn"] for t in session2] == [1, 2] and 'id="src-2-1"' in sources2 and len(session) == 1


def test_unavailable_llm_mode_says_why_in_the_footer_and_gives_the_extractive_answer(make_bot, tmp_path):
    bot = make_bot(data_dir=tmp_path / "d", llm_base_url="http://127.0.0.1:9/v1", llm_timeout=2, llm_retries=0)
    bot.ingest(CORPUS)
    _, (messages, _, _, _, _) = _drive(bot, SEED_Q, [], mode="openai")
    final = messages[-1]["content"]
    assert "na-fallback" in final and "Answered by Extractive" in final and "40,000" in final
    assert "unavailable" in final


def test_local_mode_without_the_extra_says_how_to_enable_it(make_bot, tmp_path, monkeypatch):
    from assistant import llm_server

    monkeypatch.setattr(llm_server, "llama_installed", lambda: False)  # as on a machine without the [local] extra
    bot = make_bot(data_dir=tmp_path / "d")
    bot.ingest(CORPUS)
    contents, (messages, _, _, _, _) = _drive(bot, SEED_Q, [], mode="local")
    assert fmt.PROGRESS["starting"] in "".join(contents)
    assert "make local" in messages[-1]["content"] and "40,000" in messages[-1]["content"]
    ok, why = llm_server.local_available(bot.settings)
    assert not ok and "make local" in why


def test_a_too_long_question_is_kept_in_the_box(seed_bot):
    _, (messages, _, session, box, notice) = _drive(seed_bot, "x" * 3000, [])
    assert messages == [] and session == []
    assert "at most 2,000" in notice and "kept in the box" in notice
    assert box == {"__type__": "update"}  # gr.skip(): the box is not cleared, the typed text stays


def test_a_second_question_while_one_streams_is_refused_visibly(seed_bot):
    sessions = Sessions()
    running = respond(seed_bot, sessions, "s1", SEED_Q, [], [], "extractive", 5, "", "", "")
    next(running)  # the first question is under way
    _, (_, _, _, box, notice) = _drive(seed_bot, "When does SenseTime aim to turn profitable?", [],
                                       sessions=sessions, key="s1")
    assert BUSY_NOTICE in notice and box == {"__type__": "update"}
    _, other = _drive(seed_bot, SEED_Q, [], sessions=sessions, key="s2")  # another browser is not held up
    assert "40,000" in other[0][-1]["content"]
    list(running)
    _, again = _drive(seed_bot, SEED_Q, [], sessions=sessions, key="s1")
    assert "40,000" in again[0][-1]["content"]


def test_conversations_round_trip_through_json(seed_bot):
    _, (messages, _, turns, _, _) = _drive(seed_bot, SEED_Q, [])
    saved = history.save_turns([], "c1", turns)
    saved = json.loads(json.dumps(saved))  # what the browser's storage gives back
    assert history.choices(saved) == [(SEED_Q, "c1")]
    back = history.load_turns(saved, "c1")
    assert back[0]["answer"].citations == turns[0]["answer"].citations
    assert messages_for(back)[-1]["content"] == messages[-1]["content"]
    saved = history.rename(saved, "c1", "Chips")
    assert history.choices(saved) == [("Chips", "c1")]
    assert history.delete(saved, "c1") == []


def test_build_app(seed_bot):
    from assistant.ui_app import available_modes, build_app

    app = build_app(seed_bot, extra_tabs=[lambda bot: None])
    assert app.title == "News Assistant"
    modes, off = available_modes(seed_bot.settings)
    assert ("Extractive (quotes only)", "extractive") in modes
    assert "openai" not in [m for _, m in modes] and any("llm_base_url" in o for o in off)


def test_ui_entry_point_options(monkeypatch):
    import ui

    monkeypatch.setenv("GRADIO_SERVER_PORT", "7999")
    monkeypatch.delenv("ASSISTANT_UI_PASSWORD", raising=False)
    args = ui.parse_args([])
    assert (args.port, args.host, args.ingest) == (7999, "127.0.0.1", None)
    assert ui.parse_args(["--port", "8001", "--ingest", "corpus"]).ingest == "corpus"
    assert ui.auth_from_env() is None
    monkeypatch.setenv("ASSISTANT_UI_PASSWORD", "s3cret")
    assert ui.auth_from_env() == ("admin", "s3cret")
    assert Path(ui.CORPUS).name == "corpus"


def test_stop_ends_the_answer_in_progress(seed_bot):
    sessions = Sessions()
    running = respond(seed_bot, sessions, "s1", SEED_Q, [], [], "extractive", 5, "", "", "")
    next(running)
    sessions.release("s1")  # what Stop does
    assert list(running) == []  # the answer ends without another step, and no final answer
    _, again = _drive(seed_bot, SEED_Q, [], sessions=sessions, key="s1")
    assert "40,000" in again[0][-1]["content"]


def test_the_browser_key_outlives_a_restart(tmp_path):
    first = history.browser_secret(tmp_path / "data")
    assert len(first) >= 24 and history.browser_secret(tmp_path / "data") == first
    assert (tmp_path / "data" / history.SECRET_FILE).stat().st_mode & 0o077 == 0
    assert history.browser_secret(tmp_path / "other") != first


def test_a_mistyped_date_is_said_before_asking_and_keeps_the_question(seed_bot):
    steps = list(respond(seed_bot, Sessions(), "s1", SEED_Q, [], [], "extractive", 5, "May 28", "", ""))
    assert len(steps) == 1
    messages, _, _, box, notice = steps[0]
    assert messages == [] and box == {"__type__": "update"}
    assert "From must be a date" in notice and fmt.FILTER_PANEL in notice
