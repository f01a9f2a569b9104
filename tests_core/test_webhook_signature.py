"""Webhook signatures, checked against Qonto's own test vector."""

import pytest

from qonto_einvoicing import webhooks
from qonto_einvoicing.errors import InvalidSignatureError

QONTO_VECTOR = {
    "body": b'{"test":"data"}',
    "timestamp": 1704110400,
    "secret": "test-secret",
    "hex": "56aff06dc227db80d6568a5070f912c601c31f20451745d257cbc0b5dfa93805",
}


def test_qonto_check_vector():
    assert webhooks.sign(QONTO_VECTOR["secret"], QONTO_VECTOR["body"],
                         QONTO_VECTOR["timestamp"]) == QONTO_VECTOR["hex"]


def test_qonto_vector_header_verifies_within_tolerance():
    header = f"t={QONTO_VECTOR['timestamp']},v1={QONTO_VECTOR['hex']}"
    ts = webhooks.verify(header, QONTO_VECTOR["body"], QONTO_VECTOR["secret"],
                         now=QONTO_VECTOR["timestamp"] + 299)
    assert ts == QONTO_VECTOR["timestamp"]


@pytest.mark.parametrize("mutate", [
    lambda h, b, s: (h, b + b" ", s),                 # body changed
    lambda h, b, s: (h, b, "other-secret"),           # wrong secret
    lambda h, b, s: (h.replace("v1=", "v1=0"), b, s),  # signature changed
    lambda h, b, s: ("v1=abc", b, s),                 # no timestamp
    lambda h, b, s: ("t=12,v2=abc", b, s),            # no v1
    lambda h, b, s: ("", b, s),                       # no header
    lambda h, b, s: ("t=notanumber,v1=ab", b, s),     # malformed timestamp
])
def test_tampered_deliveries_are_refused(mutate):
    body = b'{"id":"evt_1"}'
    header = webhooks.signature_header("a-secret-of-32-characters-at-least", body, 1_700_000_000)
    header, body, secret = mutate(header, body, "a-secret-of-32-characters-at-least")
    with pytest.raises(InvalidSignatureError) as excinfo:
        webhooks.verify(header, body, secret, now=1_700_000_000)
    assert "a-secret-of-32" not in str(excinfo.value)


def test_stale_timestamp_is_refused_even_with_a_good_signature():
    body = b"{}"
    header = webhooks.signature_header("s" * 32, body, 1_700_000_000)
    with pytest.raises(InvalidSignatureError, match="tolerance"):
        webhooks.verify(header, body, "s" * 32, now=1_700_000_000 + 301)


def test_several_v1_values_accept_any_matching_one():
    # Qonto may list a signature per active secret while a secret is being rotated.
    body = b"{}"
    good = webhooks.sign("s" * 32, body, 1_700_000_000)
    header = f"t=1700000000,v1={'0' * 64},v1={good}"
    assert webhooks.verify(header, body, "s" * 32, now=1_700_000_000) == 1_700_000_000


def test_a_header_is_checked_without_the_body():
    """A receiver refuses what cannot be signed before reading any body."""
    header = f"t={QONTO_VECTOR['timestamp']},v1={QONTO_VECTOR['hex']}"
    assert webhooks.check_header(header, now=QONTO_VECTOR["timestamp"]) == (
        QONTO_VECTOR["timestamp"], [QONTO_VECTOR["hex"]])
    for bad, now in ((None, 0), ("v1=ab", 0), ("t=x,v1=ab", 0),
                     (header, QONTO_VECTOR["timestamp"] + 301)):
        with pytest.raises(InvalidSignatureError):
            webhooks.check_header(bad, now=now)
