"""Where a fetch may connect, and for how long: the network layer under the HTTP client.

The address check sits where the socket is opened, not before the request: the
host name is resolved once, every address it gives is checked, and the socket is
opened to one of those very addresses. A check made beforehand would let a name
that resolves differently the second time (DNS rebinding) slip through, and
would have to be repeated by hand on every redirect; here every connection of
every hop goes through it.

The deadline sits here too. Timeouts bound each wait, but a server that sends a
byte every few seconds never lets one expire; every read, write and handshake
waits at most until the fetch's deadline, so the fetch as a whole ends by then.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
import typing

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The host resolves to an address inside a private network; nothing was sent."""

    def __init__(self, host: str, address: IPAddress) -> None:
        super().__init__(f"{host} resolves to {address}, which is not a public address")
        self.host = host
        self.address = address


class HostNotFound(Exception):
    """The host name does not resolve."""

    def __init__(self, host: str) -> None:
        super().__init__(f"{host} does not resolve")
        self.host = host


def is_public_address(address: IPAddress) -> bool:
    """Whether ``address`` is on the public internet: not private, loopback,
    link-local, reserved, multicast, unspecified or shared (carrier-grade NAT),
    nor an IPv4 address of those kinds written as IPv6."""
    mapped = getattr(address, "ipv4_mapped", None) or getattr(address, "sixtofour", None)
    if mapped is not None and not is_public_address(mapped):
        return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_link_local
        or address.is_loopback
        or address.is_unspecified
    )


def resolve(host: str, port: int, *, wait: float) -> list[IPAddress]:
    """Every address ``host`` resolves to, in the resolver's order, without repeats;
    ``httpcore.ConnectTimeout`` if the resolver takes longer than ``wait`` seconds."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass  # a name, not an address
    answer: list = []
    # getaddrinfo cannot be interrupted: it runs in a thread of its own, which ends
    # when the resolver's own timeouts do, while the fetch stops waiting for it.
    lookup = threading.Thread(target=lookup_into, args=(answer, host, port), daemon=True)
    lookup.start()
    lookup.join(wait)
    if not answer:
        raise httpcore.ConnectTimeout(f"resolving {host} took longer than {wait:g} s")
    if isinstance(answer[0], Exception):
        raise HostNotFound(host) from answer[0]
    addresses: list[IPAddress] = []
    infos = answer[0]
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def lookup_into(answer: list, host: str, port: int) -> None:
    try:
        answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    except (OSError, UnicodeError) as error:
        answer.append(error)


class Deadline:
    """A moment on the monotonic clock by which the fetch must be over."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        # Whether the last wait was cut short by the deadline: its timeout is the deadline's.
        self.cut_short = False

    def bound(self, timeout: float | None, expired: type[Exception]) -> float:
        """``timeout`` cut to what is left; ``expired`` raised when nothing is."""
        left = self.at - time.monotonic()
        self.cut_short = timeout is None or left <= timeout
        if left <= 0:
            raise expired(f"the fetch's deadline of {self.seconds} s has passed")
        return min(timeout, left) if timeout is not None else left


class GuardedBackend(httpcore.NetworkBackend):
    """Plain TCP sockets (httpcore's own), opened only to checked addresses and
    used only until the deadline."""

    def __init__(self, *, deadline: Deadline, allow_private: bool) -> None:
        self.deadline = deadline
        self.allow_private = allow_private
        self.sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port, wait=self.deadline.bound(timeout, httpcore.ConnectTimeout))
        if not self.allow_private:
            for address in addresses:
                if not is_public_address(address):
                    raise AddressRefused(host, address)
        failure: Exception = httpcore.ConnectError(f"{host} gave no address")
        for address in addresses:
            wait = self.deadline.bound(timeout, httpcore.ConnectTimeout)
            try:
                stream = self.sockets.connect_tcp(
                    str(address), port, wait, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error  # the next address may answer (IPv6 first, then IPv4)
                continue
            return DeadlineStream(stream, self.deadline)
        raise failure


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every wait ends by the deadline at the latest."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.stream = stream
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self.deadline.bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, self.deadline.bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = self.deadline.bound(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self.stream.start_tls(ssl_context, server_hostname, wait), self.deadline
        )

    def get_extra_info(self, info: str) -> typing.Any:
        return self.stream.get_extra_info(info)
