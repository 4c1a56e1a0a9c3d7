"""`orderbridge translate` as a person runs it: files or stdin in, JSON out, exit 2 on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "adapters"
JIRAFE_ACCEPTED = EXAMPLES / "jirafe" / "examples" / "order-accepted.json"


def run(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", "translate", *arguments],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_jirafe_to_bigcommerce_prints_bigcommerce_json() -> None:
    result = run("--from", "jirafe", "--to", "bigcommerce", str(JIRAFE_ACCEPTED))
    assert result.returncode == 0, result.stderr
    order = json.loads(result.stdout)
    assert order["total_inc_tax"] == "99.8500"
    assert order["currency_code"] == "USD"
    assert order["products"][0]["name"] == "PowerShot A480"


def test_same_vendor_round_trip_reproduces_the_file() -> None:
    result = run("--from", "jirafe", "--to", "jirafe", str(JIRAFE_ACCEPTED))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(JIRAFE_ACCEPTED.read_text())


def test_canonical_output_is_the_proto3_json_mapping_and_reads_back() -> None:
    canonical = run("--from", "jirafe", "--to", "canonical", str(JIRAFE_ACCEPTED))
    assert canonical.returncode == 0, canonical.stderr
    document = json.loads(canonical.stdout)
    assert document["total"] == {"currencyCode": "USD", "units": "99", "nanos": 850000000}
    back = run("--from", "canonical", "--to", "jirafe", "-", stdin=canonical.stdout)
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout) == json.loads(JIRAFE_ACCEPTED.read_text())


@pytest.mark.parametrize(
    ("source", "payload", "path"),
    [
        ("jirafe", b'{"order_number": "1", "status": "shipped"}', "status"),
        ("drip", b'{"provider": "shop", "upstream_id": "1", "amount": 1.5}', "amount"),
        ("fabric", b"not json", ""),
    ],
)
def test_bad_input_exits_2_naming_the_field(source: str, payload: bytes, path: str) -> None:
    result = run("--from", source, "--to", "canonical", "-", stdin=payload)
    assert result.returncode == 2
    assert result.stdout == b""
    message = result.stderr.decode()
    assert message.startswith("orderbridge translate: ")
    assert path in message
