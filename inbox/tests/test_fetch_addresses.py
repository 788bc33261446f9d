"""Private, loopback and other non-public addresses are refused before connecting,
when INBOX_ALLOW_PRIVATE_ADDRESSES is off, as it is in production."""

import ipaddress
import socket
import threading

import pytest

from inbox import addresses
from inbox.errors import FetchError
from inbox.fetching import fetch

pytestmark = pytest.mark.once


@pytest.fixture
def private_refused(settings):
    settings.INBOX_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.5.5.5",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",  # the cloud metadata service
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
    ],
)
def test_non_public_addresses_are_recognised(address):
    assert not addresses.is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2a00:1450:4001::200e"])
def test_public_addresses_are_allowed(address):
    assert addresses.is_public_address(ipaddress.ip_address(address))


@pytest.mark.usefixtures("private_refused")
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_a_private_address_is_refused_before_any_request(feed_server, host):
    feed_server.feed("/rss", b"<rss/>")
    url = feed_server.url("/rss", host=host)

    with pytest.raises(FetchError) as raised:
        fetch(url)

    assert "внутреннюю сеть" in str(raised.value)
    assert "INBOX_ALLOW_PRIVATE_ADDRESSES" in str(raised.value)
    assert (feed_server.connections, feed_server.requests) == (0, [])


@pytest.mark.usefixtures("private_refused")
def test_every_address_of_a_name_is_checked(feed_server, monkeypatch):
    """A name with one public and one private address is refused: the socket could
    be opened to either."""
    real = socket.getaddrinfo

    def public_then_loopback(host, port, *args, **kwargs):
        if host != "feeds.example.org":
            return real(host, port, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", public_then_loopback)
    feed_server.feed("/rss", b"<rss/>")

    with pytest.raises(FetchError, match=r"127\.0\.0\.1"):
        fetch(feed_server.url("/rss", host="feeds.example.org"))
    assert (feed_server.connections, feed_server.requests) == (0, [])


@pytest.mark.usefixtures("private_refused")
def test_a_redirect_into_the_private_network_is_refused(feed_server, monkeypatch):
    """The first hop's address counts as public here (the test server can only be on
    loopback); the redirect leads to another loopback address, which is checked anew."""
    first_hop = ipaddress.ip_address("127.0.0.1")
    real = addresses.is_public_address
    monkeypatch.setattr(
        addresses, "is_public_address", lambda address: address == first_hop or real(address)
    )
    feed_server.redirect("/rss", f"http://127.0.0.2:{feed_server.port}/internal")

    with pytest.raises(FetchError) as raised:
        fetch(feed_server.url("/rss"))

    assert "переадресация на http://127.0.0.2" in str(raised.value)
    assert "внутреннюю сеть (127.0.0.2)" in str(raised.value)
    assert [request.path for request in feed_server.requests] == ["/rss"]
    assert feed_server.connections == 1


def test_private_addresses_are_fetched_when_allowed(feed_server, settings):
    settings.INBOX_ALLOW_PRIVATE_ADDRESSES = True
    feed_server.feed("/rss", b"<rss/>")

    assert fetch(feed_server.url("/rss", host="localhost")).content == b"<rss/>"
    assert feed_server.connections == 1


def test_a_name_that_does_not_resolve_is_named(monkeypatch):
    def no_such_host(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)

    with pytest.raises(FetchError) as raised:
        fetch("https://feeds.example.invalid/rss")

    assert "сервер feeds.example.invalid не найден" in str(raised.value)


def test_a_resolver_that_does_not_answer_is_not_waited_for(monkeypatch, settings):
    settings.INBOX_FETCH_TIMEOUT = 0.3
    answered = threading.Event()

    def stuck_resolver(host, *args, **kwargs):
        answered.wait(30)  # released at the end of the test
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck_resolver)
    try:
        with pytest.raises(FetchError) as raised:
            fetch("https://feeds.example.org/rss")
    finally:
        answered.set()

    assert "молчит дольше 0.3 с" in str(raised.value)
