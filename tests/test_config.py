"""Configuration: defaults, then a TOML file, then environment variables, then overrides."""

from pathlib import Path

import pytest

from assistant.config import describe, load_settings
from assistant.errors import ConfigError


def test_precedence(tmp_path):
    cfg = tmp_path / "a.toml"
    cfg.write_text('top_k = 7\nchunk_size = 300\nllm_api_key = "sk-file"\n')
    s = load_settings(cfg, env={"ASSISTANT_TOP_K": "9", "ASSISTANT_DATA_DIR": str(tmp_path / "d")})
    assert s.chunk_size == 300  # from the file
    assert s.top_k == 9  # the environment beats the file
    assert s.data_dir == tmp_path / "d"
    assert load_settings(cfg, env={"ASSISTANT_TOP_K": "9"}, top_k=3).top_k == 3
    assert describe(s)["llm_api_key"] == "***"


def test_config_file_from_environment_and_openai_variables(tmp_path):
    cfg = tmp_path / "b.toml"
    cfg.write_text("abstain_threshold = 0.5\n")
    s = load_settings(env={"ASSISTANT_CONFIG": str(cfg), "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert s.abstain_threshold == 0.5
    assert s.llm_base_url == "http://127.0.0.1:9/v1"


@pytest.mark.parametrize(
    "text,message",
    [
        ("top_k = 'many'\n", "top_k"),
        ("nonsense = 1\n", "unknown setting"),
        ("chunk_size = 100\nchunk_overlap = 100\n", "chunk_overlap"),
        ("this is not toml", "not valid TOML"),
        ("embed_backend = 'cloud'\n", "embed_backend"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, text, message):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg, env={})


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_default_data_dir_is_a_user_folder():
    assert load_settings(env={}).data_dir.name == "news-assistant"
    assert isinstance(load_settings(env={}).data_dir, Path)
