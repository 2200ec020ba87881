"""The network end of the fetcher: every connection resolves its host once, refuses loopback, private,
link-local and metadata addresses (unless the host is allowed by name) and connects to the very address it
checked; every read and write stops at the fetch's total deadline. Plugged into httpx's httpcore pool.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

import httpcore

from .errors import AssistantError


class FetchError(AssistantError):
    """A URL could not be fetched, or what came back cannot be used; the message says why."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status that caused it, if any


class RetryableFetch(FetchError):
    """A failure worth another try later: a timeout, a dropped connection, HTTP 429 or 5xx."""


class FetchRefused(FetchError):
    """A URL the fetcher will not touch (scheme, private address); the message names the setting that allows it."""


def host_allowed(host: str, allow: frozenset[str]) -> bool:
    return host.lower().rstrip(".") in allow


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    # is_global is False for loopback, private, link-local (169.254.169.254, the cloud metadata address),
    # shared (100.64/10), reserved and unspecified addresses
    return ip.is_global and not ip.is_multicast


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks and connects; every read and write also stops at the fetch's total deadline."""

    def __init__(self, allow: frozenset[str]):
        self.allow = allow
        self.inner = httpcore.SyncBackend()
        self.local = threading.local()  # .deadline: time.monotonic() by which the current fetch must end

    def remaining(self, timeout: float | None) -> float:
        deadline = getattr(self.local, "deadline", None)
        if deadline is None:
            return timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError("took longer than the total deadline (fetch_deadline)")
        return left if timeout is None else min(timeout, left)

    def resolve(self, host: str, port: int) -> str:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as e:
            raise FetchError(f"cannot resolve the host {host!r}: {e}") from None
        ips = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
        if not ips:
            raise FetchError(f"the host {host!r} has no address")
        if not host_allowed(host, self.allow):
            bad = [ip for ip in ips if not _public(ip)]
            if bad:
                raise FetchRefused(f"refused: {host} resolves to the non-public address {bad[0]} (loopback, "
                                   "private, link-local or metadata); add the host to fetch_allow_hosts to allow it")
        return str(ips[0])

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        ip = self.resolve(host, port)
        stream = self.inner.connect_tcp(ip, port, timeout=self.remaining(timeout), local_address=local_address,
                                        socket_options=socket_options)
        return _DeadlineStream(stream, self)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise FetchRefused("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, backend: GuardedBackend):
        self.inner, self.backend = inner, backend

    def read(self, max_bytes, timeout=None):
        return self.inner.read(max_bytes, self.backend.remaining(timeout))

    def write(self, buffer, timeout=None):
        self.inner.write(buffer, self.backend.remaining(timeout))

    def close(self):
        self.inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        # server_hostname is the URL's host, not the address connected to: TLS checks the real name
        tls = self.inner.start_tls(ssl_context, server_hostname, self.backend.remaining(timeout))
        return _DeadlineStream(tls, self.backend)

    def get_extra_info(self, info):
        return self.inner.get_extra_info(info)
