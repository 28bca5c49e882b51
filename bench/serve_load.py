"""The load a serving benchmark sends: prepared multipart requests on raw keep-alive
sockets from client threads (httpx's own work per request would be counted as the
server's), and the latency figures made of their timings."""

import socket
import statistics
import threading
import time


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def request_bytes(png: bytes) -> bytes:
    """A whole POST /predict of one PNG, as a client sends it (one write)."""
    boundary = "benchserve"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="d.png"'
            f"\r\nContent-Type: image/png\r\n\r\n"
        ).encode()
        + png
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST /predict HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n"
    )
    return head.encode() + body


def exchange(connection: socket.socket, request: bytes) -> bytes:
    """Send `request`, read its answer (HTTP/1.1 keep-alive, Content-Length)."""
    connection.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536) or b"!closed"
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += connection.recv(65536)
    return head.split(b"\r\n")[0] + b" " + body


def load(port: int, pngs: list[bytes], clients: int, total: int) -> dict:
    """`total` requests from `clients` threads, each on its own keep-alive connection,
    each sending its next request when the last is answered."""
    requests = [request_bytes(png) for png in pngs]
    latencies, errors, lock = [], [], threading.Lock()
    per_client = max(1, total // clients)

    def client(number: int) -> None:
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for turn in range(per_client):
                request = requests[(number * per_client + turn) % len(requests)]
                started = time.perf_counter()
                answer = exchange(connection, request)
                took = time.perf_counter() - started
                with lock:
                    if answer.startswith(b"HTTP/1.1 200") and b'"label"' in answer:
                        latencies.append(took)
                    else:
                        errors.append(answer[:200])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": per_client * clients,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * percentile(latencies, 0.99) if latencies else None,
        "per_s": len(latencies) / wall,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "latencies": latencies,
    }


def httpx_latency(url: str, pngs: list[bytes], count: int) -> float:
    """p50 ms of one httpx client's requests, one at a time: what the client itself
    adds, beside the lean client above."""
    import httpx

    times = []
    with httpx.Client(timeout=60) as session:
        for turn in range(count):
            started = time.perf_counter()
            answer = session.post(
                url, files={"file": ("d.png", pngs[turn % len(pngs)])}
            )
            answer.raise_for_status()
            times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def merged(parts: list[dict]) -> dict:
    """One row of several runs at one concurrency."""
    latencies = [t for part in parts for t in part["latencies"]]
    return {
        **parts[0],
        "requests": sum(part["requests"] for part in parts),
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "per_s": statistics.median(part["per_s"] for part in parts),
        "errors": sum(part["errors"] for part in parts),
    }
