-- wrk script: one small non-streaming chat completion per request.
-- wrk reports any answer that is not 2xx/3xx as "Non-2xx or 3xx responses"; the report
-- script refuses to print throughput for a run that has them.
--
-- Environment (set per target by bench/gateway-overhead.sh):
--   WRK_MODEL    the model name in the body (default "bench")
--   WRK_HEADERS  extra request headers, "Name: value" pairs separated by "|"
--                (default: the bench tenant's Ballast key)
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
local headers = os.getenv("WRK_HEADERS") or "Authorization: Bearer bk-bench-overhead"
for pair in string.gmatch(headers, "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end
local model = os.getenv("WRK_MODEL") or "bench"
wrk.body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"Say hello."}],"max_tokens":16}'
