# Sourced by the gateway benchmarks: the fixed-answer upstream they all measure against.
#
#   nginx_conf NAME WORKERS SERVER-BLOCK   writes $WORK/NAME/nginx.conf (needs $WORK)
#   upstream_server PORT                   the upstream's server block for nginx_conf:
#     POST /v1/chat/completions          a fixed chat completion (COMPLETION)
#     POST /stream/v1/chat/completions   a fixed SSE stream (STREAM): 7 content chunks, a usage
#                                        chunk and [DONE]
#     POST /v1/traces                    accepts OTLP/HTTP spans, like a collector that keeps up
#   start_nginx NAME                       runs it in the foreground of a background job; appends
#                                          its pid to PIDS (the caller stops it)

COMPLETION='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":9,"total_tokens":19}}'
chunk() { # content finish_reason
  printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"content":"%s"},"logprobs":null,"finish_reason":%s}]}\n\n' "$1" "$2"
}
STREAM="$(
  for word in "Hello" "!" " How" " can" " I" " help" " you?"; do
    chunk "$word" "$([ "$word" = " you?" ] && echo '"stop"' || echo null)"
  done
  printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":7,"total_tokens":17}}\n\n'
  printf 'data: [DONE]\n\n'
)"
STREAM+=$'\n\n' # "$(...)" strips trailing newlines; the stream's last event needs its blank line

nginx_conf() { # name workers server-block
  mkdir -p "$WORK/$1/logs"
  cat >"$WORK/$1/nginx.conf" <<CONF
worker_processes $2;
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 120s;
  keepalive_requests 10000000;
  client_body_temp_path $WORK/$1/body;
  proxy_temp_path $WORK/$1/proxy;
  fastcgi_temp_path $WORK/$1/fastcgi;
  uwsgi_temp_path $WORK/$1/uwsgi;
  scgi_temp_path $WORK/$1/scgi;
  # Small JSON bodies are read into memory, never spooled to disk.
  client_max_body_size 1m;
  client_body_buffer_size 64k;
$3
}
CONF
}

upstream_server() { # port
  cat <<BLOCK
  server {
    listen 127.0.0.1:$1;
    location = /v1/chat/completions {
      default_type application/json;
      return 200 '$COMPLETION';
    }
    location = /stream/v1/chat/completions {
      default_type text/event-stream;
      return 200 '$STREAM';
    }
    location = /v1/traces {
      default_type application/x-protobuf;
      return 200 '';
    }
  }
BLOCK
}

start_nginx() { # name
  "${ON_SERVERS[@]}" "${NGINX:-nginx}" -p "$WORK/$1" -c "$WORK/$1/nginx.conf" \
    -e "$WORK/$1/logs/error.log" -g 'daemon off;' &
  PIDS+=($!)
}
