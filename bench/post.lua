-- wrk script: one small non-streaming chat completion per request, authenticated.
-- wrk reports any answer that is not 2xx/3xx as "Non-2xx or 3xx responses"; the report
-- script refuses to print throughput for a run that has them.
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bk-bench-overhead"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"Say hello."}],"max_tokens":16}'
