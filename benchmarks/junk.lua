-- `wrk -s benchmarks/junk.lua URL`: the same list page with a junk query string each time
-- (a tracking tag and a cache-busting number), as links shared from newsletters arrive.
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?utm_source=x&_=" .. math.random(1, 1000000000) .. counter)
end
