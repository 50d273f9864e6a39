"""Datasette as an ASGI app for `make bench`, so that uvicorn can run it in as many worker
processes as Casebook has (`datasette serve` runs one). The same settings as
`datasette serve -i FILE --setting sql_time_limit_ms 60000 --setting facet_time_limit_ms 60000
--setting max_csv_mb 0`: the file is immutable, and no query is cut short.
"""

import os

from datasette.app import Datasette


def app():
    datasette = Datasette(
        immutables=[os.environ["BENCH_DATASETTE_FILE"]],
        settings={"sql_time_limit_ms": 60000, "facet_time_limit_ms": 60000, "max_csv_mb": 0},
    )
    return datasette.app()  # its startup hooks run on the first request
