"""Slow clients: connections that send their headers a byte at a time, while /healthz is polled.

A server that gives each connection a worker until its headers are complete is frozen by a
handful of them (slowloris). This opens `clients` such connections to 127.0.0.1 only, each
sending `GET / HTTP/1.1` and header bytes one per `byte_every` seconds and never finishing,
for `seconds` (both bounded), and meanwhile asks for /healthz every `poll_every` seconds with
a `timeout`. It reports how many polls were answered (200) and their latencies.

    python slowclients.py [port] [clients] [seconds]   # against a server already running
"""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import sys
import threading
import time

MAX_CLIENTS = 256
MAX_SECONDS = 120
PARTIAL_REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-client\r\nX-Slow: "


def trickle(port: int, deadline: float, byte_every: float, opened: list) -> None:
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return
    opened.append(1)
    sent = 0
    try:
        while time.monotonic() < deadline:
            # The headers never end: after the prefix, one more byte of a header value each time.
            byte = PARTIAL_REQUEST[sent : sent + 1] if sent < len(PARTIAL_REQUEST) else b"a"
            sock.sendall(byte)
            sent += 1
            time.sleep(byte_every)
    except OSError:
        pass  # the server gave up on this client: that is allowed
    finally:
        sock.close()


def poll(port: int, deadline: float, poll_every: float, timeout: float) -> list:
    """(seconds since start, latency in ms or None for no answer, status)."""
    results = []
    started = time.monotonic()
    while time.monotonic() < deadline:
        began = time.monotonic()
        status = None
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            conn.request("GET", "/healthz")
            status = conn.getresponse().status
            conn.close()
        except (OSError, http.client.HTTPException):
            pass
        latency = (time.monotonic() - began) * 1000
        results.append((began - started, latency if status == 200 else None, status))
        time.sleep(max(0.0, poll_every - (time.monotonic() - began)))
    return results


def slow_client_phase(
    port: int,
    clients: int = 16,
    seconds: float = 20,
    byte_every: float = 1.0,
    poll_every: float = 0.5,
    timeout: float = 5.0,
) -> dict:
    clients = min(clients, MAX_CLIENTS)
    seconds = min(seconds, MAX_SECONDS)
    deadline = time.monotonic() + seconds
    opened: list = []
    threads = [
        threading.Thread(target=trickle, args=(port, deadline, byte_every, opened), daemon=True)
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(min(2.0, seconds / 4))  # let every slow client connect and start trickling
    results = poll(port, deadline, poll_every, timeout)
    for thread in threads:
        thread.join(timeout=byte_every + 6)
    answered = sorted(latency for _, latency, _ in results if latency is not None)

    def percentile(share: float) -> float | None:
        if not answered:
            return None
        return round(answered[min(len(answered) - 1, int(share * len(answered)))], 1)

    return {
        "slow_clients": clients,
        "slow_clients_connected": len(opened),
        "seconds": seconds,
        "healthz_polls": len(results),
        "healthz_answered": len(answered),
        "healthz_p50_ms": round(statistics.median(answered), 1) if answered else None,
        "healthz_p99_ms": percentile(0.99),
        "healthz_max_ms": round(answered[-1], 1) if answered else None,
    }


def report(figures: dict) -> str:
    return (
        f"{figures['slow_clients']} slow clients ({figures['slow_clients_connected']} connected) "
        f"for {figures['seconds']} s: /healthz answered {figures['healthz_answered']} of "
        f"{figures['healthz_polls']} polls, p50 {figures['healthz_p50_ms']} ms, "
        f"p99 {figures['healthz_p99_ms']} ms, max {figures['healthz_max_ms']} ms"
    )


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8101
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 20
    figures = slow_client_phase(port, clients, seconds)
    print(report(figures))
    print(json.dumps(figures))
    sys.exit(0 if figures["healthz_answered"] == figures["healthz_polls"] else 1)
