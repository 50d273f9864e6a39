"""/data/: the open data, built from the published rows as they are now (see ratings.opendata)."""

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from .. import opendata


@require_safe
def data_page(request):
    """What the download holds, its data dictionary and its licence."""
    if request.GET.get("download"):
        # The download used to be /data/?download=1: old links keep working.
        return redirect("ratings:data-download", permanent=True)
    summary = opendata.summary(request)
    return render(
        request,
        "ratings/data.html",
        {
            "changed": summary["changed"],
            "counts": summary["counts"],
            "total": sum(count for _, _, count in summary["counts"]),
            "tables": opendata.dictionary(),
            "licence": opendata.LICENCE,
            "attribution": opendata.ATTRIBUTION,
            "licence_scope": opendata.LICENCE_SCOPE,
        },
    )


@require_safe
def data_download(request):
    """The zip: from the cache when this data was built before, else streamed as it is built."""
    build = opendata.cached(request)
    if request.method == "HEAD" and build is None:
        response = HttpResponse(content_type="application/zip")  # no build just to say so
    elif build is not None:
        response = HttpResponse(build["zip"], content_type="application/zip")
    else:
        response = StreamingHttpResponse(opendata.stream(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="casebook-data.zip"'
    response["Cache-Control"] = "no-cache"  # always ask: the data may have changed
    return response
