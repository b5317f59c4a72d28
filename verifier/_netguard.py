"""Refuse to fetch from addresses a newsroom tool has no business reaching (SSRF guard).

A source URL comes from an article or a command line, i.e. from outside. Without this check a
crafted link could make the verifier read internal services (cloud metadata at 169.254.169.254,
admin panels on 10.x, localhost daemons) and quote them back in a report.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(Exception):
    """The host resolves to an address we refuse; str() is a one-line human message."""


class Unresolvable(Exception):
    """DNS gave no address for the host."""


def is_public(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses only."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback in disguise
    # is_global is False for private, loopback, link-local, reserved, shared (100.64/10),
    # documentation and unspecified ranges; multicast can be "global" but is never a web server.
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses `host` resolves to (an IP literal resolves to itself)."""
    literal = host.strip("[]")
    try:
        return [ipaddress.ip_address(literal)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(literal, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolvable(f"could not resolve host {host}") from exc
    addrs: list[IPAddress] = []
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%", 1)[0])  # drop IPv6 zone ids
        if addr not in addrs:
            addrs.append(addr)
    if not addrs:
        raise Unresolvable(f"could not resolve host {host}")
    return addrs


async def check_host(host: str, port: int) -> list[IPAddress]:
    """Raise BlockedAddress if any address of `host` is not public; return the addresses.

    Any bad address blocks, not just the first: with round-robin DNS the connection could use
    whichever one the resolver hands out next.
    """
    addrs = await resolve(host, port)
    for addr in addrs:
        if not is_public(addr):
            raise BlockedAddress(
                f"refusing to fetch {host}: it resolves to non-public address {addr} "
                "(allow_private=True to permit)"
            )
    return addrs
