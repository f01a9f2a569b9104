"""The loopback rule: where a simulator may be reached with the company's real keys."""

import pytest

from qonto_einvoicing.loopback import is_loopback_url


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8765",
    "http://127.0.0.1:8765/",
    "http://127.9.8.7:1/x",
    "https://localhost:8765",
    "http://LOCALHOST:8765",
    "http://sim.localhost:8765",
    "http://[::1]:8765",
    "http://[::ffff:127.0.0.1]:8765",
])
def test_loopback_urls(url):
    assert is_loopback_url(url)


@pytest.mark.parametrize("url", [
    "http://10.255.255.1:9/",
    "http://192.168.1.10:8765",
    "http://0.0.0.0:8765",
    "http://example.com",
    "http://localhost.example.com",
    "http://127.0.0.1.nip.io:8765",
    "http://[::]:8765",
    "ftp://127.0.0.1/",
    "file:///etc/passwd",
    "127.0.0.1:8765",
    "",
    "http://[::1",
])
def test_not_loopback_urls(url):
    assert not is_loopback_url(url)
