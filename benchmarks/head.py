"""HEAD requests per second for one address: `python benchmarks/head.py URL [seconds] [threads]`.

wrk cannot time HEAD (it waits for the body that Content-Length announces), so this asks over
kept-alive connections from Python threads. The client is slower than wrk: compare figures
taken with it only with each other.
"""

import http.client
import sys
import threading
import time
from urllib.parse import urlsplit


def main() -> None:
    url = urlsplit(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    path = url.path + (f"?{url.query}" if url.query else "")
    done, failed, lock = [0], [0], threading.Lock()
    stop = time.monotonic() + seconds

    def run():
        connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
        while time.monotonic() < stop:
            connection.request("HEAD", path)
            response = connection.getresponse()
            response.read()
            with lock:
                done[0] += 1
                failed[0] += response.status != 200

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(f"HEAD {path}: {done[0] / seconds:.1f} requests/s, {failed[0]} not 200")


if __name__ == "__main__":
    main()
