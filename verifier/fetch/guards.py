"""Refuse to fetch from addresses a newsroom tool has no business reaching (SSRF guard).

A source URL comes from an article or a command line, i.e. from outside. Without this check a
crafted link could make the verifier read internal services (cloud metadata at 169.254.169.254,
admin panels on 10.x, localhost daemons) and quote them back in a report.

Two parts:

* `is_public(ip)`: the decision for one address, including every IPv6 form that carries an IPv4
  address inside it (mapped, compatible, translated, NAT64, 6to4, Teredo), since the operating
  system may route those to the embedded IPv4 address.
* `GuardedTransport`: an httpx transport whose connections are made by `GuardedBackend`, which
  resolves the host once, checks every address, and connects to a checked address. The URL is
  not rewritten, so the Host header, TLS SNI and certificate check, and the connection pool all
  keep the original host name. There is no second DNS lookup between check and connect, so a
  rebinding DNS answer cannot point the connection elsewhere. Every connection, including each
  redirect hop and robots.txt, goes through it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from collections.abc import Awaitable, Callable, Iterable

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

__all__ = [
    "AddressGuard",
    "BlockedAddress",
    "GuardedBackend",
    "GuardedTransport",
    "Unresolvable",
    "check_host",
    "is_public",
    "resolve",
]


class BlockedAddress(Exception):
    """The host resolves to an address we refuse; str() is a one-line human message."""


class Unresolvable(Exception):
    """DNS gave no address for the host."""


# IPv6 ranges whose last 32 bits (or, for 6to4, bits 16-48) are an IPv4 address the packet may
# end up at. Decided by the embedded address, never by the IPv6 wrapper.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated (RFC 4291): never a real server
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT (RFC 2765)
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local-use, never global
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")  # RFC 3056
_TEREDO = ipaddress.ip_network("2001::/32")  # RFC 4380: a tunnel, not a web server
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated (RFC 3879), still routed privately


def _low_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)


def is_public(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses only."""
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ipaddress.IPv6Address(int(ip))  # drop any scope id ("fe80::1%eth0")
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)  # ::ffff:127.0.0.1 is loopback in disguise
        if ip in _IPV4_COMPATIBLE or ip in _NAT64_LOCAL or ip in _TEREDO or ip in _SITE_LOCAL:
            return False  # includes ::, ::1, ::127.0.0.1, ::169.254.169.254
        if ip in _IPV4_TRANSLATED or ip in _NAT64_WELL_KNOWN:
            return is_public(_low_ipv4(ip))
        if ip in _SIX_TO_FOUR:
            embedded = ip.sixtofour
            return embedded is not None and is_public(embedded)
    # is_global is False for private, loopback, link-local, reserved, shared (100.64/10),
    # documentation and unspecified ranges; multicast can be "global" but is never a web server.
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses `host` resolves to (an IP literal resolves to itself)."""
    literal = host.strip("[]")
    try:
        return [ipaddress.ip_address(literal.split("%", 1)[0])]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(literal, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Unresolvable(f"could not resolve host {host}") from exc
    addrs: list[IPAddress] = []
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])  # drop IPv6 zone ids
        if addr not in addrs:
            addrs.append(addr)
    if not addrs:
        raise Unresolvable(f"could not resolve host {host}")
    return addrs


class AddressGuard:
    """Resolve a host once and decide on every address it has.

    `resolver` and `permit` are injectable so tests can stand in for DNS and for "public"
    without sending traffic anywhere but 127.0.0.1.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        permit: Callable[[IPAddress], bool] = is_public,
    ) -> None:
        self.allow_private = allow_private
        self.resolver: Resolver = resolver or resolve
        self.permit = permit

    async def addresses(self, host: str, port: int) -> list[IPAddress]:
        """The addresses to connect to, all checked. Raises BlockedAddress or Unresolvable.

        Any bad address blocks, not just the first: with round-robin DNS the connection could
        use whichever one the resolver hands out next.
        """
        addrs = await self.resolver(host, port)
        if not addrs:
            raise Unresolvable(f"could not resolve host {host}")
        if not self.allow_private:
            for addr in addrs:
                if not self.permit(addr):
                    raise BlockedAddress(
                        f"refusing to fetch {host}: it resolves to non-public address {addr} "
                        "(--allow-private to permit)"
                    )
        return addrs


async def check_host(host: str, port: int) -> list[IPAddress]:
    """Raise BlockedAddress if any address of `host` is not public; return the addresses."""
    return await AddressGuard().addresses(host, port)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that connects only to addresses the guard has checked."""

    def __init__(self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addrs = await self.guard.addresses(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        last: Exception | None = None
        for addr in addrs:
            try:
                return await self._inner.connect_tcp(
                    str(addr), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc  # try the next checked address, like a resolver-driven connect would
        assert last is not None
        # httpcore's pool re-raises with `from None`, losing the OS error; keep its gist here
        # ("Connection refused", "Network is unreachable") so the fetch error can name it.
        causes: list[str] = []
        cur = last.__cause__ or last.__context__
        while cur is not None and len(causes) < 4:
            if isinstance(cur, OSError):
                causes.append(type(cur).__name__ + (f" {cur.strerror}" if cur.strerror else ""))
            cur = cur.__cause__ or cur.__context__
        if isinstance(last, httpcore.ConnectTimeout):
            raise last
        raise httpcore.ConnectError(f"{last} ({'; '.join(str(c) for c in causes)})" if causes else str(last))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[typing.Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("refusing to connect to a unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """`httpx.AsyncHTTPTransport` whose every connection goes through `GuardedBackend`.

    Use it as the client's transport: `httpx.AsyncClient(transport=GuardedTransport())`. With a
    transport given, httpx ignores proxy environment variables, so nothing bypasses the guard.
    """

    def __init__(
        self,
        guard: AddressGuard | None = None,
        *,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits = httpx.Limits(max_connections=100, max_keepalive_connections=20),
        http2: bool = False,
    ) -> None:
        # The parent's __init__ is not called: it would build a pool on the default backend.
        self.guard = guard or AddressGuard()
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=GuardedBackend(self.guard),
        )
