"""A throwaway CA, server and client certificates and a token, for tests and trials of TLS.

Usage: python -m gymlink_server.devcerts DIR [--name DNS_OR_IP ...] [--days N]

Writes into DIR: ca.crt, ca.key, server.crt, server.key (valid for every --name; localhost and
127.0.0.1 by default), client.crt, client.key (for mutual TLS) and tokens (one random token).
Needs the ``cryptography`` package (``pip install 'gymlink-server[devcerts]'``). For anything that
lasts, use certificates from your own CA; SECURITY.md shows the same steps with openssl.
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import secrets
import sys
from pathlib import Path

DEFAULT_NAMES = ("localhost", "127.0.0.1")


def write_dev_pki(directory: Path, names: tuple[str, ...] = DEFAULT_NAMES, days: int = 30) -> None:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:
        raise SystemExit("devcerts needs the cryptography package: pip install 'gymlink-server[devcerts]'") from None

    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)

    def key() -> ec.EllipticCurvePrivateKey:
        return ec.generate_private_key(ec.SECP256R1())

    def write_key(name: str, private_key: ec.EllipticCurvePrivateKey) -> None:
        path = directory / name
        path.write_bytes(
            private_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        path.chmod(0o600)

    def subject(common_name: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

    def certificate(
        common_name: str, public_key: object, issuer: x509.Name, signer: ec.EllipticCurvePrivateKey
    ) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(subject(common_name))
            .issuer_name(issuer)
            .public_key(public_key)  # type: ignore[arg-type]
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=days))
        )

    ca_key = key()
    ca_name = subject("gymlink dev CA")
    ca = (
        certificate("gymlink dev CA", ca_key.public_key(), ca_name, ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(common_name: str, usage: x509.ObjectIdentifier, alt_names: list[x509.GeneralName]) -> tuple:
        leaf_key = key()
        builder = certificate(common_name, leaf_key.public_key(), ca_name, ca_key).add_extension(
            x509.ExtendedKeyUsage([usage]), critical=False
        )
        if alt_names:
            builder = builder.add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        return builder.sign(ca_key, hashes.SHA256()), leaf_key

    alt_names: list[x509.GeneralName] = []
    for name in names:
        try:
            alt_names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt_names.append(x509.DNSName(name))
    server, server_key = leaf(names[0], ExtendedKeyUsageOID.SERVER_AUTH, alt_names)
    client, client_key = leaf("gymlink dev client", ExtendedKeyUsageOID.CLIENT_AUTH, [])

    for name, cert in (("ca.crt", ca), ("server.crt", server), ("client.crt", client)):
        (directory / name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    write_key("ca.key", ca_key)
    write_key("server.key", server_key)
    write_key("client.key", client_key)
    tokens = directory / "tokens"
    tokens.write_text(secrets.token_hex(32) + "\n")
    tokens.chmod(0o600)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gymlink_server.devcerts", description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--name", action="append", default=[], help="DNS name or IP the server certificate is for")
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args(argv)
    write_dev_pki(args.directory, tuple(args.name) or DEFAULT_NAMES, args.days)
    print(f"wrote ca.crt, server.crt/.key, client.crt/.key and tokens to {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
