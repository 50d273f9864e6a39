-- A mixed public load: lists with filters, detail pages, search and small exports.
local paths = {
  "/",
  "/interventions/",
  "/interventions/?kind=partnership&sort=-start",
  "/interventions/?status=completed&council_type=unitary",
  "/interventions/kent-swindon-partnership/",
  "/interventions/stoke-serco-partnership/",
  "/interventions/?format=json&kind=review",
  "/councils/",
  "/councils/slough/",
  "/councils/swindon/?format=json",
  "/judgements/?framework=ofsted-slac",
  "/judgements/?grade=Inadequate&format=csv",
  "/spending/?council=slough&sort=-amount_gbp",
  "/spending/?format=csv&council=slough",
  "/inspections/slough-ofsted-2011-slac/",
  "/sources/opm-2014-slough-childrens-social-care/",
  "/workstreams/?kind=partnership",
  "/search/?q=improvement+board",
  "/search/?q=Serco",
  "/sources/",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  local bad = summary.errors.status
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "non_2xx_3xx": %d, "socket_errors": %d, "rps": %.1f, "p50_ms": %.1f, "p99_ms": %.1f}\n',
    summary.requests, bad, failed, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
